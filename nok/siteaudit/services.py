"""Writes of the website audit: start and run audits, store their findings, decide on them.

The crawl itself (``siteaudit.audit``, up to a minute or two per site) runs outside any
database transaction; its results are stored in one. Findings are suggestions: only
:func:`site_finding_decide`, called by an operator, changes a checklist — through
``nok.assessments.services.checklist_update``, which records the tick in the audit journal and
recomputes the scores — and it records the decision with its evidence in the journal too.

Background work: :func:`site_audit_execute` and :func:`campaign_site_audit_execute` are plain
functions taking the id of a stored row, so that a task queue can run them; the progress of a
campaign audit is its :class:`CampaignSiteAudit` row.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

import scoring
import siteaudit
from nok.assessments.models import Assessment, Campaign, CampaignStatus
from nok.assessments.services import (
    FIELDWORK_CLOSED,
    FieldworkClosed,
    TickInput,
    assessment_methodology,
    checklist_update,
)
from nok.core.services import AuditScope, acting_user, audit_record
from nok.organizations.access import AnyUser, is_operator
from nok.siteaudit.models import (
    CampaignSiteAudit,
    Decision,
    RunStatus,
    SiteAuditRun,
    SiteFinding,
    SitePage,
)

log = logging.getLogger(__name__)

NO_WEBSITE = "У организации не указан адрес сайта: укажите его в карточке организации"
EXTENSIONS = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "file": ".bin"}
#: One site takes minutes at most; a campaign job silent for this long is dead.
STALE_AFTER = dt.timedelta(hours=1)


def crawl_settings() -> siteaudit.CrawlSettings:
    """The crawler's limits from the settings (NOK_SITE_AUDIT_*)."""
    return siteaudit.CrawlSettings(
        max_pages=settings.NOK_SITE_AUDIT_MAX_PAGES,
        fetch=siteaudit.FetchSettings(
            delay=settings.NOK_SITE_AUDIT_DELAY,
            allow_private=settings.NOK_SITE_AUDIT_ALLOW_PRIVATE,
            ca_file=settings.NOK_SITE_AUDIT_CA_FILE,
        ),
    )


def _scope(assessment: Assessment) -> AuditScope:
    return {"organization_id": assessment.organization_id, "campaign_id": assessment.campaign_id}


def _editable(campaign: Campaign, user: AnyUser | None) -> None:
    if user is not None and not is_operator(user):
        raise PermissionDenied("Проверять сайты может только оператор")
    if not campaign.collecting:  # suggestions for the checklists belong to fieldwork
        raise FieldworkClosed(FIELDWORK_CLOSED[CampaignStatus(campaign.status)])


@transaction.atomic
def site_audit_create(*, assessment: Assessment, user: AnyUser | None, url: str = "",
                      campaign_audit: CampaignSiteAudit | None = None) -> SiteAuditRun:
    """A queued audit of the organization's website (``url`` overrides its address)."""
    assessment = Assessment.objects.select_related(
        "campaign__methodology", "organization").get(pk=assessment.pk)  # the current status
    _editable(assessment.campaign, user)
    raw = (url or assessment.organization.website or "").strip()
    if not raw:
        raise ValidationError({"url": NO_WEBSITE})
    try:
        address = siteaudit.start_address(raw)
    except siteaudit.BadAddress as exc:
        raise ValidationError({"url": f"Адрес сайта {exc}"}) from exc
    run = SiteAuditRun(assessment=assessment, url=address, campaign_audit=campaign_audit,
                       methodology=assessment.campaign.methodology.slug,
                       started_by=acting_user(user))
    run.full_clean()
    run.save()
    audit_record(user=user, action="site_audit", obj=run, after={"url": address},
                 **_scope(assessment))
    return run


def site_audit_execute(*, run_id: int) -> SiteAuditRun:
    """Crawl the run's site and store its pages and findings; a failure is stored, not raised.

    Never touches a checklist.
    """
    run = SiteAuditRun.objects.select_related("assessment__campaign__methodology").get(pk=run_id)
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at", "updated_at"])
    try:
        methodology = assessment_methodology(run.assessment)
        report = siteaudit.audit(run.url, methodology, crawl_settings())
    except siteaudit.SiteAuditError as exc:
        return _failed(run, str(exc))
    except Exception as exc:  # a background job stores any failure for the operator to see
        log.exception("site audit %s failed", run.pk)
        return _failed(run, f"внутренняя ошибка проверки ({type(exc).__name__})")
    _store(run, report, methodology)
    return run


def _failed(run: SiteAuditRun, reason: str) -> SiteAuditRun:
    run.status = RunStatus.FAILED
    run.error = reason[:2000]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return run


def _cited(report: siteaudit.AuditReport) -> set[str]:
    return {ev.url for _, finding in report.findings() for ev in finding.evidence}


@transaction.atomic
def _store(run: SiteAuditRun, report: siteaudit.AuditReport,
           methodology: scoring.Methodology) -> None:
    cited = _cited(report)
    page_ids: dict[str, int] = {}
    for index, page in enumerate(report.pages):
        row = SitePage(run=run, url=page.final_url[:2000], kind=page.kind, status=page.status,
                       content_type=page.content_type[:200], title=page.parsed.title[:500],
                       error=page.error[:500], fetched_at=page.fetched_at, size=len(page.body))
        if page.final_url in cited and page.ok and page.body and page.final_url not in page_ids:
            row.copy.save(f"{index:03d}{EXTENSIONS.get(page.kind, '.bin')}",
                          ContentFile(page.body), save=False)
        row.save()
        if row.copy:
            page_ids[page.final_url] = row.pk
    for checklist_key, finding in report.findings():
        SiteFinding.objects.create(
            run=run, checklist_key=checklist_key, item_key=finding.key,
            label=finding.label[:500], found=finding.found,
            evidence=[ev.to_dict() | {"page": page_ids.get(ev.url)} for ev in finding.evidence],
            notes=list(finding.notes),
        )
    run.status = RunStatus.DONE
    run.pages_read = sum(1 for p in report.pages if p.kind == "html")
    run.documents_read = sum(1 for p in report.pages if p.is_document)
    run.pages_failed = sum(1 for p in report.pages if p.kind == "error")
    run.skipped = [{"url": u, "reason": r} for u, r in report.skipped[:200]]
    run.finished_at = timezone.now()
    run.save()


def _tick_note(finding: SiteFinding, note: str) -> str:
    when = timezone.localdate().strftime("%d.%m.%Y")
    if finding.found and finding.evidence:
        first = finding.evidence[0]
        line = f"Сайт, проверка {when}: {first['url']} — «{first['text'][:200]}»"
    else:
        line = f"Сайт, проверка {when}: не найдено"
    return f"{line}. {note}".strip() if note else line


@transaction.atomic
def site_finding_decide(*, finding: SiteFinding, user: AnyUser, decision: str,
                        note: str = "") -> SiteFinding:
    """The operator confirms or rejects one suggestion.

    Confirming sets the checklist item to what the audit found (present with the evidence
    noted, or absent) through ``checklist_update``; rejecting leaves the checklist alone.
    Either way the decision and its evidence go to the audit journal. A decided finding is
    not decided again.
    """
    finding = SiteFinding.objects.select_for_update().select_related(
        "run__assessment__campaign", "run__assessment__organization").get(pk=finding.pk)
    assessment = finding.run.assessment
    _editable(assessment.campaign, user)
    if decision not in (Decision.CONFIRMED, Decision.REJECTED):
        raise ValidationError({"decision": "Выберите «подтвердить» или «отклонить»"})
    if finding.decision != Decision.PENDING:
        raise ValidationError({"decision": f"Решение по пункту уже принято: "
                                           f"{finding.get_decision_display()}"})
    if finding.run.status != RunStatus.DONE:
        raise ValidationError({"decision": "Проверка сайта ещё не завершена"})
    note = note.strip()
    if decision == Decision.CONFIRMED:
        checklist_update(
            assessment=assessment, user=user, checklist_key=finding.checklist_key,
            items={finding.item_key: TickInput(present=finding.found,
                                               note=_tick_note(finding, note)[:2000])},
        )
    finding.decision = decision
    finding.decision_note = note[:500]
    finding.decided_by = acting_user(user)
    finding.decided_at = timezone.now()
    finding.full_clean()
    finding.save()
    audit_record(
        user=user, action="site_audit_confirm" if decision == Decision.CONFIRMED
        else "site_audit_reject", obj=finding,
        after={"label": finding.label, "found": finding.found, "decision": decision,
               "decision_note": finding.decision_note,
               "evidence": [f"{e['url']} — «{e['text'][:300]}»" for e in finding.evidence]},
        **_scope(assessment),
    )
    return finding


# --- the whole campaign -------------------------------------------------------------------------


@transaction.atomic
def campaign_site_audit_create(*, campaign: Campaign, user: AnyUser | None) -> CampaignSiteAudit:
    """A queued audit of every organization of the campaign that has a website."""
    _editable(campaign, user)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    # A job whose row has not moved for STALE_AFTER died with its worker: it blocks nothing.
    if CampaignSiteAudit.objects.filter(
        campaign=campaign, status__in=(RunStatus.QUEUED, RunStatus.RUNNING),
        updated_at__gte=timezone.now() - STALE_AFTER,
    ).exists():
        raise ValidationError("Проверка сайтов этой кампании уже идёт")
    assessments = Assessment.objects.filter(campaign=campaign)
    with_site = assessments.exclude(organization__website="").count()
    job = CampaignSiteAudit(campaign=campaign, total=with_site,
                            without_site=assessments.count() - with_site,
                            started_by=acting_user(user))
    job.full_clean()
    job.save()
    audit_record(user=user, action="site_audit", obj=job, after={"total": with_site},
                 campaign_id=campaign.pk)
    return job


def _progress(job: CampaignSiteAudit, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def campaign_site_audit_execute(*, job_id: int) -> CampaignSiteAudit:
    """Audit the sites one after another, reporting progress in the job's row after each."""
    job = CampaignSiteAudit.objects.select_related("campaign", "started_by").get(pk=job_id)
    _progress(job, status=RunStatus.RUNNING)
    assessments = (Assessment.objects.filter(campaign=job.campaign)
                   .exclude(organization__website="")
                   .select_related("organization", "campaign__methodology")
                   .order_by("organization__name"))
    for assessment in assessments:
        _progress(job, current=assessment.organization.name[:300])
        try:
            run = site_audit_create(assessment=assessment, user=job.started_by,
                                    campaign_audit=job)
        except ValidationError:
            _progress(job, done=job.done + 1, failed=job.failed + 1)
            continue
        run = site_audit_execute(run_id=run.pk)
        _progress(job, done=job.done + 1,
                  failed=job.failed + (1 if run.status == RunStatus.FAILED else 0))
    _progress(job, status=RunStatus.DONE, current="", finished_at=timezone.now())
    return job

