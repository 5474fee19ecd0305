"""Request-level safety nets: the body size cap, Secure cookies, the database outage page.

Each renders its page without touching the database or ``request.user`` (the outage page is
shown precisely when the database cannot be reached).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
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
