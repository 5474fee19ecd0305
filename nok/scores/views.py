"""The campaign's results page, an organization's scores, the way to publication and the
open-data export. Thin: access helper -> form -> one service/selector -> render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nok.assessments.selectors import get_assessment_for_user, get_campaign_for_user
from nok.fieldwork.selectors import devices_text, unsynced_devices
from nok.organizations.access import require_sees_everything
from nok.scores import exports, selectors, services
from nok.scores.forms import PublishForm, ReopenForm
from nok.scores.presentation import assessment_page, campaign_page, summary_context


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_campaign_for_user(request.user, pk)
    return render(request, "scores/campaign.html", campaign_page(
        found, request.user, page=request.GET.get("page"), type_number=request.GET.get("type"),
        rank_page=request.GET.get("rank")))


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_assessment_for_user(request.user, pk)
    context = assessment_page(found, request.user, include_flagged=request.GET.get("flagged") == "1")
    return render(request, "scores/assessment.html", context)


@login_required
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The score summary alone, for the fieldwork pages to show it live (they fetch it)."""
    found = get_assessment_for_user(request.user, pk)
    response = render(request, "scores/_summary.html", summary_context(found))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def close_fieldwork(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page, then fieldwork -> review (operator)."""
    found = get_campaign_for_user(request.user, pk, write=True)
    if request.method == "POST":
        devices = unsynced_devices(found)
        try:
            services.campaign_close_fieldwork(campaign=found, user=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "Сбор данных завершён, результаты зафиксированы и переданы "
                                      "на проверку")
            if devices:  # interviews they still hold will be refused from now on
                messages.warning(request, devices_text(devices))
            return redirect("scores:campaign", pk=found.pk)
    return render(request, "scores/close.html", {
        "campaign": found, "waiting": selectors.flagged_waiting_rows(found),
        "unmet": selectors.unmet_now(found, request.GET.get("page")) if found.collecting else None,
        "devices": unsynced_devices(found) if found.collecting else [],
    })


@login_required
@require_POST
def return_to_fieldwork(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_campaign_for_user(request.user, pk)
    try:
        services.campaign_return_to_fieldwork(campaign=found, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Кампания возвращена на сбор данных")
    return redirect("scores:campaign", pk=found.pk)


@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The preconditions per organization, a reason for each unmet one, then publication
    (ministry only)."""
    found = get_campaign_for_user(request.user, pk)
    services.require_ministry(request.user, "Опубликовать результаты может только министерство")
    results = selectors.campaign_results(found)
    unmet = [row for row in results.rows if row.unmet]
    form = PublishForm(request.POST or None, unmet=unmet)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_publish(campaign=found, user=request.user,
                                      exceptions=form.exceptions())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Результаты опубликованы")
            return redirect("scores:campaign", pk=found.pk)
    return render(request, "scores/publish.html", {
        "campaign": found, "results": results, "form": form, "ready": found.status == "review",
    }, status=400 if form.errors else 200)


@login_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """A correction after publication: a new edition with a recorded reason (ministry only)."""
    found = get_campaign_for_user(request.user, pk)
    services.require_ministry(request.user, "Открыть опубликованную кампанию для исправления "
                                            "может только министерство")
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_reopen(campaign=found, user=request.user,
                                     reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Кампания открыта для исправления: редакция {found.edition}")
            return redirect("scores:campaign", pk=found.pk)
    return render(request, "scores/reopen.html", {"campaign": found, "form": form},
                  status=400 if form.errors else 200)


EXPORT_TYPES = {"json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8",
                "xlsx": exports.XLSX_CONTENT_TYPE}


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> StreamingHttpResponse | FileResponse:
    """The campaign's open-data export, streamed (JSON that ``nok score`` reads back, CSV, or
    XLSX written to a temporary file first)."""
    require_sees_everything(request.user)
    found = get_campaign_for_user(request.user, pk)
    if fmt not in EXPORT_TYPES:
        raise Http404("Формат выгрузки: json, csv или xlsx")
    name = f"nok-{found.year}-{found.pk}-{found.edition}.{fmt}"
    if fmt == "xlsx":
        return FileResponse(exports.xlsx_file(found), as_attachment=True, filename=name,
                            content_type=EXPORT_TYPES[fmt])
    chunks = exports.json_chunks(found) if fmt == "json" else exports.csv_chunks(found)
    response = StreamingHttpResponse(chunks, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
