"""Reads of the interviewers' fieldwork: an interviewer's organizations, the operator's view of
progress per interviewer and organization, call lists (in counts; the numbers themselves only
to the interviewer calling them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from nok.assessments.models import Assessment, Campaign, CampaignStatus
from nok.assessments.selectors import assessments_visible_to
from nok.fieldwork.models import (
    ATTEMPT_LIMIT_DEFAULT,
    CLAIM_TIMEOUT,
    CallEntry,
    CallList,
    CallOutcome,
    Device,
)
from nok.organizations.models import InterviewerAssignment, Role
from nok.surveys.models import Mode, Response, ResponseStatus
from nok.surveys.questionnaire import options_of, questions_for


def interviewer_assessments(user: Any) -> QuerySet[Assessment]:
    """The assessments an interviewer works on: its assigned organizations in campaigns
    collecting data, in registry order."""
    return (
        assessments_visible_to(user)
        .filter(campaign__status=CampaignStatus.FIELDWORK)
        .order_by("campaign__period_start", "organization__type__position", "organization__name")
    )


def own_interview_counts(user: Any, assessment_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per assessment: the user's interviews per interviewer mode (all statuses but rejected)."""
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: {Mode.INTERVIEW.value: 0, Mode.TELEPHONE.value: 0})
    rows = (
        Response.objects.filter(interviewer=user, assessment_id__in=assessment_ids)
        .exclude(status=ResponseStatus.REJECTED)
        .values_list("assessment_id", "mode").annotate(n=Count("id")).order_by()
    )
    for pk, mode, n in rows:
        counts[pk][mode] = n
    return counts


@dataclass
class ProgressRow:
    """One interviewer in one organization of a campaign."""

    organization: str
    assessment_id: int
    assigned: bool
    interview: int = 0
    telephone: int = 0
    flagged: int = 0  # awaiting the operator's decision
    rejected: int = 0
    last: datetime | None = None

    @property
    def counted(self) -> int:
        return self.interview + self.telephone


@dataclass
class InterviewerProgress:
    interviewer: User
    rows: list[ProgressRow] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.interviewer.get_full_name() or self.interviewer.username

    @property
    def counted(self) -> int:
        return sum(r.counted for r in self.rows)

    @property
    def flagged(self) -> int:
        return sum(r.flagged for r in self.rows)


def interviewer_progress(campaign: Campaign) -> list[InterviewerProgress]:
    """Per interviewer, per organization of the campaign: counted interviews by mode, those
    waiting for a review decision, rejected ones, the latest; organizations assigned without
    an interview yet are listed too. Three queries."""
    assessments = {
        a.organization_id: a for a in
        campaign.assessments.select_related("organization").order_by("organization__name")
    }
    stats = (
        Response.objects.filter(assessment__campaign=campaign, interviewer__isnull=False)
        .values_list("interviewer_id", "assessment_id", "mode", "status")
        .annotate(n=Count("id"), last=Max("submitted_at")).order_by()
    )
    assignments = InterviewerAssignment.objects.filter(
        organization_id__in=list(assessments), interviewer__membership__role=Role.INTERVIEWER,
    ).values_list("interviewer_id", "organization_id")
    cells: dict[tuple[int, int], ProgressRow] = {}
    by_assessment = {a.pk: a for a in assessments.values()}

    def cell(interviewer_id: int, assessment: Assessment, assigned: bool) -> ProgressRow:
        key = (interviewer_id, assessment.pk)
        if key not in cells:
            cells[key] = ProgressRow(str(assessment.organization), assessment.pk, assigned)
        return cells[key]

    for interviewer_id, organization_id in assignments:
        cell(interviewer_id, assessments[organization_id], True)
    for interviewer_id, assessment_id, mode, status, n, last in stats:
        row = cell(interviewer_id, by_assessment[assessment_id], False)
        if status == ResponseStatus.FLAGGED:
            row.flagged += n
        elif status == ResponseStatus.REJECTED:
            row.rejected += n
        elif mode == Mode.TELEPHONE:
            row.telephone += n
        else:
            row.interview += n
        row.last = last if row.last is None or (last and last > row.last) else row.last
    users = User.objects.in_bulk({i for i, _ in cells})
    grouped: dict[int, InterviewerProgress] = {}
    for (interviewer_id, _), row in sorted(cells.items(), key=lambda kv: kv[1].organization):
        grouped.setdefault(interviewer_id, InterviewerProgress(users[interviewer_id])).rows.append(row)
    return sorted(grouped.values(), key=lambda p: p.name)


# --- call lists ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallSummary:
    """A call list in counts (what everyone but its interviewers sees of it). Every number is
    in exactly one of: not called, no answer or call back (to be called again), refused,
    completed, given up (no answer or call back after the last allowed attempt)."""

    exists: bool
    attempt_limit: int
    total: int = 0
    not_called: int = 0
    no_answer: int = 0
    callback: int = 0
    refused: int = 0
    completed: int = 0
    given_up: int = 0
    in_progress: int = 0  # being called right now (also counted in one of the above)

    @property
    def open(self) -> int:
        """Numbers still to call (now or later)."""
        return self.not_called + self.no_answer + self.callback


def call_summary(assessment: Assessment) -> CallSummary:
    """The counts of the assessment's call list, in one query."""
    call_list = CallList.objects.filter(assessment=assessment).first()
    if call_list is None:
        return CallSummary(exists=False, attempt_limit=ATTEMPT_LIMIT_DEFAULT)
    limit = call_list.attempt_limit
    again = [CallOutcome.NO_ANSWER, CallOutcome.CALLBACK]
    counts = call_list.entries.aggregate(
        total=Count("id"),
        not_called=Count("id", filter=Q(outcome="")),
        no_answer=Count("id", filter=Q(outcome=CallOutcome.NO_ANSWER, attempts__lt=limit)),
        callback=Count("id", filter=Q(outcome=CallOutcome.CALLBACK, attempts__lt=limit)),
        refused=Count("id", filter=Q(outcome=CallOutcome.REFUSED)),
        completed=Count("id", filter=Q(outcome=CallOutcome.COMPLETED)),
        given_up=Count("id", filter=Q(outcome__in=again, attempts__gte=limit)),
        in_progress=Count("id", filter=Q(claimed_at__gte=timezone.now() - CLAIM_TIMEOUT)),
    )
    return CallSummary(exists=True, attempt_limit=limit, **counts)


def held_entry(assessment: Assessment, interviewer: Any) -> CallEntry | None:
    """The number the interviewer is calling now (claimed and not yet given an outcome)."""
    return CallEntry.objects.filter(call_list__assessment=assessment,
                                    claimed_by_id=interviewer.pk).first()


def entry_for_interviewer(assessment: Assessment, interviewer: Any, pk: int) -> CallEntry | None:
    """The number ``pk`` of the assessment's list if the interviewer holds it, else None."""
    entry = held_entry(assessment, interviewer)
    return entry if entry is not None and entry.pk == pk else None


# --- the offline interview app -------------------------------------------------------------

# A device silent for longer than this may hold interviews it has not reported.
DEVICE_SILENT_AFTER = timedelta(hours=12)


def _question(question: Any) -> dict[str, Any]:
    return {"key": question.key, "text": question.text, "type": question.type,
            "required": bool(question.required), "when": dict(question.when or {}),
            "options": [{"key": k, "label": label} for k, label in options_of(question)]}


def app_bundle(user: Any) -> dict[str, Any]:
    """What the offline app keeps on the device: the interviewer, and the questionnaires of
    the organizations assigned to it in campaigns collecting data (as written, with their
    filters), each methodology's questions once."""
    assessments = list(interviewer_assessments(user).select_related("campaign__methodology"))
    questionnaires: dict[str, list[dict[str, Any]]] = {}
    items = []
    for a in assessments:
        key = str(a.campaign.methodology_id)
        if key not in questionnaires:
            questionnaires[key] = [_question(q) for q in questions_for(a)]
        items.append({
            "id": a.pk, "organization": str(a.organization), "campaign": str(a.campaign),
            "period": f"{a.campaign.period_start:%d.%m.%Y}–{a.campaign.period_end:%d.%m.%Y}",
            "questionnaire": key,
        })
    return {"format": 1, "loaded_at": timezone.now().isoformat(),
            "interviewer": {"id": user.pk, "name": user.get_full_name() or user.username},
            "assessments": items, "questionnaires": questionnaires}


@dataclass(frozen=True)
class DeviceRow:
    """A device that may still hold interviews of a campaign."""

    interviewer: str
    label: str
    last_seen: datetime
    last_sync: datetime | None
    waiting: int  # interviews of the campaign the device said it had not sent
    silent: bool  # no contact for longer than DEVICE_SILENT_AFTER


def unsynced_devices(campaign: Campaign) -> list[DeviceRow]:
    """Devices that loaded the campaign's questionnaires and either reported interviews of it
    not yet sent or have been silent for DEVICE_SILENT_AFTER (they may have recorded since).
    The server knows only what devices report: this is the list to chase before fieldwork
    closes, not a proof that nothing is missing."""
    ids = set(campaign.assessments.values_list("pk", flat=True))
    silent_since = timezone.now() - DEVICE_SILENT_AFTER
    rows = []
    for device in (Device.objects.filter(assessments__campaign=campaign).distinct()
                   .select_related("interviewer").order_by("last_seen")):
        waiting = device.waiting_for(ids)
        silent = device.last_seen < silent_since
        if waiting or silent:
            rows.append(DeviceRow(device.interviewer.get_full_name() or device.interviewer.username,
                                  device.label, device.last_seen, device.last_sync, waiting, silent))
    return rows


def devices_text(devices: list[DeviceRow]) -> str:
    """One sentence naming the devices that may still hold interviews (the close message)."""
    parts = []
    for d in devices:
        part = f"{d.interviewer} ({d.label or 'устройство'}"
        part += f", ждут отправки: {d.waiting})" if d.waiting else ", давно не на связи)"
        parts.append(part)
    return ("Интервью с этих устройств больше не принимаются — попросите интервьюеров выгрузить "
            "их в файл: " + "; ".join(parts))
