"""Every write of campaigns and fieldwork data, and the ONLY bridge to ``scoring.score``.

Fieldwork data (checklist ticks, social-2014 values, control calls, complaints) is written
only here; each change leaves an AuditEntry (before/after) and recomputes the assessment,
so the scores on the page are always those of the current inputs. Published campaigns are
read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

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
from nok.core.services import AuditScope, acting_user, audit_record
from nok.methodology.models import Methodology
from nok.methodology.services import methodology_load
from nok.organizations.access import AnyUser, role_of
from nok.organizations.models import Organization, Role

PUBLISHED_READ_ONLY = "Кампания опубликована: данные сбора доступны только для чтения"


# --- Campaigns ----------------------------------------------------------------------------------


def _campaign_snapshot(campaign: Campaign) -> dict[str, Any]:
    return {
        "title": campaign.title, "year": campaign.year,
        "period_start": campaign.period_start.isoformat() if campaign.period_start else None,
        "period_end": campaign.period_end.isoformat() if campaign.period_end else None,
        "methodology": campaign.methodology.slug if campaign.methodology_id else None,
        "operator_name": campaign.operator_name, "status": campaign.status,
    }


def _set_organizations(
    *, campaign: Campaign, organizations: Iterable[Organization], user: AnyUser | None
) -> tuple[list[int], list[int]]:
    wanted = {org.pk for org in organizations}
    current = dict(campaign.assessments.values_list("organization_id", "pk"))
    added = sorted(wanted - current.keys())
    removed = sorted(current.keys() - wanted)
    for org_id in added:
        assessment = Assessment(campaign=campaign, organization_id=org_id)
        assessment.full_clean()
        assessment.save()
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
    organizations: Iterable[Organization] = (),
) -> Campaign:
    campaign = Campaign(
        title=title, year=year, period_start=period_start, period_end=period_end,
        methodology=methodology, operator_name=operator_name,
    )
    campaign.full_clean()
    campaign.save()
    added, _ = _set_organizations(campaign=campaign, organizations=organizations, user=user)
    after = _campaign_snapshot(campaign) | {"organizations": added}
    audit_record(user=user, action="create", obj=campaign, after=after, campaign_id=campaign.pk)
    campaign_compute(campaign=campaign, user=user)
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
    organizations: Iterable[Organization] = (),
) -> Campaign:
    _ensure_editable(campaign)
    before = _campaign_snapshot(campaign)
    if methodology.pk != campaign.methodology_id and campaign.assessments.filter(
        ticks__isnull=False
    ).exists():
        raise ValidationError({"methodology": "Методику нельзя сменить: перечни уже заполняются"})
    campaign.title, campaign.year = title, year
    campaign.period_start, campaign.period_end = period_start, period_end
    campaign.methodology, campaign.operator_name = methodology, operator_name
    campaign.full_clean()
    campaign.save()
    added, removed = _set_organizations(campaign=campaign, organizations=organizations, user=user)
    after = _campaign_snapshot(campaign)
    if added or removed:
        after |= {"organizations_added": added, "organizations_removed": removed}
    audit_record(user=user, action="update", obj=campaign, before=before, after=after,
                 campaign_id=campaign.pk)
    campaign_compute(campaign=campaign, user=user)
    return campaign


# Allowed moves and who may make them.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (CampaignStatus.FIELDWORK, CampaignStatus.REVIEW): frozenset({Role.OPERATOR}),
    (CampaignStatus.REVIEW, CampaignStatus.FIELDWORK): frozenset({Role.OPERATOR}),
    (CampaignStatus.REVIEW, CampaignStatus.PUBLISHED): frozenset({Role.OPERATOR, Role.MINISTRY}),
}


def campaign_transitions_for(campaign: Campaign, user: AnyUser) -> list[tuple[str, str]]:
    """(status, label) pairs the user may move the campaign to."""
    role = role_of(user)
    return [
        (target, CampaignStatus(target).label)
        for (source, target), roles in TRANSITIONS.items()
        if source == campaign.status and role in roles
    ]


@transaction.atomic
def campaign_set_status(*, campaign: Campaign, user: AnyUser | None, status: str) -> Campaign:
    """fieldwork -> review (operator), review -> fieldwork (operator), review -> published
    (operator or ministry). Published is final. Scores are recomputed before review/publication."""
    roles = TRANSITIONS.get((campaign.status, status))
    if roles is None:
        raise ValidationError(
            {"status": f"Переход «{campaign.get_status_display()}» → «{status}» невозможен"}
        )
    if role_of(user) not in roles:
        raise PermissionDenied("Этот переход статуса вам недоступен")
    if status != CampaignStatus.FIELDWORK:
        campaign_compute(campaign=campaign, user=user)
    before = {"status": campaign.status}
    campaign.status = status
    campaign.full_clean()
    campaign.save(update_fields=["status", "updated_at"])
    audit_record(user=user, action="status", obj=campaign, before=before,
                 after={"status": status}, campaign_id=campaign.pk)
    return campaign


def _ensure_editable(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.PUBLISHED:
        raise ValidationError(PUBLISHED_READ_ONLY)


def _lock(assessment: Assessment) -> None:
    """Serialize writes to one assessment's fieldwork data (two quick saves of a checklist
    must not both insert the same tick); the campaign status is re-read under the lock."""
    locked = Assessment.objects.select_for_update().select_related("campaign").get(
        pk=assessment.pk
    )
    _ensure_editable(locked.campaign)


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


@transaction.atomic
def checklist_update(
    *,
    assessment: Assessment,
    user: AnyUser | None,
    checklist_key: str,
    items: Mapping[str, TickInput],
) -> scoring.Result:
    """Set ticks of one checklist (items not given keep their state) and recompute.

    Any item key not in the methodology's checklist is rejected, nothing is written.
    Returns the recomputed result.
    """
    _lock(assessment)
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
        after["evidence"] = tick.evidence.name or ""
        audit_record(user=user, action="create" if before is None else "update", obj=tick,
                     before=before, after=after, **_audit_scope(assessment))
    return assessment_compute(assessment=assessment, user=user)


# --- social-2014 values -------------------------------------------------------------------------


@transaction.atomic
def values_update(
    *, assessment: Assessment, user: AnyUser | None, values: Mapping[str, Any]
) -> scoring.Result:
    """Store raw social-2014 measurements by indicator code (None clears) and recompute."""
    _lock(assessment)
    method = assessment_methodology(assessment)
    codes = {ind.key for ind in method.indicators}
    unknown = sorted(set(values) - codes)
    if unknown:
        raise ValidationError({"code": f"Неизвестный код показателя «{unknown[0]}»"})
    parse_values(method, {code: raw for code, raw in values.items() if raw is not None})
    existing = {v.code: v for v in assessment.values.all()}
    for code, raw in values.items():
        row = existing.get(code)
        before = None if row is None else {"value": row.value}
        if (before or {"value": None}) == {"value": raw}:
            continue
        if row is None:
            row = IndicatorValue(assessment=assessment, code=code)
        row.value = raw
        row.updated_by = acting_user(user)
        row.full_clean()
        row.save()
        audit_record(user=user, action="create" if before is None else "update", obj=row,
                     before=before, after={"value": raw}, **_audit_scope(assessment))
    return assessment_compute(assessment=assessment, user=user)


# --- Control calls and complaints ---------------------------------------------------------------


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
    _lock(assessment)
    contact = ControlContact(
        assessment=assessment, kind=kind, date=date, time=time, form=form, answered=answered,
        effective=effective, note=note.strip(),
        created_by=acting_user(user),
    )
    contact.full_clean()
    contact.save()
    audit_record(user=user, action="create", obj=contact, after=contact.snapshot(),
                 **_audit_scope(assessment))
    assessment_compute(assessment=assessment, user=user)
    return contact


@transaction.atomic
def contact_delete(*, contact: ControlContact, user: AnyUser | None) -> None:
    assessment = contact.assessment
    _lock(assessment)
    before = contact.snapshot()
    audit_record(user=user, action="delete", obj=contact, before=before, **_audit_scope(assessment))
    contact.delete()
    assessment_compute(assessment=assessment, user=user)


@transaction.atomic
def complaints_set(
    *, assessment: Assessment, user: AnyUser | None, form: str, registered: int, resolved: int
) -> ComplaintRecord:
    """Record the complaints register of one service form (creating or replacing its figures)."""
    _lock(assessment)
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
    assessment_compute(assessment=assessment, user=user)
    return record


# --- The bridge to scoring ----------------------------------------------------------------------


def _tally_answers(tally: Any) -> tuple[dict[str, scoring.Count], int | None]:
    if tally is None:
        return {}, None
    answers = {
        key: scoring.Count(asked=int(asked), yes=int(yes))
        for key, (asked, yes) in tally.answers.items()
    }
    return answers, int(tally.respondents)


def assessment_input(
    *,
    assessment: Assessment,
    method: scoring.Methodology,
    ticks: Iterable[Any],  # ChecklistTick or selectors.TickRow
    tally: Any,
    values: Mapping[str, Any],
) -> scoring.AssessmentInput:
    """Map stored fieldwork rows onto scoring's input.

    - "items" checklists (stand, site) become ratios: present ticks / number of items;
    - "conditions" checklists become the set of ticked item keys;
    - a checklist with no tick at all is not filled yet: it is left out, so its indicator
      shows «нет данных» instead of a zero nobody measured;
    - the survey comes from the tally (``nok.surveys.selectors.survey_counts``).
    """
    present: dict[str, set[str]] = {}
    filled: set[str] = set()
    for tick in ticks:
        filled.add(tick.checklist_key)
        if tick.present:
            present.setdefault(tick.checklist_key, set()).add(tick.item_key)
    ratios: dict[str, scoring.Ratio] = {}
    conditions: dict[str, frozenset[str]] = {}
    for checklist in method.checklists:
        if checklist.key not in filled:
            continue
        keys = {item.key for item in checklist.items}
        ticked = present.get(checklist.key, set()) & keys
        if checklist.kind == "items":
            ratios[checklist.key] = scoring.Ratio(required=len(keys), present=len(ticked))
        else:
            conditions[checklist.key] = frozenset(ticked)
    survey, respondents = _tally_answers(tally)
    org = assessment.organization
    return scoring.AssessmentInput(
        methodology=method.slug,
        organization=scoring.OrganizationInfo(
            name=org.name, type=org.type.name, forms=org.forms, recipients=org.recipients or None
        ),
        ratios=ratios,
        conditions=conditions,
        survey=survey,
        respondents=respondents,
        values=parse_values(method, {c: v for c, v in values.items() if v is not None}),
    )


# social-2014 indicators measured by the control calls protocol (seed 003 codes): the share of
# effective control calls / e-mails. Used when the operator has not typed a value.
PROTOCOL_SHARES = {"0241000009": "call", "02410000010": "email"}


def derived_values(
    *, method: scoring.Methodology, organization: Organization,
    contacts: Iterable[ControlContact], complaints: Iterable[ComplaintRecord],
) -> dict[str, Any]:
    """social-2014 raw values that come from the protocol log and the complaints register.

    - 0241000009 / 02410000010: ``{"asked": received, "yes": effective}`` of calls / e-mails
      (no contact logged: no value, the channel drops out);
    - ``complaints_per_100`` indicators: registered complaints over all forms with a register
      and the organization's recipients (no register, or no recipients: no value).
    """
    if method.scale != "integral":
        return {}
    out: dict[str, Any] = {}
    rows = list(contacts)
    codes = {ind.key: ind for ind in method.indicators}
    for code, kind in PROTOCOL_SHARES.items():
        mine = [c for c in rows if c.kind == kind]
        if code in codes and mine:
            out[code] = {"asked": len(mine), "yes": sum(1 for c in mine if c.effective)}
    registers = list(complaints)
    if registers and organization.recipients:
        for ind in method.indicators:
            if ind.kind == "complaints_per_100":
                out[ind.key] = {
                    "complaints": sum(r.registered for r in registers),
                    "recipients": organization.recipients,
                }
    return out


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


def _survey_tallies(assessment_ids: list[int], *, include_flagged: bool = False) -> dict[int, Any]:
    from nok.surveys.selectors import survey_counts

    return survey_counts(assessment_ids, include_flagged=include_flagged)


def _score(
    assessment: Assessment, method: scoring.Methodology, tally: Any,
    ticks: Iterable[Any] | None = None,
) -> scoring.Result:
    values = {v.code: v.value for v in assessment.values.all()}
    if method.scale == "integral":  # typed values win over those from the protocol
        values = derived_values(
            method=method, organization=assessment.organization,
            contacts=assessment.contacts.all(), complaints=assessment.complaints.all(),
        ) | {code: value for code, value in values.items() if value is not None}
    inp = assessment_input(
        assessment=assessment, method=method,
        ticks=assessment.ticks.all() if ticks is None else ticks, tally=tally,
        values=values,
    )
    return scoring.score(method, inp)


def _headline(result: scoring.Result) -> float | None:
    return result.total if result.total is not None else result.integral


def assessment_score_preview(*, assessment: Assessment, include_flagged: bool) -> scoring.Result:
    """The result as it would be with (or without) flagged survey responses; nothing stored."""
    tally = _survey_tallies([assessment.pk], include_flagged=include_flagged).get(assessment.pk)
    return _score(assessment, assessment_methodology(assessment), tally)


@transaction.atomic
def assessment_compute(*, assessment: Assessment, user: AnyUser | None = None) -> scoring.Result:
    """Score the assessment from its current inputs and store total/result/computed_at."""
    tally = _survey_tallies([assessment.pk]).get(assessment.pk)
    result = _score(assessment, assessment_methodology(assessment), tally)
    assessment.total = _headline(result)
    assessment.result = result.to_dict()
    assessment.computed_at = timezone.now()
    assessment.save(update_fields=["total", "result", "computed_at", "updated_at"])
    return result


@transaction.atomic
def campaign_compute(*, campaign: Campaign, user: AnyUser | None = None) -> int:
    """Recompute every assessment of the campaign; returns how many were computed.

    A fixed number of queries whatever the size: assessments with organizations, their values
    (and for social-2014 contacts and complaints), all ticks as tuples, one ``survey_counts``
    call, one bulk update. A published campaign's scores are final: recomputing it is refused.
    """
    from nok.assessments.selectors import campaign_assessments_for_compute, campaign_ticks

    _ensure_editable(campaign)

    method = methodology_load(campaign.methodology)
    assessments = list(
        campaign_assessments_for_compute(campaign, protocol=method.scale == "integral")
    )
    ticks = campaign_ticks(campaign)
    tallies = _survey_tallies([a.pk for a in assessments])
    now = timezone.now()
    for assessment in assessments:
        result = _score(assessment, method, tallies.get(assessment.pk),
                        ticks.get(assessment.pk, []))
        assessment.total = _headline(result)
        assessment.result = result.to_dict()
    # Two fields vary per row (CASE WHEN, costly to build); the timestamp is one plain UPDATE.
    Assessment.objects.bulk_update(assessments, ["total", "result"], batch_size=500)
    campaign.assessments.update(computed_at=now, updated_at=now)
    return len(assessments)
