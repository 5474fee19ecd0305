"""Reads of improvement plans, always starting from what the user may see.

Who sees which plan: the organization its own plans (any state); the ministry and the operator
every plan; the public council the approved plans only (they are public); anyone else none.
Outside that scope a plan answers 404; changing it is the organization's alone (403 for others).

For the public results page: :func:`published_plans` (a campaign's approved plans) and
:func:`approved_plan_of` (an organization's, or None).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

import scoring
from nok.assessments.models import Assessment, Campaign
from nok.core.models import AuditEntry
from nok.organizations.access import AnyUser, own_organization_id, require_role, role_of, scoped
from nok.organizations.models import Organization, Role
from nok.plans.followup import Check, Outcome, check_all
from nok.plans.models import Plan, PlanItem, PlanStatus, ReportStatus, roman
from nok.scores.models import Snapshot, SnapshotRow, SnapshotStage
from nok.scores.selectors import published_assessment_result, snapshot_methodology

# --- access -------------------------------------------------------------------------------------


def plans_visible_to(user: AnyUser) -> QuerySet[Plan]:
    qs = Plan.objects.select_related("organization", "organization__type", "campaign",
                                     "assessment", "snapshot")
    if role_of(user) == Role.COUNCIL:
        return qs.filter(status=PlanStatus.APPROVED)
    return scoped(user, qs, "organization_id")


def get_plan_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Plan:
    """403 without a role; 404 outside the user's scope; 403 for a change by anyone but the
    organization itself (the ministry's decisions check its role in the services)."""
    require_role(user)
    try:
        plan = plans_visible_to(user).get(pk=pk)
    except Plan.DoesNotExist as exc:
        raise Http404("План не найден") from exc
    if write and own_organization_id(user) != plan.organization_id:
        raise PermissionDenied("Изменять план может только сама организация")
    return plan


def plan_item_of(plan: Plan, item_pk: int) -> PlanItem:
    found = plan.items.filter(pk=item_pk).first()
    if found is None:
        raise Http404("Строка плана не найдена")
    return found


def plan_evidence(plan: Plan, item_pk: int) -> PlanItem:
    """The row of this plan that carries an evidence file; 404 otherwise."""
    found = plan.items.exclude(evidence="").filter(pk=item_pk).first()
    if found is None:
        raise Http404("Файл не найден")
    return found


def plan_methodology(plan: Plan) -> scoring.Methodology:
    """The methodology of the published results the plan was drafted from."""
    return snapshot_methodology(plan.snapshot)


def criterion_choices(plan: Plan) -> list[tuple[str, str]]:
    return [(c.key, f"{roman(n)}. {c.title}")
            for n, c in enumerate(plan_methodology(plan).criteria, start=1)]


# --- for the public results page ----------------------------------------------------------------


def published_plans(campaign: Campaign) -> QuerySet[Plan]:
    """The campaign's approved plans (public), organizations in registry order, rows in the
    order of the official form."""
    return (Plan.objects.filter(campaign=campaign, status=PlanStatus.APPROVED)
            .select_related("organization", "organization__type", "campaign")
            .prefetch_related(Prefetch("items", PlanItem.objects.order_by(
                "criterion_number", "position", "pk")))
            .order_by("organization__type__position", "organization__type__name",
                      "organization__name"))


def approved_plan_of(assessment: Assessment) -> Plan | None:
    """The organization's approved plan for this campaign, or None."""
    return published_plans(assessment.campaign).filter(assessment=assessment).first()


# --- one plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    number: int
    item: PlanItem
    overdue: bool
    check: Check | None = None


@dataclass
class Section:
    """A criterion of the official form with its rows."""

    number: int
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def roman(self) -> str:
        return roman(self.number)


def plan_items(plan: Plan) -> list[PlanItem]:
    return list(plan.items.select_related("reported_by", "reviewed_by")
                .order_by("criterion_number", "position", "pk"))


def plan_sections(plan: Plan, today: dt.date, checks: dict[str, Check] | None = None
                  ) -> list[Section]:
    """The plan's rows grouped by criterion I–V as in the official form, numbered through,
    each marked overdue (an approved plan's planned date passed, its report not accepted) and
    with the next round's outcome where there is one."""
    sections: dict[int, Section] = {}
    for number, item in enumerate(plan_items(plan), start=1):
        section = sections.setdefault(item.criterion_number,
                                      Section(item.criterion_number, item.criterion_title))
        section.rows.append(Row(number, item, plan.approved and item.overdue_on(today),
                                (checks or {}).get(item.shortcoming_key)))
    return list(sections.values())


def plan_history(plan: Plan) -> QuerySet[AuditEntry]:
    """The plan's way, newest first, with who and when: drafted, submitted, approved or
    returned, and each report sent, accepted or returned (the edits of single rows are in
    the organization's journal)."""
    item_ids = [str(pk) for pk in plan.items.values_list("pk", flat=True)]
    return (AuditEntry.objects.select_related("user")
            .filter(Q(object_type="plans.plan", object_id=str(plan.pk))
                    | Q(object_type="plans.planitem", object_id__in=item_ids, action="status")
                    | Q(object_type="plans.planitem", object_id__in=item_ids, action="update",
                        after__report_status=ReportStatus.SENT)))


def last_responsible(plan: Plan) -> tuple[str, str]:
    """The responsible person of the row filled in last (offered for the next row)."""
    found = (plan.items.exclude(responsible_name="").order_by("-updated_at")
             .values_list("responsible_name", "responsible_position").first())
    return found or ("", "")


# --- the next round -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """The earlier shortcomings checked against a later campaign's published results."""

    campaign: Campaign
    assessment: Assessment
    earlier: list[scoring.Shortcoming]
    checks: dict[str, Check]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for s in self.earlier if self.checks[s.key].outcome == outcome)

    @property
    def resolved(self) -> int:
        return self.count(Outcome.RESOLVED)

    @property
    def persisting(self) -> int:
        return self.count(Outcome.PERSISTING)

    @property
    def unchecked(self) -> int:
        return self.count(Outcome.UNCHECKED)

    def rows(self) -> list[tuple[scoring.Shortcoming, Check]]:
        return [(s, self.checks[s.key]) for s in self.earlier]


def _published_ids(campaign_ids: list[int]) -> set[int]:
    return set(Snapshot.objects.filter(campaign_id__in=campaign_ids, stage=SnapshotStage.PUBLISHED)
               .values_list("campaign_id", flat=True))


def next_assessment(assessment: Assessment) -> Assessment | None:
    """The organization's first later campaign (by year, then start) with published results."""
    campaign = assessment.campaign
    later = list(Assessment.objects.filter(organization_id=assessment.organization_id)
                 .filter(Q(campaign__year__gt=campaign.year)
                         | Q(campaign__year=campaign.year,
                             campaign__period_start__gt=campaign.period_start))
                 .select_related("campaign", "organization")
                 .order_by("campaign__year", "campaign__period_start"))
    published = _published_ids([a.campaign_id for a in later])
    return next((a for a in later if a.campaign_id in published), None)


def follow_up(plan: Plan) -> FollowUp | None:
    """Each shortcoming of the plan's results (and of its rows) as устранён / сохраняется / не
    проверен in the organization's next campaign with published results; None until then."""
    later = next_assessment(plan.assessment)
    if later is None:
        return None
    later_result = published_assessment_result(later)
    earlier_result = published_assessment_result(plan.assessment)
    if later_result is None or earlier_result is None:
        return None
    earlier = list(earlier_result.shortcomings())
    known = {s.key for s in earlier}
    for item in plan.items.exclude(shortcoming_key="").order_by("criterion_number", "position"):
        if item.shortcoming_key not in known:  # drafted from an earlier edition of the results
            earlier.append(scoring.Shortcoming(item.shortcoming_key, item.criterion,
                                               item.indicator, item.shortcoming, item.measure,
                                               item.value))
            known.add(item.shortcoming_key)
    checks = check_all([(s.key, s.indicator) for s in earlier], later_result.methodology,
                       later_result.result, later_result.shortcomings())
    return FollowUp(later.campaign, later, earlier, checks)


# --- the organization's plans -------------------------------------------------------------------


@dataclass(frozen=True)
class OwnRow:
    """One campaign of the organization: whether its results are published, its plan."""

    assessment: Assessment
    published: bool
    plan: Plan | None
    overdue: int


def organization_plans(organization_id: int, today: dt.date) -> list[OwnRow]:
    assessments = list(Assessment.objects.filter(organization_id=organization_id)
                       .select_related("campaign", "organization")
                       .order_by("-campaign__year", "-campaign__period_start"))
    published = _published_ids([a.campaign_id for a in assessments])
    plans = {p.assessment_id: p for p in _with_counts(
        Plan.objects.filter(organization_id=organization_id), today)}
    return [OwnRow(a, a.campaign_id in published, plans.get(a.pk),
                   getattr(plans.get(a.pk), "n_overdue", 0))
            for a in assessments]


def _overdue_q(today: dt.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}planned_date__lt": today})
            & ~Q(**{f"{prefix}report_status": ReportStatus.ACCEPTED}))


def _with_counts(plans: QuerySet[Plan], today: dt.date) -> QuerySet[Plan]:
    """Each plan with ``n_items``, ``n_accepted`` and ``n_overdue`` (rows of an approved plan
    whose planned date passed and whose report is not accepted). Without the snapshot: the
    grouping would carry its methodology document on every row (seconds on a real region)."""
    light = plans.select_related(None).select_related("organization", "organization__type",
                                                      "campaign", "assessment")
    return light.annotate(
        n_items=Count("items"),
        n_accepted=Count("items", filter=Q(items__report_status=ReportStatus.ACCEPTED)),
        n_overdue=Count("items", filter=Q(status=PlanStatus.APPROVED)
                        & _overdue_q(today, "items__")),
    )


def overdue_items(plans: QuerySet[Plan], today: dt.date) -> QuerySet[PlanItem]:
    """Rows of these plans (approved ones) whose planned date passed, report not accepted;
    the longest overdue first."""
    return (PlanItem.objects.filter(plan__in=plans.filter(status=PlanStatus.APPROVED))
            .filter(_overdue_q(today))
            .select_related("plan", "plan__organization", "plan__campaign")
            .order_by("planned_date", "plan__organization__name", "pk"))


# --- the ministry's dashboard -------------------------------------------------------------------


NO_PLAN = "none"
OVERDUE_SHOWN = 30
STATUS_ORDER = [NO_PLAN, PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED,
                PlanStatus.APPROVED]
STATUS_LABELS = {NO_PLAN: "план не составлен"} | {s.value: s.label for s in PlanStatus}


@dataclass
class OrganizationRow:
    assessment: Assessment
    plan: Plan | None
    items: int = 0
    accepted: int = 0
    overdue: int = 0

    @property
    def status(self) -> str:
        return self.plan.status if self.plan is not None else NO_PLAN

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class TypeRow:
    type: str
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    def labelled(self) -> list[tuple[str, int]]:
        """(status label, how many organizations) in the order of the dashboard's columns."""
        return [(STATUS_LABELS[status], self.counts.get(status, 0)) for status in STATUS_ORDER]

    @property
    def organizations(self) -> int:
        return sum(self.counts.values())


@dataclass
class Dashboard:
    """Plans of one campaign: how many in each state, per organization type and per
    organization, and the overdue measures."""

    campaign: Campaign
    statuses: list[tuple[str, str, int]]  # (status, label, how many organizations)
    types: list[TypeRow]
    organizations: list[OrganizationRow]
    overdue: list[PlanItem]  # the longest overdue first, at most OVERDUE_SHOWN
    overdue_total: int


def campaigns_with_published_results() -> QuerySet[Campaign]:
    return (Campaign.objects.filter(snapshots__stage=SnapshotStage.PUBLISHED).distinct()
            .order_by("-year", "-period_start", "-pk"))


def default_campaign(user: AnyUser, campaigns: QuerySet[Campaign]) -> Campaign | None:
    """The dashboard's campaign when none is chosen: the latest with a plan the user sees,
    else the latest published (a newer campaign's plans are drafted after a while)."""
    with_plans = campaigns.filter(pk__in=plans_visible_to(user).values("campaign_id"))
    return with_plans.first() or campaigns.first()


def status_counts(user: AnyUser, campaign: Campaign, today: dt.date
                  ) -> tuple[list[tuple[str, str, int]], list[TypeRow], int]:
    """How many of the campaign's organizations are in each plan state (``NO_PLAN`` without
    one), in total and per organization type with its overdue measures, and the overdue
    measures in all — by aggregates, whatever the number of organizations. The public
    council counts the approved plans only."""
    everyone = role_of(user) != Role.COUNCIL
    visible = plans_visible_to(user).filter(campaign=campaign)
    counts = (campaign.assessments.order_by()
              .values_list("organization__type__position", "organization__type__name",
                           "plan__status")
              .annotate(n=Count("pk")))
    overdue_by_type = dict(
        overdue_items(visible, today).order_by()
        .values_list("plan__organization__type__name").annotate(n=Count("pk")))
    types: dict[str, TypeRow] = {}
    totals: dict[str, int] = defaultdict(int)
    for _, type_name, status, n in sorted(counts, key=lambda r: (r[0], r[1])):
        status = status or NO_PLAN
        if not everyone and status != PlanStatus.APPROVED:
            continue
        row = types.setdefault(type_name,
                               TypeRow(type_name, overdue=overdue_by_type.get(type_name, 0)))
        row.counts[status] = row.counts.get(status, 0) + n
        totals[status] += n
    statuses = [(s, STATUS_LABELS[s], totals.get(s, 0)) for s in STATUS_ORDER
                if everyone or s == PlanStatus.APPROVED]
    return statuses, list(types.values()), sum(overdue_by_type.values())


def dashboard(user: AnyUser, campaign: Campaign, today: dt.date) -> Dashboard:
    """The campaign's plans as the user may see them (the public council: approved ones)."""
    visible = plans_visible_to(user).filter(campaign=campaign)
    plans = {p.assessment_id: p for p in _with_counts(visible, today)}
    everyone = role_of(user) != Role.COUNCIL
    assessments = (campaign.assessments.select_related("organization", "organization__type")
                   .order_by("organization__type__position", "organization__type__name",
                             "organization__name"))
    rows = [OrganizationRow(a, plans.get(a.pk), getattr(plans.get(a.pk), "n_items", 0),
                            getattr(plans.get(a.pk), "n_accepted", 0),
                            getattr(plans.get(a.pk), "n_overdue", 0))
            for a in assessments if everyone or a.pk in plans]
    statuses, types, overdue_total = status_counts(user, campaign, today)
    overdue = overdue_items(visible, today)
    return Dashboard(campaign, statuses, types, rows, list(overdue[:OVERDUE_SHOWN]), overdue_total)


# --- reminders ----------------------------------------------------------------------------------


@dataclass
class Reminder:
    """An organization's measures to remind of: per approved plan, the overdue rows and the
    rows due within the window; the e-mail addresses of its active users."""

    organization: Organization
    addresses: tuple[str, ...]
    plans: list[tuple[Plan, list[PlanItem], list[PlanItem]]]


def reminders_due(*, today: dt.date, days: int) -> list[Reminder]:
    """Rows of approved plans not yet reported or returned (a report sent waits for the
    ministry, not for the organization) whose planned date is before ``today + days``."""
    items = (PlanItem.objects.filter(plan__status=PlanStatus.APPROVED,
                                     planned_date__lte=today + dt.timedelta(days=days),
                                     report_status__in=[ReportStatus.NOT_STARTED,
                                                        ReportStatus.RETURNED])
             .select_related("plan", "plan__organization", "plan__campaign")
             .order_by("plan__organization__name", "plan__organization_id", "plan_id",
                       "planned_date", "pk"))
    by_plan: dict[int, tuple[Plan, list[PlanItem], list[PlanItem]]] = {}
    for item in items:
        entry = by_plan.setdefault(item.plan_id, (item.plan, [], []))
        assert item.planned_date is not None
        (entry[1] if item.planned_date < today else entry[2]).append(item)
    org_ids = {plan.organization_id for plan, _, _ in by_plan.values()}
    addresses: dict[int, list[str]] = defaultdict(list)
    for org_id, email in (User.objects.filter(is_active=True,
                                              membership__role=Role.ORGANIZATION,
                                              membership__organization_id__in=org_ids)
                          .exclude(email="").order_by("email")
                          .values_list("membership__organization_id", "email")):
        addresses[org_id].append(email)
    reminders: dict[int, Reminder] = {}
    for plan, overdue, due in by_plan.values():
        reminder = reminders.setdefault(plan.organization_id, Reminder(
            plan.organization, tuple(addresses.get(plan.organization_id, ())), []))
        reminder.plans.append((plan, overdue, due))
    return list(reminders.values())


# --- results year over year ---------------------------------------------------------------------


@dataclass(frozen=True)
class YearResult:
    """The organization's published results of one campaign: criteria and the total."""

    campaign: Campaign
    assessment_id: int
    scale: str
    criteria: tuple[tuple[str, str, float | None], ...]  # (key, title, value)
    total: float | None

    @property
    def comparable(self) -> bool:
        """On the 100-point scale (social-2018): the chart compares these only."""
        return self.scale == "criteria-100"


def results_by_year(organization: Organization) -> list[YearResult]:
    """The organization's published results, oldest campaign first (the latest published
    edition of each)."""
    assessments = {a.campaign_id: a for a in Assessment.objects.filter(organization=organization)
                   .select_related("campaign")}
    snapshots: dict[int, Snapshot] = {}
    for snapshot in Snapshot.objects.filter(campaign_id__in=list(assessments),
                                            stage=SnapshotStage.PUBLISHED):
        snapshots.setdefault(snapshot.campaign_id, snapshot)  # the latest first (Meta.ordering)
    rows = {snapshot_id: results for snapshot_id, results in SnapshotRow.objects.filter(
        snapshot__in=list(snapshots.values()), organization=organization)
        .values_list("snapshot_id", "results")}
    out = []
    for campaign_id, snapshot in snapshots.items():
        results = rows.get(snapshot.pk)
        if results is None:
            continue
        methodology = snapshot_methodology(snapshot)
        criteria = results.get("criteria") or {}
        out.append(YearResult(
            assessments[campaign_id].campaign, assessments[campaign_id].pk, methodology.scale,
            tuple((c.key, c.title, criteria.get(c.key)) for c in methodology.criteria),
            results.get("total")))
    return sorted(out, key=lambda r: (r.campaign.year, r.campaign.period_start, r.campaign.pk))
