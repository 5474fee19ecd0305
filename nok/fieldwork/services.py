"""Every write of the interviewers' fieldwork: interviews (face to face or by telephone), the
call lists of the telephone survey and the calls made from them.

An interview is a survey response in an interviewer mode, stored by
``nok.surveys.services.response_record`` like every other one: once per client-generated id
(a retry or a second sync returns the stored response), under the fieldwork guard, with the
counters and the quality checks (per interviewer) in the same transaction.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from nok.assessments.models import Assessment, Campaign
from nok.assessments.services import fieldwork_guard, fieldwork_write
from nok.core.services import AuditScope, audit_record
from nok.core.tabular import TableError, read_rows
from nok.fieldwork.models import (
    ATTEMPT_LIMIT_MAX,
    CLAIM_TIMEOUT,
    CallEntry,
    CallList,
    CallOutcome,
)
from nok.fieldwork.phones import PhoneRowError, parse_call_list
from nok.organizations.access import is_interviewer
from nok.organizations.models import InterviewerAssignment
from nok.surveys.models import INTERVIEWER_MODES, Channel, Response
from nok.surveys.questionnaire import clean_answers, missing_required, questions_for
from nok.surveys.services import response_record


def _missing_text(numbers: list[int]) -> str:
    """«…на обязательный вопрос 6» or «…на обязательные вопросы 6, 16» (a list, not a count:
    singular for one question only)."""
    listed = ", ".join(str(n) for n in numbers)
    if len(numbers) == 1:
        return f"Нет ответа на обязательный вопрос {listed}"
    return f"Нет ответа на обязательные вопросы {listed}"


@fieldwork_write
@transaction.atomic
def interview_record(
    *,
    assessment: Assessment,
    interviewer: Any,
    answers: Mapping[str, Any],
    mode: str,
    client_id: uuid.UUID | str,
    started_at: datetime | None,
    submitted_at: datetime | None = None,
) -> tuple[Response, bool]:
    """Store one interview unless its ``client_id`` is known; returns (response, created).

    The interviewer must hold the interviewer role; every asked required question must be
    answered (an interview is read from the screen as written, nothing is skipped by accident).
    Whether the organization is assigned to the interviewer is a quality check, not a refusal:
    an assignment may be withdrawn while the interviewer's device is offline.
    """
    if not is_interviewer(interviewer):
        raise ValidationError("Интервью записывает только пользователь с ролью «Интервьюер»")
    if mode not in INTERVIEWER_MODES:
        raise ValidationError({"mode": "Форма опроса: интервью или телефонный опрос"})
    existing = Response.objects.filter(client_id=client_id).first() if _is_uuid(client_id) else None
    if existing is None:
        questions = questions_for(assessment)
        cleaned = clean_answers(questions, answers)
        missing = missing_required(questions, cleaned.answers)
        if missing and not cleaned.errors:
            numbers = [i for i, q in enumerate(questions, start=1) if q in missing]
            raise ValidationError({"answers": _missing_text(numbers)})
    return response_record(
        assessment=assessment, answers=answers, channel=Channel.INTERVIEWER, mode=mode,
        interviewer=interviewer, client_id=client_id, started_at=started_at,
        submitted_at=submitted_at, user=interviewer,
    )


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- call lists of the telephone survey ----------------------------------------------------

# Outcomes after which a number may be called again (within the attempt limit).
AGAIN = ("", CallOutcome.NO_ANSWER, CallOutcome.CALLBACK)
NUMBERS_IN_LIST = "номеров в списке"


class CallListRowsError(ValidationError):
    """The upload was refused as a whole; ``row_errors`` names every bad row."""

    def __init__(self, row_errors: list[PhoneRowError]) -> None:
        self.row_errors = row_errors
        super().__init__([str(e) for e in row_errors])


@dataclass(frozen=True)
class UploadSummary:
    added: int  # numbers new to the list
    known: int  # numbers the list already had (an earlier upload)
    repeated: int  # rows of the file repeating a number of the same file
    total: int  # numbers in the list now


def _scope(assessment: Assessment) -> AuditScope:
    return {"organization_id": assessment.organization_id, "campaign_id": assessment.campaign_id}


@fieldwork_write
@transaction.atomic
def call_list_upload(
    *, assessment: Assessment, filename: str, content: bytes, user: Any
) -> UploadSummary:
    """Add the numbers of an XLSX/CSV file (numbers only, Russian formats) to the
    organization's call list, each at a random place in the calling order. All or nothing:
    one wrong row refuses the file, and every wrong row is named. Numbers already in the list
    are kept as they are (with their calls). The journal records how many numbers, never
    which."""
    fieldwork_guard(assessment.pk, mark=False)  # numbers change no score
    try:
        parsed = parse_call_list(read_rows(filename, content))
    except TableError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    if parsed.errors:
        raise CallListRowsError(parsed.errors)
    call_list, _ = CallList.objects.get_or_create(assessment=assessment)
    known = set(call_list.entries.filter(phone__in=parsed.numbers).values_list("phone", flat=True))
    fresh = [phone for phone in parsed.numbers if phone not in known]
    CallEntry.objects.bulk_create(
        [CallEntry(call_list=call_list, phone=phone, rank=secrets.randbelow(2**31))
         for phone in fresh], batch_size=2000)
    summary = UploadSummary(added=len(fresh), known=len(known), repeated=parsed.repeated,
                            total=call_list.entries.count())
    # The journal keys are its labels (a call list has no such fields to name them).
    audit_record(user=user, action="import", obj=call_list,
                 after={"номеров добавлено": summary.added, "уже были в списке": summary.known,
                        NUMBERS_IN_LIST: summary.total}, **_scope(assessment))
    return summary


@fieldwork_write
@transaction.atomic
def call_list_limit_set(*, assessment: Assessment, attempt_limit: int, user: Any) -> CallList:
    """The operator sets how many times a number is called before it is given up."""
    fieldwork_guard(assessment.pk, mark=False)
    if not 1 <= attempt_limit <= ATTEMPT_LIMIT_MAX:
        raise ValidationError({"attempt_limit": f"Число попыток — от 1 до {ATTEMPT_LIMIT_MAX}"})
    call_list, _ = CallList.objects.get_or_create(assessment=assessment)
    before = call_list.attempt_limit
    call_list.attempt_limit = attempt_limit
    call_list.full_clean()
    call_list.save()
    audit_record(user=user, action="update", obj=call_list, before={"attempt_limit": before},
                 after={"attempt_limit": attempt_limit}, **_scope(assessment))
    return call_list


def _require_assigned(assessment: Assessment, interviewer: Any) -> None:
    if not is_interviewer(interviewer) or not InterviewerAssignment.objects.filter(
            interviewer_id=interviewer.pk, organization_id=assessment.organization_id).exists():
        raise PermissionDenied("Обзванивать список может только интервьюер, которому "
                               "назначена организация")


@fieldwork_write
@transaction.atomic
def call_claim(*, assessment: Assessment, interviewer: Any) -> CallEntry | None:
    """The next number for the interviewer to call: the one it holds already, else the first
    in the random order among those called least so far, not given up (refusal, interview, or
    the attempt limit reached) and not being called by someone else. None when none is left.
    """
    fieldwork_guard(assessment.pk, mark=False)
    _require_assigned(assessment, interviewer)
    call_list = CallList.objects.filter(assessment=assessment).first()
    if call_list is None:
        return None
    held = call_list.entries.filter(claimed_by_id=interviewer.pk).first()
    if held is not None:
        return held
    now = timezone.now()
    free = Q(claimed_by__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    open_entries = call_list.entries.filter(
        free, outcome__in=AGAIN, attempts__lt=call_list.attempt_limit)
    for _ in range(5):  # another interviewer may take the same number first: take the next
        candidate = open_entries.order_by("attempts", "rank").first()
        if candidate is None:
            return None
        taken = CallEntry.objects.filter(free, pk=candidate.pk).update(
            claimed_by_id=interviewer.pk, claimed_at=now)
        if taken:
            candidate.refresh_from_db()
            return candidate
    return None


@fieldwork_write
@transaction.atomic
def call_outcome_record(*, entry: CallEntry, interviewer: Any, outcome: str) -> CallEntry:
    """The outcome of a call to the number the interviewer holds: one more attempt, and the
    claim is released. Nothing records when or by whom: an interview that follows a completed
    call cannot be matched to the number (not even by time)."""
    fieldwork_guard(entry.call_list.assessment_id, mark=False)
    if outcome not in CallOutcome.values:
        raise ValidationError({"outcome": "Выберите итог звонка"})
    locked = CallEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.claimed_by_id != interviewer.pk:
        raise ValidationError("Этот номер сейчас не закреплён за вами: возьмите следующий номер")
    locked.attempts += 1
    locked.outcome = outcome
    locked.claimed_by = None
    locked.claimed_at = None
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def call_lists_delete(*, campaign: Campaign, user: Any) -> int:
    """Delete every call list of the campaign (at its publication: the numbers are no longer
    needed), each with an entry in the journal saying how many numbers went; returns how
    many numbers were deleted."""
    deleted = 0
    for call_list in CallList.objects.filter(assessment__campaign=campaign).select_related(
            "assessment"):
        count = call_list.entries.count()
        audit_record(user=user, action="delete", obj=call_list,
                     before={NUMBERS_IN_LIST: count}, after={NUMBERS_IN_LIST: 0},
                     **_scope(call_list.assessment))
        call_list.delete()
        deleted += count
    return deleted
