"""Reads of the website audit: runs, findings with the checklist state, stored copies."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from nok.assessments.models import Assessment, Campaign, ChecklistTick
from nok.assessments.selectors import assessments_visible_to
from nok.organizations.access import AnyUser
from nok.siteaudit.models import CampaignSiteAudit, Decision, SiteAuditRun, SiteFinding, SitePage

HOW_LABELS = {
    "section": "раздел сайта", "document": "документ", "text": "текст на странице",
    "link": "ссылка", "marker": "элемент страницы",
}
CHECKLIST_ORDER = ("site", "remote_channels", "disabled_services")


def runs_of(assessment: Assessment) -> QuerySet[SiteAuditRun]:
    """The assessment's audits, newest first, with the count of findings awaiting a decision."""
    return SiteAuditRun.objects.filter(assessment=assessment).select_related("started_by").annotate(
        pending=Count("findings", filter=Q(findings__decision=Decision.PENDING)),
        found=Count("findings", filter=Q(findings__found=True, findings__checklist_key="site")),
        site_items=Count("findings", filter=Q(findings__checklist_key="site")),
    )


def get_run(assessment: Assessment, run_pk: int | None) -> SiteAuditRun | None:
    """The given run of the assessment (404 if it is another's), or its latest one."""
    runs = runs_of(assessment)
    if run_pk is None:
        return runs.first()
    try:
        return runs.get(pk=run_pk)
    except SiteAuditRun.DoesNotExist as exc:
        raise Http404("Проверка сайта не найдена") from exc


@dataclass(frozen=True)
class FindingRow:
    finding: SiteFinding
    ticked: bool | None  # the checklist's current state of the item (None: not ticked yet)
    evidence: list[dict[str, object]]


def finding_rows(run: SiteAuditRun) -> list[tuple[str, list[FindingRow]]]:
    """Findings grouped by checklist (site, remote channels, the visually impaired), each with
    the current tick and its evidence labelled in Russian."""
    ticks = {
        (t.checklist_key, t.item_key): t.present
        for t in ChecklistTick.objects.filter(assessment_id=run.assessment_id)
    }
    groups: dict[str, list[FindingRow]] = {key: [] for key in CHECKLIST_ORDER}
    for finding in run.findings.select_related("decided_by"):
        evidence = [e | {"how_label": HOW_LABELS.get(str(e.get("how")), "")}
                    for e in finding.evidence]
        groups.setdefault(finding.checklist_key, []).append(
            FindingRow(finding, ticks.get((finding.checklist_key, finding.item_key)), evidence))
    return [(key, rows) for key, rows in groups.items() if rows]


def get_finding(run: SiteAuditRun, finding_pk: int) -> SiteFinding:
    try:
        return run.findings.get(pk=finding_pk)
    except SiteFinding.DoesNotExist as exc:
        raise Http404("Находка не найдена") from exc


def get_finding_for_assessment(assessment: Assessment, finding_pk: int) -> SiteFinding:
    try:
        return SiteFinding.objects.select_related("run").get(
            pk=finding_pk, run__assessment=assessment)
    except SiteFinding.DoesNotExist as exc:
        raise Http404("Находка не найдена") from exc


def get_stored_page(assessment: Assessment, page_pk: int) -> SitePage:
    """A stored copy of a page read by one of the assessment's audits (404 otherwise)."""
    try:
        page = SitePage.objects.get(pk=page_pk, run__assessment=assessment)
    except SitePage.DoesNotExist as exc:
        raise Http404("Копия страницы не найдена") from exc
    if not page.copy:
        raise Http404("Копия этой страницы не сохранялась")
    return page


def page_media_type(page: SitePage) -> str:
    """The Content-Type to serve a stored copy with (the original one, or from the name)."""
    if page.content_type:
        return page.content_type
    return mimetypes.guess_type(page.copy.name)[0] or "application/octet-stream"


CAMPAIGN_PAGE = 50  # organizations a page of the campaign's audit


def campaign_audit_progress(campaign: Campaign, user: AnyUser, page: str | int | None = None
                            ) -> tuple[CampaignSiteAudit | None, Page[Assessment],
                                       list[tuple[Assessment, SiteAuditRun | None]]]:
    """The campaign's latest all-sites audit and one page of the assessments the user may see
    (by organization name), each with its latest run (one query for the page's runs)."""
    job = CampaignSiteAudit.objects.filter(campaign=campaign).select_related("started_by").first()
    visible = (assessments_visible_to(user).filter(campaign=campaign)
               .select_related("organization").order_by("organization__name", "pk"))
    shown = Paginator(visible, CAMPAIGN_PAGE).get_page(page)
    assessments = list(shown)
    latest: dict[int, SiteAuditRun] = {}
    runs = SiteAuditRun.objects.filter(assessment__in=[a.pk for a in assessments]).annotate(
        pending=Count("findings", filter=Q(findings__decision=Decision.PENDING)),
        found=Count("findings", filter=Q(findings__found=True, findings__checklist_key="site")),
        site_items=Count("findings", filter=Q(findings__checklist_key="site")),
    ).order_by("assessment_id", "-created_at", "-id")
    for run in runs:
        latest.setdefault(run.assessment_id, run)
    return job, shown, [(a, latest.get(a.pk)) for a in assessments]
