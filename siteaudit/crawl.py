"""Breadth-first crawl of one site: pages up to a depth and a count, the documents they link.

The site is the host of the start address (with or without ``www.``, either scheme, the same
port) plus the host its start page redirects to. Nothing outside it is fetched: links to other
sites are kept on the page (the detector reads them, e.g. a link to bus.gov.ru), redirects
that leave the site are reported. robots.txt is obeyed for every host of the site (RFC 9309:
a missing file allows everything, an unreachable one forbids everything), and its Crawl-delay
raises the pause between requests (up to :data:`MAX_CRAWL_DELAY` seconds).

Within one depth, links are visited by priority (the caller's ``priority`` callback: section
names of the methodology first, news and archives last), so that a site with hundreds of news
pages still has its «Сведения об организации» read within the page budget. Calendar and
filter pages cannot trap the crawler: a path is fetched with at most
:data:`MAX_QUERY_VARIANTS` different query strings.
"""

from __future__ import annotations

import dataclasses
import heapq
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from siteaudit.errors import BadAddress, SiteUnreachable, UnsafeAddress
from siteaudit.fetch import Fetched, Fetcher, FetchSettings
from siteaudit.parse import (
    DocumentError,
    Link,
    ParsedPage,
    is_document_url,
    parse_docx,
    parse_html,
    parse_pdf,
)

MAX_CRAWL_DELAY = 10.0
MAX_QUERY_VARIANTS = 5
ROBOTS_AGENT = "nok-siteaudit"
_SKIP_EXT = (
    ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".bmp", ".ico", ".tif", ".tiff", ".css",
    ".js", ".json", ".zip", ".rar", ".7z", ".gz", ".tar", ".mp3", ".mp4", ".avi", ".mov", ".wmv",
    ".flv", ".webm", ".exe", ".msi", ".apk", ".iso", ".woff", ".woff2", ".ttf", ".eot", ".ppt",
    ".pptx",
)


@dataclass(frozen=True)
class CrawlSettings:
    """How much of a site to read: ``max_pages`` HTML pages (default 60) to ``max_depth``
    clicks from the start page (3), and ``max_documents`` linked documents (40)."""

    max_pages: int = 60
    max_depth: int = 3
    max_documents: int = 40
    fetch: FetchSettings = field(default_factory=FetchSettings)


@dataclass
class Page:
    """One fetched address of the site: an HTML page or a document (PDF, DOCX, other file).

    ``kind``: "html", "pdf", "docx", "file" (a document whose text is not read, e.g. DOC) or
    "error" (not fetched: ``error`` says why). ``body`` is the response as received — the copy
    of the page at the time of the check.
    """

    url: str
    final_url: str
    depth: int
    kind: str
    status: int
    content_type: str
    body: bytes
    fetched_at: datetime
    parsed: ParsedPage = field(default_factory=ParsedPage)
    error: str = ""
    incoming: list[tuple[Link, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.kind != "error"

    @property
    def is_document(self) -> bool:
        return self.kind in ("pdf", "docx", "file")


@dataclass
class CrawlResult:
    start_url: str
    pages: list[Page]
    skipped: list[tuple[str, str]] = field(default_factory=list)
    requests: int = 0


def normalize(url: str) -> str:
    """Scheme and host lower-cased, default port and fragment dropped, empty path as ``/``."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def start_address(raw: str) -> str:
    """The normalized start URL; ``kcson.ru`` becomes ``http://kcson.ru/``."""
    raw = raw.strip()
    if not raw:
        raise BadAddress(raw, "адрес сайта не указан")
    if "://" not in raw:
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 — raises ValueError for a bad port
    except ValueError:
        raise BadAddress(raw, "неверный адрес сайта") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadAddress(raw, "нужен адрес сайта вида https://example.ru")
    return normalize(raw)


class _Site:
    def __init__(self, start: str) -> None:
        self.keys = {self.key(start)}

    @staticmethod
    def key(url: str) -> tuple[str, int | None]:
        parts = urlsplit(url)
        port = parts.port
        if port in (80, 443):
            port = None
        return (parts.hostname or "").lower().removeprefix("www."), port

    def contains(self, url: str) -> bool:
        return urlsplit(url).scheme in ("http", "https") and self.key(url) in self.keys


class _Robots:
    def __init__(self, fetcher: Fetcher, site: _Site) -> None:
        self.fetcher = fetcher
        self.site = site
        self.parsers: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.notes: list[tuple[str, str]] = []

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        parser = self.parsers.get(origin)
        if parser is None:
            parser = self._load(origin)
            self.parsers[origin] = parser
        return parser.can_fetch(ROBOTS_AGENT, url)

    def _load(self, origin: str) -> urllib.robotparser.RobotFileParser:
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        got = self.fetcher.get(origin + "/robots.txt", self.site.contains)
        if got.ok:
            text = got.body.decode("utf-8", errors="replace")
            parser.parse(text.splitlines())
            delay = parser.crawl_delay(ROBOTS_AGENT)
            if delay is not None:
                self.fetcher.settings = _with_delay(self.fetcher.settings, float(delay))
        elif 400 <= got.status < 500:
            parser.parse([])  # no rules: everything allowed
        else:
            parser.parse(["User-agent: *", "Disallow: /"])
            self.notes.append((origin + "/robots.txt",
                               f"robots.txt недоступен ({got.error}): обход запрещён"))
        return parser


def _with_delay(settings: FetchSettings, delay: float) -> FetchSettings:
    wanted = max(settings.delay, min(delay, MAX_CRAWL_DELAY))
    return dataclasses.replace(settings, delay=wanted)


def _kind(fetched: Fetched) -> str:
    ctype = fetched.content_type.lower()
    body = fetched.body
    path = urlsplit(fetched.final_url).path.lower()
    if "pdf" in ctype or body.startswith(b"%PDF"):
        return "pdf"
    if "wordprocessingml" in ctype or (path.endswith(".docx") and body.startswith(b"PK")):
        return "docx"
    if "html" in ctype or "xml" in ctype and "xhtml" in ctype:
        return "html"
    if not ctype and body.lstrip()[:1] == b"<":
        return "html"
    if is_document_url(path) or "msword" in ctype or "officedocument" in ctype or "rtf" in ctype:
        return "file"
    return "other"


def _page(fetched: Fetched, depth: int) -> Page:
    page = Page(url=fetched.url, final_url=fetched.final_url, depth=depth, kind="error",
                status=fetched.status, content_type=fetched.content_type, body=fetched.body,
                fetched_at=fetched.fetched_at, error=fetched.error)
    if not fetched.ok:
        return page
    kind = _kind(fetched)
    try:
        if kind == "html":
            page.parsed = parse_html(fetched.body, fetched.final_url, fetched.content_type)
        elif kind == "pdf":
            page.parsed = parse_pdf(fetched.body)
        elif kind == "docx":
            page.parsed = parse_docx(fetched.body)
        elif kind == "other":
            page.error = f"не страница и не документ ({fetched.content_type or 'тип не указан'})"
            return page
    except DocumentError as exc:
        page.error = str(exc)
        return page
    if kind == "file" and not fetched.body:
        page.error = "пустой файл"
        return page
    page.kind = kind
    return page


def crawl(
    url: str,
    settings: CrawlSettings | None = None,
    priority: Callable[[Link], int] | None = None,
) -> CrawlResult:
    """Read the site at ``url``; :class:`SiteUnreachable` when its start page cannot be read.

    :class:`UnsafeAddress` propagates when the start address itself is refused.
    """
    settings = settings or CrawlSettings()
    start = start_address(url)
    with Fetcher(settings.fetch) as fetcher:
        try:
            first = fetcher.get(start, lambda target: True)
        except UnsafeAddress as exc:
            if exc.unresolved:
                raise SiteUnreachable(start, f"имя сайта не найдено ({exc.reason})") from None
            raise
        if not first.ok:
            raise SiteUnreachable(start, first.error or f"ответ сервера {first.status}")
        site = _Site(start)
        site.keys.add(site.key(first.final_url))
        robots = _Robots(fetcher, site)
        result = CrawlResult(start_url=start, pages=[])
        if not robots.allowed(first.final_url):
            result.skipped.append((first.final_url, "запрещено robots.txt"))
            result.skipped.extend(robots.notes)
            result.requests = fetcher.requests
            return result
        first_page = _page(first, 0)
        result.pages.append(first_page)
        seen = {normalize(start), normalize(first.final_url), *map(normalize, first.redirects)}
        variants: dict[str, int] = {}
        queue: list[tuple[int, int, int, str, bool]] = []
        counter = 0
        html_count, doc_count = 1, 0

        def push(page: Page) -> None:
            nonlocal counter
            if page.kind != "html":
                return
            for link in page.parsed.links:
                target = link.url
                if not site.contains(target):
                    continue
                target = normalize(target)
                if target in seen or urlsplit(target).path.lower().endswith(_SKIP_EXT):
                    continue
                is_doc = is_document_url(target)
                depth = page.depth + 1
                if depth > settings.max_depth + (1 if is_doc else 0):
                    continue
                parts = urlsplit(target)
                if parts.query:
                    path_key = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
                    if variants.get(path_key, 0) >= MAX_QUERY_VARIANTS:
                        continue
                    variants[path_key] = variants.get(path_key, 0) + 1
                seen.add(target)
                counter += 1
                rank = priority(link) if priority else 0
                heapq.heappush(queue, (depth, -rank, counter, target, is_doc))

        push(first_page)
        while queue:
            depth, _, _, target, is_doc = heapq.heappop(queue)
            if is_doc and doc_count >= settings.max_documents:
                result.skipped.append((target, "превышено число документов"))
                continue
            if not is_doc and html_count >= settings.max_pages:
                result.skipped.append((target, "превышено число страниц"))
                continue
            if not robots.allowed(target):
                result.skipped.append((target, "запрещено robots.txt"))
                continue
            fetched = fetcher.get(target, site.contains)
            page = _page(fetched, depth)
            if page.is_document or is_doc and page.kind == "error":
                doc_count += 1
            else:
                html_count += 1
            final = normalize(fetched.final_url)
            if final != target and final in seen and page.ok and not fetched.offsite:
                # a redirect to a page already read: keep the alias for incoming links only
                page.kind = "alias"
            seen.add(final)
            result.pages.append(page)
            push(page)
        result.skipped.extend(robots.notes)
        result.requests = fetcher.requests
    _link_incoming(result.pages)
    return result


def _link_incoming(pages: list[Page]) -> None:
    """Each page learns the links that point to it (its address or any alias redirecting to it)."""
    by_url: dict[str, Page] = {}
    for page in pages:
        if page.kind == "alias":
            continue
        by_url.setdefault(normalize(page.final_url), page)
    for page in pages:
        target = by_url.get(normalize(page.final_url))
        if target is not None:
            by_url.setdefault(normalize(page.url), target)
    for page in pages:
        if page.kind != "html":
            continue
        for link in page.parsed.links:
            target = by_url.get(normalize(link.url)) if link.url.startswith("http") else None
            if target is not None and target is not page:
                target.incoming.append((link, page.url))
