"""Website audit pages: an assessment's audits and suggestions, the stored copies, a campaign's
audit of all sites. Thin: access helper -> form -> one service/selector -> render."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nok.assessments.models import Assessment, CampaignStatus
from nok.assessments.selectors import get_assessment_for_user, get_campaign_for_user
from nok.core.files import stored_file
from nok.organizations.access import AnyUser, is_operator
from nok.siteaudit import selectors, services, tasks
from nok.siteaudit.forms import DecisionForm, StartForm

# Stored pages are other people's HTML: shown without scripts, forms or plugins, in an origin
# of their own, and never sniffed as another type.
STORED_COPY_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _can_write(assessment_or_campaign_status: str, user: AnyUser) -> bool:
    return is_operator(user) and assessment_or_campaign_status == CampaignStatus.FIELDWORK


def _context(assessment: Assessment, user: AnyUser) -> dict[str, Any]:
    return {"assessment": assessment, "campaign": assessment.campaign,
            "organization": assessment.organization,
            "can_write": _can_write(assessment.campaign.status, user)}


@login_required
def assessment_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest audit of the organization's site (or ?run=ID) with its suggestions."""
    assessment = get_assessment_for_user(request.user, pk)
    run_param = request.GET.get("run", "")
    run = selectors.get_run(assessment, int(run_param) if run_param.isdigit() else None)
    context = _context(assessment, request.user) | {
        "run": run,
        "groups": selectors.finding_rows(run) if run is not None else [],
        "runs": selectors.runs_of(assessment)[:20],
        "start_form": StartForm(initial={"url": assessment.organization.website}),
    }
    return render(request, "siteaudit/assessment.html", context)


@login_required
@require_POST
def audit_start(request: HttpRequest, pk: int) -> HttpResponse:
    """«Проверить сайт»: audit the organization's site now and show the suggestions."""
    assessment = get_assessment_for_user(request.user, pk, write=True)
    form = StartForm(request.POST)
    if not form.is_valid():
        _errors(request, ValidationError(list(form.errors.values())))
        return redirect("siteaudit:assessment", pk=assessment.pk)
    try:
        run = services.site_audit_create(assessment=assessment, user=request.user,
                                         url=form.cleaned_data["url"])
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("siteaudit:assessment", pk=assessment.pk)
    # A real site takes a minute or two: the worker runs it, this page refreshes meanwhile.
    transaction.on_commit(partial(tasks.site_audit.enqueue, run.pk))
    messages.success(request, "Проверка сайта поставлена в очередь: страница обновится сама, "
                              "когда она закончится")
    return redirect(f"{reverse('siteaudit:assessment', args=[assessment.pk])}?run={run.pk}")


@login_required
@require_POST
def finding_decide(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk, write=True)
    finding = selectors.get_finding_for_assessment(assessment, finding_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _errors(request, ValidationError(list(form.errors.values())))
    else:
        try:
            services.site_finding_decide(finding=finding, user=request.user,
                                         decision=form.cleaned_data["decision"],
                                         note=form.cleaned_data["note"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"«{finding.label[:80]}»: решение сохранено")
    url = reverse("siteaudit:assessment", args=[assessment.pk])
    return redirect(f"{url}?run={finding.run_id}#f{finding.pk}")


@login_required
def stored_page(request: HttpRequest, pk: int, page_pk: int) -> FileResponse:
    """The copy of a page or document as the audit read it, to whoever may see the assessment."""
    assessment = get_assessment_for_user(request.user, pk)
    page = selectors.get_stored_page(assessment, page_pk)
    response = stored_file(page.copy, missing="Файл копии не найден в хранилище", filename="",
                           content_type=selectors.page_media_type(page))
    response["Content-Security-Policy"] = STORED_COPY_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@login_required
def campaign_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """Every organization's latest audit; POST (operator) audits all sites of the campaign."""
    write = request.method == "POST"
    campaign = get_campaign_for_user(request.user, pk, write=write)
    if write:
        try:
            job = services.campaign_site_audit_create(campaign=campaign, user=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            transaction.on_commit(partial(tasks.campaign_site_audit.enqueue, job.pk))
            messages.success(request, "Проверка сайтов кампании поставлена в очередь: ход "
                                      "проверки виден на этой странице")
        return redirect("siteaudit:campaign", pk=campaign.pk)
    latest, page, rows = selectors.campaign_audit_progress(campaign, request.user,
                                                           request.GET.get("page"))
    return render(request, "siteaudit/campaign.html", {
        "campaign": campaign, "job": latest, "rows": rows, "page": page,
        "can_write": _can_write(campaign.status, request.user),
    })
