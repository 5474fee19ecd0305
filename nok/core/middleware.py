"""Request-level safety nets, each rendering its page without touching the database or
``request.user``: the body size cap, text with a NUL refused before anything reads it, Secure
cookies, the database outage page (shown precisely when the database cannot be reached).

NUL characters: PostgreSQL cannot store U+0000 in text («PostgreSQL text fields cannot contain
NUL») nor in JSON («unsupported Unicode escape sequence»), and nobody types it: it comes from a
damaged paste or a hostile client. Refused here, once, for every form and query string of the
site (the survey's screens and autosave, paper entry, the registry, imports' own fields), it
cannot fail a write halfway with a 500. Uploaded files are checked by their reader
(``nok.core.tabular``), which refuses a NUL in any cell.

- a NUL in the path: 404 (no page has such an address);
- a NUL in a field name or value of the query string or the form, or in an uploaded file's
  name: 400 with a Russian message, nothing done;
- a cookie holding a NUL is dropped (as if the browser had not sent it): browsers never send
  one, and refusing every request would lock the visitor out until the cookie expired.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string

Handler = Callable[[HttpRequest], HttpResponseBase]

# Seconds a client is asked to wait before trying again while the database is down.
OUTAGE_RETRY_AFTER = 60


def _plain_page(template: str, context: dict[str, object], status: int) -> HttpResponse:
    response = HttpResponse(render_to_string(template, context), status=status)
    response["Cache-Control"] = "no-store"
    return response


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is longer than ``NOK_MAX_REQUEST_BYTES`` (413)
    before anything reads it: a 100 MB upload is not received whole to be refused afterwards.

    A body sent without Content-Length (chunked) is not read at all by Django's WSGI request
    (its length counts as 0); nginx refuses it past client_max_body_size as well.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = int(getattr(settings, "NOK_MAX_REQUEST_BYTES", 0) or 0)
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = 0
        if limit and length > limit:
            # Answered at once: the application never reads or stores the body (the WSGI
            # server discards what the client still sends; the proxy's client_max_body_size
            # stops it before it reaches the server at all).
            return _plain_page(
                "core/too_large.html",
                {"limit_mb": _megabytes(limit), "sent_mb": _megabytes(length)},
                status=413,
            )
        return self.get_response(request)


class SecureCookiesMiddleware:
    """In production (``NOK_SECURE_COOKIES``) every cookie a response sets is Secure: the
    session and CSRF cookies by their settings, and the survey's own cookies (draft token,
    display preferences) here, so no view has to remember it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if getattr(settings, "NOK_SECURE_COOKIES", False):
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response


class DatabaseOutageMiddleware:
    """The database unreachable (connection refused, server restarting, locked past its
    timeout): a Russian page with status 503 and ``Retry-After`` instead of «Server Error».

    Respondents are told that the answers they gave so far are kept (each screen is saved in
    the draft as it is sent) and are offered to send the interrupted screen again.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        match = getattr(request, "resolver_match", None)
        respondent = match is not None and getattr(match.func, "__module__", "") == "nok.surveys.public_views"
        resend: list[tuple[str, str]] = []
        if request.method == "POST" and not request.FILES:
            resend = [(key, value) for key, values in request.POST.lists() for value in values]
        response = _plain_page(
            "core/outage.html",
            {"respondent": respondent, "path": request.get_full_path(), "resend": resend,
             "retry_after": OUTAGE_RETRY_AFTER},
            status=503,
        )
        response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
        return response


NUL = "\x00"
MESSAGE = ("В отправленных данных есть нулевой символ (NUL): его нельзя ввести с клавиатуры и "
           "нельзя сохранить. Скорее всего, текст вставлен из повреждённого файла — уберите этот "
           "символ и отправьте форму ещё раз. Ничего не сохранено.")


def _has_nul(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path_info:
            raise Http404("NUL in the path")
        if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
            request.COOKIES = {key: value for key, value in request.COOKIES.items()
                               if NUL not in key and NUL not in value}
        if (_has_nul(request.GET) or _has_nul(request.POST)
                or any(NUL in key or any(NUL in (upload.name or "") for upload in uploads)
                       for key, uploads in request.FILES.lists())):
            return render(request, "core/bad_request.html", {"message": MESSAGE}, status=400)
        return self.get_response(request)
