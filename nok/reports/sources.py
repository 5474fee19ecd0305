"""Where the documents take their numbers from: ``nok.scores``, exactly as the pages show them,
turned into the objects of the framework-free ``documents`` package.

- A frozen campaign (review, published) is read from its snapshot
  (``nok.scores.selectors.current_snapshot``): each row's inputs — an assessment file — are
  parsed with the snapshot's methodology and scored by ``documents.assess`` (``scoring.score``,
  the function that produced the stored figures).
- A campaign in fieldwork is computed from its data as it is now
  (``nok.scores.bridge.compute``): the documents are a draft and say so.
- The rating and the regional report shown to an organization user are the last published ones
  (``published_snapshot``), as on the public results pages.

Organizations are read ``CHUNK`` at a time, in the order of the campaign's rating. In the
rating and the regional report an organization carries the name the web rating ranks it by
(its short name where the registry has one), so ties broken by name fall as on the pages; the
protocol and the plan print the full name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.utils import timezone

import documents
import scoring
from nok.assessments.models import Assessment, Campaign
from nok.methodology.services import methodology_load
from nok.organizations.models import Organization
from nok.plans.documents import approved_measures, rows_of
from nok.plans.models import Plan
from nok.scores.bridge import compute
from nok.scores.models import Snapshot, SnapshotRow, SnapshotStage
from nok.scores.selectors import (
    campaign_results,
    current_snapshot,
    published_snapshot,
    snapshot_methodology,
)

CHUNK = 200
COMPARISON_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Source:
    """The results a campaign's documents print: the frozen ``snapshot`` (its edition and
    stage), or none — the fieldwork data at ``taken_at`` (a draft)."""

    campaign: Campaign
    methodology: scoring.Methodology
    snapshot: Snapshot | None
    taken_at: dt.datetime

    @property
    def draft(self) -> bool:
        return self.snapshot is None

    @property
    def published(self) -> bool:
        return self.snapshot is not None and self.snapshot.stage == SnapshotStage.PUBLISHED

    @property
    def label(self) -> str:
        """What the documents print, in one phrase (it follows the campaign's title)."""
        when = timezone.localtime(self.taken_at)
        if self.snapshot is None:
            return f"предварительные результаты по данным на {when:%d.%m.%Y %H:%M}"
        edition = f"редакция {self.snapshot.edition}"
        if self.published:
            return f"опубликованные результаты, {edition} от {when:%d.%m.%Y}"
        return f"результаты на проверке (не опубликованы), {edition} от {when:%d.%m.%Y}"


def source_of(campaign: Campaign, *, published_only: bool = False) -> Source | None:
    """The results the campaign's documents print now: frozen or current, as the campaign's
    pages show them; ``published_only``: the last published ones (None before publication)."""
    snapshot = published_snapshot(campaign) if published_only else current_snapshot(campaign)
    if snapshot is not None:
        return Source(campaign, snapshot_methodology(snapshot), snapshot, snapshot.created_at)
    if published_only:
        return None
    return Source(campaign, methodology_load(campaign.methodology), None, timezone.now())


def source_of_snapshot(snapshot: Snapshot) -> Source:
    return Source(snapshot.campaign, snapshot_methodology(snapshot), snapshot, snapshot.created_at)


def region_of(campaign: Campaign) -> str:
    """The region the campaign's organizations are registered in (the most frequent one)."""
    regions = Counter(r for (r,) in Organization.objects.filter(assessments__campaign=campaign)
                      .exclude(region="").values_list("region"))
    return regions.most_common(1)[0][0] if regions else ""


def header(source: Source) -> documents.Campaign:
    """The campaign as the documents' headers print it: its title followed by what results
    these are (preliminary, under review or published, with the edition and date)."""
    c = source.campaign
    return documents.Campaign.of(
        source.methodology,
        name=c.title,
        status=source.label,
        preliminary=not source.published,
        region=region_of(c),
        year=c.year,
        period=f"{c.period_start:%d.%m.%Y} — {c.period_end:%d.%m.%Y}",
        operator=c.operator_name,
        ministry=c.ministry_name,
    )


def ordered_ids(source: Source) -> list[int]:
    """The campaign's assessments in the order of its rating (by type, place, name)."""
    if source.snapshot is not None:
        rows = SnapshotRow.objects.filter(snapshot=source.snapshot).values_list(
            "assessment_id", "type_position", "organization_type", "place", "organization_name")
        # as CampaignResults.groups(): per type, the places first, then «недостаточно данных»
        return [aid for aid, *_ in sorted(rows, key=lambda r: (
            r[1], r[2], r[3] is None, r[3] or 0, r[4].casefold()))]
    results = campaign_results(source.campaign)
    return [r.assessment_id for g in results.groups() for r in g.rows]


@dataclass(frozen=True)
class _Card:
    display: str
    short_name: str
    inn: str
    municipality: str


def _cards(ids: Sequence[int]) -> dict[int, _Card]:
    return {
        aid: _Card(short or name, short, inn, municipality)
        for aid, name, short, inn, municipality in Assessment.objects.filter(pk__in=ids)
        .values_list("pk", "organization__name", "organization__short_name", "organization__inn",
                     "organization__municipality")
    }


def _inputs(source: Source, chunk: Sequence[int]) -> dict[int, scoring.AssessmentInput]:
    """Each assessment's input: the frozen assessment file, or the fieldwork as it is now."""
    if source.snapshot is None:
        return {c.assessment.pk: c.inp for c in compute(chunk)}
    m = source.methodology
    frozen = SnapshotRow.objects.filter(snapshot=source.snapshot, assessment_id__in=chunk)
    return {aid: scoring.parse_assessment(inputs, methodology=m)
            for aid, inputs in frozen.values_list("assessment_id", "inputs")}


def assessed(source: Source, ids: Sequence[int] | None = None, *, rating_names: bool = False,
             slim: bool = False) -> Iterator[tuple[int, documents.Assessed]]:
    """(assessment id, ``documents.Assessed``) for ``ids`` (every organization of the campaign
    in rating order when None), ``CHUNK`` at a time. ``rating_names``: named as the web rating
    names them (for the rating and the regional report); ``slim``: without the explanation of
    every figure (what only the protocol prints), to keep a whole campaign in memory."""
    order = list(ids) if ids is not None else ordered_ids(source)
    m = source.methodology
    for start in range(0, len(order), CHUNK):
        chunk = order[start:start + CHUNK]
        inputs = _inputs(source, chunk)
        cards = _cards(chunk)
        planned = planned_measures(source, chunk)
        for aid in chunk:
            if aid not in inputs:
                continue
            inp, card = inputs[aid], cards[aid]
            registry = documents.Registry.of(
                inp, short_name=card.short_name, inn=card.inn, municipality=card.municipality,
                name=card.display if rating_names else None)
            a = documents.assess(m, inp, key=str(aid), registry=registry, planned=planned.get(aid))
            if slim:
                a = replace(a, result=replace(a.result, explain={}))
            yield aid, a


def campaign_assessed(source: Source, *, rating_names: bool = True,
                      progress: Callable[[int], None] | None = None) -> list[documents.Assessed]:
    """Every organization of the campaign, without the explanations (rating, regional report,
    averages); ``progress`` is told how many were read, after each ``CHUNK``."""
    out: list[documents.Assessed] = []
    for _, a in assessed(source, rating_names=rating_names, slim=True):
        out.append(a)
        if progress is not None and len(out) % CHUNK == 0:
            progress(len(out))
    return out


@dataclass(frozen=True)
class Comparison:
    """The averages a protocol's chart compares the organization's K1–K5 with."""

    region: documents.Averages
    types: dict[str, documents.Averages]

    def of_type(self, a: documents.Assessed) -> documents.Averages | None:
        return self.types.get(a.type)


def comparison(source: Source) -> Comparison:
    """The regional and type averages (``documents.averages``) over every organization. A
    snapshot never changes: its averages are computed once and kept in the cache, so a
    protocol of a large published campaign does not score the whole campaign again."""
    if source.snapshot is None:
        return _comparison(source)
    key = f"reports:comparison:{source.snapshot.pk}:{source.snapshot.created_at.isoformat()}"
    found = cache.get(key)
    if not isinstance(found, Comparison):
        found = _comparison(source)
        cache.set(key, found, COMPARISON_SECONDS)
    return found


def _comparison(source: Source) -> Comparison:
    everyone = campaign_assessed(source, rating_names=False)
    return Comparison(documents.averages(source.methodology, everyone),
                      documents.type_averages(source.methodology, everyone))


def previous_source(source: Source) -> Source | None:
    """The earlier campaign the regional report compares with: the latest published campaign
    of an earlier year, by the same methodology, sharing organizations with this one (its last
    published edition)."""
    campaign = source.campaign
    earlier = (Snapshot.objects.filter(
        stage=SnapshotStage.PUBLISHED, campaign__year__lt=campaign.year,
        methodology_slug=source.methodology.slug,
        rows__organization__in=Organization.objects.filter(assessments__campaign=campaign))
        .select_related("campaign").order_by("-campaign__year", "-created_at", "-id").first())
    if earlier is None:
        return None
    latest = published_snapshot(earlier.campaign)
    return source_of_snapshot(latest) if latest is not None else None


# --- improvement plans ----------------------------------------------------------------------


def planned_measures(source: Source, ids: Sequence[int]) -> dict[int, list[str]]:
    """The measures each organization planned (the rating's «planned improvements»: its
    approved plan); an organization without an approved plan is left out and the rating prints
    the catalogue's measures for its shortcomings."""
    return approved_measures(list(ids))


def plan_rows(source: Source, assessment: Assessment, a: documents.Assessed
              ) -> list[documents.PlanRow]:
    """The rows of the organization's improvement plan as it keeps it (with the execution
    report); before it drafts one, the draft derived from the shortcomings
    (``documents.draft_plan``)."""
    plan = Plan.objects.filter(assessment=assessment).first()
    if plan is not None:
        return rows_of(plan)
    return documents.draft_plan(source.methodology, a)
