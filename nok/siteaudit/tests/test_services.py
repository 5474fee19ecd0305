"""Website audit services against fixture sites served on 127.0.0.1 (private addresses allowed
by the setting, as in production they are not)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nok.assessments.models import Campaign, CampaignStatus, ChecklistTick
from nok.assessments.tests.factories import assessment_of, make_campaign
from nok.core.models import AuditEntry
from nok.organizations.models import Organization
from nok.organizations.tests.factories import make_organization
from nok.scores.selectors import assessment_result
from nok.siteaudit import services
from nok.siteaudit.models import CampaignSiteAudit, Decision, RunStatus, SiteFinding
from siteaudit.tests.fixtures import site_joomla, site_srcn
from siteaudit.tests.fixtures.kit import serve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_sites(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.NOK_SITE_AUDIT_ALLOW_PRIVATE = True
    settings.NOK_SITE_AUDIT_DELAY = 0
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def joomla():  # type: ignore[no-untyped-def]
    with serve(site_joomla.build().files) as (base, log):
        yield base + "/", log


@pytest.fixture
def assessment(personas, joomla):  # type: ignore[no-untyped-def]
    Organization.objects.filter(pk=personas.org_a.pk).update(website=joomla[0])
    campaign = make_campaign([personas.org_a, personas.org_b], user=personas.operator)
    return assessment_of(campaign, personas.org_a)


def audited(assessment, user):  # type: ignore[no-untyped-def]
    run = services.site_audit_create(assessment=assessment, user=user)
    return services.site_audit_execute(run_id=run.pk)


def finding(run, key: str, checklist: str = "site") -> SiteFinding:
    return run.findings.get(checklist_key=checklist, item_key=key)


class SiteAuditRunTests:
    def test_an_audit_suggests_every_item_and_ticks_nothing(self, assessment, personas):
        run = audited(assessment, personas.operator)
        assert run.status == RunStatus.DONE and run.error == ""
        assert run.findings.filter(checklist_key="site").count() == 21
        assert run.findings.filter(checklist_key="remote_channels").count() == 5
        assert run.findings.filter(checklist_key="disabled_services").get().item_key == \
            "site_for_visually_impaired"
        assert set(run.findings.values_list("decision", flat=True)) == {Decision.PENDING}
        assert ChecklistTick.objects.filter(assessment=assessment).count() == 0

    def test_every_cited_page_is_stored_as_it_was_read(self, assessment, personas):
        run = audited(assessment, personas.operator)
        founding = finding(run, "founding")
        assert founding.found
        page_id = founding.evidence[0]["page"]
        page = run.pages.get(pk=page_id)
        with page.copy.open("rb") as handle:
            body = handle.read()
        assert "Дата государственной регистрации".encode() in body
        assert page.url == founding.evidence[0]["url"]
        assert run.pages.filter(copy="").exists()  # pages nobody cites keep no copy

    def test_a_site_in_windows_1251_is_read(self, personas):
        with serve(site_srcn.build().files) as (base, _):
            Organization.objects.filter(pk=personas.org_b.pk).update(website=base + "/")
            campaign = make_campaign([personas.org_b])
            run = audited(assessment_of(campaign, personas.org_b), personas.operator)
        assert finding(run, "management").found
        assert "Иванова Светлана Юрьевна" in finding(run, "management").evidence[0]["text"]
        assert not finding(run, "trustee_board").found
        assert "не заполнен" in finding(run, "trustee_board").notes[0]

    def test_without_a_website_address_it_says_so(self, personas):
        campaign = make_campaign([personas.org_b])
        with pytest.raises(ValidationError, match="не указан адрес сайта"):
            services.site_audit_create(assessment=assessment_of(campaign, personas.org_b),
                                       user=personas.operator)

    def test_an_unreachable_site_is_a_failed_run_with_its_reason(self, assessment, personas):
        run = services.site_audit_create(assessment=assessment, user=personas.operator,
                                         url="http://127.0.0.1:9/")
        run = services.site_audit_execute(run_id=run.pk)
        assert run.status == RunStatus.FAILED
        assert run.error == "сайт http://127.0.0.1:9/ недоступен: не удалось соединиться"

    def test_private_addresses_are_refused_unless_the_setting_allows_them(
        self, assessment, personas, joomla, settings
    ):
        settings.NOK_SITE_AUDIT_ALLOW_PRIVATE = False
        run = audited(assessment, personas.operator)
        assert run.status == RunStatus.FAILED
        assert "частной, локальной или служебной сети" in run.error
        assert joomla[1] == []

    def test_a_read_only_user_cannot_start_an_audit(self, assessment, personas):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            services.site_audit_create(assessment=assessment, user=personas.ministry)


class DecisionTests:
    def test_confirming_a_found_item_ticks_it_with_the_evidence_and_journals_it(
        self, assessment, personas
    ):
        run = audited(assessment, personas.operator)
        contacts = finding(run, "contacts")
        services.site_finding_decide(finding=contacts, user=personas.operator,
                                     decision=Decision.CONFIRMED, note="проверено вручную")
        tick = ChecklistTick.objects.get(assessment=assessment, checklist_key="site",
                                         item_key="contacts")
        assert tick.present is True
        assert contacts.evidence[0]["url"] in tick.note and "проверено вручную" in tick.note
        entry = AuditEntry.objects.get(action="site_audit_confirm")
        assert entry.user == personas.operator
        assert entry.after["found"] is True
        assert entry.after["evidence"][0].startswith(contacts.evidence[0]["url"])
        # the scores follow the tick: 1.1 now reads the site list as 1 item of 21
        shown = assessment_result(assessment).result
        assert shown.explain["1.1"].inputs["site"] == {"required": 21, "present": 1}

    def test_confirming_a_missing_item_records_it_as_absent(self, assessment, personas):
        run = audited(assessment, personas.operator)
        services.site_finding_decide(finding=finding(run, "tariffs"), user=personas.operator,
                                     decision=Decision.CONFIRMED)
        tick = ChecklistTick.objects.get(assessment=assessment, item_key="tariffs")
        assert tick.present is False and "не найдено" in tick.note

    def test_rejecting_leaves_the_checklist_alone_and_is_journaled(self, assessment, personas):
        run = audited(assessment, personas.operator)
        decided = services.site_finding_decide(finding=finding(run, "faq", "remote_channels"),
                                               user=personas.operator,
                                               decision=Decision.REJECTED, note="это не FAQ")
        assert decided.decision == Decision.REJECTED and decided.decided_by == personas.operator
        assert ChecklistTick.objects.filter(assessment=assessment).count() == 0
        entry = AuditEntry.objects.get(action="site_audit_reject")
        assert entry.after["decision_note"] == "это не FAQ"

    def test_a_finding_is_decided_once(self, assessment, personas):
        run = audited(assessment, personas.operator)
        item = finding(run, "documents")
        services.site_finding_decide(finding=item, user=personas.operator,
                                     decision=Decision.REJECTED)
        with pytest.raises(ValidationError, match="уже принято"):
            services.site_finding_decide(finding=item, user=personas.operator,
                                         decision=Decision.CONFIRMED)
        assert ChecklistTick.objects.filter(assessment=assessment).count() == 0

    def test_a_published_campaign_accepts_no_decision(self, assessment, personas):
        run = audited(assessment, personas.operator)
        Campaign.objects.filter(pk=assessment.campaign_id).update(status=CampaignStatus.PUBLISHED)
        with pytest.raises(ValidationError, match="опубликована"):
            services.site_finding_decide(finding=finding(run, "documents"),
                                         user=personas.operator, decision=Decision.CONFIRMED)
        with pytest.raises(ValidationError, match="опубликована"):
            services.site_audit_create(assessment=assessment, user=personas.operator)


class CampaignAuditTests:
    def test_it_audits_every_site_and_counts_progress(self, personas, joomla):
        with serve(site_srcn.build().files) as (base, _):
            Organization.objects.filter(pk=personas.org_a.pk).update(website=joomla[0])
            Organization.objects.filter(pk=personas.org_b.pk).update(website=base + "/")
            third = make_organization("ГБУ «Без сайта»")
            campaign = make_campaign([personas.org_a, personas.org_b, third])
            job = services.campaign_site_audit_create(campaign=campaign, user=personas.operator)
            assert (job.status, job.total, job.without_site, job.done) == (RunStatus.QUEUED, 2, 1, 0)
            job = services.campaign_site_audit_execute(job_id=job.pk)
        job.refresh_from_db()
        assert (job.status, job.done, job.failed, job.current) == (RunStatus.DONE, 2, 0, "")
        assert job.runs.filter(status=RunStatus.DONE).count() == 2
        assert ChecklistTick.objects.filter(assessment__campaign=campaign).count() == 0

    def test_a_second_campaign_audit_is_refused_while_one_is_queued(self, personas):
        campaign = make_campaign([personas.org_a])
        services.campaign_site_audit_create(campaign=campaign, user=personas.operator)
        with pytest.raises(ValidationError, match="уже идёт"):
            services.campaign_site_audit_create(campaign=campaign, user=personas.operator)
        assert CampaignSiteAudit.objects.count() == 1

    def test_a_job_silent_for_an_hour_no_longer_blocks_a_new_one(self, personas):
        campaign = make_campaign([personas.org_a])
        old = services.campaign_site_audit_create(campaign=campaign, user=personas.operator)
        CampaignSiteAudit.objects.filter(pk=old.pk).update(
            status=RunStatus.RUNNING, updated_at=timezone.now() - dt.timedelta(minutes=61))
        services.campaign_site_audit_create(campaign=campaign, user=personas.operator)
        assert CampaignSiteAudit.objects.count() == 2
