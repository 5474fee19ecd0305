"""The campaign's documents on the web: downloads, the background ZIP of every protocol with
its progress, the region's templates. Thin: access helper -> form -> one service or selector
-> render or stream."""

from __future__ import annotations

import io
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponseNotAllowed,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from documents import KIND_TITLES, shipped_template
from nok.assessments.selectors import get_campaign_for_user
from nok.core.files import stored_file
from nok.organizations.access import require_role, sees_everything
from nok.reports import access, presentation, rendering, selectors, services, tasks
from nok.reports.forms import JobForm, TemplateUploadForm
from nok.reports.models import CAMPAIGN_KINDS, DocumentJob
from nok.reports.rendering import DocumentFailed, Download


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _attachment(download: Download) -> FileResponse:
    response = FileResponse(io.BytesIO(download.data), as_attachment=True,
                            filename=download.filename, content_type=download.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def _failed(request: HttpRequest, exc: DocumentFailed, campaign_pk: int) -> HttpResponseBase:
    messages.error(request, str(exc))
    return redirect("reports:campaign", pk=campaign_pk)


@login_required
def index(request: HttpRequest) -> HttpResponseBase:
    """«Отчёты»: every campaign the user sees, with its documents."""
    require_role(request.user)
    return render(request, "reports/index.html", presentation.campaigns_page(request.user))


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = get_campaign_for_user(request.user, pk)
    return render(request, "reports/campaign.html",
                  presentation.campaign_page(found, request.user, page=request.GET.get("page")))


@login_required
def campaign_document(request: HttpRequest, pk: int, document: str, fmt: str) -> HttpResponseBase:
    """The rating (XLSX, DOCX) or the regional report (DOCX, PDF) of the campaign; of a large
    campaign, the file its background job made of the same frozen results, or the page that
    offers to make it."""
    if fmt not in rendering.CAMPAIGN_DOCUMENTS.get(document, ()):
        raise Http404("Нет такого документа")
    found, source = access.get_campaign_source_for_user(request.user, pk)
    if rendering.too_large(found):
        made = selectors.document_made(found, source, CAMPAIGN_KINDS[document, fmt])
        if made is not None:
            return _job_file(made)
        messages.info(request, "В кампании много организаций: этот документ формируется в фоне. "
                               "Нажмите «Сформировать» — ход сборки будет виден на странице.")
        return redirect("reports:campaign", pk=found.pk)
    try:
        return _attachment(rendering.campaign_download(source, document, fmt))
    except DocumentFailed as exc:
        return _failed(request, exc, found.pk)


@login_required
def protocol(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    if fmt not in rendering.PROTOCOL_FORMATS:
        raise Http404("Протокол выдаётся в DOCX или PDF")
    docs = access.get_assessment_source_for_user(request.user, pk)
    try:
        return _attachment(rendering.protocol_download(docs.source, docs.assessment, fmt,
                                                       compare=docs.compare))
    except DocumentFailed as exc:
        return _failed(request, exc, docs.assessment.campaign_id)


@login_required
def plan(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The improvement plan; ``?layout=seed002``: criterion, shortcoming, measure, result."""
    layout = request.GET.get("layout", "official")
    if fmt not in rendering.PLAN_FORMATS or layout not in rendering.PLAN_LAYOUTS:
        raise Http404("План выдаётся в XLSX или DOCX")
    docs = access.get_assessment_source_for_user(request.user, pk)
    try:
        return _attachment(rendering.plan_download(docs.source, docs.assessment, fmt, layout))
    except DocumentFailed as exc:
        return _failed(request, exc, docs.assessment.campaign_id)


@login_required
@require_POST
def job_start(request: HttpRequest, pk: int) -> HttpResponseBase:
    """«Собрать архив» / «Сформировать»: queue the job (or show the one under way)."""
    require_role(request.user)
    if not sees_everything(request.user) and request.POST.get("kind") not in CAMPAIGN_KINDS.values():
        raise PermissionDenied("Архив протоколов собирают оператор, министерство и "
                               "общественный совет")
    found = get_campaign_for_user(request.user, pk)
    form = JobForm(request.POST)
    if not form.is_valid():
        _errors(request, ValidationError(list(form.errors["kind"])))
        return redirect("reports:campaign", pk=found.pk)
    try:
        job, created = services.document_job_create(campaign=found, kind=form.cleaned_data["kind"],
                                                    user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("reports:campaign", pk=found.pk)
    what = "Архив" if job.archive else "Документ"
    if created:
        transaction.on_commit(partial(tasks.protocols_zip.enqueue, job.pk))
        messages.success(request, f"{what} поставлен в очередь: ход сборки виден на этой странице")
    else:
        messages.info(request, f"{what} уже собирается: показан ход начатой сборки")
    return redirect("reports:job", pk=job.pk)


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = access.get_job_for_user(request.user, pk)
    response = render(request, "reports/job.html", presentation.job_page(found, request.user))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    found = access.get_job_for_user(request.user, pk)
    if not found.file:
        raise Http404("Файл ещё не готов или заменён более новым")
    return _job_file(found)


def _job_file(job: DocumentJob) -> FileResponse:
    return stored_file(job.file, missing="Файл не найден в хранилище", as_attachment=True,
                       content_type=rendering.CONTENT_TYPES[job.file_extension],
                       **({} if job.archive else {"filename": rendering.job_document_name(job)}))


@login_required
def templates(request: HttpRequest) -> HttpResponseBase:
    access.require_template_editor(request.user)
    return render(request, "reports/templates.html", presentation.templates_page())


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponseBase:
    """One kind's templates; POST uploads the region's (``action=upload``) or goes back to the
    shipped one (``action=reset``)."""
    access.require_template_editor(request.user, kind)
    form = TemplateUploadForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reset":
            try:
                services.document_template_reset(kind=kind, user=request.user)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, "Снова используется стандартный шаблон")
            return redirect("reports:template", kind=kind)
        if action == "upload":
            form = TemplateUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    services.document_template_upload(kind=kind, filename=upload.name,
                                                      data=upload.read(), user=request.user)
                except ValidationError as exc:
                    form.add_error("file", exc)
                else:
                    messages.success(request, f"Шаблон «{upload.name}» принят и используется")
                    return redirect("reports:template", kind=kind)
            return render(request, "reports/template.html",
                          presentation.template_page(kind) | {"form": form}, status=400)
    return render(request, "reports/template.html", presentation.template_page(kind) | {"form": form})


@login_required
def template_file(request: HttpRequest, kind: str, which: str) -> HttpResponseBase:
    """The shipped template of ``kind`` or the region's one in use."""
    access.require_template_editor(request.user, kind)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    data = shipped_template(kind) if which == "shipped" else (
        rendering.region_template(kind) if which == "region" else None)
    if data is None:
        raise Http404("Шаблон не найден")
    name = f"Шаблон — {KIND_TITLES[kind]} ({'стандартный' if which == 'shipped' else 'региона'})"
    return _attachment(Download(rendering.file_name(name, "docx"), data))
