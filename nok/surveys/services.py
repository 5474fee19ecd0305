"""Every write of the survey part: responses (online, paper, import), drafts, flags, reviews.

A response is stored once per client-generated id (``client_id``, unique in the database):
a retry returns the stored response instead of a second one. Writes are atomic, and the
caller acknowledges a submission only after the service returned (the transaction committed).
Every write of survey data passes ``fieldwork_guard`` first (nothing is accepted once the
campaign leaves fieldwork) and keeps the survey counters (``nok.surveys.tallies``) exact in
the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, JSONField, OuterRef
from django.db.models.expressions import RawSQL
from django.utils import timezone

from nok.assessments.models import Assessment, CampaignStatus
from nok.assessments.services import fieldwork_guard, fieldwork_write
from nok.core.services import AuditScope, audit_record
from nok.core.tabular import TableError
from nok.organizations.models import InterviewerAssignment
from nok.surveys import imports, quality
from nok.surveys.models import (
    DEFAULT_MODE,
    INTERVIEWER_MODES,
    AnswerCount,
    Channel,
    Draft,
    Flag,
    ImportJob,
    ImportValueMap,
    Mode,
    PaperSheet,
    Response,
    ResponseStatus,
    SheetStatus,
)
from nok.surveys.questionnaire import TEXT_MAX, clean_answers, options_of, questions_for
from nok.surveys.tallies import Counted, counted, tally_add, tally_move

# Namespace of the deterministic client ids of paper sheets and imported rows.
SURVEY_NAMESPACE = uuid.UUID("6f1d8c62-3c55-4c0e-9a43-3b0c2f0d7a11")
# Channels checked for bursts, repeats, speed and period (paper is typed by the operator);
# which checks apply depends on the mode (``nok.surveys.quality``).
CHECKED_CHANNELS = (Channel.ONLINE, Channel.IMPORT, Channel.INTERVIEWER)


def client_hash_of(ip: str, user_agent: str) -> str:
    """Salted SHA-256 of the client's address and browser; the raw IP is never stored."""
    raw = f"{settings.SURVEY_SALT}|{ip}|{user_agent}".encode()
    return hashlib.sha256(raw).hexdigest()


def address_hash_of(ip: str) -> str:
    """Salted SHA-256 of the client's address alone (see ``Response.address_hash``)."""
    return hashlib.sha256(f"{settings.SURVEY_SALT}|address|{ip}".encode()).hexdigest()


def vector_hash_of(answers: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(answers.items()), ensure_ascii=False).encode()).hexdigest()


def _as_uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise ValidationError({"client_id": "Неверный идентификатор отправки анкеты"}) from exc


def _campaign_scope(assessment: Assessment) -> AuditScope:
    return {"organization_id": assessment.organization_id, "campaign_id": assessment.campaign_id}


def _mode_of(channel: str, mode: str | None, interviewer: Any) -> str:
    """The survey mode of a new response: as given, else the one its channel implies; an
    interviewer is named only on interviews, and what an interviewer enters is one."""
    if channel not in Channel.values:
        raise ValidationError({"channel": f"Неизвестный канал «{channel}»"})
    mode = mode or DEFAULT_MODE[Channel(channel)]
    if mode not in Mode.values:
        raise ValidationError({"mode": f"Неизвестная форма опроса «{mode}»"})
    if interviewer is not None and mode not in INTERVIEWER_MODES:
        raise ValidationError({"mode": "Интервьюер указывается только для интервью и "
                                       "телефонного опроса"})
    if channel == Channel.INTERVIEWER and (interviewer is None or mode not in INTERVIEWER_MODES):
        raise ValidationError({"mode": "Интервью записывает интервьюер: укажите его и форму "
                                       "опроса (интервью или телефонный опрос)"})
    return mode


@fieldwork_write
@transaction.atomic
def response_record(
    *,
    assessment: Assessment,
    answers: Mapping[str, Any],
    channel: str,
    client_id: uuid.UUID | str,
    started_at: datetime | None = None,
    submitted_at: datetime | None = None,
    client_hash: str = "",
    address_hash: str = "",
    user: Any = None,
    source_ref: str = "",
    check: bool = True,
    mode: str | None = None,
    interviewer: Any = None,
) -> tuple[Response, bool]:
    """Store a response unless its ``client_id`` is known; returns (response, created).

    Answers to questions whose ``when`` filter is not met are dropped (not asked, not stored);
    blank answers mean «не отвечал». ``check=False`` skips the quality check (bulk callers run
    ``flags_apply`` once at the end). ``mode`` defaults to the one the channel implies
    (``DEFAULT_MODE``); ``interviewer`` is the user who asked (interview modes only).
    """
    mode = _mode_of(channel, mode, interviewer)
    cid = _as_uuid(client_id)
    existing = Response.objects.filter(client_id=cid).first()
    if existing is not None:
        if existing.assessment_id != assessment.pk:
            raise ValidationError({"client_id": "Эта анкета уже получена для другой организации"})
        return existing, False
    fieldwork_guard(assessment.pk)
    questions = questions_for(assessment)
    cleaned = clean_answers(questions, answers)
    if cleaned.errors:
        raise ValidationError({"answers": "; ".join(cleaned.errors.values())})
    if not cleaned.answers:
        raise ValidationError({"answers": "Анкета пуста: нет ни одного ответа"})
    response = _build_response(
        assessment=assessment, answers=cleaned.answers, text_keys=_text_keys(questions),
        channel=channel, client_id=cid, started_at=started_at,
        submitted_at=submitted_at or timezone.now(), client_hash=client_hash,
        source_ref=source_ref, address_hash=address_hash, mode=mode, interviewer=interviewer,
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        # A concurrent retry of the same submission won the race: answer with its response.
        return Response.objects.get(client_id=cid), False
    tally_add([_counted(response)])
    if check and channel in CHECKED_CHANNELS:
        _, moved = _flags_add(assessment, response.submitted_at)  # guarded above
        if response.pk in moved:
            response.status = ResponseStatus.FLAGGED
    if user is not None and channel != Channel.ONLINE:
        audit_record(
            user=user, action="create", obj=response,
            after={"channel": channel, "mode": mode,
                   **without_free_text(cleaned.answers, questions)},
            **_campaign_scope(assessment),
        )
    return response, True


FREE_TEXT_MARK = "(текст ответа не записывается в журнал)"


def without_free_text(answers: Mapping[str, str], questions: Sequence[Any]) -> dict[str, str]:
    """Answers as the audit journal keeps them: option keys; a free-text answer (it may name
    people or tell private things) only as a mark that there was one."""
    text_keys = _text_keys(questions)
    return {key: FREE_TEXT_MARK if key in text_keys else value for key, value in answers.items()}


def _build_response(
    *, assessment: Assessment, answers: Mapping[str, str], text_keys: frozenset[str],
    channel: str, client_id: uuid.UUID, started_at: datetime | None, submitted_at: datetime,
    client_hash: str, source_ref: str, address_hash: str = "", mode: str = "",
    interviewer: Any = None,
) -> Response:
    """An unsaved, validated response for already cleaned answers, the free-text ones among
    them (``text_keys``) kept apart (``mode`` checked by ``_mode_of``; empty: the
    channel's)."""
    duration = None
    if started_at is not None:
        duration = max(0, int((submitted_at - started_at).total_seconds()))
    response = Response(
        assessment=assessment, client_id=client_id, channel=channel,
        mode=mode or DEFAULT_MODE[Channel(channel)], interviewer=interviewer,
        started_at=started_at,
        submitted_at=submitted_at, duration_seconds=duration, client_hash=client_hash,
        address_hash=address_hash,
        vector_hash=vector_hash_of(answers), source_ref=source_ref[:200],
        answers={key: "" if key in text_keys else value for key, value in answers.items()},
        texts={key: value for key, value in answers.items() if key in text_keys},
    )
    # The assessment is a loaded row and the status check constraint repeats the field's
    # choices: skipping their per-row queries keeps bulk imports fast. Uniqueness of client_id
    # is left to the database (callers look it up first and handle the IntegrityError).
    response.full_clean(exclude=["assessment"], validate_unique=False, validate_constraints=False)
    return response


def _counted(response: Response) -> Counted:
    return Counted(response.assessment_id, response.status, response.channel, response.mode,
                   response.answers)


def _text_keys(questions: Sequence[Any]) -> frozenset[str]:
    return frozenset(q.key for q in questions if q.type == "text")


@fieldwork_write
def response_create(
    *,
    assessment: Assessment,
    answers: dict[str, str],
    channel: str,
    client_id: uuid.UUID | str,
    started_at: datetime | None = None,
    submitted_at: datetime | None = None,
    client_hash: str = "",
    user: Any = None,
    mode: str | None = None,
    interviewer: Any = None,
) -> Response:
    """Contract form of ``response_record``: idempotent on ``client_id``."""
    response, _ = response_record(
        assessment=assessment, answers=answers, channel=channel, client_id=client_id,
        started_at=started_at, submitted_at=submitted_at, client_hash=client_hash, user=user,
        mode=mode, interviewer=interviewer,
    )
    return response


# --- quality flags -----------------------------------------------------------------------


def _rows(assessment: Assessment, around: datetime | None) -> list[quality.Row]:
    qs = Response.objects.filter(assessment=assessment, channel__in=CHECKED_CHANNELS)
    if around is not None:
        span = quality.WIDEST_WINDOW
        qs = qs.filter(submitted_at__gte=around - span, submitted_at__lte=around + span)
    # Whether the interviewer (if any) is assigned the organization, as of this check.
    assigned = Exists(InterviewerAssignment.objects.filter(
        interviewer_id=OuterRef("interviewer_id"), organization_id=assessment.organization_id))
    values = qs.annotate(asked=AnswerCount("answers"), assigned=assigned).values_list(
        "id", "submitted_at", "client_hash", "vector_hash", "duration_seconds", "asked",
        "address_hash", "mode", "interviewer_id", "assigned",
    )
    return [quality.Row(*row) for row in values]


def _period(assessment: Assessment) -> tuple[Any, Any]:
    campaign = assessment.campaign
    return campaign.period_start, campaign.period_end


@fieldwork_write
@transaction.atomic
def flags_apply(*, assessment: Assessment, around: datetime | None = None) -> int:
    """Add the flags found (around a moment, or over the whole assessment); returns new flags.

    Only unreviewed ("ok") responses change status to "flagged"; a reviewed response keeps
    the operator's decision.
    """
    fieldwork_guard(assessment.pk)
    added, _ = _flags_add(assessment, around)
    return added


def _flags_add(assessment: Assessment, around: datetime | None) -> tuple[int, list[int]]:
    """``flags_apply`` inside a write that has passed the fieldwork guard already: the new
    flags' count and the responses moved to "flagged"."""
    found = quality.detect(_rows(assessment, around), period=_period(assessment))
    if not found:
        return 0, []
    existing = set(
        Flag.objects.filter(response_id__in=found).values_list("response_id", "kind")
    )
    new = [
        Flag(response_id=rid, kind=kind, detail=detail)
        for rid, kinds in found.items()
        for kind, detail in kinds.items()
        if (rid, kind) not in existing
    ]
    Flag.objects.bulk_create(new)
    moved = _set_status(Response.objects.filter(pk__in=found, status=ResponseStatus.OK),
                        ResponseStatus.FLAGGED)
    return len(new), moved


def _set_status(responses: Any, status: str) -> list[int]:
    """Move these responses to ``status``, counters included; returns the ones moved."""
    ids = list(responses.values_list("pk", flat=True))
    if not ids:
        return []
    before = counted(ids)
    Response.objects.filter(pk__in=ids).update(status=status)
    tally_move(before, status)
    return ids


@fieldwork_write
@transaction.atomic
def flags_recompute(*, assessment: Assessment, user: Any = None) -> dict[str, int]:
    """Re-run every check over the assessment (after a threshold change or an import).

    Flags no longer supported are removed from unreviewed responses, which return to "ok";
    reviewed responses keep their status and flags.
    """
    fieldwork_guard(assessment.pk)
    found = quality.detect(_rows(assessment, None), period=_period(assessment))
    unreviewed = Response.objects.filter(
        assessment=assessment, status__in=[ResponseStatus.OK, ResponseStatus.FLAGGED]
    )
    stale = Flag.objects.filter(response__in=unreviewed).exclude(response_id__in=found)
    removed = stale.count()
    stale.delete()
    added, _ = _flags_add(assessment, None)
    _set_status(unreviewed.filter(status=ResponseStatus.FLAGGED).exclude(pk__in=found),
                ResponseStatus.OK)
    flagged = unreviewed.filter(status=ResponseStatus.FLAGGED).count()
    summary = {"added": added, "removed": removed, "flagged": flagged}
    audit_record(user=user, action="flags", obj=assessment, after=summary,
                 **_campaign_scope(assessment))
    return summary


@fieldwork_write
@transaction.atomic
def response_review(*, response: Response, decision: str, reason: str, user: Any) -> Response:
    """The operator accepts or rejects a response (never deletes it); a reason is required."""
    reason = _review_checked(decision, reason)
    fieldwork_guard(response.assessment_id)
    response = Response.objects.get(pk=response.pk)
    before = {"status": response.status, "review_reason": response.review_reason}
    counted_before = counted([response.pk])
    response.status = decision
    response.review_reason = reason
    response.reviewed_by = user
    response.reviewed_at = timezone.now()
    response.full_clean(validate_unique=False)
    response.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at",
                                 "updated_at"])
    tally_move(counted_before, response.status)
    audit_record(
        user=user, action="update", obj=response, before=before,
        after={"status": response.status, "review_reason": reason},
        **_campaign_scope(response.assessment),
    )
    return response



REVIEW_BULK_MAX = 200  # responses per bulk decision (a page of the review holds 25)


def _review_checked(decision: str, reason: str) -> str:
    if decision not in {ResponseStatus.ACCEPTED, ResponseStatus.REJECTED}:
        raise ValidationError({"decision": "Решение: принять или отклонить"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Укажите основание решения"})
    return reason


@dataclass(frozen=True)
class BulkReview:
    decided: int  # responses that received the decision
    already: int  # selected responses someone had decided meanwhile (left as they were)


@fieldwork_write
@transaction.atomic
def responses_review(
    *, campaign: Any, response_ids: Sequence[int], decision: str, reason: str, user: Any,
) -> BulkReview:
    """One decision with one reason for many flagged responses of a campaign, in one
    transaction: each response moves exactly as ``response_review`` moves it (status, who,
    when, counters) and gets its own entry in the audit journal.

    Responses decided meanwhile (by another operator, or on another tab) keep their decision
    and are counted in ``already``; an id outside the campaign refuses the whole decision.
    """
    reason = _review_checked(decision, reason)
    ids = sorted({int(i) for i in response_ids})
    if not ids:
        raise ValidationError({"response": "Отметьте хотя бы одну анкету"})
    if len(ids) > REVIEW_BULK_MAX:
        raise ValidationError({"response": f"За один раз — не более {REVIEW_BULK_MAX} анкет "
                                           f"(отмечено {len(ids)})"})
    of_campaign = dict(Response.objects.filter(pk__in=ids, assessment__campaign=campaign)
                       .values_list("pk", "assessment_id"))
    if len(of_campaign) != len(ids):
        raise ValidationError({"response": "Некоторые отмеченные анкеты не относятся к этой "
                                           "кампании: обновите страницу"})
    for assessment_id in sorted(set(of_campaign.values())):  # in key order: no deadlocks
        fieldwork_guard(assessment_id)
    # Read after the guards: their locks hold back any other decision on these assessments.
    waiting = list(Response.objects.filter(pk__in=ids, status=ResponseStatus.FLAGGED)
                   .select_related("assessment").order_by("pk"))
    if waiting:
        before = counted([r.pk for r in waiting])
        now = timezone.now()
        Response.objects.filter(pk__in=[r.pk for r in waiting]).update(
            status=decision, review_reason=reason, reviewed_by=user, reviewed_at=now,
            updated_at=now)
        tally_move(before, decision)
    for response in waiting:
        audit_record(
            user=user, action="update", obj=response,
            before={"status": response.status, "review_reason": response.review_reason},
            after={"status": decision, "review_reason": reason},
            **_campaign_scope(response.assessment),
        )
    return BulkReview(decided=len(waiting), already=len(ids) - len(waiting))


# --- online drafts -----------------------------------------------------------------------


@fieldwork_write
@transaction.atomic
def draft_start(*, assessment: Assessment, client_id: uuid.UUID | str) -> Draft:
    """A new draft for the client id served with the start page.

    The client id is no key to a draft: it travels in the pages' HTML, only the token (an
    HttpOnly cookie) opens a draft. An id already taken by another draft or response (a
    double click on «Начать», or someone else's id sent on purpose) gets a fresh one instead.
    """
    fieldwork_guard(assessment.pk, mark=False)
    cid = _as_uuid(client_id)
    if Draft.objects.filter(client_id=cid).exists() or Response.objects.filter(client_id=cid).exists():
        cid = uuid.uuid4()
    draft = Draft(
        token=secrets.token_urlsafe(32), assessment=assessment, client_id=cid,
        answers={}, started_at=timezone.now(),
    )
    # The survey is a loaded row, the token 256 random bits and the client id checked just
    # above: the database's unique constraints stand guard without a query per field.
    draft.full_clean(exclude=["assessment"], validate_unique=False, validate_constraints=False)
    draft.save()
    return draft


@fieldwork_write
@transaction.atomic
def draft_restart(*, draft: Draft) -> Draft:
    """«Начать заново»: the unfinished draft is dropped and a new one, with a new client id,
    begins (a submitted draft stays: it answers a late retry of its submission)."""
    if draft.submitted_at is None:
        Draft.objects.filter(pk=draft.pk).delete()
    return draft_start(assessment=draft.assessment, client_id=uuid.uuid4())


def _survey_of(draft: Draft) -> Assessment:
    """The draft's survey: as the screen read it with the draft (campaign and methodology
    version loaded, the methodology's document not), else read here."""
    if Draft.assessment.is_cached(draft):
        return draft.assessment
    return (Assessment.objects.select_related("campaign__methodology")
            .defer("campaign__methodology__definition", "observed").get(pk=draft.assessment_id))


def _locked(draft: Draft) -> Draft:
    """The draft row re-read under a lock (its answers and whether it was sent): a second
    submission of the same draft waits here and then finds it sent."""
    locked = (Draft.objects.select_for_update()
              .only("client_id", "answers", "started_at", "submitted_at", "assessment_id")
              .get(pk=draft.pk))
    locked.assessment = _survey_of(draft)
    return locked


def _answers_with(changes: Mapping[str, str]) -> RawSQL:
    """The stored answers with the given ones set (a value) or removed (blank), as an
    expression the database evaluates on the row it updates: two tabs or a screen's answers
    racing the answers sent as the page is left each add theirs to the latest answers, none
    overwrites the other's, and no lock is held between a read and a write."""
    if connection.vendor == "postgresql":
        removed = [key for key, value in changes.items() if not value]
        kept = {key: value for key, value in changes.items() if value}
        return RawSQL("(answers - %s::text[]) || %s::jsonb", (removed, json.dumps(kept)),
                      output_field=JSONField())
    # SQLite: a JSON merge patch, where null removes a key.
    patch = {key: value or None for key, value in changes.items()}
    return RawSQL("json_patch(answers, %s)", (json.dumps(patch),), output_field=JSONField())


@fieldwork_write
def draft_answer(*, draft: Draft, question: str, value: str) -> Draft:
    """Save one answer (a screen's POST); blank clears it. See ``draft_answers``."""
    return draft_answers(draft=draft, answers={question: value})


def _checked_change(questions: Sequence[Any], question: str, value: str) -> str:
    """One answer as it is stored (an option key, or text), or a ValidationError naming it."""
    target = next((q for q in questions if q.key == question), None)
    if target is None:
        raise ValidationError({"question": f"Неизвестный вопрос «{question}»"})
    # A NUL character (pasted from somewhere) cannot be stored by PostgreSQL: it is dropped.
    value = (value or "").replace("\x00", "").strip()
    if target.type == "text" and len(value) > TEXT_MAX:
        raise ValidationError({"value": f"Ответ слишком длинный: не более {TEXT_MAX} знаков "
                                        f"(сейчас {len(value)}). Сократите, пожалуйста, текст."})
    if value:
        # The question seen without its filter, to validate this one answer in isolation.
        checked = clean_answers([replace(target, when=None)], {question: value})
        if checked.errors:
            raise ValidationError({"value": "Выберите один из вариантов ответа"})
        value = checked.answers[question]
    return value


@fieldwork_write
def draft_answers(*, draft: Draft, answers: Mapping[str, str]) -> Draft:
    """Save answers to the draft (a screen's POST, or the answers a browser kept while the
    respondent went from screen to screen); a blank one clears its question. Every answer is
    checked first: one that is not valid refuses them all.

    One UPDATE statement, atomic on its own (so no transaction around it): it merges the
    answers into the stored ones and matches only an unsent draft of a campaign in fieldwork —
    the fieldwork guard read afresh in the same statement. When it matches nothing, the
    reason is looked up to refuse with the right message. The returned draft holds the answers
    it was read with plus these."""
    questions = questions_for(_survey_of(draft))
    changes = {str(key): _checked_change(questions, str(key), str(value))
               for key, value in answers.items()}
    if not changes:
        return draft
    saved = Draft.objects.filter(
        pk=draft.pk, submitted_at__isnull=True,
        assessment__campaign__status=CampaignStatus.FIELDWORK,
    ).update(answers=_answers_with(changes), updated_at=timezone.now())
    if not saved:
        fieldwork_guard(draft.assessment_id, mark=False)  # raises when fieldwork is over
        if Draft.objects.filter(pk=draft.pk).exists():
            raise ValidationError({"question": "Эта анкета уже отправлена, изменить ответы нельзя"})
        raise ValidationError({"question": "Анкета начата заново (например, в другой вкладке): "
                                           "откройте её ещё раз, ответы нужно дать заново"})
    merged = dict(draft.answers)
    for key, value in changes.items():
        if value:
            merged[key] = value
        else:
            merged.pop(key, None)
    draft.answers = merged
    return draft


@fieldwork_write
@transaction.atomic
def draft_submit(*, draft: Draft, client_hash: str, address_hash: str = "") -> tuple[Response, bool]:
    """Turn the draft into a response (idempotent on its client id).

    The draft's answers are cleared and it is marked submitted (kept for the «уже получена»
    answer to a browser that comes back with its cookie)."""
    draft = _locked(draft)
    if draft.submitted_at is not None:
        return Response.objects.get(client_id=draft.client_id), False
    response, created = response_record(
        assessment=draft.assessment, answers=draft.answers, channel=Channel.ONLINE,
        client_id=draft.client_id, started_at=draft.started_at, client_hash=client_hash,
        address_hash=address_hash,
    )
    now = timezone.now()
    Draft.objects.filter(pk=draft.pk).update(answers={}, submitted_at=now, updated_at=now)
    draft.answers, draft.submitted_at = {}, now
    return response, created


@transaction.atomic
def drafts_purge(*, older_than: timedelta) -> int:
    """Delete abandoned drafts untouched for ``older_than`` (they hold no personal data, but
    nothing is kept without need). Returns how many were deleted."""
    deleted, _ = Draft.objects.filter(updated_at__lt=timezone.now() - older_than).delete()
    return int(deleted)


@transaction.atomic
def import_uploads_purge(*, older_than: timedelta) -> int:
    """Delete uploads whose import was never run (their files may hold personal data of
    columns nobody loads). Finished imports keep their record without the file."""
    deleted, _ = ImportJob.objects.filter(
        done_at__isnull=True, created_at__lt=timezone.now() - older_than
    ).delete()
    return int(deleted)


# --- paper entry -------------------------------------------------------------------------


def paper_client_id(assessment: Assessment, number: str) -> uuid.UUID:
    return uuid.uuid5(SURVEY_NAMESPACE, f"paper:{assessment.pk}:{number.strip()}")


SHEET_NUMBER_MAX = 40


def _sheet_number(number: str) -> str:
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": "Укажите номер бумажной анкеты"})
    if len(number) > SHEET_NUMBER_MAX:  # cut, two long numbers would become one sheet
        raise ValidationError({"number": f"Номер анкеты не длиннее {SHEET_NUMBER_MAX} знаков "
                                         f"(сейчас {len(number)})"})
    return number


@fieldwork_write
@transaction.atomic
def paper_response_create(
    *, assessment: Assessment, number: str, answers: Mapping[str, str], user: Any,
    mode: str = Mode.PAPER,
) -> tuple[Response, bool]:
    """Single entry of a paper sheet; the sheet number makes a repeated entry harmless.

    ``mode``: the respondent filled the sheet in (paper) or an interviewer did from the
    respondent's words (interview)."""
    fieldwork_guard(assessment.pk)
    mode = _sheet_mode(mode)
    number = _sheet_number(number)
    if PaperSheet.objects.filter(assessment=assessment, number=number).exists():
        raise ValidationError({"number": f"Анкета № {number} вводится в режиме двойного ввода"})
    existing = Response.objects.filter(client_id=paper_client_id(assessment, number)).first()
    if existing is not None:
        # The same sheet typed again is harmless; another sheet under a used number (a typo in
        # the number) must not vanish as «повтор»: the operator is asked to check the number.
        cleaned = clean_answers(questions_for(assessment), answers)
        if not cleaned.errors and (cleaned.answers != existing.given
                                   or mode != existing.mode):
            raise ValidationError({"number": (
                f"Анкета № {number} уже введена, и ответы в ней другие. Проверьте номер на листе: "
                "если это другая анкета, исправьте номер и сохраните снова."
            )})
    return response_record(
        assessment=assessment, answers=answers, channel=Channel.PAPER,
        client_id=paper_client_id(assessment, number), user=user, source_ref=f"№ {number}",
        mode=mode,
    )


# Who filled a paper sheet in: the respondent, or an interviewer from the respondent's words.
SHEET_MODES = (Mode.PAPER, Mode.INTERVIEW)
# The pseudo question key of a double entry whose two passes disagree on who filled it in.
MODE_MISMATCH = "mode"


def _sheet_mode(mode: str) -> str:
    if mode not in SHEET_MODES:
        raise ValidationError({"mode": "Укажите, кто заполнил анкету: сам респондент или "
                                       "интервьюер"})
    return mode


@fieldwork_write
@transaction.atomic
def paper_sheet_enter(
    *, assessment: Assessment, number: str, answers: Mapping[str, str], user: Any,
    mode: str = Mode.PAPER,
) -> PaperSheet:
    """Double entry: the first pass waits; a second pass by another operator is compared.

    A matching pair becomes a response; a mismatch waits in the queue for ``paper_sheet_resolve``.
    Who filled the sheet in (``mode``) is compared like an answer.
    """
    fieldwork_guard(assessment.pk)
    number = _sheet_number(number)
    mode = _sheet_mode(mode)
    cleaned = clean_answers(questions_for(assessment), answers)
    if cleaned.errors:
        raise ValidationError({"answers": "; ".join(cleaned.errors.values())})
    if Response.objects.filter(client_id=paper_client_id(assessment, number)).exists() and not (
        PaperSheet.objects.filter(assessment=assessment, number=number).exists()
    ):
        raise ValidationError({"number": f"Анкета № {number} уже введена одним вводом"})
    sheet = PaperSheet.objects.select_for_update().filter(assessment=assessment, number=number).first()
    if sheet is None:
        sheet = PaperSheet(
            assessment=assessment, number=number, first_answers=cleaned.answers, first_by=user,
            status=SheetStatus.AWAITING_SECOND, mode=mode,
        )
        sheet.full_clean()
        sheet.save()
        return sheet
    if sheet.status != SheetStatus.AWAITING_SECOND:
        raise ValidationError({"number": f"Анкета № {number} уже введена дважды"})
    if user is not None and sheet.first_by_id == getattr(user, "pk", None):
        raise ValidationError({"number": "Второй ввод делает другой оператор"})
    sheet.second_answers = cleaned.answers
    sheet.second_by = user
    keys = set(sheet.first_answers) | set(cleaned.answers)
    sheet.mismatches = sorted(k for k in keys if sheet.first_answers.get(k) != cleaned.answers.get(k))
    if mode != sheet.mode:
        sheet.mismatches = [MODE_MISMATCH, *sheet.mismatches]
    if sheet.mismatches:
        sheet.status = SheetStatus.MISMATCH
    else:
        sheet.response, _ = response_record(
            assessment=assessment, answers=cleaned.answers, channel=Channel.DOUBLE_ENTRY,
            client_id=paper_client_id(assessment, number), user=user, source_ref=f"№ {number}",
            mode=sheet.mode,
        )
        sheet.status = SheetStatus.DONE
    sheet.full_clean()
    sheet.save()
    return sheet


@fieldwork_write
@transaction.atomic
def paper_sheet_resolve(
    *, sheet: PaperSheet, answers: Mapping[str, str], user: Any, mode: str | None = None
) -> PaperSheet:
    """The operator settles a mismatch by reading the paper sheet; the result becomes a response
    (``mode``: who filled it in, as read on the sheet; the first entry's when not given)."""
    fieldwork_guard(sheet.assessment_id)
    sheet = PaperSheet.objects.select_for_update(of=("self",)).get(pk=sheet.pk)
    if sheet.status != SheetStatus.MISMATCH:
        raise ValidationError({"number": f"Анкета № {sheet.number} не ждёт сверки"})
    sheet.mode = _sheet_mode(mode or sheet.mode)
    sheet.response, _ = response_record(
        assessment=sheet.assessment, answers=answers, channel=Channel.DOUBLE_ENTRY,
        client_id=paper_client_id(sheet.assessment, sheet.number), user=user,
        source_ref=f"№ {sheet.number} (сверка)", mode=sheet.mode,
    )
    sheet.status = SheetStatus.DONE
    sheet.full_clean()
    sheet.save()
    questions = questions_for(sheet.assessment)
    audit_record(
        user=user, action="resolve", obj=sheet,
        before={"first": without_free_text(sheet.first_answers, questions),
                "second": without_free_text(sheet.second_answers or {}, questions)},
        after=without_free_text(answers, questions), **_campaign_scope(sheet.assessment),
    )
    return sheet


# --- import from form-service exports ----------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # as numbered in the spreadsheet (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        return f"Строка {self.row}, столбец «{self.column}»: {self.message}"


class ImportRowsError(ValidationError):
    """The import was refused as a whole; ``row_errors`` names every bad row and column."""

    def __init__(self, row_errors: list[RowError]) -> None:
        self.row_errors = row_errors
        super().__init__([str(e) for e in row_errors])


def _read(filename: str, content: bytes) -> list[list[str]]:
    try:
        return imports.text_rows(filename, content)
    except TableError as exc:
        raise ValidationError({"file": str(exc)}) from exc


@fieldwork_write
@transaction.atomic
def import_job_create(
    *, assessment: Assessment, filename: str, content: bytes, user: Any,
    mode: str = Mode.ONLINE, source: str = "",
) -> ImportJob:
    """Keep the uploaded file with a suggested column mapping for the operator to confirm.

    ``mode``: how the exported answers were collected (an online form filled in by the
    respondents by default; paper sheets or interviews typed into a form service otherwise).
    ``source``: where the export comes from; the answer values mapped for its earlier files
    are offered again (``ImportValueMap``)."""
    fieldwork_guard(assessment.pk, mark=False)
    if mode not in Mode.values:
        raise ValidationError({"mode": f"Неизвестная форма опроса «{mode}»"})
    rows = _read(filename, content)
    mapping = imports.suggest_mapping(rows[0], questions_for(assessment))
    job = ImportJob(
        assessment=assessment, filename=filename[:255], content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        mapping={str(k): v for k, v in mapping.items()}, created_by=user, mode=mode,
        source=" ".join((source or "").split())[:100],
    )
    job.full_clean()
    job.save()
    return job


def _check_mapping(mapping: Mapping[int, str], header: list[str], questions: Any) -> None:
    known = {q.key for q in questions} | {imports.TIMESTAMP, imports.SKIP}
    chosen = [v for v in mapping.values() if v]
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise ValidationError({"mapping": f"Неизвестные вопросы: {', '.join(unknown)}"})
    doubled = sorted({v for v in chosen if chosen.count(v) > 1})
    if doubled:
        names = ", ".join("дата и время" if v == imports.TIMESTAMP else v for v in doubled)
        raise ValidationError({"mapping": f"Несколько столбцов сопоставлены одному полю: {names}"})
    if not any(v not in {imports.TIMESTAMP, imports.SKIP} for v in chosen):
        raise ValidationError({"mapping": "Сопоставьте с вопросами хотя бы один столбец"})
    bad = [i for i in mapping if not 0 <= i < len(header)]
    if bad:
        raise ValidationError({"mapping": "Сопоставление ссылается на несуществующий столбец"})


def _import_row(
    row: list[str], number: int, header: list[str], mapping: Mapping[int, str],
    questions: dict[str, Any], values: Mapping[str, Mapping[str, str]],
) -> tuple[dict[str, str], datetime | None, list[RowError]]:
    answers: dict[str, str] = {}
    submitted = None
    errors: list[RowError] = []
    for index, key in sorted(mapping.items()):
        if not key:
            continue
        cell = row[index]
        column = header[index] or f"№ {index + 1}"
        if key == imports.TIMESTAMP:
            moment = imports.parse_timestamp(cell) if cell else None
            if cell and moment is None:
                errors.append(RowError(number, column, f"не удалось разобрать дату и время «{cell}»"))
            elif moment is not None:
                submitted = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
            continue
        question = questions[key]
        options = options_of(question)
        value = imports.decode_value(question, cell, options)
        if value is None:  # the operator's mapping of this value, if any
            chosen = values.get(key, {}).get(imports.value_key(cell))
            value = "" if chosen == imports.NO_ANSWER else chosen
        if value is None:
            allowed = ", ".join(f"«{label}»" for _, label in options)
            errors.append(RowError(number, column, f"ответ «{cell}» не из списка ({allowed})"))
        elif value:
            answers[key] = value
    return answers, submitted, errors


def _checked_values(
    values: Mapping[str, Mapping[str, str]], questions: dict[str, Any]
) -> dict[str, dict[str, str]]:
    """The value mapping with keys normalized; an unknown question or option is refused."""
    checked: dict[str, dict[str, str]] = {}
    for key, mapped in values.items():
        question = questions.get(key)
        if question is None:
            raise ValidationError({"values": f"Неизвестный вопрос «{key}» в сопоставлении значений"})
        options = {option for option, _ in options_of(question)}
        for value, option in mapped.items():
            if not option:
                continue
            if option != imports.NO_ANSWER and option not in options:
                raise ValidationError({"values": f"Значение «{value}»: у вопроса «{question.text}» "
                                                 f"нет варианта ответа «{option}»"})
            checked.setdefault(key, {})[imports.value_key(value)] = option
    return checked


def _remember_values(job: ImportJob, values: Mapping[str, Mapping[str, str]]) -> None:
    """Keep the value mapping of a successful import for the next file of its source."""
    methodology_id = job.assessment.campaign.methodology_id
    for question, mapped in values.items():
        for value, option in mapped.items():
            ImportValueMap.objects.update_or_create(
                methodology_id=methodology_id, source=job.source, question=question,
                value=value, defaults={"option": "" if option == imports.NO_ANSWER else option},
            )


IMPORT_CHUNK = 500


def _import_bulk(
    assessment: Assessment, filename: str,
    prepared: list[tuple[int, dict[str, str], datetime | None, uuid.UUID]], mode: str,
) -> int:
    """Store the rows whose client id is new, in chunks (bulk inserts); returns how many.

    The answers of ``prepared`` are already cleaned (``import_run``)."""
    text_keys = _text_keys(questions_for(assessment))
    now = timezone.now()
    created = 0
    for start in range(0, len(prepared), IMPORT_CHUNK):
        chunk = prepared[start : start + IMPORT_CHUNK]
        known = set(
            Response.objects.filter(client_id__in=[c[3] for c in chunk])
            .values_list("client_id", flat=True)
        )
        fresh = []
        for number, answers, submitted, client_id in chunk:
            if client_id in known:
                continue
            known.add(client_id)
            fresh.append(_build_response(
                assessment=assessment, answers=answers, text_keys=text_keys,
                channel=Channel.IMPORT, client_id=client_id, started_at=None,
                submitted_at=submitted or now, client_hash="",
                source_ref=f"{filename}, строка {number}", mode=mode,
            ))
        saved = Response.objects.bulk_create(fresh)
        tally_add(map(_counted, saved))
        created += len(fresh)
    return created


@fieldwork_write
@transaction.atomic
def import_run(
    *, job: ImportJob, mapping: Mapping[int, str], user: Any,
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> ImportJob:
    """Import every row or none. Re-importing the same file adds nothing: each row's client id
    is derived from the assessment and the row's content (and its repeat number in the file).

    ``values``: question key -> {value as in ``imports.value_key`` -> option key, or
    ``imports.NO_ANSWER``} for cells that match no option as written; after a successful
    import they are remembered for the job's source (``import_values_for``)."""
    assessment = job.assessment
    fieldwork_guard(assessment.pk)
    rows = _read(job.filename, bytes(job.content))
    header, body = rows[0], rows[1:]
    all_questions = questions_for(assessment)
    mapping = {int(k): v for k, v in mapping.items()}
    _check_mapping(mapping, header, all_questions)
    by_key = {q.key: q for q in all_questions}
    values = _checked_values(values or {}, by_key)
    errors: list[RowError] = []
    prepared = []
    seen: dict[str, int] = {}
    for number, row in enumerate(body, start=2):
        answers, submitted, row_errors = _import_row(row, number, header, mapping, by_key,
                                                     values)
        errors.extend(row_errors)
        if row_errors:
            continue
        cleaned = clean_answers(all_questions, answers).answers
        if not cleaned:
            errors.append(RowError(number, "—", "в строке нет ни одного ответа"))
            continue
        digest = hashlib.sha256("\x1f".join(row).encode()).hexdigest()
        repeat = seen.get(digest, 0)
        seen[digest] = repeat + 1
        client_id = uuid.uuid5(SURVEY_NAMESPACE, f"import:{assessment.pk}:{digest}:{repeat}")
        prepared.append((number, cleaned, submitted, client_id))
    if errors:
        raise ImportRowsError(errors)
    created = _import_bulk(assessment, job.filename, prepared, job.mode)
    _remember_values(job, values)
    flags_apply(assessment=assessment)
    job.mapping = {str(k): v for k, v in mapping.items()}
    job.imported = created
    job.skipped = len(prepared) - created
    job.done_at = timezone.now()
    # The export may carry columns that were not loaded (e-mail addresses, names, free text
    # of other forms): once imported, the file itself is not kept, only its SHA-256.
    job.content = b""
    job.full_clean()
    job.save()
    audit_record(
        user=user, action="import", obj=job,
        after={"file": job.filename, "sha256": job.sha256, "imported": created,
               "skipped": job.skipped},
        **_campaign_scope(assessment),
    )
    return job
