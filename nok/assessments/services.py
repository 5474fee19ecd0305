"""Every write of campaigns and of fieldwork data (checklist ticks, social-2014 values,
control calls, complaints), and the one guard all fieldwork writes pass.

:func:`fieldwork_guard` is called first inside every fieldwork write, here and in
``nok.surveys.services``: it locks the assessment's row alone (by raising its data version,
which marks its score stale for ``nok.scores``) and refuses the write unless the campaign is
collecting data. Moving a campaign out of fieldwork (:func:`campaign_status_change`) locks
the rows of all its assessments first, so no write can slip past the status change.
Each change leaves an AuditEntry (before/after). Scores are not computed here: ``nok.scores``
is the only bridge to ``scoring``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, ProtectedError

import scoring
from nok.assessments.models import (
    Assessment,
    Campaign,
    CampaignStatus,
    ChecklistTick,
    ComplaintRecord,
    ControlContact,
    IndicatorValue,
)
from nok.assessments.selectors import observed_of, observed_recount
from nok.core.services import AuditScope, acting_user, audit_record
from nok.methodology.models import Methodology
from nok.methodology.services import methodology_load
from nok.organizations.access import AnyUser
from nok.organizations.models import Organization

FIELDWORK_CLOSED = {
    CampaignStatus.REVIEW: (
        "Сбор данных по кампании завершён: кампания на проверке, данные изменить нельзя. "
        "Чтобы внести исправление, верните кампанию на сбор данных."
    ),
    CampaignStatus.PUBLISHED: (
        "Кампания опубликована: данные сбора доступны только для чтения. Исправление возможно "
        "только после того, как министерство откроет кампанию для исправления."
    ),
}
# Kept for the campaign form: a published campaign cannot be edited at all.
PUBLISHED_READ_ONLY = FIELDWORK_CLOSED[CampaignStatus.PUBLISHED]

F_ = TypeVar("F_", bound=Callable[..., Any])


def fieldwork_write(func: F_) -> F_:
    """Marks a service as a fieldwork write: it calls :func:`fieldwork_guard` first. A test
    walks every service of ``assessments`` and ``surveys`` and checks each marked one refuses
    to write once fieldwork is closed (and that every other service is known not to write)."""
    func.fieldwork_write = True  # type: ignore[attr-defined]
    return func


class FieldworkClosed(ValidationError):
    """A fieldwork write refused: the campaign is under review or published."""


GUARD_CHUNK = 1000  # assessments locked and marked per statement


def fieldwork_guard(assessment_id: int | Iterable[int], *, mark: bool = True) -> None:
    """The one guard of every fieldwork write; call it first, inside the write's transaction.

    ``mark=True`` (writes of data that scores depend on): raises the assessment's data version
    with one UPDATE of its row, which locks that row alone until the transaction ends — two
    writes to one organization queue, writes to different organizations do not, and the
    score of the assessment becomes stale. Then the campaign's status is read afresh (after
    the lock): anything but fieldwork refuses the write with :class:`FieldworkClosed`.
    ``mark=False`` (survey drafts, which count for nothing until sent) only checks the status.

    Given many assessment ids (a campaign-wide import), the same in a few statements per
    thousand instead of two per assessment: their rows are first locked in id order
    (``SELECT … FOR UPDATE``), so two such writes never deadlock, then their data versions
    raised; the statuses of their campaigns are read after the locks, and any campaign out of
    fieldwork refuses the write.
    """
    assessment_ids = [assessment_id] if isinstance(assessment_id, int) else assessment_id
    ids = sorted(set(assessment_ids))
    if not ids:
        return
    for start in range(0, len(ids), GUARD_CHUNK):
        part = ids[start : start + GUARD_CHUNK]
        if mark:
            rows = Assessment.objects.filter(pk__in=part)
            if len(ids) > 1:
                list(rows.order_by("pk").select_for_update().values_list("pk", flat=True))
            if rows.update(data_version=F("data_version") + 1) != len(part):
                raise ValidationError("Оценка организации не найдена")
        statuses = set(Campaign.objects.filter(assessments__in=part)
                       .values_list("status", flat=True))
        if not statuses:
            raise ValidationError("Оценка организации не найдена")
        for status in statuses:
            if status != CampaignStatus.FIELDWORK:
                raise FieldworkClosed(FIELDWORK_CLOSED[CampaignStatus(status)])


# --- Campaigns ----------------------------------------------------------------------------------


def _campaign_snapshot(campaign: Campaign) -> dict[str, Any]:
    return {
        "title": campaign.title, "year": campaign.year,
        "period_start": campaign.period_start.isoformat() if campaign.period_start else None,
        "period_end": campaign.period_end.isoformat() if campaign.period_end else None,
        "methodology": campaign.methodology.slug if campaign.methodology_id else None,
        "operator_name": campaign.operator_name, "ministry_name": campaign.ministry_name,
        "status": campaign.status,
    }


def _set_organizations(
    *, campaign: Campaign, organizations: Iterable[Organization]
) -> tuple[list[int], list[int]]:
    wanted = {org.pk for org in organizations}
    current = dict(campaign.assessments.values_list("organization_id", "pk"))
    added = sorted(wanted - current.keys())
    removed = sorted(current.keys() - wanted)
    # One INSERT per thousand organizations (a national campaign adds thousands at once); the
    # survey codes are random and unique in the database.
    Assessment.objects.bulk_create(
        [Assessment(campaign=campaign, organization_id=org_id) for org_id in added], batch_size=1000)
    for org_id in removed:
        assessment = Assessment.objects.select_related("organization").get(pk=current[org_id])
        if assessment.ticks.exists() or assessment.contacts.exists() or assessment.values.exists():
            raise ValidationError(
                {"organizations": f"Нельзя исключить «{assessment.organization}»: "
                                  "по ней уже собраны данные"}
            )
        try:
            assessment.delete()
        except ProtectedError as exc:
            raise ValidationError(
                {"organizations": f"Нельзя исключить «{assessment.organization}»: "
                                  "по ней уже есть ответы анкеты"}
            ) from exc
    return added, removed


@transaction.atomic
def campaign_create(
    *,
    user: AnyUser | None,
    title: str,
    year: int,
    period_start: dt.date,
    period_end: dt.date,
    methodology: Methodology,
    operator_name: str = "",
    ministry_name: str = "",
    organizations: Iterable[Organization] = (),
) -> Campaign:
    campaign = Campaign(
        title=title, year=year, period_start=period_start, period_end=period_end,
        methodology=methodology, operator_name=operator_name, ministry_name=ministry_name,
    )
    campaign.full_clean()
    campaign.save()
    added, _ = _set_organizations(campaign=campaign, organizations=organizations)
    after = _campaign_snapshot(campaign) | {"organizations": added}
    audit_record(user=user, action="create", obj=campaign, after=after, campaign_id=campaign.pk)
    return campaign


@transaction.atomic
def campaign_copy(
    *,
    source: Campaign,
    user: AnyUser | None,
    title: str,
    year: int,
    period_start: dt.date,
    period_end: dt.date,
    methodology: Methodology | None = None,
    operator_name: str | None = None,
    ministry_name: str | None = None,
    organizations: Iterable[Organization] | None = None,
) -> Campaign:
    """A new campaign in fieldwork on the basis of an earlier one: its methodology, operator
    and organizations unless given otherwise; new title and period. Nothing of the source's
    fieldwork (ticks, responses, calls, scores) is copied; interviewers keep their assignments,
    which belong to organizations, not to campaigns. The journal names the source."""
    campaign = campaign_create(
        user=user, title=title, year=year, period_start=period_start, period_end=period_end,
        methodology=methodology or source.methodology,
        operator_name=source.operator_name if operator_name is None else operator_name,
        ministry_name=source.ministry_name if ministry_name is None else ministry_name,
        organizations=(Organization.objects.filter(assessments__campaign=source)
                       if organizations is None else organizations),
    )
    audit_record(user=user, action="copy", obj=campaign,
                 after={"copied_from": source.pk, "source_title": source.title},
                 campaign_id=campaign.pk)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    user: AnyUser | None,
    title: str,
    year: int,
    period_start: dt.date,
    period_end: dt.date,
    methodology: Methodology,
    operator_name: str = "",
    ministry_name: str = "",
    organizations: Iterable[Organization] = (),
) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.collecting:
        raise ValidationError(
            "Кампанию можно изменить только на этапе сбора данных. "
            + FIELDWORK_CLOSED[CampaignStatus(campaign.status)]
        )
    before = _campaign_snapshot(campaign)
    methodology_changed = methodology.pk != campaign.methodology_id
    if methodology_changed and campaign.assessments.filter(ticks__isnull=False).exists():
        raise ValidationError({"methodology": "Методику нельзя сменить: перечни уже заполняются"})
    campaign.title, campaign.year = title, year
    campaign.period_start, campaign.period_end = period_start, period_end
    campaign.methodology, campaign.operator_name = methodology, operator_name
    campaign.ministry_name = ministry_name
    campaign.full_clean()
    campaign.save()
    added, removed = _set_organizations(campaign=campaign, organizations=organizations)
    if methodology_changed:  # every score of the campaign is computed anew
        campaign.assessments.update(data_version=F("data_version") + 1)
    after = _campaign_snapshot(campaign)
    if added or removed:
        after |= {"organizations_added": added, "organizations_removed": removed}
    audit_record(user=user, action="update", obj=campaign, before=before, after=after,
                 campaign_id=campaign.pk)
    return campaign


@transaction.atomic
def campaign_status_change(*, campaign: Campaign, user: AnyUser | None, status: str,
                           edition: int | None = None) -> Campaign:
    """Set the campaign's status (and edition) under the lock protocol of the guard: the rows
    of all its assessments are locked first, so a fieldwork write either committed before the
    change (and is part of what ``nok.scores`` freezes next) or sees the new status and is
    refused. Who may make which move is decided by ``nok.scores.services``; this only writes."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    list(Assessment.objects.select_for_update().filter(campaign=locked).values_list("pk", flat=True))
    before = {"status": locked.status, "edition": locked.edition}
    locked.status = status
    if edition is not None:
        locked.edition = edition
    locked.full_clean()
    locked.save(update_fields=["status", "edition", "updated_at"])
    audit_record(user=user, action="status", obj=locked, before=before,
                 after={"status": locked.status, "edition": locked.edition},
                 campaign_id=locked.pk)
    campaign.status, campaign.edition = locked.status, locked.edition
    return campaign


# --- Checklists ---------------------------------------------------------------------------------


def assessment_methodology(assessment: Assessment) -> scoring.Methodology:
    return methodology_load(assessment.campaign.methodology)


def _checklist(method: scoring.Methodology, key: str) -> scoring.Checklist:
    for checklist in method.checklists:
        if checklist.key == key:
            return checklist
    known = ", ".join(c.key for c in method.checklists) or "нет"
    raise ValidationError(
        {"checklist": f"Неизвестный перечень «{key}» для методики {method.slug} (есть: {known})"}
    )


@dataclass(frozen=True)
class TickInput:
    present: bool
    note: str = ""
    evidence: UploadedFile | None = None
    clear_evidence: bool = False


def _audit_scope(assessment: Assessment) -> AuditScope:
    return {"organization_id": assessment.organization_id, "campaign_id": assessment.campaign_id}


@fieldwork_write
@transaction.atomic
def checklist_update(
    *,
    assessment: Assessment,
    user: AnyUser | None,
    checklist_key: str,
    items: Mapping[str, TickInput],
) -> int:
    """Set ticks of one checklist (items not given keep their state); returns how many changed.

    Any item key not in the methodology's checklist is rejected, nothing is written.
    """
    fieldwork_guard(assessment.pk)
    checklist = _checklist(assessment_methodology(assessment), checklist_key)
    known = {item.key for item in checklist.items}
    unknown = sorted(set(items) - known)
    if unknown:
        raise ValidationError(
            {"item": f"Перечень «{checklist.title}»: неизвестный пункт «{unknown[0]}»"}
        )
    existing = {
        t.item_key: t for t in assessment.ticks.filter(checklist_key=checklist_key)
    }
    changed = 0
    for item_key, change in items.items():
        tick = existing.get(item_key)
        before = tick.snapshot() if tick is not None else None
        if tick is None:
            tick = ChecklistTick(assessment=assessment, checklist_key=checklist_key, item_key=item_key)
        tick.present = bool(change.present)
        tick.note = (change.note or "").strip()
        if change.clear_evidence:
            tick.evidence = None
        if change.evidence is not None:
            tick.evidence = change.evidence
        tick.updated_by = acting_user(user)
        try:
            tick.full_clean()
        except ValidationError as exc:
            raise ValidationError(
                {"item": f"Пункт «{item_key}»: " + "; ".join(exc.messages)}
            ) from exc
        after = {"present": tick.present, "note": tick.note,
                 "evidence": change.evidence.name if change.evidence is not None
                 else (tick.evidence.name or "")}
        if before == after:
            continue
        tick.save()
        changed += 1
        after["evidence"] = tick.evidence.name or ""
        label = next(item.label for item in checklist.items if item.key == item_key)
        audit_record(user=user, action="create" if before is None else "update", obj=tick,
                     before=before, after=after, object_repr=f"«{checklist.title}»: {label}",
                     **_audit_scope(assessment))
    if changed:
        observed_rebuild([assessment.pk])
    return changed


def observed_rebuild(ids: Iterable[int]) -> int:
    """Set ``Assessment.observed`` of these assessments to a recount of their tick rows (after
    every checklist write, under its fieldwork guard; and as a repair); returns how many
    differed."""
    fresh = observed_recount(ids)
    kept = observed_of(fresh)
    differing = [pk for pk, observed in fresh.items() if kept.get(pk) != observed]
    for pk in differing:
        Assessment.objects.filter(pk=pk).update(observed=fresh[pk])
    return len(differing)


# --- social-2014 values -------------------------------------------------------------------------


@fieldwork_write
@transaction.atomic
def values_update(
    *, assessment: Assessment, user: AnyUser | None, values: Mapping[str, Any]
) -> int:
    """Store raw social-2014 measurements by indicator code (None clears); returns how many
    changed."""
    fieldwork_guard(assessment.pk)
    method = assessment_methodology(assessment)
    codes = {ind.key for ind in method.indicators}
    unknown = sorted(set(values) - codes)
    if unknown:
        raise ValidationError({"code": f"Неизвестный код показателя «{unknown[0]}»"})
    parse_values(method, {code: raw for code, raw in values.items() if raw is not None})
    existing = {v.code: v for v in assessment.values.all()}
    changed = 0
    for code, raw in values.items():
        row = existing.get(code)
        before = None if row is None else {"value": row.value}
        if (before or {"value": None}) == {"value": raw}:
            continue
        changed += 1
        if row is None:
            row = IndicatorValue(assessment=assessment, code=code)
        row.value = raw
        row.updated_by = acting_user(user)
        row.full_clean()
        row.save()
        audit_record(user=user, action="create" if before is None else "update", obj=row,
                     before=before, after={"value": raw}, **_audit_scope(assessment))
    return changed


# --- Control calls and complaints ---------------------------------------------------------------


@fieldwork_write
@transaction.atomic
def contact_create(
    *,
    assessment: Assessment,
    user: AnyUser | None,
    kind: str,
    date: dt.date,
    form: str,
    answered: bool,
    effective: bool,
    time: dt.time | None = None,
    note: str = "",
) -> ControlContact:
    fieldwork_guard(assessment.pk)
    contact = ControlContact(
        assessment=assessment, kind=kind, date=date, time=time, form=form, answered=answered,
        effective=effective, note=note.strip(),
        created_by=acting_user(user),
    )
    contact.full_clean()
    contact.save()
    audit_record(user=user, action="create", obj=contact, after=contact.snapshot(),
                 **_audit_scope(assessment))
    return contact


@fieldwork_write
@transaction.atomic
def contact_delete(*, contact: ControlContact, user: AnyUser | None) -> None:
    assessment = contact.assessment
    fieldwork_guard(assessment.pk)
    before = contact.snapshot()
    audit_record(user=user, action="delete", obj=contact, before=before, **_audit_scope(assessment))
    contact.delete()


@fieldwork_write
@transaction.atomic
def complaints_set(
    *, assessment: Assessment, user: AnyUser | None, form: str, registered: int, resolved: int
) -> ComplaintRecord:
    """Record the complaints register of one service form (creating or replacing its figures)."""
    fieldwork_guard(assessment.pk)
    record = assessment.complaints.filter(form=form).first()
    before = None if record is None else {"registered": record.registered, "resolved": record.resolved}
    if record is None:
        record = ComplaintRecord(assessment=assessment, form=form)
    record.registered, record.resolved = registered, resolved
    record.full_clean()
    record.save()
    audit_record(user=user, action="create" if before is None else "update", obj=record,
                 before=before, after={"registered": registered, "resolved": resolved},
                 **_audit_scope(assessment))
    return record


def parse_values(method: scoring.Methodology, values: Mapping[str, Any]) -> dict[str, Any]:
    """Raw social-2014 values (as stored: numbers, booleans, levels, {"asked", "yes"} ...)
    validated and converted exactly as the assessment file's ``values`` (scoring's parser)."""
    if not values:
        return {}
    doc = {"format": 1, "methodology": method.slug, "organization": {"name": "-", "type": "-"},
           "values": dict(values)}
    try:
        return dict(scoring.parse_assessment(doc, methodology=method).values)
    except scoring.InputError as exc:
        raise ValidationError({"code": str(exc)}) from exc
