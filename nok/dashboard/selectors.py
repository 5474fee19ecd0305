"""Reads for the cross-app pages: the audit trail and the organization card, always starting
from what the user may see; and (a section of its own, below) the start page of each role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse

import scoring
from nok.assessments.models import Assessment, Campaign, CampaignStatus
from nok.core.models import AuditEntry
from nok.methodology.services import methodology_load
from nok.organizations.access import AnyUser, organizations_visible_to, scoped, sees_everything
from nok.organizations.models import Organization
from nok.plans.models import Plan, PlanItem, PlanStatus, ReportStatus
from nok.plans.selectors import (
    OwnRow,
    TypeRow,
    YearResult,
    campaigns_with_published_results,
    default_campaign,
    organization_plans,
    overdue_items,
    plans_visible_to,
    results_by_year,
    status_counts,
)
from nok.scores.models import Snapshot, SnapshotRow
from nok.scores.selectors import (
    assessment_totals,
    published_assessment_result,
    published_snapshot,
    snapshot_methodology,
)
from nok.siteaudit.models import Decision, RunStatus, SiteAuditRun
from nok.surveys.models import ImportJob
from nok.surveys.selectors import sample_statuses


def audit_entries_visible_to(user: AnyUser) -> QuerySet[AuditEntry]:
    """Operator, ministry and council see every entry; an organization user sees the entries
    of their own organization; anyone else sees none."""
    return scoped(user, AuditEntry.objects.select_related("user"), "organization_id")


def audit_entries_for_organization(user: AnyUser, organization_id: int) -> QuerySet[AuditEntry]:
    return audit_entries_visible_to(user).filter(organization_id=organization_id)


def audit_journal(
    user: AnyUser,
    *,
    organization_id: int | None = None,
    organization_search: str = "",
    campaign_id: int | None = None,
    user_id: int | None = None,
    user_search: str = "",
    object_type: str = "",
) -> QuerySet[AuditEntry]:
    """The journal with its filters applied (each filter is optional). ``organization_search``
    keeps the entries of the organizations ``organizations_found`` finds, ``user_search``
    those of the people ``people_found`` finds; both within what ``user`` may see."""
    filters: dict[str, Any] = {
        "organization_id": organization_id, "campaign_id": campaign_id, "user_id": user_id,
        "object_type": object_type or None,
    }
    entries = audit_entries_visible_to(user).filter(
        **{k: v for k, v in filters.items() if v is not None}
    )
    if organization_search:
        entries = entries.filter(
            organization_id__in=organizations_found(user, organization_search).values("pk"))
    if user_search:
        entries = entries.filter(user_id__in=people_found(user, user_search).values("pk"))
    return entries


def organizations_found(user: AnyUser, text: str) -> QuerySet[Organization]:
    """The organizations ``user`` may see whose full or short name contains ``text``, or
    whose ИНН is ``text`` exactly; by name. Letter case is ignored on PostgreSQL; SQLite
    ignores it for Latin letters only (as the registry's search)."""
    return organizations_visible_to(user).filter(
        Q(name__icontains=text) | Q(short_name__icontains=text) | Q(inn=text)
    ).order_by("name", "pk")


def audit_people(user: AnyUser) -> QuerySet[User]:
    """The people who made an entry of the journal ``user`` may see: an organization user
    learns of no one who only changed other organizations' data."""
    made = audit_entries_visible_to(user).filter(user_id=OuterRef("pk"))
    return User.objects.filter(Exists(made)).order_by("last_name", "first_name", "username")


def people_found(user: AnyUser, text: str) -> QuerySet[User]:
    """The ``audit_people`` of ``user`` with every word of ``text`` in their first name, last
    name or login (so «Ольга Операторова» finds her, in either order). A viewer who does not
    see everything (an organization) matches names only: the page never shows it logins, and
    counting the matches of typed letters would spell them out."""
    logins = sees_everything(user)
    words = [Q(first_name__icontains=w) | Q(last_name__icontains=w)
             | (Q(username__icontains=w) if logins else Q(pk__in=[]))
             for w in text.split()]
    return audit_people(user).filter(*words)


@dataclass(frozen=True)
class Found:
    """What a typed filter found: the first few (to name on the page) and how many in all."""

    first: list[Any]
    total: int

    @property
    def more(self) -> int:
        """How many were found beyond those named."""
        return self.total - len(self.first)


FOUND_NAMED = 5  # organizations (people) a typed filter names on the page


def found(qs: QuerySet[Any]) -> Found:
    """The first ``FOUND_NAMED`` of ``qs`` and its count: one query unless there are more."""
    first = list(qs[: FOUND_NAMED + 1])
    total = len(first) if len(first) <= FOUND_NAMED else qs.count()
    return Found(first[:FOUND_NAMED], total)


@dataclass(frozen=True)
class AuditFound:
    """What the journal's typed filters found (None: that filter is empty)."""

    organizations: Found | None
    people: Found | None


def audit_found(user: AnyUser, *, organization_search: str = "", user_search: str = "") -> AuditFound:
    return AuditFound(
        organizations=found(organizations_found(user, organization_search)) if organization_search else None,
        people=found(people_found(user, user_search)) if user_search else None,
    )


def audit_object_types(user: AnyUser) -> list[str]:
    """The kinds of object the journal of ``user`` speaks of (read as distinct values by the
    database, not entry by entry)."""
    return list(audit_entries_visible_to(user).order_by("object_type")
                .values_list("object_type", flat=True).distinct())


def _url_or_none(name: str, pk: int) -> str | None:
    # Campaign pages are built by another part of the project; link only once they exist.
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def organization_campaigns(organization: Organization, user: AnyUser) -> list[dict[str, Any]]:
    """The campaigns the organization took part in, newest first. The total is shown to
    ministry/operator/council always, to the organization once the campaign is published."""
    assessments = list(Assessment.objects.filter(organization=organization)
                       .select_related("campaign", "campaign__methodology")
                       .order_by("-campaign__year", "-campaign__period_start"))
    totals = assessment_totals(assessments, published_only=not sees_everything(user))
    rows = []
    for a in assessments:
        rows.append({
            "campaign": a.campaign,
            "assessment": a,
            "total": totals.get(a.pk),
            "campaign_url": _url_or_none("scores:campaign", a.campaign_id),
            "assessment_url": _url_or_none("scores:assessment", a.pk),
        })
    return rows


# --- the start page ---------------------------------------------------------------------------
#
# What each role sees first: the region at a glance (ministry, public council), the work queue
# (operator), the organization's own results and plan (organization user). Every figure is read
# in a fixed number of queries whatever the number of organizations: progress from the kept
# checklist record (``Assessment.observed``) and survey counters (``sample_statuses``), results
# from the stored snapshots, plans from ``nok.plans.selectors``.

CURRENT_SHOWN = 3  # current campaigns on the start page (the newest)
QUEUE_SHOWN = 5  # organizations named per line of the operator's queue
DUE_DAYS = 30  # plan measures «due soon»


@dataclass(frozen=True)
class OrgProgress:
    """One organization's fieldwork in one campaign. ``checklists_done`` is None when the
    methodology has no checklists (social-2014 takes measured values instead)."""

    assessment_id: int
    organization_id: int
    name: str
    type: str
    municipality: str
    checklists_done: bool | None
    responses: int
    minimum: int
    flagged: int
    recipients_known: bool

    @property
    def sample_reached(self) -> bool:
        return self.recipients_known and self.responses >= self.minimum

    @property
    def ready(self) -> bool:
        """Every precondition of publication met (as ``nok.scores.selectors.unmet_preconditions``
        states them): checklists complete, the sample at least the minimum, nothing waiting
        for review."""
        return self.checklists_done is not False and self.sample_reached and not self.flagged


def _percent(part: int, whole: int) -> int:
    return int(part * 100 / whole) if whole else 0


@dataclass
class Progress:
    """The organizations of one group — a type, a municipality, the whole campaign — and how
    far their fieldwork is."""

    label: str
    organizations: int = 0
    checklists_done: int = 0
    sample_reached: int = 0
    ready: int = 0
    responses: int = 0
    needed: int = 0  # the sum of the organizations' minimum samples
    counted_to_minimum: int = 0  # responses, each organization's capped at its minimum
    flagged: int = 0

    def add(self, row: OrgProgress) -> None:
        self.organizations += 1
        self.checklists_done += row.checklists_done is not False
        self.sample_reached += row.sample_reached
        self.ready += row.ready
        self.responses += row.responses
        self.needed += row.minimum
        self.counted_to_minimum += min(row.responses, row.minimum)
        self.flagged += row.flagged

    @property
    def checklists_percent(self) -> int:
        return _percent(self.checklists_done, self.organizations)

    @property
    def sample_percent(self) -> int:
        return _percent(self.sample_reached, self.organizations)

    @property
    def ready_percent(self) -> int:
        return _percent(self.ready, self.organizations)

    @property
    def responses_percent(self) -> int:
        """Responses toward the minimum samples (an organization past its minimum counts only
        up to it)."""
        return _percent(self.counted_to_minimum, self.needed) if self.needed else 100


@dataclass
class CampaignProgress:
    campaign: Campaign
    today: dt.date
    total: Progress
    by_type: list[Progress]
    by_municipality: list[Progress]
    rows: list[OrgProgress]
    has_checklists: bool

    @property
    def days_left(self) -> int:
        return (self.campaign.period_end - self.today).days

    @property
    def days_over(self) -> int:
        """Days since the period ended (0 before its end)."""
        return max(0, -self.days_left)

    @property
    def incomplete(self) -> list[OrgProgress]:
        return [r for r in self.rows if r.checklists_done is False]

    @property
    def short(self) -> list[OrgProgress]:
        return [r for r in self.rows if not r.sample_reached]

    @property
    def waiting(self) -> list[OrgProgress]:
        return sorted((r for r in self.rows if r.flagged), key=lambda r: -r.flagged)


def _checklists_done(observed: dict[str, Any], checklists: Sequence[scoring.Checklist]) -> bool:
    """Every item of every checklist has a tick (the rule of publication's preconditions)."""
    return all(observed.get(ch.key, {}).get("recorded", 0) >= len(ch.items) for ch in checklists)


def current_campaigns() -> list[Campaign]:
    """The campaigns not yet published (fieldwork, review), newest first."""
    return list(Campaign.objects.exclude(status=CampaignStatus.PUBLISHED)
                .select_related("methodology")
                .order_by("-year", "-period_start", "-pk")[:CURRENT_SHOWN])


def campaign_progress(campaign: Campaign, today: dt.date) -> CampaignProgress:
    """Fieldwork progress of every organization of the campaign, by type and by municipality
    (five queries whatever the number of organizations)."""
    methodology = methodology_load(campaign.methodology)
    rows_raw = list(campaign.assessments.order_by(
        "organization__type__position", "organization__type__name", "organization__name",
    ).values_list("pk", "organization_id", "organization__short_name", "organization__name",
                  "organization__type__name", "organization__municipality", "observed"))
    samples = sample_statuses([r[0] for r in rows_raw])
    rows = []
    for pk, org_id, short, name, type_name, municipality, observed in rows_raw:
        sample = samples[pk]
        rows.append(OrgProgress(
            pk, org_id, short or name, type_name, municipality or "",
            _checklists_done(observed or {}, methodology.checklists)
            if methodology.checklists else None,
            sample.responses, sample.minimum, sample.flagged, sample.minimum > 0))
    total = Progress("Все организации")
    types: dict[str, Progress] = {}
    places: dict[str, Progress] = {}
    for row in rows:
        total.add(row)
        types.setdefault(row.type, Progress(row.type)).add(row)
        places.setdefault(row.municipality, Progress(row.municipality or "не указано")).add(row)
    by_municipality = sorted(places.values(),
                             key=lambda p: (p.label == "не указано", p.label.casefold()))
    return CampaignProgress(campaign, today, total, list(types.values()), by_municipality, rows,
                            bool(methodology.checklists))


# --- published results of the region ----------------------------------------------------------


@dataclass(frozen=True)
class TypeResult:
    type: str
    organizations: int
    rated: int
    average: float | None


@dataclass(frozen=True)
class RegionResults:
    """The latest published results: averages of the criteria and of the total over the
    organizations that have them, and per organization type."""

    campaign: Campaign
    snapshot: Snapshot
    scale: str
    criteria: tuple[tuple[str, str, float | None], ...]  # (key, title, regional average)
    total: float | None
    organizations: int
    rated: int
    types: tuple[TypeResult, ...]

    @property
    def comparable(self) -> bool:
        return self.scale == "criteria-100"


def _mean(values: Iterable[float | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def latest_published_results() -> RegionResults | None:
    """The region's latest published campaign read from its published snapshot (three
    queries)."""
    campaign = campaigns_with_published_results().select_related("methodology").first()
    snapshot = published_snapshot(campaign) if campaign is not None else None
    if campaign is None or snapshot is None:
        return None
    methodology = snapshot_methodology(snapshot)
    rows = list(snapshot.rows.order_by("type_position", "organization_type").values_list(
        "organization_type", "total", "place", "results__criteria"))
    criteria = tuple(
        (c.key, c.title, _mean((r[3] or {}).get(c.key) for r in rows))
        for c in methodology.criteria)
    types: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        types.setdefault(row[0], []).append(row)
    return RegionResults(
        campaign, snapshot, methodology.scale, criteria, _mean(r[1] for r in rows), len(rows),
        sum(1 for r in rows if r[2] is not None),
        tuple(TypeResult(name, len(members), sum(1 for r in members if r[2] is not None),
                         _mean(r[1] for r in members)) for name, members in types.items()))


# --- plans --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanDeadlines:
    """Over every campaign: measures of approved plans not yet accepted — overdue, due within
    ``DUE_DAYS`` —, reports waiting for the ministry, plans waiting for its approval."""

    overdue: int
    due_soon: int
    next_due: tuple[PlanItem, ...]
    reports_waiting: int  # reports sent, waiting for the ministry's decision
    submitted: int  # plans sent for approval


def plan_deadlines(plans: QuerySet[Plan], today: dt.date) -> PlanDeadlines:
    """Four queries whatever the number of plans."""
    items = PlanItem.objects.filter(plan__in=plans.filter(status=PlanStatus.APPROVED))
    open_items = items.exclude(report_status=ReportStatus.ACCEPTED)
    counts = open_items.aggregate(
        overdue=Count("pk", filter=Q(planned_date__lt=today)),
        due_soon=Count("pk", filter=Q(planned_date__gte=today,
                                      planned_date__lte=today + dt.timedelta(days=DUE_DAYS))),
        waiting=Count("pk", filter=Q(report_status=ReportStatus.SENT)),
    )
    upcoming = (open_items.filter(planned_date__gte=today)
                .select_related("plan", "plan__organization")
                .order_by("planned_date", "plan__organization__name", "pk")[:QUEUE_SHOWN])
    return PlanDeadlines(counts["overdue"], counts["due_soon"], tuple(upcoming),
                         counts["waiting"], plans.filter(status=PlanStatus.SUBMITTED).count())


@dataclass(frozen=True)
class PlanSummary:
    """The plans of one campaign: how many organizations in each state (``plans.selectors``'
    states and labels), per type, and the longest overdue measures. The public council counts
    the approved plans only, as on the plans dashboard."""

    campaign: Campaign
    statuses: list[tuple[str, str, int]]  # (status, label, organizations)
    types: list[TypeRow]
    overdue: list[PlanItem]  # the longest overdue first, at most QUEUE_SHOWN
    overdue_total: int


def plan_summary(user: AnyUser, campaign: Campaign, today: dt.date) -> PlanSummary:
    """Three aggregate queries whatever the number of organizations and measures."""
    statuses, types, overdue_total = status_counts(user, campaign, today)
    visible = plans_visible_to(user).filter(campaign=campaign)
    return PlanSummary(campaign, statuses, types,
                       list(overdue_items(visible, today)[:QUEUE_SHOWN]), overdue_total)


@dataclass(frozen=True)
class Board:
    """The start page of the ministry and the public council."""

    today: dt.date
    progress: list[CampaignProgress]
    results: RegionResults | None
    plans: PlanSummary | None
    deadlines: PlanDeadlines
    in_review: list[Campaign]


def region_board(user: AnyUser, today: dt.date) -> Board:
    """The region at a glance, as the user may see it (the public council: approved plans)."""
    current = current_campaigns()
    campaigns = campaigns_with_published_results()
    plans_campaign = default_campaign(user, campaigns)
    visible = plans_visible_to(user)
    return Board(
        today,
        [campaign_progress(c, today) for c in current],
        latest_published_results(),
        plan_summary(user, plans_campaign, today) if plans_campaign is not None else None,
        plan_deadlines(visible, today),
        [c for c in current if c.status == CampaignStatus.REVIEW],
    )


# --- the operator's work queue ------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """An organization of an assessment named on the start page, with how many of something."""

    assessment_id: int
    name: str
    count: int = 0


@dataclass(frozen=True)
class Queue:
    """What the operator has to do in the campaigns in fieldwork."""

    today: dt.date
    progress: list[CampaignProgress]
    imports: list[ImportJob]
    imports_total: int
    audits: list[Named]  # latest website audits with suggestions waiting for a decision
    audits_pending: int  # suggestions waiting, over all of them
    audits_total: int
    no_calls: list[Named]
    no_calls_total: int
    in_review: list[Campaign]

    @property
    def collecting(self) -> list[CampaignProgress]:
        return [p for p in self.progress if p.campaign.collecting]

    @property
    def audits_more(self) -> int:
        return self.audits_total - len(self.audits)

    @property
    def no_calls_more(self) -> int:
        return self.no_calls_total - len(self.no_calls)


def _latest_audits_pending(campaign_ids: list[int]) -> list[Named]:
    """The organizations whose latest finished website audit has suggestions waiting for the
    operator's decision (one query; a run per assessment and audit)."""
    runs = (SiteAuditRun.objects.filter(assessment__campaign_id__in=campaign_ids,
                                        status=RunStatus.DONE)
            .annotate(pending=Count("findings", filter=Q(findings__decision=Decision.PENDING)))
            .order_by("assessment_id", "-created_at", "-id")
            .values_list("assessment_id", "assessment__organization__short_name",
                         "assessment__organization__name", "pending"))
    latest: dict[int, Named] = {}
    for aid, short, name, pending in runs:
        latest.setdefault(aid, Named(aid, short or name, pending))
    return sorted((n for n in latest.values() if n.count),
                  key=lambda n: (-n.count, n.name.casefold()))


def operator_queue(today: dt.date) -> Queue:
    current = current_campaigns()
    collecting = [c.pk for c in current if c.collecting]
    imports = (ImportJob.objects.filter(assessment__campaign_id__in=collecting,
                                        done_at__isnull=True)
               .select_related("assessment__organization").order_by("-created_at")
               .defer("content"))
    audits = _latest_audits_pending(collecting)
    no_calls = (Assessment.objects.filter(campaign_id__in=collecting)
                .annotate(n=Count("contacts")).filter(n=0)
                .order_by("organization__name")
                .values_list("pk", "organization__short_name", "organization__name"))
    no_calls_list = list(no_calls)
    return Queue(
        today,
        [campaign_progress(c, today) for c in current],
        list(imports[:QUEUE_SHOWN]), imports.count(),
        audits[:QUEUE_SHOWN], sum(a.count for a in audits), len(audits),
        [Named(pk, short or name) for pk, short, name in no_calls_list[:QUEUE_SHOWN]],
        len(no_calls_list),
        [c for c in current if c.status == CampaignStatus.REVIEW],
    )


# --- the organization's own page ----------------------------------------------------------------


@dataclass(frozen=True)
class OwnResult:
    """The organization's latest published result: criteria, total, place within its type,
    and the same figures of its previous published campaign (for the change)."""

    latest: YearResult
    previous: YearResult | None
    place: int | None
    rated_in_type: int
    type: str
    insufficient: tuple[str, ...]
    shortcomings: tuple[scoring.Shortcoming, ...]

    def change(self, key: str | None = None) -> float | None:
        """Latest minus previous of a criterion (``key``) or of the total (None)."""
        if self.previous is None or not self.previous.comparable or not self.latest.comparable:
            return None
        now = self.latest.total if key is None else dict(
            (k, v) for k, _, v in self.latest.criteria).get(key)
        before = self.previous.total if key is None else dict(
            (k, v) for k, _, v in self.previous.criteria).get(key)
        return None if now is None or before is None else now - before

    @property
    def criteria(self) -> list[tuple[str, str, float | None, float | None]]:
        """(key, title, value, change since the previous campaign)."""
        return [(key, title, value, self.change(key)) for key, title, value in self.latest.criteria]


@dataclass(frozen=True)
class CurrentSurvey:
    assessment: Assessment
    responses: int
    minimum: int
    flagged: int

    @property
    def percent(self) -> int:
        return min(100, _percent(self.responses, self.minimum)) if self.minimum else 100


@dataclass(frozen=True)
class OwnBoard:
    today: dt.date
    organization: Organization
    result: OwnResult | None
    plans: list[OwnRow]
    overdue: list[PlanItem]
    overdue_total: int
    deadlines: PlanDeadlines
    current: list[CurrentSurvey]


def _own_result(organization: Organization) -> OwnResult | None:
    years = results_by_year(organization)
    if not years:
        return None
    latest = years[-1]
    previous = years[-2] if len(years) > 1 else None
    snapshot = published_snapshot(latest.campaign)
    row = (SnapshotRow.objects.filter(snapshot=snapshot, organization=organization)
           .values_list("organization_type", "place", "insufficient").first())
    if snapshot is None or row is None:
        return None
    type_name, place, insufficient = row
    rated = SnapshotRow.objects.filter(snapshot=snapshot, organization_type=type_name,
                                       place__isnull=False).count()
    assessment = Assessment.objects.select_related("campaign", "organization").get(
        pk=latest.assessment_id)
    published = published_assessment_result(assessment)
    shortcomings = tuple(published.shortcomings()) if published is not None else ()
    return OwnResult(latest, previous, place, rated, type_name, tuple(insufficient or ()),
                     shortcomings)


def organization_board(organization: Organization, today: dt.date) -> OwnBoard:
    """The organization's own figures only: its latest published result, its plans with the
    overdue measures, its surveys in the campaigns under way."""
    plans = Plan.objects.filter(organization=organization)
    overdue = overdue_items(plans, today)
    current = list(Assessment.objects.filter(organization=organization,
                                             campaign__status=CampaignStatus.FIELDWORK)
                   .select_related("campaign", "organization")
                   .order_by("-campaign__year", "-campaign__period_start"))
    samples = sample_statuses([a.pk for a in current]) if current else {}
    return OwnBoard(
        today, organization, _own_result(organization),
        organization_plans(organization.pk, today),
        list(overdue[:QUEUE_SHOWN]), overdue.count(),
        plan_deadlines(plans, today),
        [CurrentSurvey(a, samples[a.pk].responses, samples[a.pk].minimum, samples[a.pk].flagged)
         for a in current],
    )
