"""Who may download which document (one helper per object; every view goes through one).

- operator, ministry, public council: every document of every campaign, the ZIP of all
  protocols;
- an organization user: its own organization's protocol and plan (as its results page shows
  them); the campaign's rating and regional report only once published — the published
  edition, as on the public results pages;
- the region's templates: operator and ministry;
- out of scope: 404; visible but not allowed: 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from documents import KINDS
from nok.assessments.models import Assessment, Campaign
from nok.assessments.selectors import get_assessment_for_user, get_campaign_for_user
from nok.organizations.access import AnyUser, require_role, role_of, sees_everything
from nok.organizations.models import Role
from nok.reports.models import DocumentJob
from nok.reports.sources import Source, source_of

NOT_PUBLISHED = ("Рейтинг и сводный отчёт кампании доступны организации после публикации "
                 "результатов")


def get_campaign_source_for_user(user: AnyUser, pk: int) -> tuple[Campaign, Source]:
    """The campaign and the results its rating and regional report print for this user."""
    campaign = get_campaign_for_user(user, pk)
    source = source_of(campaign, published_only=not sees_everything(user))
    if source is None:
        raise PermissionDenied(NOT_PUBLISHED)
    return campaign, source


@dataclass(frozen=True)
class AssessmentDocuments:
    assessment: Assessment
    source: Source
    compare: bool  # the protocol's chart may show the regional and type averages


def get_assessment_source_for_user(user: AnyUser, pk: int) -> AssessmentDocuments:
    """The organization's protocol and plan print what its results page shows (current in
    fieldwork, frozen after); an organization user sees the averages of the region on the chart
    only once they are published."""
    assessment = get_assessment_for_user(user, pk)
    source = source_of(assessment.campaign)
    assert source is not None
    return AssessmentDocuments(assessment, source, sees_everything(user) or source.published)


def get_job_for_user(user: AnyUser, pk: int) -> DocumentJob:
    """Every job is the operator's, the ministry's and the council's; an organization user
    sees the rating and report jobs of a campaign it takes part in that print the results
    published now (what its downloads print)."""
    require_role(user)
    try:
        job = DocumentJob.objects.select_related("campaign", "snapshot", "requested_by").get(pk=pk)
    except DocumentJob.DoesNotExist as exc:
        raise Http404("Сборка не найдена") from exc
    if sees_everything(user):
        return job
    refused = PermissionDenied("Эта сборка документов доступна оператору, министерству и "
                               "общественному совету")
    if job.archive or role_of(user) != Role.ORGANIZATION:
        raise refused
    campaign = get_campaign_for_user(user, job.campaign_id)  # 404 outside its campaigns
    published = source_of(campaign, published_only=True)
    snapshot = published.snapshot if published is not None else None
    if snapshot is None or job.snapshot_id != snapshot.pk:
        raise refused
    return job


def require_template_editor(user: AnyUser, kind: str | None = None) -> None:
    require_role(user)
    if role_of(user) not in {Role.OPERATOR, Role.MINISTRY}:
        raise PermissionDenied("Шаблоны документов доступны оператору и министерству")
    if kind is not None and kind not in KINDS:
        raise Http404("Нет такого вида документа")
