from __future__ import annotations

from django.contrib.auth.decorators import login_required
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
