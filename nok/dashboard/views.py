"""The start page, the organization card and the audit journal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nok.dashboard import selectors
from nok.dashboard.forms import AuditFilterForm
from nok.organizations.access import (
    get_organization_for_user,
    is_interviewer,
    is_operator,
    require_role,
)
from nok.plans.presentation import organization_results


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if is_interviewer(request.user):  # an interviewer starts from its organizations
        return redirect("fieldwork:home")
    return redirect("assessments:campaign_list")


@login_required
def organization(request: HttpRequest, pk: int) -> HttpResponse:
    """The organization's card: registry data, campaigns with their results, the results year
    over year with its plans, recent changes."""
    require_role(request.user)
    org = get_organization_for_user(request.user, pk)
    return render(request, "dashboard/organization.html", {
        "organization": org,
        "campaigns": selectors.organization_campaigns(org, request.user),
        "changes": selectors.audit_entries_for_organization(request.user, org.pk)[:10],
        "can_edit": is_operator(request.user),
    } | organization_results(org, request.user))


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
    return render(request, "dashboard/audit.html",
                  {"form": form, "page": page, "query": query.urlencode()})
