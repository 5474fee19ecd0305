"""The interviewers' pages, the call lists and the operator's view of the interviewers.

Access: an interviewer sees only the organizations assigned to it (404 elsewhere) and is the
only one who records interviews and calls numbers (403 for everyone else); the operator, the
ministry and the public council read the progress per interviewer. A call list is uploaded by
the organization itself or the operator; everyone who sees the organization sees the list in
counts, only its interviewers see numbers, one at a time, while calling it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext

from nok.assessments.models import Assessment
from nok.assessments.selectors import get_assessment_for_user, get_campaign_for_user
from nok.fieldwork import selectors, services
from nok.fieldwork.forms import (
    AttemptLimitForm,
    CallListUploadForm,
    InterviewForm,
    mode_of,
    read_ticket,
    ticket_for,
    when_data,
    when_hint,
)
from nok.fieldwork.models import CallOutcome
from nok.fieldwork.phones import format_phone
from nok.organizations.access import (
    is_operator,
    own_organization_id,
    require_interviewer,
    require_operator,
    require_sees_everything,
)
from nok.surveys.models import Mode
from nok.surveys.questionnaire import questions_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The interviewer's organizations in campaigns collecting data, with its own counts."""
    require_interviewer(request.user)
    assessments = list(selectors.interviewer_assessments(request.user))
    counts = selectors.own_interview_counts(request.user, [a.pk for a in assessments])
    return render(request, "fieldwork/home.html", {
        "rows": [(a, counts[a.pk]) for a in assessments],
    })


@login_required
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    """One interview on one screen, read aloud as written; «Сохранить» stores it once."""
    assessment = get_assessment_for_user(request.user, pk)
    require_interviewer(request.user)
    questions = questions_for(assessment)
    form = InterviewForm(request.POST or None, questions=questions)
    mode = mode_of(request.GET.get("mode"))
    ticket = request.POST.get("ticket", "") if request.method == "POST" else ticket_for(pk, mode)
    error = ""
    if request.method == "POST":
        issued = read_ticket(ticket, assessment.pk)
        mode = issued[1] if issued is not None else mode
        if issued is None:
            error = "Страница интервью устарела: ответы не сохранены. Откройте новое интервью."
        elif form.is_valid():
            client_id, mode, started_at = issued
            try:
                _, created = services.interview_record(
                    assessment=assessment, interviewer=request.user, answers=form.answers(),
                    mode=mode, client_id=client_id, started_at=started_at,
                )
            except ValidationError as exc:
                error = "; ".join(exc.messages)
            else:
                messages.success(request, "Интервью сохранено" if created else
                                 "Это интервью уже было сохранено — повтор не учтён")
                return redirect(_after(assessment.pk, mode))
    return render(request, "fieldwork/interview.html", {
        "assessment": assessment, "form": form, "ticket": ticket, "error": error,
        "mode": mode, "telephone": mode == Mode.TELEPHONE,
        "fields": [(q, form[f"q_{q.key}"], when_hint(q, questions), when_data(q))
                   for q in questions],
    }, status=400 if error or form.errors else 200)


def _after(assessment_id: int, mode: str) -> str:
    """Where an interviewer goes on after saving: the next interview, or back to the call list
    for the next number."""
    if mode == Mode.TELEPHONE:
        return reverse("fieldwork:calls", args=[assessment_id])
    return reverse("fieldwork:interview", args=[assessment_id])


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The operator's view: interviews per interviewer and organization of the campaign."""
    require_sees_everything(request.user)
    campaign = get_campaign_for_user(request.user, pk)
    return render(request, "fieldwork/progress.html", {
        "campaign": campaign, "interviewers": selectors.interviewer_progress(campaign),
    })


def _may_upload(user: object, assessment: Assessment) -> bool:
    return is_operator(user) or own_organization_id(user) == assessment.organization_id  # type: ignore[arg-type]


@login_required
def call_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The organization's call list in counts; its upload (the organization or the operator)
    and the attempt limit (the operator)."""
    assessment = get_assessment_for_user(request.user, pk)
    summary = selectors.call_summary(assessment)
    page: dict[str, Any] = {
        "form": CallListUploadForm(), "row_errors": [],
        "limit_form": AttemptLimitForm(initial={"attempt_limit": summary.attempt_limit}),
    }
    if request.method == "POST":
        write = _limit if request.POST.get("action") == "limit" else _upload
        if write(request, assessment, page):
            return redirect("fieldwork:call_list", pk)
    failed = page["row_errors"] or page["form"].errors or page["limit_form"].errors
    return render(request, "fieldwork/call_list.html", {
        **page, "assessment": assessment, "summary": summary,
        "can_upload": _may_upload(request.user, assessment) and assessment.campaign.collecting,
        "can_limit": is_operator(request.user) and assessment.campaign.collecting,
    }, status=400 if failed else 200)


def _upload(request: HttpRequest, assessment: Assessment, page: dict[str, Any]) -> bool:
    if not _may_upload(request.user, assessment):
        raise PermissionDenied("Список загружает сама организация или оператор")
    form = page["form"] = CallListUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return False
    upload = form.cleaned_data["file"]
    try:
        summary = services.call_list_upload(assessment=assessment, filename=upload.name,
                                            content=upload.read(), user=request.user)
    except services.CallListRowsError as exc:
        page["row_errors"] = exc.row_errors
        return False
    except ValidationError as exc:
        form.add_error("file", exc.messages)
        return False
    messages.success(request, _upload_text(summary))
    return True


def _limit(request: HttpRequest, assessment: Assessment, page: dict[str, Any]) -> bool:
    require_operator(request.user)
    form = page["limit_form"] = AttemptLimitForm(request.POST)
    if not form.is_valid():
        return False
    try:
        services.call_list_limit_set(assessment=assessment, user=request.user,
                                     attempt_limit=form.cleaned_data["attempt_limit"])
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return False
    messages.success(request, "Число попыток сохранено")
    return True


def _upload_text(summary: services.UploadSummary) -> str:
    text = ngettext("Список загружен: добавлен %(n)d номер", "Список загружен: добавлено %(n)d номеров",
                    summary.added) % {"n": summary.added}
    if summary.known:
        text += ngettext("; %(n)d номер уже был в списке", "; %(n)d номеров уже были в списке",
                         summary.known) % {"n": summary.known}
    if summary.repeated:
        text += ngettext("; %(n)d повтор в файле не учтён", "; %(n)d повторов в файле не учтено",
                         summary.repeated) % {"n": summary.repeated}
    return text + ngettext(". В списке %(n)d номер.", ". В списке %(n)d номеров.",
                           summary.total) % {"n": summary.total}


@login_required
def calls(request: HttpRequest, pk: int) -> HttpResponse:
    """The interviewer works through the list: takes the next number (random order), calls
    it, records the outcome; «опрос проведён» opens the telephone interview (which carries no
    trace of the number)."""
    assessment = get_assessment_for_user(request.user, pk)
    require_interviewer(request.user)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "next":
                if services.call_claim(assessment=assessment, interviewer=request.user) is None:
                    messages.info(request, "Номеров для звонка не осталось")
            else:
                entry = selectors.entry_for_interviewer(
                    assessment, request.user, _int(request.POST.get("entry")))
                if entry is None:
                    raise ValidationError("Этот номер сейчас не закреплён за вами: возьмите "
                                          "следующий номер")
                outcome = request.POST.get("outcome", "")
                services.call_outcome_record(entry=entry, interviewer=request.user,
                                             outcome=outcome)
                if outcome == CallOutcome.COMPLETED:
                    return redirect(reverse("fieldwork:interview", args=[pk]) + "?mode=telephone")
                messages.success(request, f"Итог звонка записан: {CallOutcome(outcome).label}")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        return redirect("fieldwork:calls", pk)
    held = selectors.held_entry(assessment, request.user)
    return render(request, "fieldwork/calls.html", {
        "assessment": assessment, "summary": selectors.call_summary(assessment), "held": held,
        "phone": format_phone(held.phone) if held else "", "dial": held.phone if held else "",
        "outcomes": CallOutcome.choices,
    })


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0
