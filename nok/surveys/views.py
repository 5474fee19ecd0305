"""Operator pages of the survey: management per assessment, campaign overview, review of
flagged responses, printed matter, paper entry (single and double) and file import.

Access: the operator writes; the ministry and the council read; organization users see
their own organization only (404 elsewhere) and may not review (403).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from nok.assessments.models import Assessment
from nok.assessments.selectors import get_assessment_for_user
from nok.core.tabular import TableError
from nok.organizations.access import (
    is_operator,
    require_operator,
    require_sees_everything,
    sees_everything,
)
from nok.surveys import printing, selectors, services
from nok.surveys.forms import (
    BulkReviewForm,
    MappingForm,
    ReviewFilterForm,
    ReviewForm,
    UploadForm,
    ValueMappingForm,
    decode_paper,
    digit_of,
    paper_digit_options,
)
from nok.surveys.imports import text_rows, unmatched_values
from nok.surveys.models import MODE_COLUMNS, FlagKind, ImportJob, Mode, PaperSheet
from nok.surveys.questionnaire import loaded, questions_for

# The digit typed in the «Кто заполнил» cell of a paper sheet -> the survey mode.
FILLED_BY: dict[str, str] = {"1": Mode.PAPER.value, "2": Mode.INTERVIEW.value}
FILLED_BY_DIGIT: dict[str, str] = {mode: digit for digit, mode in FILLED_BY.items()}
FILLED_BY_ERROR = "Кто заполнил анкету: введите 1 (сам респондент) или 2 (интервьюер со слов респондента)"


def _filled_by(data: Any, *, required: bool = False) -> tuple[str, dict[str, str]]:
    """The mode of a paper sheet from its «Кто заполнил» cell (blank: the respondent, unless
    an answer is ``required``)."""
    digit = (data.get("filled_by") or "").strip() or ("" if required else "1")
    if digit not in FILLED_BY:
        return Mode.PAPER.value, {"filled_by": FILLED_BY_ERROR}
    return FILLED_BY[digit], {}


def _mismatch_text(sheet: PaperSheet, questions: Sequence[Any]) -> str:
    """Where the two entries of a sheet differ, as the operator reads it: question numbers,
    and «кто заполнил»."""
    numbers = [str(i) for i, q in enumerate(questions, start=1) if q.key in sheet.mismatches]
    parts = ["кто заполнил"] if services.MODE_MISMATCH in sheet.mismatches else []
    if numbers:
        parts.append(("вопрос " if len(numbers) == 1 else "вопросы ") + ", ".join(numbers))
    return "; ".join(parts)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    url = printing.survey_url(assessment.survey_code)
    # The details of the quality checks would teach an organization their thresholds: it sees
    # only how many of its responses are being checked.
    show_details = sees_everything(request.user)
    return render(request, "surveys/manage.html", {
        "assessment": assessment, "url": url, "qr_inline": printing.qr_svg_inline(url),
        "counts": selectors.status_counts(assessment),
        "sample": selectors.sample_status(assessment),
        "shares": selectors.share_rows(assessment),
        "flag_counts": [(kind, FlagKind(kind).label, n) for kind, n in
                        sorted(selectors.flag_counts(assessment).items())] if show_details else [],
        "mismatches": selectors.mismatch_queue(assessment),
        "awaiting": selectors.sheets_awaiting_second(assessment).count(),
        "can_write": is_operator(request.user), "show_flag_details": show_details,
    })


@login_required
def qr_code(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    url = printing.survey_url(assessment.survey_code)
    if kind not in {"png", "svg"}:
        raise Http404("Формат QR-кода: png или svg")
    if kind == "svg":
        return _download(printing.qr_svg(url), "image/svg+xml", f"qr-{assessment.survey_code}.svg")
    return _download(printing.qr_png(url), "image/png", f"qr-{assessment.survey_code}.png")


def _period(assessment: Assessment) -> str:
    campaign = assessment.campaign
    return f"с {campaign.period_start:%d.%m.%Y} по {campaign.period_end:%d.%m.%Y}"


@login_required
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    content = printing.poster_pdf(
        organization=assessment.organization.name, campaign=str(assessment.campaign),
        url=printing.survey_url(assessment.survey_code), period=_period(assessment),
        results=printing.results_url(),
    )
    return _download(content, "application/pdf", f"poster-{assessment.survey_code}.pdf")


@login_required
def paper_questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    try:
        copies = max(1, min(50, int(request.GET.get("copies", "1"))))
    except ValueError:
        copies = 1
    content = printing.paper_pdf(
        organization=assessment.organization.name, campaign=str(assessment.campaign),
        questions=questions_for(assessment), copies=copies,
    )
    return _download(content, "application/pdf", f"anketa-{assessment.survey_code}.pdf")


def _back(request: HttpRequest, fallback: str) -> str:
    """Where a decision returns: the review page it came from (same site only), else
    ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.response_for_user(request.user, pk, write=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.response_review(
                response=response, decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"], user=request.user,
            )
            messages.success(request, "Решение по анкете сохранено")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "Выберите решение и укажите основание")
    return redirect(_back(request, reverse("surveys:manage", args=[response.assessment_id])
                          + "#flagged"))


@login_required
def campaign_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Flagged responses of a campaign: those waiting first (ticked and decided in bulk),
    the decided ones on their own tab; filters by organization and reason; pages of 25."""
    require_sees_everything(request.user)
    campaign, _ = selectors.campaign_for_user(request.user, pk)
    filters = ReviewFilterForm(request.GET or None,
                               organizations=selectors.review_organizations(campaign))
    decided = filters.value("tab") == "decided"
    queue = selectors.review_queue(campaign, decided=decided,
                                   organization_id=filters.value("organization"),
                                   kind=filters.value("kind") or "")
    page = Paginator(queue, selectors.REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "surveys/review.html", {
        "campaign": campaign, "filters": filters, "decided": decided, "page": page,
        "items": selectors.review_items(page.object_list,
                                        loaded(campaign.methodology).questions),
        "totals": selectors.review_totals(campaign), "query": query.urlencode(),
        "here": request.get_full_path(), "can_write": is_operator(request.user),
        "review_form": ReviewForm(),
    })


@login_required
@require_POST
def review_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """«Принять выбранные» / «Отклонить выбранные»: one decision, one reason, one transaction."""
    require_operator(request.user)
    campaign, _ = selectors.campaign_for_user(request.user, pk)
    form = BulkReviewForm(request.POST)
    back = _back(request, reverse("surveys:campaign_review", args=[campaign.pk]))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect(back)
    try:
        done = services.responses_review(
            campaign=campaign, response_ids=form.cleaned_data["response"],
            decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(back)
    verb = "Принято" if form.cleaned_data["decision"] == "accepted" else "Отклонено"
    text = f"{verb} анкет: {done.decided}"
    if done.already:
        text += f". Уже были решены раньше и оставлены как есть: {done.already}"
    messages.success(request, text)
    return redirect(back)


@login_required
@require_POST
def recompute_flags(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk, write=True)
    summary = services.flags_recompute(assessment=assessment, user=request.user)
    messages.success(
        request, f"Проверка выполнена: новых признаков {summary['added']}, снято {summary['removed']}, "
                 f"на проверке {summary['flagged']}",
    )
    return redirect("surveys:manage", assessment.pk)


OVERVIEW_PAGE = 50  # organizations a page of the campaign's sample


@login_required
def campaign_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The sample of every organization of the campaign, a page at a time; ``?below=1``: only
    those below the minimum."""
    campaign, assessments = selectors.campaign_for_user(request.user, pk)
    ids = list(assessments.values_list("pk", flat=True))
    statuses = selectors.sample_statuses(ids)
    below = [pk for pk in ids if statuses[pk].below_minimum]
    only_below = request.GET.get("below") == "1"
    shown = Paginator(below if only_below else ids, OVERVIEW_PAGE).get_page(request.GET.get("page"))
    found = assessments.select_related("organization").in_bulk(list(shown))
    return render(request, "surveys/campaign_overview.html", {
        "campaign": campaign, "rows": [(found[pk], statuses[pk]) for pk in shown],
        "page": shown, "modes": list(MODE_COLUMNS.values()), "below": len(below),
        "total": len(ids), "only_below": only_below,
        "page_query": "below=1" if only_below else "",
    })


@login_required
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Keyboard-only entry of paper sheets: digits per question, Enter saves."""
    assessment = get_assessment_for_user(request.user, pk, write=True)
    double = (request.POST.get("mode") or request.GET.get("mode")) == "double"
    questions = questions_for(assessment)
    values = request.POST if request.method == "POST" else {}
    errors: dict[str, str] = {}
    filled_by = request.GET.get("filled", "1") if request.GET.get("filled") in FILLED_BY else "1"
    if request.method == "POST":
        answers, errors = decode_paper(questions, request.POST)
        mode, mode_errors = _filled_by(request.POST)
        errors = {**mode_errors, **errors}
        number = request.POST.get("number", "")
        if not errors:
            try:
                _save_sheet(request, assessment, number, answers, double=double, mode=mode)
                target = reverse("surveys:paper_entry", args=[pk])
                # The next sheet of a pile is most likely filled in the same way.
                query = urlencode({"mode": "double" if double else "single", "last": number.strip(),
                                   "filled": FILLED_BY_DIGIT[mode]})
                return redirect(f"{target}?{query}")
            except ValidationError as exc:
                errors = {"number": "; ".join(exc.messages)}
    # After an error the cursor waits in the first cell to correct (keyboard-only entry).
    first_error = next((f"q-{q.key}" for q in questions if q.key in errors),
                       "filled-by" if "filled_by" in errors else "sheet-number" if errors else "")
    return render(request, "surveys/paper_entry.html", {
        "assessment": assessment, "double": double, "errors": errors, "values": values,
        "first_error": first_error,
        "cells": [(i, q, paper_digit_options(q), values.get(f"q_{q.key}", ""))
                  for i, q in enumerate(questions, start=1)],
        "next_number": _next_number(request.GET.get("last", "")),
        "filled_by": values.get("filled_by", filled_by),
        "recent": selectors.recent_entries(assessment),
        "mismatches": [(sheet, _mismatch_text(sheet, questions))
                       for sheet in selectors.mismatch_queue(assessment)],
    }, status=400 if errors else 200)


def _next_number(last: str) -> str:
    # isdigit() alone lets "²" through, which int() refuses.
    return str(int(last) + 1) if last.isascii() and last.isdigit() else ""


def _save_sheet(request: HttpRequest, assessment: Assessment, number: str, answers: dict[str, str],
                *, double: bool, mode: str) -> None:
    if double:
        sheet = services.paper_sheet_enter(
            assessment=assessment, number=number, answers=answers, user=request.user, mode=mode,
        )
        text = {
            "awaiting_second": f"Анкета № {sheet.number}: первый ввод сохранён, нужен второй ввод",
            "mismatch": f"Анкета № {sheet.number}: вводы расходятся, анкета в очереди на сверку",
            "done": f"Анкета № {sheet.number}: вводы совпали, анкета принята",
        }[sheet.status]
        (messages.warning if sheet.status == "mismatch" else messages.success)(request, text)
        return
    _, created = services.paper_response_create(
        assessment=assessment, number=number, answers=answers, user=request.user, mode=mode,
    )
    if created:
        messages.success(request, f"Анкета № {number.strip()} сохранена")
    else:
        messages.warning(request, f"Анкета № {number.strip()} уже была введена — повтор не учтён")


@login_required
def sheet_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = selectors.sheet_for_user(request.user, pk, write=True)
    questions = questions_for(sheet.assessment)
    errors: dict[str, str] = {}
    if request.method == "POST":
        answers, errors = decode_paper(questions, request.POST)
        mode, mode_errors = _filled_by(
            request.POST, required=services.MODE_MISMATCH in sheet.mismatches)
        errors = {**mode_errors, **errors}
        if not errors:
            try:
                services.paper_sheet_resolve(sheet=sheet, answers=answers, user=request.user,
                                             mode=mode)
                messages.success(request, f"Анкета № {sheet.number} сверена и принята")
                return redirect("surveys:paper_entry", sheet.assessment_id)
            except ValidationError as exc:
                errors = {"number": "; ".join(exc.messages)}
    return render(request, "surveys/sheet_resolve.html", {
        "sheet": sheet, "assessment": sheet.assessment, "errors": errors,
        "cells": _resolve_cells(questions, sheet),
        "first_mismatch": "filled-by" if services.MODE_MISMATCH in sheet.mismatches else next(
            (q.key for q in questions if q.key in sheet.mismatches), ""),
        "mode_differs": services.MODE_MISMATCH in sheet.mismatches,
        "filled_first": FILLED_BY_DIGIT.get(sheet.mode, "1"),
        "filled_second": _second_filled_by(sheet),
    }, status=400 if errors else 200)


def _second_filled_by(sheet: PaperSheet) -> str:
    """The «Кто заполнил» digit of the second entry (the first one's unless they differ)."""
    first = FILLED_BY_DIGIT.get(sheet.mode, "1")
    if services.MODE_MISMATCH not in sheet.mismatches:
        return first
    return "2" if first == "1" else "1"


def _resolve_cells(questions: Sequence[Any], sheet: PaperSheet) -> list[tuple[Any, ...]]:
    """Per question: number, question, digit options, agreed digit, differs?, first, second."""
    cells = []
    for i, q in enumerate(questions, start=1):
        first = digit_of(q, sheet.first_answers.get(q.key, ""))
        second = digit_of(q, (sheet.second_answers or {}).get(q.key, ""))
        cells.append((i, q, paper_digit_options(q), first if first == second else "",
                      q.key in sheet.mismatches, first or "0", second or "0"))
    return cells


@login_required
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk, write=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                assessment=assessment, filename=upload.name, content=upload.read(), user=request.user,
                mode=form.cleaned_data["mode"], source=form.cleaned_data["source"],
            )
            return redirect("surveys:import_map", job.pk)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
    return render(request, "surveys/import_upload.html", {
        "assessment": assessment, "form": form, "sources": selectors.import_sources(),
    })


@login_required
def import_map(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_for_user(request.user, pk)
    if job.done_at is not None:  # its file is no longer kept
        messages.info(request, f"Файл «{job.filename}» уже загружен: анкет {job.imported}, "
                               f"уже были загружены {job.skipped}")
        return redirect("surveys:manage", job.assessment_id)
    try:
        rows = text_rows(job.filename, bytes(job.content))
    except TableError as exc:  # read at the upload; a rare second failure (the reader's limits)
        messages.error(request, str(exc))
        return redirect("surveys:import_upload", job.assessment_id)
    questions = questions_for(job.assessment)
    form = MappingForm(request.POST or None, header=rows[0], questions=questions,
                       initial_map=job.mapping)
    values: ValueMappingForm | None = None
    row_errors = []
    if request.method == "POST" and form.is_valid():
        values = _values_form(request, job, rows, form.mapping(), questions)
        if values.is_bound and values.is_valid():
            try:
                job = services.import_run(job=job, mapping=form.mapping(), user=request.user,
                                          values=values.value_map())
                messages.success(request, f"Загружено анкет: {job.imported}; уже были загружены: {job.skipped}")
                return redirect("surveys:manage", job.assessment_id)
            except services.ImportRowsError as exc:
                row_errors = exc.row_errors
            except ValidationError as exc:
                form.add_error(None, exc.messages)
    return render(request, "surveys/import_map.html", {
        "job": job, "assessment": job.assessment, "form": form,
        "columns": [(form[f"col_{i}"], "; ".join(r[i][:30] for r in rows[1:4] if r[i]))
                    for i in range(len(rows[0]))],
        "total_rows": len(rows) - 1, "row_errors": row_errors,
        "values": values if values is not None and values.groups else None,
    }, status=400 if (row_errors or form.errors or (values and values.errors)) else 200)


def _values_form(request: HttpRequest, job: ImportJob, rows: list[list[str]],
                 mapping: dict[int, str], questions: Sequence[Any]) -> ValueMappingForm:
    """The value step of an import: bound (ready to import) when the file has no unmatched
    value, or when the operator has answered every value shown; unbound (shown, pre-filled)
    the first time, and again when a changed column brought new values."""
    unmatched = unmatched_values(rows, mapping, questions)
    numbers = {q.key: i for i, q in enumerate(questions, start=1)}
    remembered = selectors.import_values_for(job)
    form = ValueMappingForm(request.POST, unmatched=unmatched, numbers=numbers,
                            remembered=remembered)
    if not unmatched or ("values_step" in request.POST and form.complete_in(request.POST)):
        return form
    if "values_step" in request.POST:
        messages.warning(request, "После изменения столбцов в файле появились другие значения: "
                                  "проверьте их сопоставление")
    return ValueMappingForm(unmatched=unmatched, numbers=numbers, remembered=remembered)
