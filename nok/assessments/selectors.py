"""Reads of campaigns and assessments, scoped to the user, and the rating."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from nok.assessments.models import (
    Assessment,
    Campaign,
    ChecklistTick,
    ComplaintRecord,
    ControlContact,
)
from nok.assessments.protocol import ContactRow, ControlProtocol, control_protocol
from nok.organizations.access import (
    AnyUser,
    assigned_organizations,
    is_interviewer,
    own_organization_id,
    require_operator,
    require_role,
    scoped,
    sees_everything,
)
from nok.organizations.models import Organization

# --- Access -------------------------------------------------------------------------------------


def campaigns_visible_to(user: AnyUser) -> QuerySet[Campaign]:
    """Everyone with a role sees campaigns; organization users only those including them."""
    qs = scoped(user, Campaign.objects.select_related("methodology"), "assessments__organization_id")
    return qs if sees_everything(user) else qs.distinct()


def assessments_visible_to(user: AnyUser) -> QuerySet[Assessment]:
    qs = Assessment.objects.select_related(
        "campaign", "campaign__methodology", "organization", "organization__type"
    )
    return scoped(user, qs, "organization_id")


def neighbour_assessments(assessment: Assessment, user: AnyUser) -> tuple[int | None, int | None]:
    """The previous and next assessment of the same campaign the user sees, in the order of
    the campaign's pages (organization type, then name): for moving through 500
    organizations one after another."""
    ids = list(assessments_visible_to(user).filter(campaign_id=assessment.campaign_id)
               .order_by("organization__type__position", "organization__name", "pk")
               .values_list("pk", flat=True))
    at = ids.index(assessment.pk) if assessment.pk in ids else -1
    if at < 0:
        return None, None
    return (ids[at - 1] if at > 0 else None), (ids[at + 1] if at + 1 < len(ids) else None)


def get_campaign_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Campaign:
    """403 without a role; 404 outside the user's scope; 403 for a write by a non-operator."""
    require_role(user)
    try:
        campaign = campaigns_visible_to(user).get(pk=pk)
    except Campaign.DoesNotExist as exc:
        raise Http404("Кампания не найдена") from exc
    if write:
        require_operator(user)
    return campaign


def get_assessment_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Assessment:
    """403 without a role; 404 outside the user's scope; 403 for a write by a non-operator."""
    require_role(user)
    try:
        assessment = assessments_visible_to(user).get(pk=pk)
    except Assessment.DoesNotExist as exc:
        raise Http404("Оценка не найдена") from exc
    if write:
        require_operator(user)
    return assessment


# --- Campaign pages -----------------------------------------------------------------------------


def campaign_assessments(campaign: Campaign, user: AnyUser | None = None) -> QuerySet[Assessment]:
    """The campaign's assessments (only the user's own for organization users), in registry
    order; their progress is in ``Assessment.observed``."""
    qs = (
        campaign.assessments.select_related("organization", "organization__type")
        .order_by("organization__type__position", "organization__type__name", "organization__name")
    )
    return qs if user is None else scoped(user, qs, "organization_id")


def checklists_complete(assessments: QuerySet[Assessment], checklist_keys: list[str]) -> int:
    """How many of these assessments have every checklist recorded (a key per checklist in
    ``Assessment.observed``), counted by the database."""
    if not checklist_keys:
        return assessments.count()
    return assessments.order_by().filter(observed__has_keys=checklist_keys).count()


def campaign_organizations_for_form(campaign: Campaign | None) -> list[int]:
    if campaign is None:
        return []
    return list(campaign.assessments.values_list("organization_id", flat=True))


def organizations_by_type(type_ids: list[int]) -> QuerySet[Organization]:
    return Organization.objects.filter(type_id__in=type_ids)


# --- Assessment data ----------------------------------------------------------------------------


def assessment_ticks(assessment: Assessment) -> dict[tuple[str, str], ChecklistTick]:
    return {(t.checklist_key, t.item_key): t for t in assessment.ticks.all()}


def assessment_evidence(assessment: Assessment, tick_pk: int) -> ChecklistTick:
    """The checklist tick of this assessment that carries an evidence file; 404 otherwise."""
    found = assessment.ticks.exclude(evidence="").filter(pk=tick_pk).first()
    if found is None:
        raise Http404("Файл не найден")
    return found


def assessment_values(assessment: Assessment) -> dict[str, Any]:
    return {v.code: v.value for v in assessment.values.all()}


def assessment_contacts(assessment: Assessment) -> QuerySet[ControlContact]:
    return assessment.contacts.order_by("date", "time", "id")


def assessment_complaints(assessment: Assessment) -> dict[str, ComplaintRecord]:
    return {c.form: c for c in assessment.complaints.all()}


def protocol_of(
    organization: Organization, contacts: Iterable[ControlContact],
    complaints: Iterable[ComplaintRecord],
) -> ControlProtocol:
    """Seed-000 figures per service form of the organization, from the log and the register
    (rows already loaded: one assessment's, or a batch's prefetched ones)."""
    recipients = {key: n for key, _, _, n in organization.form_rows}
    forms = list(organization.forms)
    contacts = list(contacts)
    for contact in contacts:  # a logged form the registry no longer lists still shows
        if contact.form not in forms:
            forms.append(contact.form)
    return control_protocol(
        forms=forms,
        contacts=[ContactRow(c.kind, c.form, c.answered, c.effective) for c in contacts],
        complaints={c.form: (c.registered, c.resolved) for c in complaints},
        recipients=recipients,
    )


def assessment_protocol(assessment: Assessment) -> ControlProtocol:
    """Seed-000 figures per service form of the organization, from the log and the register."""
    return protocol_of(assessment.organization, assessment.contacts.all(),
                       assessment.complaints.all())


# Remote channels of the social-2018 checklist whose functioning the control log tests: a
# channel ticked present whose every control contact went unanswered is a contradiction.
CONTACT_CHANNELS = {"call": "phone", "email": "email"}


@dataclass(frozen=True)
class ChannelContradiction:
    item_key: str
    kind: str
    failed: int

    @property
    def text(self) -> str:
        what = "контрольных звонков" if self.kind == "call" else "контрольных обращений"
        return (f"Отмечено «имеется», но ни на один из {what} не ответили (всего: {self.failed}): "
                "канал не функционирует? Проверьте отметку или запишите причину в примечании.")


def channel_contradictions(assessment: Assessment, checklist_key: str = "remote_channels"
                           ) -> dict[str, ChannelContradiction]:
    """Remote channels ticked present although every control contact on them failed (was not
    answered): the log is evidence for «функционирование» of 1.2 under social-2018."""
    present = set(assessment.ticks.filter(checklist_key=checklist_key, present=True)
                  .values_list("item_key", flat=True))
    found: dict[str, ChannelContradiction] = {}
    for kind, item_key in CONTACT_CHANNELS.items():
        if item_key not in present:
            continue
        answered = list(assessment.contacts.filter(kind=kind).values_list("answered", flat=True))
        if answered and not any(answered):
            found[item_key] = ChannelContradiction(item_key, kind, len(answered))
    return found


def assessments_for_scoring(ids: Iterable[int], *, protocol: bool = False) -> QuerySet[Assessment]:
    """Assessments with their organization, campaign and methodology, and their typed values.

    ``protocol``: also the control contacts and complaints (social-2014 derives values from them).
    """
    lookups: list[Any] = ["values"]
    if protocol:
        lookups += ["contacts", "complaints"]
    return (
        Assessment.objects.filter(pk__in=list(ids))
        .select_related("organization", "organization__type", "campaign__methodology")
        # the methodology document is parsed once per version (methodology_load), not per row
        .defer("campaign__methodology__definition")
        .prefetch_related(*lookups)
    )


def observed_recount(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """``Assessment.observed`` as a recount of the tick rows would give it (every assessment
    of ``ids`` present, ``{}`` without ticks)."""
    ids = list(ids)
    out: dict[int, dict[str, Any]] = {pk: {} for pk in ids}
    rows = ChecklistTick.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "checklist_key", "item_key", "present").order_by()
    for assessment_id, checklist_key, item_key, present in rows.iterator(chunk_size=5000):
        entry = out[assessment_id].setdefault(checklist_key, {"present": [], "recorded": 0})
        entry["recorded"] += 1
        if present:
            entry["present"].append(item_key)
    for observed in out.values():
        for entry in observed.values():
            entry["present"].sort()
    return out


def observed_of(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The checklists of these assessments as recorded (``Assessment.observed``), one query."""
    return dict(Assessment.objects.filter(pk__in=list(ids)).values_list("pk", "observed"))


def campaigns_with_counts(user: AnyUser) -> QuerySet[Campaign]:
    org_id = own_organization_id(user)
    qs = campaigns_visible_to(user)
    if org_id is not None:
        return qs.annotate(
            n_assessments=Count("assessments", filter=Q(assessments__organization_id=org_id))
        )
    if is_interviewer(user):  # only the organizations assigned to it
        assigned = list(assigned_organizations(user).values_list("organization_id", flat=True))
        return qs.annotate(
            n_assessments=Count("assessments", filter=Q(assessments__organization_id__in=assigned))
        )
    return qs.annotate(n_assessments=Count("assessments"))
