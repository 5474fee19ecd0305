"""Error pages that need nothing but the request (no user, no database)."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 with a plain Russian explanation (too much data in one form, a broken request)."""
    if isinstance(exception, RequestDataTooBig):
        message = "Отправлено слишком много данных. Сократите текст или загрузите файл поменьше."
    elif isinstance(exception, TooManyFieldsSent):
        message = "Форма содержит слишком много полей. Обновите страницу и отправьте её ещё раз."
    else:
        message = "Запрос повреждён или неполон. Обновите страницу и попробуйте ещё раз."
    return render(request, "core/bad_request.html", {"message": message}, status=400)
