"""Pages that need no app above the core: error pages (no user, no database needed) and the
health check for the proxy and the service manager."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from nok.core import selectors


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 with a plain Russian explanation (too much data in one form, a broken request, a
    wrong Host header). It may come before AuthenticationMiddleware: no ``request.user``."""
    if isinstance(exception, RequestDataTooBig):
        message = "Отправлено слишком много данных. Сократите текст или загрузите файл поменьше."
    elif isinstance(exception, TooManyFieldsSent):
        message = "Форма содержит слишком много полей. Обновите страницу и отправьте её ещё раз."
    else:
        message = "Запрос повреждён или неполон. Обновите страницу и попробуйте ещё раз."
    return render(request, "core/bad_request.html", {"message": message}, status=400)


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """Too many wrong passwords for this user name from this address (django-axes): 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "core/login_locked.html", {
        "failures": settings.AXES_FAILURE_LIMIT, "minutes": minutes,
    }, status=429)


_migrations_applied = False


def _migrations_pending() -> int:
    """How many migrations the code has that the database has not (0 once seen complete:
    new migrations come only with new code, which means a new process)."""
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_applied = pending == 0
    return pending


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For the proxy and the service manager: 200 when the database answers, every migration
    is applied and a background-task worker wrote its heartbeat recently; 503 naming what
    is wrong otherwise."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as exc:
        checks["database"] = f"недоступна: {exc.__class__.__name__}"
        return JsonResponse({"status": "fail", "checks": checks}, status=503)
    try:
        pending = _migrations_pending()
        checks["migrations"] = "ok" if pending == 0 else f"не применено: {pending}"
        last = selectors.worker_last_seen()
    except DatabaseError as exc:
        checks["migrations"] = f"не проверены: {exc.__class__.__name__}"
        return JsonResponse({"status": "fail", "checks": checks}, status=503)
    if last is None:
        checks["worker"] = "не запускался"
    else:
        age = (timezone.now() - last).total_seconds()
        checks["worker"] = "ok" if age <= settings.NOK_WORKER_STALE_SECONDS else f"молчит {age:.0f} с"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks},
                        status=200 if healthy else 503)
