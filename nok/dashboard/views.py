"""The start page, the organization card and the audit journal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from nok.dashboard import charts, selectors
from nok.dashboard.forms import AuditFilterForm
from nok.organizations.access import (
    get_organization_for_user,
    is_operator,
    own_organization_id,
    require_role,
    role_of,
)
from nok.organizations.models import Role
from nok.plans.presentation import organization_results


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page of each role: the region at a glance (ministry, public council), the
    work queue (operator), its own results and plan (organization user). An interviewer starts
    from its organizations; a user without a role reads that access is not set up (403)."""
    role = role_of(request.user)
    if role == Role.INTERVIEWER:
        return redirect("fieldwork:home")
    if role is None:
        return render(request, "dashboard/home_norole.html", status=403)
    today = timezone.localdate()
    if role == Role.OPERATOR:
        return render(request, "dashboard/home_operator.html",
                      {"queue": selectors.operator_queue(today), "today": today})
    if role == Role.ORGANIZATION:
        org = get_organization_for_user(request.user, own_organization_id(request.user) or 0)
        board = selectors.organization_board(org, today)
        return render(request, "dashboard/home_organization.html", {
            "board": board, "today": today, "chart": charts.own_chart(board.result),
        })
    region = selectors.region_board(request.user, today)
    return render(request, "dashboard/home_region.html", {
        "board": region, "today": today, "everyone": role == Role.MINISTRY,
        "criteria_chart": charts.region_criteria_chart(region.results),
        "types_chart": charts.region_types_chart(region.results),
        "plans_url": _plans_url(region.plans.campaign.pk if region.plans else None),
    })


def _plans_url(campaign_id: int | None) -> str:
    url = reverse("plans:list")
    return f"{url}?campaign={campaign_id}" if campaign_id is not None else url


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
    """Who changed what and when, with before/after; scoped to what the user may see. The
    organizations and people a typed filter found are named (the first few) and linked."""
    require_role(request.user)
    form = AuditFilterForm(request.GET or None, viewer=request.user,
                           object_types=selectors.audit_object_types(request.user))
    filters = form.filters()
    entries = selectors.audit_journal(request.user, **filters)
    return render(request, "dashboard/audit.html", {
        "form": form,
        "page": Paginator(entries, 50).get_page(request.GET.get("page")),
        "found": selectors.audit_found(request.user, organization_search=filters["organization_search"],
                                       user_search=filters["user_search"]),
        "query": form.query_without(),
        # what a link choosing (or clearing) an organization, a person, keeps of the others
        "without_organization": form.query_without("organization", "organization_search"),
        "without_user": form.query_without("user", "user_search"),
    })
