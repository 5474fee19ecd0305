"""One polite HTTP client per audit: checked addresses, delay, timeouts, size cap, redirects.

Requests go one at a time (the crawler is sequential) with at least ``delay`` seconds between
two requests to the same host. A response body larger than ``max_bytes`` is abandoned;
``timeout`` bounds connecting and each read, ``deadline`` the whole response. Redirects are
followed by hand (at most :data:`MAX_REDIRECTS`), each hop checked by the ``allowed`` callback
(same site) and by the address guard; a redirect that leaves the site is reported, not followed.
Environment proxies are ignored: the address guard must see the real destination.
Certificates are verified against the usual roots plus, when ``ca_file`` names a PEM file,
its certificates (many Russian public-sector sites use the Russian Trusted Root CA, which the
usual bundles lack).
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from siteaudit.errors import SiteAuditError, UnsafeAddress
from siteaudit.safety import GuardedBackend, resolve

MAX_REDIRECTS = 5
USER_AGENT = "Mozilla/5.0 (compatible; nok-siteaudit/0.1)"


@dataclass(frozen=True)
class FetchSettings:
    """Politeness and limits of the crawler (the defaults suit real sites; tests use delay 0)."""

    delay: float = 1.0
    timeout: float = 15.0
    deadline: float = 40.0
    max_bytes: int = 8 * 1024 * 1024
    allow_private: bool = False
    user_agent: str = USER_AGENT
    ca_file: str = ""


@dataclass
class Fetched:
    """The outcome of one GET after redirects: ``status`` 0 and ``error`` when it failed."""

    url: str
    final_url: str
    status: int = 0
    content_type: str = ""
    body: bytes = b""
    error: str = ""
    redirects: list[str] = field(default_factory=list)
    offsite: str = ""
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def ok(self) -> bool:
        return not self.error and 200 <= self.status < 300


class Fetcher:
    """A guarded, rate-limited ``httpx.Client``; use as a context manager."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        transport = httpx.HTTPTransport(trust_env=False)
        ssl_context = httpx.create_ssl_context()
        if settings.ca_file:
            try:
                ssl_context.load_verify_locations(cafile=settings.ca_file)
            except (OSError, ssl.SSLError) as exc:
                raise SiteAuditError(
                    f"файл корневых сертификатов «{settings.ca_file}» не читается ({exc})"
                ) from None
        # httpx builds its connection pool with the default network backend; this one connects
        # only to addresses that passed the guard (see siteaudit.safety).
        transport._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            network_backend=GuardedBackend(allow_private=settings.allow_private),
        )
        self.client = httpx.Client(
            transport=transport,
            trust_env=False,
            follow_redirects=False,
            timeout=httpx.Timeout(settings.timeout),
            headers={"User-Agent": settings.user_agent, "Accept-Language": "ru,en;q=0.5"},
        )
        self._last: dict[str, float] = {}
        self.requests = 0

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None and self.settings.delay > 0:
            pause = self.settings.delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)

    def check(self, url: str) -> None:
        """:class:`UnsafeAddress` unless the URL's host resolves to allowed addresses only."""
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        resolve(parts.hostname or "", port, allow_private=self.settings.allow_private)

    def get(self, url: str, allowed: Callable[[str], bool] | None = None) -> Fetched:
        """GET ``url`` following in-site redirects; never raises for network trouble.

        :class:`UnsafeAddress` is raised only for the first URL (a refused start address is
        the caller's error to show); later refusals become ``error`` of the result.
        """
        result = Fetched(url=url, final_url=url)
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            try:
                self.check(current)
            except UnsafeAddress as exc:
                if hop == 0 and current == url:
                    raise
                result.error = str(exc)
                return result
            host = urlsplit(current).netloc
            self._wait(host)
            try:
                self.requests += 1
                response = self._one(current, result)
            except UnsafeAddress as exc:
                result.error = str(exc)
                return result
            except (httpx.HTTPError, httpcore.TimeoutException) as exc:
                result.error = _network_error(exc)
                return result
            finally:
                self._last[host] = time.monotonic()
            if response is None:
                return result
            location = urljoin(current, response)
            scheme = urlsplit(location).scheme
            if scheme not in ("http", "https"):
                result.error = f"перенаправление на неподдерживаемый адрес {location}"
                return result
            if allowed is not None and not allowed(location):
                result.offsite = location
                result.error = f"перенаправление за пределы сайта: {location}"
                return result
            result.redirects.append(current)
            current = location
            result.final_url = location
        result.error = "слишком много перенаправлений"
        result.status = 0
        return result

    def _one(self, url: str, result: Fetched) -> str | None:
        """One request; returns the Location of a redirect or None when ``result`` is final."""
        started = time.monotonic()
        with self.client.stream("GET", url) as response:
            result.status = response.status_code
            result.content_type = response.headers.get("content-type", "")
            if response.is_redirect and "location" in response.headers:
                return str(response.headers["location"])
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.settings.max_bytes:
                result.error = _too_big(self.settings.max_bytes)
                return None
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.settings.max_bytes:
                    result.error = _too_big(self.settings.max_bytes)
                    return None
                if time.monotonic() - started > self.settings.deadline:
                    result.error = "страница загружалась слишком долго"
                    return None
                chunks.append(chunk)
            result.body = b"".join(chunks)
        if not 200 <= result.status < 300:
            result.error = f"ответ сервера {result.status}"
        return None


def _too_big(limit: int) -> str:
    return f"больше {limit // (1024 * 1024)} МБ — не загружено"


def _network_error(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException | httpcore.TimeoutException):
        return "превышено время ожидания"
    if isinstance(exc, httpx.ConnectError):
        if "CERTIFICATE_VERIFY_FAILED" in str(exc):
            return "сертификат сайта не удалось проверить (нужен корневой сертификат его центра)"
        return "не удалось соединиться"
    if isinstance(exc, httpx.TooManyRedirects):
        return "слишком много перенаправлений"
    return f"ошибка сети ({type(exc).__name__})"
