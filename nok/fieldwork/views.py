"""The interviewers' pages and the operator's view of their progress.

Access: an interviewer sees only the organizations assigned to it (404 elsewhere) and is the
only one who records interviews (403 for everyone else); the operator, the ministry and the
public council read the progress per interviewer.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from nok.assessments.selectors import get_assessment_for_user, get_campaign_for_user
from nok.fieldwork import selectors, services
from nok.fieldwork.forms import (
    InterviewForm,
    mode_of,
    read_ticket,
    ticket_for,
    when_data,
    when_hint,
)
from nok.organizations.access import require_interviewer, require_sees_everything
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
    """Where an interviewer goes on after saving: the next interview of the same kind."""
    url = reverse("fieldwork:interview", args=[assessment_id])
    return f"{url}?mode=telephone" if mode == Mode.TELEPHONE else url


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The operator's view: interviews per interviewer and organization of the campaign."""
    require_sees_everything(request.user)
    campaign = get_campaign_for_user(request.user, pk)
    return render(request, "fieldwork/progress.html", {
        "campaign": campaign, "interviewers": selectors.interviewer_progress(campaign),
    })
