"""Page contexts of the documents pages (reads only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef

from documents import FIELDS, KIND_TITLES, KINDS, REQUIRED
from nok.assessments.models import Campaign
from nok.assessments.selectors import campaign_assessments, campaigns_visible_to
from nok.organizations.access import AnyUser, role_of, sees_everything
from nok.organizations.models import Role
from nok.reports.models import CAMPAIGN_KINDS, DocumentJob, DocumentTemplate, JobKind, JobStatus
from nok.reports.rendering import CAMPAIGN_DOCUMENTS, too_large
from nok.reports.selectors import document_jobs
from nok.reports.services import job_stalled
from nok.reports.sources import Source, previous_source, source_of
from nok.scores.models import Snapshot, SnapshotStage

#: fpf2's PDF protocol takes about this long per organization (bench/bench_documents.py)
PDF_SECONDS = 1.2
DOCX_SECONDS = 0.25
ORGANIZATIONS_PAGE = 50


def campaigns_page(user: AnyUser) -> dict[str, Any]:
    """Every campaign the user sees, with whether its rating and report are open to them."""
    published = Snapshot.objects.filter(campaign=OuterRef("pk"), stage=SnapshotStage.PUBLISHED)
    campaigns = (campaigns_visible_to(user)
                 .annotate(n_assessments=Count("assessments", distinct=True),
                           has_published=Exists(published))
                 .order_by("-year", "title"))
    return {"campaigns": campaigns, "sees_everything": sees_everything(user),
            "can_templates": role_of(user) in {Role.OPERATOR, Role.MINISTRY}}


@dataclass(frozen=True)
class JobRow:
    kind: str
    label: str
    job: DocumentJob | None
    stalled: bool
    minutes: int  # the expected duration for the campaign's organizations


def _minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))


@dataclass(frozen=True)
class MadeCell:
    """One campaign document of a large campaign: the latest job that makes it of the results
    shown (None: never asked for)."""

    document: str
    fmt: str
    kind: str
    job: DocumentJob | None
    stalled: bool
    frozen: bool  # the results do not change: a file made once stays right

    @property
    def ready(self) -> bool:
        return self.job is not None and self.job.status == JobStatus.DONE and bool(self.job.file)


def campaign_page(campaign: Campaign, user: AnyUser, *, page: str | None) -> dict[str, Any]:
    """The campaign's documents: the rating and the regional report (for an organization user
    once published), the ZIP of every protocol (staff), and each organization's protocol and
    plan (an organization user: its own)."""
    staff = sees_everything(user)
    source = source_of(campaign)
    campaign_source: Source | None = source if staff else source_of(campaign, published_only=True)
    assessments = Paginator(campaign_assessments(campaign, user), ORGANIZATIONS_PAGE).get_page(page)
    n = assessments.paginator.count
    jobs: list[JobRow] = []
    if staff:
        for kind, seconds in ((JobKind.PROTOCOLS_DOCX, DOCX_SECONDS), (JobKind.PROTOCOLS_PDF, PDF_SECONDS)):
            latest = DocumentJob.objects.filter(campaign=campaign, kind=kind).first()
            jobs.append(JobRow(kind, kind.label, latest,
                               latest is not None and job_stalled(latest), _minutes(n * seconds)))
    earlier = previous_source(campaign_source) if campaign_source is not None else None
    large = too_large(campaign)
    made: list[MadeCell] = []
    if large and campaign_source is not None:
        by_kind = document_jobs(campaign, campaign_source, list(CAMPAIGN_KINDS.values()))
        for (document, fmt), kind in CAMPAIGN_KINDS.items():
            job = by_kind.get(kind)
            made.append(MadeCell(document, fmt, kind, job,
                                 job is not None and job_stalled(job),
                                 campaign_source.snapshot is not None))
    return {
        "large": large,
        "made": made,
        "campaign": campaign,
        "source": source,
        "campaign_source": campaign_source,
        "documents": CAMPAIGN_DOCUMENTS,
        "previous": earlier,
        "staff": staff,
        "jobs": jobs,
        "assessments": assessments,
        "can_templates": role_of(user) in {Role.OPERATOR, Role.MINISTRY},
    }


def job_page(job: DocumentJob, user: AnyUser) -> dict[str, Any]:
    return {"job": job, "campaign": job.campaign, "stalled": job_stalled(job),
            "staff": sees_everything(user)}


@dataclass(frozen=True)
class KindRow:
    kind: str
    title: str
    current: DocumentTemplate | None


def templates_page() -> dict[str, Any]:
    current = {t.kind: t for t in DocumentTemplate.objects.filter(active=True)
               .select_related("uploaded_by").defer("data")}
    return {"kinds": [KindRow(k, KIND_TITLES[k], current.get(k)) for k in KINDS]}


def template_page(kind: str) -> dict[str, Any]:
    history = list(DocumentTemplate.objects.filter(kind=kind)
                   .select_related("uploaded_by", "retired_by").defer("data"))
    return {
        "kind": kind, "title": KIND_TITLES[kind],
        "current": next((t for t in history if t.active), None),
        "history": history,
        "fields": sorted(FIELDS[kind].items()),
        "required": REQUIRED[kind],
    }
