"""What the public results pages read: published campaigns only, as published (the latest
published edition of each; a campaign reopened for correction keeps showing it); and the
documents the background jobs made."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.http import Http404

import scoring
from nok.assessments.models import Assessment, Campaign
from nok.plans.models import Plan
from nok.plans.selectors import approved_plan_of
from nok.reports.models import DocumentJob, JobStatus
from nok.reports.sources import Source
from nok.scores.models import SnapshotRow, SnapshotStage
from nok.scores.selectors import (
    AssessmentResult,
    CampaignResults,
    RatingGroup,
    RatingPage,
    ResultRow,
    published_assessment_result,
    published_rating_page,
)


@dataclass(frozen=True)
class PublishedCampaign:
    campaign: Campaign
    published_at: object
    organizations: int


def published_campaigns() -> list[PublishedCampaign]:
    """Every campaign with published results, the latest first."""
    found = (Campaign.objects.filter(snapshots__stage=SnapshotStage.PUBLISHED)
             .annotate(published_at=Max("snapshots__created_at",
                                        filter=Q(snapshots__stage=SnapshotStage.PUBLISHED)),
                       n_organizations=Count("assessments", distinct=True))
             .order_by("-year", "-published_at"))
    return [PublishedCampaign(c, c.published_at, c.n_organizations) for c in found]


def public_campaign(pk: int, chosen: int | None = None) -> tuple[Campaign, RatingPage]:
    """The campaign and the page of its published rating (every type of a small campaign, else
    the chosen one, read alone from the snapshot); 404 before the first publication."""
    campaign = Campaign.objects.filter(pk=pk).select_related("methodology").first()
    page = published_rating_page(campaign, chosen) if campaign is not None else None
    if campaign is None or page is None:
        raise Http404("Результаты этой кампании не опубликованы")
    return campaign, page


@dataclass(frozen=True)
class PublicRow:
    row: ResultRow
    criteria: list[float | None]


@dataclass(frozen=True)
class PublicGroup:
    type: str
    rated: list[PublicRow]
    insufficient: list[PublicRow]


def with_criteria(results: CampaignResults, groups: list[RatingGroup]) -> list[PublicGroup]:
    """The groups shown, each organization with its criteria (K1–K5, or the sums per
    criterion) as frozen at publication."""
    ids = [r.assessment_id for g in groups for r in g.rows]
    frozen = dict(SnapshotRow.objects.filter(snapshot=results.snapshot, assessment_id__in=ids)
                  .values_list("assessment_id", "results"))
    keys = [c.key for c in results.methodology.criteria]

    def public(row: ResultRow) -> PublicRow:
        criteria = (frozen.get(row.assessment_id) or {}).get("criteria") or {}
        return PublicRow(row, [criteria.get(key) for key in keys])

    return [PublicGroup(g.type, [public(r) for r in g.rated], [public(r) for r in g.insufficient])
            for g in groups]


@dataclass(frozen=True)
class PublicCard:
    campaign: Campaign
    assessment: Assessment
    found: AssessmentResult
    shortcomings: list[scoring.Shortcoming]
    plan: Plan | None = None


def public_card(pk: int) -> PublicCard:
    """One organization's published card; 404 unless its campaign's results are published."""
    assessment = (Assessment.objects.filter(pk=pk)
                  .select_related("campaign", "organization", "organization__type").first())
    found = published_assessment_result(assessment) if assessment is not None else None
    if assessment is None or found is None:
        raise Http404("Результаты этой организации не опубликованы")
    return PublicCard(assessment.campaign, assessment, found, found.shortcomings(),
                      approved_plan_of(assessment))


# --- documents made in the background --------------------------------------------------------


def document_jobs(campaign: Campaign, source: Source, kinds: list[str]) -> dict[str, DocumentJob]:
    """The latest job of each kind that prints these results (the same snapshot; for the
    fieldwork data, a job made of the data as it was then)."""
    jobs = (DocumentJob.objects.filter(campaign=campaign, kind__in=kinds, snapshot=source.snapshot)
            .select_related("requested_by").order_by("kind", "-created_at", "-id"))
    latest: dict[str, DocumentJob] = {}
    for job in jobs:
        latest.setdefault(job.kind, job)
    return latest


def document_made(campaign: Campaign, source: Source, kind: str) -> DocumentJob | None:
    """The file a job made of these frozen results, ready to download; None for the fieldwork
    data (it changes: the page shows when the job's file was made instead)."""
    if source.snapshot is None:
        return None
    return (DocumentJob.objects.filter(campaign=campaign, kind=kind, snapshot=source.snapshot,
                                       status=JobStatus.DONE).exclude(file="")
            .order_by("-created_at", "-id").first())
