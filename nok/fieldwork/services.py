"""Every write of the interviewers' fieldwork: interviews (face to face or by telephone), the
call lists of the telephone survey and the calls made from them, the devices of the offline
interview app and what they send.

An interview is a survey response in an interviewer mode, stored by
``nok.surveys.services.response_record`` like every other one: once per client-generated id
(a retry or a second sync returns the stored response), under the fieldwork guard, with the
counters and the quality checks (per interviewer) in the same transaction.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from nok.assessments.models import Assessment, Campaign
from nok.assessments.services import FieldworkClosed, fieldwork_guard, fieldwork_write
from nok.core.services import AuditScope, audit_record
from nok.core.tabular import TableError, read_rows
from nok.fieldwork.models import (
    ATTEMPT_LIMIT_MAX,
    CLAIM_TIMEOUT,
    CallEntry,
    CallList,
    CallOutcome,
    Device,
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


# --- the offline interview app: devices and synchronization ---------------------------------

STORED, ALREADY, CLOSED, INVALID = "stored", "already", "closed", "invalid"
SYNC_BATCH = 50  # interviews per request; the app sends more in further requests


@dataclass(frozen=True)
class SyncResult:
    """What became of one interview a device sent (``status`` one of the four above)."""

    client_id: str
    status: str
    message: str = ""


@transaction.atomic
def device_seen(
    *, interviewer: Any, key: uuid.UUID | str, label: str = "",
    loaded: Sequence[Assessment] = (), waiting: Mapping[str, int] | None = None,
    synced: bool = False,
) -> Device:
    """The device of the offline app made contact: when, what it loaded, what waits on it (as
    it says: assessment id -> interviews not yet sent). Device records are no fieldwork data."""
    try:
        key = uuid.UUID(str(key))
    except ValueError as exc:
        raise ValidationError({"device": "Неверный идентификатор устройства"}) from exc
    now = timezone.now()
    device, _ = Device.objects.get_or_create(key=key, interviewer=interviewer,
                                             defaults={"last_seen": now})
    device.label = label[:200]
    device.last_seen = now
    if waiting is not None:
        device.waiting = {str(int(pk)): int(n) for pk, n in waiting.items() if int(n) > 0}
    if synced:
        device.last_sync = now
    device.full_clean(exclude=["interviewer"], validate_unique=False)
    device.save()
    if loaded:
        device.assessments.add(*loaded)
    return device


def _moment(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _closed_message(assessment: Assessment) -> str:
    return (f"Сбор данных по кампании «{assessment.campaign}» завершён: интервью не принято. "
            "Оно сохранено на этом устройстве — выгрузите файл и передайте его оператору.")


def _sync_one(item: Mapping[str, Any], interviewer: Any,
              allowed: Mapping[int, Assessment]) -> tuple[SyncResult, int | None]:
    """(result, the item's assessment id) for one interview sent by a device."""
    client_id = str(item.get("client_id", ""))
    try:
        assessment_id = int(item["assessment"])
        answers = item["answers"]
        if not isinstance(answers, dict):
            raise TypeError("answers")
        started, finished = _moment(item["started_at"]), _moment(item["finished_at"])
        mode = str(item["mode"])
    except (KeyError, TypeError, ValueError):
        return SyncResult(client_id, INVALID, "Интервью повреждено: не хватает сведений"), None
    assessment = allowed.get(assessment_id)
    if assessment is None:
        return SyncResult(client_id, INVALID, "Организация интервью не загружена на это "
                                              "устройство"), assessment_id
    try:
        _, created = interview_record(
            assessment=assessment, interviewer=interviewer, answers=answers, mode=mode,
            client_id=client_id, started_at=started, submitted_at=finished)
    except FieldworkClosed:
        return SyncResult(client_id, CLOSED, _closed_message(assessment)), assessment_id
    except ValidationError as exc:
        return SyncResult(client_id, INVALID, "; ".join(exc.messages)), assessment_id
    return SyncResult(client_id, STORED if created else ALREADY), assessment_id


def interviews_sync(
    *, interviewer: Any, device_key: uuid.UUID | str, label: str,
    interviews: Sequence[Mapping[str, Any]], waiting: Mapping[str, int],
) -> list[SyncResult]:
    """Store the interviews a device sends, each once (its client id; a repeat answers
    «already»), each in its own transaction: one refused interview does not hold back the
    others. An interview of a campaign no longer collecting data is refused («closed») and
    stays on the device. ``waiting``: what else waits on the device (not in this batch).

    Each interview passes the fieldwork guard in ``interview_record``; the organizations
    accepted are those the interviewer sees and those loaded on this device (an assignment
    withdrawn while the device was offline: accepted, and flagged by the quality check)."""
    device = device_seen(interviewer=interviewer, key=device_key, label=label)
    allowed = {a.pk: a for a in Assessment.objects.select_related("campaign", "organization")
               .filter(Q(pk__in=device.assessments.values("pk"))
                       | Q(organization__in=InterviewerAssignment.objects.filter(
                           interviewer_id=interviewer.pk).values("organization_id")))}
    results = []
    still = {str(k): int(v) for k, v in waiting.items()}
    for item in interviews[:SYNC_BATCH]:
        result, assessment_id = _sync_one(item if isinstance(item, Mapping) else {},
                                          interviewer, allowed)
        results.append(result)
        if result.status in (CLOSED, INVALID) and assessment_id is not None:
            still[str(assessment_id)] = still.get(str(assessment_id), 0) + 1
    device_seen(interviewer=interviewer, key=device_key, label=label, waiting=still,
                synced=any(r.status in (STORED, ALREADY) for r in results))
    return results

