"""The offline interview app: an installable web app (manifest, service worker, IndexedDB).

The interviewer opens ``/fieldwork/app/`` once online: the service worker keeps the app's page,
script and style, and the app keeps the questionnaires of the interviewer's organizations
(``bundle``) on the device. Interviews are recorded without any network, each saved on the
device answer by answer, and sent (``sync``) whenever the network is there, each with its
client id: a repeat is answered «already», so every interview is stored exactly once.

The manifest and the service worker carry no data and are public (a browser fetches the
manifest without the session cookie); the page, the bundle and the sync need an interviewer.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from nok.fieldwork import selectors, services
from nok.organizations.access import require_interviewer

# What the service worker keeps for working offline (the page itself is added by its URL).
STATIC_ASSETS = ("fieldwork/app.js", "fieldwork/app.css", "fieldwork/icon-192.png",
                 "fieldwork/icon-512.png")
APP_TEMPLATE = "fieldwork/app.html"


@cache
def app_version() -> str:
    """A digest of everything the service worker keeps: a new release makes a new cache."""
    digest = hashlib.sha256()
    template = Path(__file__).parent / "templates" / APP_TEMPLATE
    for path in (str(template), *(finders.find(name) or "" for name in STATIC_ASSETS)):
        digest.update(Path(path).read_bytes() if path else b"")
    return digest.hexdigest()[:16]


@login_required
@ensure_csrf_cookie
def app(request: HttpRequest) -> HttpResponse:
    require_interviewer(request.user)
    return render(request, APP_TEMPLATE, {
        "bundle_url": reverse("fieldwork:app_bundle"), "sync_url": reverse("fieldwork:app_sync"),
        "sw_url": reverse("fieldwork:app_sw"), "scope": reverse("fieldwork:app"),
        "login_url": reverse("login") + "?next=" + reverse("fieldwork:app"),
    })


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    precache = [reverse("fieldwork:app"), reverse("fieldwork:app_manifest"),
                *(static(name) for name in STATIC_ASSETS)]
    body = render_to_string("fieldwork/sw.js", {
        "version": app_version(), "precache": json.dumps(precache),
        "scope": reverse("fieldwork:app"),
    })
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the browser checks for a new release each time
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    scope = reverse("fieldwork:app")
    return JsonResponse({
        "name": "НОК — интервью", "short_name": "НОК интервью", "lang": "ru",
        "description": "Интервью с получателями услуг без подключения к сети",
        "start_url": scope, "scope": scope, "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#0b5cad",
        "icons": [{"src": static("fieldwork/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                  {"src": static("fieldwork/icon-512.png"), "sizes": "512x512", "type": "image/png"}],
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@login_required
@never_cache
def bundle(request: HttpRequest) -> HttpResponse:
    """The questionnaires for the device; the device is recorded as holding them."""
    require_interviewer(request.user)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    data = selectors.app_bundle(request.user)
    device = request.GET.get("device", "")
    if device:
        services.device_seen(
            interviewer=request.user, key=device, label=request.GET.get("label", ""),
            loaded=list(selectors.interviewer_assessments(request.user)),
        )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


@login_required
def sync(request: HttpRequest) -> HttpResponse:
    """Interviews from a device: ``{"device": {"id", "label"}, "waiting": {assessment id: n},
    "interviews": [{"client_id", "assessment", "mode", "answers", "started_at",
    "finished_at"}]}`` -> ``{"results": [{"client_id", "status", "message"}]}``."""
    require_interviewer(request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.content_type != "application/json":
        return _refused("Данные интервью не прочитаны: обновите приложение и повторите отправку")
    try:
        payload: Any = json.loads(request.body or b"{}")
        device = payload["device"]
        waiting = {str(int(k)): int(v) for k, v in (payload.get("waiting") or {}).items()}
        interviews = payload.get("interviews") or []
        if not isinstance(interviews, list):
            raise TypeError("interviews")
        results = services.interviews_sync(
            interviewer=request.user, device_key=str(device["id"]),
            label=str(device.get("label", "")), interviews=interviews, waiting=waiting)
    except (ValueError, KeyError, TypeError, AttributeError):
        return _refused("Данные интервью не прочитаны: обновите приложение и повторите отправку")
    except ValidationError as exc:
        return _refused("; ".join(exc.messages))
    return JsonResponse({"results": [r.__dict__ for r in results]},
                        json_dumps_params={"ensure_ascii": False})
