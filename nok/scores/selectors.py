"""Reads of results — the only source of figures for pages, exports and documents.

A campaign in fieldwork is read from its current scores, refreshed first (so a figure shown
is never older than the data); a campaign under review or published is read from its frozen
snapshot (the latest of the current edition). :class:`CampaignResults` says which.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Sum
from django.utils import timezone

import scoring
from nok.assessments.models import Assessment, Campaign, CampaignStatus
from nok.methodology.services import methodology_load
from nok.scores.bridge import Computed, Frozen, compute
from nok.scores.models import Score, Snapshot, SnapshotRow, SnapshotStage
from nok.scores.refresh import scores_refresh
from nok.surveys.models import ResponseStatus, ResponseTally
from nok.surveys.selectors import SampleStatus, sample_statuses


@dataclass(frozen=True)
class ResultRow:
    """One organization's result as pages and exports show it: the total with its 95 %
    interval (``low``–``high``), the place, and the places it could hold given the intervals
    (``best``–``worst``); ``group`` numbers the organizations of its type the survey cannot
    tell apart from it (None when it is told apart from all)."""

    assessment_id: int
    organization_id: int
    name: str
    type: str
    type_position: int
    total: float | None
    place: int | None
    insufficient: tuple[str, ...] = ()
    unmet: tuple[str, ...] = ()
    exception: str = ""
    low: float | None = None
    high: float | None = None
    best: int | None = None
    worst: int | None = None
    group: int | None = None

    @property
    def rated(self) -> bool:
        return self.place is not None

    @property
    def interval(self) -> tuple[float, float] | None:
        return None if self.low is None or self.high is None else (self.low, self.high)

    @property
    def places(self) -> str:
        """«1–3», or «2» when the range is one place; «» without a place."""
        if self.best is None or self.worst is None:
            return ""
        return str(self.best) if self.best == self.worst else f"{self.best}–{self.worst}"


def with_ranges(rows: list[ResultRow]) -> list[ResultRow]:
    """The rows with their possible places and indistinguishable groups (METHODOLOGY.md §7);
    a group of one is no group."""
    triples = [(r.type, str(r.assessment_id), r.place) for r in rows]
    ranges = scoring.position_ranges(triples, {str(r.assessment_id): r.interval for r in rows})
    groups = scoring.indistinguishable_groups(triples, ranges)
    sizes: dict[tuple[str, int], int] = {}
    for r in rows:
        number = groups.get(str(r.assessment_id))
        if number is not None:
            sizes[(r.type, number)] = sizes.get((r.type, number), 0) + 1
    out = []
    for r in rows:
        key = str(r.assessment_id)
        best, worst = ranges.get(key, (None, None))
        number = groups.get(key)
        shared = number is not None and sizes[(r.type, number)] > 1
        out.append(replace(r, best=best, worst=worst, group=number if shared else None))
    return out


@dataclass(frozen=True)
class RatingGroup:
    type: str
    rows: list[ResultRow]

    @property
    def rated(self) -> list[ResultRow]:
        return [r for r in self.rows if r.rated]

    @property
    def insufficient(self) -> list[ResultRow]:
        return [r for r in self.rows if not r.rated]


@dataclass(frozen=True)
class TypeLink:
    """One type of the rating as a link: its number (from 1), name and organizations."""

    number: int
    type: str
    organizations: int


# Up to this many organizations a campaign's rating is one page; above it, one type a page.
ONE_PAGE = 300


@dataclass
class CampaignResults:
    """The results of a campaign and where they come from: ``"current"`` (fieldwork, computed
    from the data as it is now) or the frozen snapshot."""

    campaign: Campaign
    methodology: scoring.Methodology
    snapshot: Snapshot | None
    rows: list[ResultRow] = field(default_factory=list)

    @property
    def frozen(self) -> bool:
        return self.snapshot is not None

    @property
    def rule(self) -> str:
        return self.snapshot.rule if self.snapshot else self.methodology.rating.describe()

    def groups(self) -> list[RatingGroup]:
        """The rating by organization type (types in registry order): ranked rows first, then
        «недостаточно данных»."""
        groups: dict[str, RatingGroup] = {}
        ordered = sorted(self.rows, key=lambda r: (
            r.type_position, r.type, r.place is None, r.place or 0, r.name.casefold()))
        for row in ordered:
            groups.setdefault(row.type, RatingGroup(row.type, [])).rows.append(row)
        return list(groups.values())

    def by_assessment(self) -> dict[int, ResultRow]:
        return {r.assessment_id: r for r in self.rows}

    def type_pages(self, chosen: int | None, one_page: int | None = None
                   ) -> tuple[list[TypeLink], list[RatingGroup], int]:
        """The rating's types and the groups to show: every type of a campaign of up to
        ``one_page`` organizations (``ONE_PAGE`` by default), else the chosen type (the
        first when none or out of range); the number of the type shown (0: all)."""
        limit = ONE_PAGE if one_page is None else one_page
        groups = self.groups()
        links = [TypeLink(i, g.type, len(g.rows)) for i, g in enumerate(groups, start=1)]
        if len(self.rows) <= limit and chosen is None:
            return links, groups, 0
        number = chosen if chosen is not None and 1 <= chosen <= len(groups) else 1
        return links, groups[number - 1:number], number


@lru_cache(maxsize=32)
def _methodology_of_document(sha256: str, document: str) -> scoring.Methodology:
    return scoring.load_methodology(json.loads(document))


def snapshot_methodology(snapshot: Snapshot) -> scoring.Methodology:
    """The methodology a snapshot was computed with (parsed once per content hash)."""
    document = json.dumps(snapshot.methodology_definition, ensure_ascii=False, sort_keys=True)
    return _methodology_of_document(snapshot.methodology_sha256, document)


def current_snapshot(campaign: Campaign) -> Snapshot | None:
    """The snapshot a frozen campaign is read from: the published one, or the latest review
    one of its current edition; None in fieldwork."""
    if campaign.status == CampaignStatus.FIELDWORK:
        return None
    stage = SnapshotStage.PUBLISHED if campaign.is_published else SnapshotStage.REVIEW
    return Snapshot.objects.filter(campaign=campaign, edition=campaign.edition, stage=stage).first()


def published_snapshot(campaign: Campaign) -> Snapshot | None:
    """The latest published results of the campaign, of any edition (a reopened campaign keeps
    showing the results it published until it publishes the next edition)."""
    return Snapshot.objects.filter(campaign=campaign, stage=SnapshotStage.PUBLISHED).first()


def campaign_snapshots(campaign: Campaign) -> list[Snapshot]:
    return list(Snapshot.objects.filter(campaign=campaign).select_related("created_by"))


def _snapshot_rows(snapshot: Snapshot, org_type: str | None = None) -> list[ResultRow]:
    """The frozen rows; ``org_type``: only the organizations of that type."""
    rows = snapshot.rows.all() if org_type is None else snapshot.rows.filter(
        organization_type=org_type)
    return with_ranges([
        ResultRow(r.assessment_id, r.organization_id, r.organization_name, r.organization_type,
                  r.type_position, r.total, r.place, tuple(r.insufficient), tuple(r.unmet),
                  r.exception, r.low, r.high)
        for r in rows.only(
            "assessment_id", "organization_id", "organization_name", "organization_type",
            "type_position", "total", "low", "high", "place", "insufficient", "unmet",
            "exception")
    ])


def _current_rows(campaign: Campaign, methodology: scoring.Methodology,
                  type_id: int | None = None, *, refresh: bool = True) -> list[ResultRow]:
    """The current results, refreshed first (unless the caller just did); ``type_id``: only
    the organizations of that type (places and place ranges are within a type, so they are
    the same)."""
    if refresh:
        scores_refresh(campaign=campaign)
    scores = Score.objects.filter(assessment__campaign=campaign)
    if type_id is not None:
        scores = scores.filter(assessment__organization__type_id=type_id)
    scored = list(
        scores
        .values_list("assessment_id", "assessment__organization_id", "total", "low", "high",
                     "insufficient", "assessment__organization__short_name",
                     "assessment__organization__name", "assessment__organization__type__name",
                     "assessment__organization__type__position")
    )
    rating = scoring.rate(
        [scoring.RatingEntry(str(aid), short or name, type_name, total, tuple(insufficient))
         for aid, _, total, _, _, insufficient, short, name, type_name, _ in scored],
        methodology.rating,
    )
    places = {int(r.key): r for r in rating}
    return with_ranges([
        ResultRow(aid, org_id, short or name, type_name, position, total,
                  places[aid].position, tuple(places[aid].insufficient), low=low, high=high)
        for aid, org_id, total, low, high, _, short, name, type_name, position in scored
    ])


def campaign_results(campaign: Campaign) -> CampaignResults:
    """Every organization's result and place: current in fieldwork, frozen otherwise."""
    snapshot = current_snapshot(campaign)
    if snapshot is not None:
        return CampaignResults(campaign, snapshot_methodology(snapshot), snapshot,
                               _snapshot_rows(snapshot))
    methodology = methodology_load(campaign.methodology)
    if not campaign.collecting:  # frozen before snapshots existed: computed, not stored
        return CampaignResults(campaign, methodology, None, _computed_rows(campaign, methodology))
    return CampaignResults(campaign, methodology, None, _current_rows(campaign, methodology))


@dataclass(frozen=True)
class RatingPage:
    """One page of a campaign's rating: ``results`` holds the rows of the types shown only
    (every type of a small campaign), ``types`` links to every type with its organizations
    counted, ``shown`` is the number of the type shown (0: every type) — the same page
    :meth:`CampaignResults.type_pages` cuts from the whole rating, without rating the rest."""

    results: CampaignResults
    types: list[TypeLink]
    shown: int

    def groups(self) -> list[RatingGroup]:
        return self.results.groups()


def _page_of(counts: Iterable[tuple[Any, str, int, int]], chosen: int | None
             ) -> tuple[list[TypeLink], Any, int]:
    """From (key, type, position, organizations) per type: the links in rating order (by
    position, then name, as :meth:`CampaignResults.groups`), the key of the type to show
    (None: every type) and its number (0: every type)."""
    ordered = sorted(counts, key=lambda c: (c[2], c[1]))
    links = [TypeLink(i, name, n) for i, (_, name, _, n) in enumerate(ordered, start=1)]
    if sum(link.organizations for link in links) <= ONE_PAGE and chosen is None:
        return links, None, 0
    number = chosen if chosen is not None and 1 <= chosen <= len(links) else 1
    return links, (ordered[number - 1][0] if ordered else _NO_TYPE), number


_NO_TYPE = object()  # an empty campaign: no type to show


def _snapshot_page(campaign: Campaign, snapshot: Snapshot, chosen: int | None) -> RatingPage:
    counts = (snapshot.rows.order_by().values_list("organization_type", "type_position")
              .annotate(n=Count("pk")))
    links, key, number = _page_of(((name, name, pos, n) for name, pos, n in counts), chosen)
    rows = [] if key is _NO_TYPE else _snapshot_rows(snapshot, key)
    return RatingPage(CampaignResults(campaign, snapshot_methodology(snapshot), snapshot, rows),
                      links, number)


def campaign_rating_page(campaign: Campaign, chosen: int | None = None) -> RatingPage:
    """The page of the rating the campaign page shows: the organizations counted per type by
    one aggregate, and only the shown type ranked (places are within a type, so they are
    those of the whole rating). Current in fieldwork (refreshed first), frozen otherwise."""
    snapshot = current_snapshot(campaign)
    if snapshot is not None:
        return _snapshot_page(campaign, snapshot, chosen)
    methodology = methodology_load(campaign.methodology)
    if not campaign.collecting:  # frozen before snapshots existed: computed whole, then cut
        full = CampaignResults(campaign, methodology, None, _computed_rows(campaign, methodology))
        links, groups, number = full.type_pages(chosen)
        return RatingPage(replace(full, rows=[r for g in groups for r in g.rows]), links, number)
    scores_refresh(campaign=campaign)
    org = "assessment__organization__type__"
    counts = (Score.objects.filter(assessment__campaign=campaign).order_by()
              .values_list(f"{org}id", f"{org}name", f"{org}position").annotate(n=Count("pk")))
    links, key, number = _page_of(counts, chosen)
    if key is None:
        rows = _current_rows(campaign, methodology, refresh=False)
    else:
        rows = [] if key is _NO_TYPE else _current_rows(campaign, methodology, key, refresh=False)
    return RatingPage(CampaignResults(campaign, methodology, None, rows), links, number)


def published_rating_page(campaign: Campaign, chosen: int | None = None) -> RatingPage | None:
    """The page of the latest published rating the public results show (None before the first
    publication): only the shown type read from the snapshot."""
    snapshot = published_snapshot(campaign)
    return None if snapshot is None else _snapshot_page(campaign, snapshot, chosen)


def campaign_results_head(campaign: Campaign) -> CampaignResults:
    """Where the campaign's results come from (snapshot, methodology, rule), without rows."""
    snapshot = current_snapshot(campaign)
    if snapshot is not None:
        return CampaignResults(campaign, snapshot_methodology(snapshot), snapshot)
    return CampaignResults(campaign, methodology_load(campaign.methodology), None)


def campaign_totals(campaign: Campaign, assessment_ids: list[int], *, refreshed: bool = False
                    ) -> dict[int, float | None]:
    """The headline figure of these assessments of the campaign as its rating shows it (current
    ones refreshed first, unless the caller just refreshed the campaign); assessments without
    one are left out."""
    snapshot = current_snapshot(campaign)
    if snapshot is not None:
        return dict(snapshot.rows.filter(assessment_id__in=assessment_ids)
                    .values_list("assessment_id", "total"))
    if not campaign.collecting:
        wanted = set(assessment_ids)
        return {r.assessment_id: r.total for r in campaign_results(campaign).rows
                if r.assessment_id in wanted}
    if not refreshed:
        scores_refresh(campaign=campaign, assessment_ids=assessment_ids)
    return dict(Score.objects.filter(assessment_id__in=assessment_ids)
                .values_list("assessment_id", "total"))


def _computed_rows(campaign: Campaign, methodology: scoring.Methodology) -> list[ResultRow]:
    computed = compute(campaign.assessments.values_list("pk", flat=True))
    rating = scoring.rate(
        [scoring.RatingEntry(str(c.assessment.pk), str(c.assessment.organization),
                             c.assessment.organization.type.name, c.result.total, c.insufficient)
         for c in computed], methodology.rating)
    places = {int(r.key): r for r in rating}
    return with_ranges([
        ResultRow(c.assessment.pk, c.assessment.organization_id, str(c.assessment.organization),
                  c.assessment.organization.type.name, c.assessment.organization.type.position,
                  c.result.total, places[c.assessment.pk].position,
                  tuple(places[c.assessment.pk].insufficient),
                  low=c.interval[0], high=c.interval[1])
        for c in computed
    ])


def published_results(campaign: Campaign) -> CampaignResults | None:
    """The latest published results (any edition), or None before the first publication."""
    snapshot = published_snapshot(campaign)
    if snapshot is None:
        return None
    return CampaignResults(campaign, snapshot_methodology(snapshot), snapshot,
                           _snapshot_rows(snapshot))


# --- one organization ------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentResult:
    """One organization's result with every figure explained (``result.explain``), the inputs
    it was computed from (an assessment file), and where it comes from."""

    methodology: scoring.Methodology
    inputs: dict[str, Any]
    result: scoring.Result
    insufficient: tuple[str, ...]
    place: int | None
    snapshot: Snapshot | None
    computed_at: Any = None
    include_flagged: bool = False
    unmet: tuple[str, ...] = ()
    exception: str = ""

    def shortcomings(self) -> list[scoring.Shortcoming]:
        """The shortcomings of these results (``scoring.shortcomings``: the one derivation)."""
        inp = scoring.parse_assessment(self.inputs, methodology=self.methodology)
        return scoring.shortcomings(self.methodology, inp, self.result)


def _rescored(methodology: scoring.Methodology, inputs: dict[str, Any]) -> scoring.Result:
    """The stored inputs scored again: the explanation of every stored figure."""
    return scoring.score(methodology, scoring.parse_assessment(inputs, methodology=methodology))


def assessment_result(assessment: Assessment, *, include_flagged: bool = False) -> AssessmentResult:
    """The organization's result: frozen (from the snapshot) or current (refreshed first);
    ``include_flagged`` shows what it would be with the responses awaiting review (fieldwork
    only; nothing is stored)."""
    campaign = assessment.campaign
    snapshot = current_snapshot(campaign)
    if snapshot is not None:
        row = SnapshotRow.objects.get(snapshot=snapshot, assessment=assessment)
        methodology = snapshot_methodology(snapshot)
        return AssessmentResult(methodology, row.inputs, _rescored(methodology, row.inputs),
                                tuple(row.insufficient), row.place, snapshot, snapshot.created_at,
                                unmet=tuple(row.unmet), exception=row.exception)
    if include_flagged or not campaign.collecting:
        # A preview with the responses awaiting review (nothing stored), or a campaign frozen
        # before snapshots existed.
        [computed] = compute([assessment.pk], include_flagged=include_flagged)
        return AssessmentResult(computed.methodology, computed.file, computed.result,
                                computed.insufficient, None, None, None,
                                include_flagged=include_flagged)
    # the scores refreshed; the place is current (ranked within the organization's type)
    rows = _current_rows(campaign, methodology_load(campaign.methodology),
                         type_id=assessment.organization.type_id)
    [computed] = compute([assessment.pk])
    current = next((r for r in rows if r.assessment_id == assessment.pk), None)
    return AssessmentResult(computed.methodology, computed.file, computed.result,
                            computed.insufficient, current.place if current else None, None,
                            timezone.now())


def published_assessment_result(assessment: Assessment) -> AssessmentResult | None:
    """The organization's results as last published (any edition), or None before the first
    publication — what improvement plans are drafted from."""
    snapshot = published_snapshot(assessment.campaign)
    if snapshot is None:
        return None
    row = SnapshotRow.objects.filter(snapshot=snapshot, assessment=assessment).first()
    if row is None:
        return None
    methodology = snapshot_methodology(snapshot)
    return AssessmentResult(methodology, row.inputs, _rescored(methodology, row.inputs),
                            tuple(row.insufficient), row.place, snapshot, snapshot.created_at,
                            unmet=tuple(row.unmet), exception=row.exception)


def assessment_totals(assessments: Iterable[Assessment], *, published_only: bool = False
                      ) -> dict[int, float | None]:
    """The headline figure of each assessment as its campaign's pages show it (current ones
    refreshed first); ``published_only``: only what has been published (the latest published
    edition), for organization users. Assessments without such a figure are left out."""
    out: dict[int, float | None] = {}
    for assessment in assessments:
        campaign = assessment.campaign
        snapshot = published_snapshot(campaign) if published_only else current_snapshot(campaign)
        if snapshot is not None:
            out.update(snapshot.rows.filter(assessment=assessment)
                       .values_list("assessment_id", "total"))
        elif not published_only and campaign.collecting:
            scores_refresh(campaign=campaign, assessment_ids=[assessment.pk])
            out.update(Score.objects.filter(assessment=assessment).values_list("assessment_id", "total"))
    return out


def computed_now(assessment_ids: list[int]) -> list[Computed]:
    """Results computed from the data as it is now (for previews; nothing is stored)."""
    return compute(assessment_ids)


# --- the open-data export ----------------------------------------------------------------------


EXPORT_CHUNK = 500


@dataclass(frozen=True)
class ExportSource:
    """What an export of the campaign contains — exactly what its pages show: the published
    snapshot once published, the review snapshot under review, the current results in
    fieldwork. :meth:`entries` yields (row, inputs, results) in rating order, a chunk at a
    time (constant memory whatever the campaign's size): read from the snapshot, or in
    fieldwork computed from the data."""

    results: CampaignResults
    definition: dict[str, Any]
    sha256: str

    def entries(self) -> Iterator[tuple[ResultRow, dict[str, Any], dict[str, Any]]]:
        snapshot = self.results.snapshot
        by_id = self.results.by_assessment()
        order = [r.assessment_id for g in self.results.groups() for r in g.rows]
        for start in range(0, len(order), EXPORT_CHUNK):
            chunk = order[start:start + EXPORT_CHUNK]
            if snapshot is not None:
                found = {aid: (inputs, results) for aid, inputs, results in
                         SnapshotRow.objects.filter(snapshot=snapshot, assessment_id__in=chunk)
                         .values_list("assessment_id", "inputs", "results")}
            else:  # fieldwork: inputs and results computed together, from the data as it is now
                found = {c.assessment.pk: (c.file, c.results) for c in compute(chunk)}
            for aid in chunk:
                inputs, results = found[aid]
                yield by_id[aid], inputs, results


def export_source(campaign: Campaign) -> ExportSource:
    results = campaign_results(campaign)
    if results.snapshot is not None:
        definition = results.snapshot.methodology_definition
        sha = results.snapshot.methodology_sha256
    else:
        definition = campaign.methodology.definition
        sha = scoring.definition_sha256(definition)
    return ExportSource(results, definition, sha)


# --- preconditions of publication ------------------------------------------------------------


@dataclass(frozen=True)
class Unmet:
    """Why an organization is not ready for publication (Russian, one line each)."""

    assessment_id: int
    reasons: tuple[str, ...]


def _observed_unmet(m: scoring.Methodology, observed: dict[str, Any]) -> list[str]:
    """The checklists of the methodology not completely recorded."""
    short = [ch.title for ch in m.checklists
             if observed.get(ch.key, {}).get("recorded", 0) < len(ch.items)]
    return [f"не заполнены перечни: {'; '.join(short)}"] if short else []


def _checklists_unmet(c: Computed) -> list[str]:
    m = c.methodology
    if m.checklists:
        return _observed_unmet(m, c.assessment.observed)
    missing = [
        key for key, figure in c.result.explain.items()
        if key in {i.key for i in m.indicators} and figure.value is None
        and figure.formula != "не применяется" and "survey" not in m.indicator(key).source
    ]
    return [f"не указаны значения показателей: {', '.join(missing)}"] if missing else []


def _sample_unmet(recipients: int, sample: SampleStatus | None) -> list[str]:
    if not recipients:
        return ["в реестре не указано число получателей услуг: минимальная выборка не определена"]
    if sample is None:
        return []
    reasons = []
    if sample.below_minimum:
        reasons.append(f"выборка меньше минимальной: получено анкет {sample.responses}, нужно не менее {sample.minimum}")
    if sample.flagged:
        reasons.append(f"анкет на проверке: {sample.flagged}")
    return reasons


def unmet_preconditions(computed: Sequence[Computed]) -> dict[int, tuple[str, ...]]:
    """Per assessment: which preconditions of publication are not met — every checklist
    complete (social-2014: every applicable measured value given), the survey sample at least
    the minimum, no responses waiting for review. Only assessments with reasons are listed."""
    ids = [c.assessment.pk for c in computed]
    samples = sample_statuses(ids)
    out = {}
    for c in computed:
        reasons = _checklists_unmet(c)
        reasons += _sample_unmet(c.assessment.organization.recipients, samples.get(c.assessment.pk))
        if reasons:
            out[c.assessment.pk] = tuple(reasons)
    return out


UNMET_CHUNK = 2000


def campaign_unmet(campaign: Campaign) -> dict[int, tuple[str, ...]]:
    """:func:`unmet_preconditions` of every organization of the campaign as its data is now,
    ``UNMET_CHUNK`` at a time. With checklists (social-2018) it reads the kept summaries only
    — the checklists as recorded, the registry card, the survey counters — and scores
    nothing; social-2014 needs the scored values and computes them."""
    m = methodology_load(campaign.methodology)
    ids = sorted(campaign.assessments.values_list("pk", flat=True))
    out: dict[int, tuple[str, ...]] = {}
    for start in range(0, len(ids), UNMET_CHUNK):
        chunk = ids[start:start + UNMET_CHUNK]
        if not m.checklists:
            out.update(unmet_preconditions(compute(chunk)))
            continue
        rows = Assessment.objects.filter(pk__in=chunk).values_list(
            "pk", "observed", "organization__recipients_stationary",
            "organization__recipients_semi_stationary", "organization__recipients_home")
        out.update(_recorded_unmet(m, [(pk, observed, sum(recipients))
                                       for pk, observed, *recipients in rows]))
    return out


def _recorded_unmet(m: scoring.Methodology, rows: Sequence[tuple[int, dict[str, Any], int]]
                    ) -> dict[int, tuple[str, ...]]:
    """:func:`unmet_preconditions` of a methodology with checklists, from each assessment's
    checklists as recorded and its recipients — ``(pk, observed, recipients)`` — and the
    survey counters."""
    samples = sample_statuses([pk for pk, _, _ in rows])
    out = {}
    for pk, observed, recipients in rows:
        reasons = _observed_unmet(m, observed) + _sample_unmet(recipients, samples.get(pk))
        if reasons:
            out[pk] = tuple(reasons)
    return out


def frozen_unmet(m: scoring.Methodology, rows: Sequence[Frozen]) -> dict[int, tuple[str, ...]]:
    """:func:`unmet_preconditions` of organizations being frozen (``bridge.frozen``): from the
    checklists as recorded, or from the results computed one by one where they were."""
    computed = [r.computed for r in rows if r.computed is not None]
    if computed:
        return unmet_preconditions(computed)
    return _recorded_unmet(m, [(r.assessment_id, r.observed, r.recipients) for r in rows])


def flagged_waiting(campaign: Campaign) -> dict[int, int]:
    """Assessment id -> responses still awaiting a review decision (only those with some),
    from the kept counters in one aggregate."""
    rows = (ResponseTally.objects.filter(assessment__campaign=campaign,
                                         status=ResponseStatus.FLAGGED)
            .values_list("assessment_id").annotate(n=Sum("n")).order_by())
    return {pk: int(n) for pk, n in rows if n}


@dataclass(frozen=True)
class Waiting:
    assessment: Assessment
    flagged: int


def flagged_waiting_rows(campaign: Campaign) -> list[Waiting]:
    """The organizations whose responses still await a review decision, with how many."""
    waiting = flagged_waiting(campaign)
    found = Assessment.objects.filter(pk__in=list(waiting)).select_related("organization")
    return sorted((Waiting(a, waiting[a.pk]) for a in found),
                  key=lambda w: str(w.assessment.organization).casefold())


UNMET_PAGE = 50


@dataclass(frozen=True)
class UnmetPage:
    """The organizations whose data as it is now does not meet the preconditions of
    publication: how many in all and per kind of reason, and one page of them by name."""

    total: int
    kinds: list[tuple[str, int]]  # a kind of reason, and how many organizations have it
    page: Page[tuple[int, str, str]]  # the page shown, for its links
    rows: list[tuple[Assessment, tuple[str, ...]]]  # its organizations and their reasons


def unmet_now(campaign: Campaign, page: str | int | None = None) -> UnmetPage:
    """The preconditions of publication the data as it is now does not meet (a preview)."""
    unmet = campaign_unmet(campaign)
    kinds: dict[str, int] = {}
    for reasons in unmet.values():
        for kind in {r.split(":", 1)[0] for r in reasons}:
            kinds[kind] = kinds.get(kind, 0) + 1
    named = sorted((r for r in campaign.assessments.values_list(
        "pk", "organization__short_name", "organization__name") if r[0] in unmet),
        key=lambda r: (r[1] or r[2]).casefold())
    shown = Paginator(named, UNMET_PAGE).get_page(page)
    found = Assessment.objects.select_related("organization").in_bulk([r[0] for r in shown])
    return UnmetPage(len(unmet), sorted(kinds.items(), key=lambda kv: -kv[1]), shown,
                     [(found[pk], unmet[pk]) for pk, _, _ in shown])
