from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nok.core import selectors
from nok.core.forms import AuditFilterForm
from nok.organizations.access import require_role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("assessments:campaign_list")


@login_required
def audit_journal(request: HttpRequest) -> HttpResponse:
    """Who changed what and when, with before/after; scoped to what the user may see."""
    require_role(request.user)
    form = AuditFilterForm(request.GET or None, viewer=request.user,
                           object_types=selectors.audit_object_types(request.user))
    entries = selectors.audit_journal(request.user, **form.filters())
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit.html", {"form": form, "page": page, "query": query.urlencode()})


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
