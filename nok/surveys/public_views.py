"""The public questionnaire at /q/<code>/: no login, one question per screen.

Works without JavaScript (a plain POST per screen, redirect after each). Progress lives in a
server-side draft found by a random token in a cookie, so a reload or a closed tab loses
nothing. With JavaScript (survey.js) the question screens follow one another in the browser
from the questions the first screen carries (``_screens``): the answers are kept on the device
and reach the draft in one request before the review, or as the page is left — a
questionnaire then costs the server a handful of requests instead of two per question.
Display preferences (large print, high contrast) come from ``?large=1`` / ``?contrast=1`` and
are remembered in cookies.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from nok.assessments.models import Assessment
from nok.surveys import selectors, services
from nok.surveys.clients import request_client_address
from nok.surveys.models import Draft
from nok.surveys.questionnaire import (
    asked_questions,
    is_asked,
    missing_required,
    next_question,
    options_of,
    previous_question,
    progress,
    questions_for,
)

DRAFT_COOKIE = "nok_survey_{code}"
DRAFT_MAX_AGE = 60 * 60 * 24 * 30
PREFS = {"large": "nok_large", "contrast": "nok_contrast"}
PREF_MAX_AGE = 60 * 60 * 24 * 365


def _prefs(request: HttpRequest) -> dict[str, bool]:
    prefs = {}
    for name, cookie in PREFS.items():
        raw = request.GET.get(name, request.COOKIES.get(cookie, "0"))
        prefs[name] = raw == "1"
    return prefs


def _page(
    request: HttpRequest, assessment: Assessment, template: str, context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    prefs = _prefs(request)
    body = " ".join(["survey", *(name for name, on in prefs.items() if on)])
    response = render(
        request, f"surveys/public/{template}",
        {"assessment": assessment, "code": assessment.survey_code, "prefs": prefs,
         "survey_body_class": body, **context},
        status=status,
    )
    for name, cookie in PREFS.items():
        if name in request.GET:
            response.set_cookie(cookie, "1" if prefs[name] else "0", max_age=PREF_MAX_AGE,
                                samesite="Lax")
    response["Cache-Control"] = "no-store"
    return response


def _closed_message(assessment: Assessment) -> str:
    """'' when the survey is open; otherwise why it is not, in Russian."""
    campaign = assessment.campaign
    if campaign.status != "fieldwork":
        return "Сбор анкет по этой организации завершён. Спасибо за интерес к опросу."
    today = timezone.localdate()
    if campaign.period_start <= today <= campaign.period_end:
        return ""  # open: the usual case, on every screen
    period = f"с {campaign.period_start:%d.%m.%Y} по {campaign.period_end:%d.%m.%Y}"
    if today < campaign.period_start:
        return f"Опрос ещё не начался. Анкету можно будет заполнить {period}."
    return f"Опрос завершён: анкеты принимались {period}. Спасибо за интерес к опросу."


def _closed(request: HttpRequest, assessment: Assessment) -> HttpResponse | None:
    message = _closed_message(assessment)
    if not message:
        return None
    # Answers sent after the survey closed (a draft left open meanwhile) are not stored: say so
    # (sent from the screen, or by its script, which then shows this page with ?refused=1).
    refused = request.method == "POST" or request.GET.get("refused") == "1"
    return _page(request, assessment, "closed.html", {"message": message, "refused": refused})


def _cookie(code: str) -> str:
    return DRAFT_COOKIE.format(code=code)


def _survey(request: HttpRequest, code: str) -> tuple[Assessment, Draft | None]:
    """The survey and the respondent's draft (None: no cookie, or not a draft of this survey).

    One query on every screen: the draft with its survey (``selectors.draft_by_token``); the
    survey alone is read only when the browser brings no draft of it."""
    draft = selectors.draft_by_token(code, request.COOKIES.get(_cookie(code)))
    if draft is None:
        return selectors.assessment_by_code(code), None
    return draft.assessment, draft


def _resume_target(assessment: Assessment, draft: Draft) -> str:
    """The first asked question without an answer, else the review screen."""
    code = assessment.survey_code
    for question in asked_questions(questions_for(assessment), draft.answers):
        if question.key not in draft.answers:
            return reverse("surveys:step", args=[code, question.key])
    return reverse("surveys:review", args=[code])


def form(request: HttpRequest, code: str) -> HttpResponse:
    """Start page: what the survey is, display settings, «Начать» or «Продолжить»."""
    assessment, draft = _survey(request, code)
    closed = _closed(request, assessment)
    if closed is not None:
        return closed
    if draft is not None and draft.submitted_at is not None:
        draft = None  # sent already: the next visitor (a shared tablet) starts a new one
    error = ""
    if request.method == "POST":
        try:
            if draft is not None and request.POST.get("action") == "restart":
                draft = services.draft_restart(draft=draft)
            elif draft is None:
                draft = services.draft_start(
                    assessment=assessment, client_id=request.POST.get("client_id") or uuid.uuid4()
                )
        except ValidationError:  # a client id that is no UUID: a damaged or forged page
            error = "Не удалось начать анкету: страница устарела или повреждена. Нажмите «Начать» ещё раз."
        else:
            response = redirect(_resume_target(assessment, draft))
            response.set_cookie(_cookie(code), draft.token, max_age=DRAFT_MAX_AGE, httponly=True,
                                samesite="Lax")
            return response
    questions = questions_for(assessment)
    return _page(request, assessment, "start.html", {
        "draft": draft, "client_id": uuid.uuid4(), "question_count": len(questions),
        "answered": len(draft.answers) if draft else 0, "error": error,
    }, status=400 if error else 200)


def _resumable(
    request: HttpRequest, code: str, found: tuple[Assessment, Draft | None] | None = None
) -> tuple[Assessment, Draft] | HttpResponse:
    """The open survey and the respondent's draft, or the page to show instead (closed
    survey; no draft yet: back to the start page; draft already sent: «уже получена»)."""
    assessment, draft = found or _survey(request, code)
    closed = _closed(request, assessment)
    if closed is not None:
        return closed
    if draft is None:
        return redirect("surveys:form", code)
    if draft.submitted_at is not None:
        return _already(code)
    return assessment, draft


ANOTHER_QUESTIONNAIRE = ("Ответ не сохранён: в этом браузере анкета начата заново (например, в "
                         "другой вкладке). Ответьте, пожалуйста, на вопрос ещё раз.")


def _another_questionnaire(request: HttpRequest, draft: Draft) -> bool:
    """The page sent answers of an earlier questionnaire of this browser (a tab left open
    while «Начать заново» began another): they must not land in the new one."""
    posted = request.POST.get("client_id")
    return bool(posted) and posted != str(draft.client_id)


def _already(code: str) -> HttpResponse:
    return redirect(reverse("surveys:thanks", args=[code]) + "?already=1")


def step(request: HttpRequest, code: str, key: str) -> HttpResponse:
    found = _resumable(request, code)
    if isinstance(found, HttpResponse):
        return found
    assessment, draft = found
    questions = questions_for(assessment)
    question = next((q for q in questions if q.key == key), None)
    if question is None or not is_asked(question, draft.answers):
        return redirect(_resume_target(assessment, draft))
    error = ""
    if request.method == "POST":
        value = request.POST.get("answer", "")
        back = request.POST.get("action") == "back"
        if _another_questionnaire(request, draft):
            error, back = ANOTHER_QUESTIONNAIRE, False  # stay on this screen and say why
        else:
            try:
                if value or not back:
                    draft = services.draft_answer(draft=draft, question=key, value=value)
            except ValidationError as exc:
                error = "; ".join(exc.messages)
        if back:
            previous = previous_question(questions, draft.answers, key)
            if previous is None:
                return redirect("surveys:form", code)
            return redirect("surveys:step", code, previous.key)
        if not error and question.required and not draft.answers.get(key):
            error = "Пожалуйста, выберите один из вариантов ответа, чтобы перейти дальше."
        if not error and request.GET.get("return") == "review":
            # «Изменить» from the review: back to it, through any question the change opened.
            missing = missing_required(questions, draft.answers)
            if not missing:
                return redirect("surveys:review", code)
            return redirect(reverse("surveys:step", args=[code, missing[0].key]) + "?return=review")
        if not error:
            following = next_question(questions, draft.answers, key)
            if following is None:
                return redirect("surveys:review", code)
            return redirect("surveys:step", code, following.key)
    number, total = progress(questions, draft.answers, key)
    to_review = request.GET.get("return") == "review"
    return _page(request, assessment, "step.html", {
        "draft": draft, "question": question, "options": options_of(question),
        "selected": draft.answers.get(key, ""), "number": number,
        "total": total, "error": error,
        "has_previous": previous_question(questions, draft.answers, key) is not None,
        "to_review": to_review, "screens": _screens(assessment, draft, questions, key, to_review),
    }, status=400 if error else 200)


def _screens(
    assessment: Assessment, draft: Draft, questions: tuple[Any, ...], key: str, to_review: bool
) -> dict[str, Any]:
    """What survey.js needs to show the following screens in the browser, without a request
    each: the questions (text, options, filters), the answers so far and where to send them.
    The answers go to the draft in one request before the review (and as the page is left)."""
    code = assessment.survey_code
    return {
        "questions": [
            {"key": q.key, "text": q.text, "type": q.type, "required": bool(q.required),
             "when": q.when or {}, "options": options_of(q)}
            for q in questions
        ],
        "answers": draft.answers, "current": key, "to_review": to_review,
        "client": str(draft.client_id), "code": code,
        "step": reverse("surveys:step", args=[code, "KEY"]),
        "review": reverse("surveys:review", args=[code]),
        "start": reverse("surveys:form", args=[code]),
        "save": reverse("surveys:autosave", args=[code]),
    }


def review(request: HttpRequest, code: str) -> HttpResponse:
    found = _resumable(request, code)
    if isinstance(found, HttpResponse):
        return found
    assessment, draft = found
    questions = questions_for(assessment)
    rows = [
        (q, dict(options_of(q)).get(draft.answers.get(q.key, ""), draft.answers.get(q.key, "")))
        for q in asked_questions(questions, draft.answers)
    ]
    return _page(request, assessment, "review.html", {
        "draft": draft, "rows": rows, "missing": missing_required(questions, draft.answers),
    })


@require_POST
def submit(request: HttpRequest, code: str) -> HttpResponse:
    """Store the questionnaire; a retry with the same client id answers «уже получена»."""
    assessment, draft = _survey(request, code)
    posted = request.POST.get("client_id")
    # The draft's own id has no response while the draft is unsent (draft_submit stores both
    # at once): the lookup is only for another id (a page of an earlier questionnaire).
    if draft is None or draft.submitted_at is not None or posted != str(draft.client_id):
        stored = selectors.response_by_client_id(posted)
        if stored is not None and stored.assessment_id == assessment.pk:
            return _already(code)
    found = _resumable(request, code, (assessment, draft))
    if isinstance(found, HttpResponse):
        return found
    assessment, draft = found
    missing = missing_required(questions_for(assessment), draft.answers)
    if missing:
        return redirect("surveys:step", code, missing[0].key)
    address = request_client_address(request)
    _, created = services.draft_submit(
        draft=draft, client_hash=services.client_hash_of(address, request.headers.get("User-Agent", "")),
        address_hash=services.address_hash_of(address),
    )
    # Committed: only now is the respondent told the questionnaire is received. The cookie
    # stays: Back or a retry from this browser then meets «уже получена», not a new form.
    return redirect("surveys:thanks", code) if created else _already(code)


def thanks(request: HttpRequest, code: str) -> HttpResponse:
    assessment = selectors.assessment_by_code(code)
    return _page(request, assessment, "thanks.html", {"already": request.GET.get("already") == "1"})


def _posted_answers(request: HttpRequest) -> dict[str, str]:
    """The answers a save sends: ``answers``, a JSON object of question key -> answer (all
    the browser kept since its last save), or one ``question`` and its ``answer``."""
    raw = request.POST.get("answers")
    if raw is None:
        return {request.POST.get("question", ""): request.POST.get("answer", "")}
    try:
        answers = json.loads(raw)
    except ValueError:
        answers = None
    if not isinstance(answers, dict) or not all(isinstance(v, str) for v in answers.values()):
        raise ValidationError({"answers": "Ответы не сохранены: страница устарела или повреждена, "
                                          "откройте анкету ещё раз"})
    return answers


@require_POST
def autosave(request: HttpRequest, code: str) -> HttpResponse:
    """Answers saved without leaving the screen: the ones the browser kept while the
    respondent went from question to question (sent before the review, and as the page is
    left), or one choice. A closed tab then loses nothing."""
    assessment, draft = _survey(request, code)
    if (draft is None or draft.submitted_at is not None or _closed_message(assessment)
            or _another_questionnaire(request, draft)):
        return JsonResponse({"saved": False, "error": "Ответ не сохранён: анкета уже отправлена, "
                             "начата заново, не начата или опрос закрыт"}, status=409)
    try:
        services.draft_answers(draft=draft, answers=_posted_answers(request))
    except ValidationError as exc:
        return JsonResponse({"saved": False, "error": "; ".join(exc.messages)}, status=400)
    except OperationalError:
        # SQLite busy with another write of the same draft: the browser keeps the answers and
        # sends them again.
        return JsonResponse({"saved": False, "error": "Ответы не сохранены: повторите, пожалуйста"},
                            status=503)
    return JsonResponse({"saved": True})
