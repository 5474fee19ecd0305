"""Writes of fieldwork data and the bridge to scoring, with hand-worked numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nok.assessments import services
from nok.assessments.models import Assessment, CampaignStatus, ChecklistTick
from nok.assessments.tests.factories import assessment_of, make_campaign, respond, tick
from nok.core.models import AuditEntry
from nok.organizations.tests.factories import make_organization

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def assessment(personas):  # type: ignore[no-untyped-def]
    campaign = make_campaign([personas.org_a, personas.org_b], user=personas.operator)
    return assessment_of(campaign, personas.org_a)


class ChecklistUpdateTests:
    def test_it_scores_two_of_five_remote_channels_as_60(self, assessment, personas) -> None:
        # 1.2 = min(100, 30 x 2 channels) = 60; 1.1 and 1.3 have no data, so K1 = 1.2 = 60.
        result = tick(assessment, "remote_channels", ["phone", "email"],
                      absent=["e_services", "faq", "opinion_survey"], user=personas.operator)
        assert result.indicators["1.2"] == 60
        assert result.indicators["1.1"] is None
        assert result.criteria["K1"] == 60
        assessment.refresh_from_db()
        assert assessment.result["indicators"]["1.2"] == 60
        assert assessment.computed_at is not None

    def test_it_derives_1_1_from_stand_and_site_ratios(self, assessment, personas) -> None:
        # stand: 7 of 14 items, site: all 21 -> 0.5 x (7/14 + 21/21) x 100 = 75.
        method = services.assessment_methodology(assessment)
        stand = [item.key for item in method.checklist("stand").items]
        site = [item.key for item in method.checklist("site").items]
        assert (len(stand), len(site)) == (14, 21)
        tick(assessment, "stand", stand[:7], absent=stand[7:])
        result = tick(assessment, "site", site)
        assert result.indicators["1.1"] == pytest.approx(75)

    def test_it_combines_checklists_and_survey_into_the_total(self, assessment) -> None:
        # Seed 001 case: everything at 100 except 3.1 = 20 (1 of 5) and 3.2 = 80 (4 of 6);
        # two respondents answering all "yes" (nobody disabled: 3.3 excluded, renormalized).
        # K3 = (0.3 x 20 + 0.4 x 80) / 0.7 = 38 / 0.7 = 54.2857...; total = (400 + K3) / 5.
        method = services.assessment_methodology(assessment)
        for checklist in method.checklists:
            keys = [item.key for item in checklist.items]
            if checklist.key == "disabled_premises":
                tick(assessment, checklist.key, ["wheelchairs"], absent=keys[:3])
            elif checklist.key == "disabled_services":
                tick(assessment, checklist.key, keys[:4], absent=keys[4:])
            else:
                tick(assessment, checklist.key, keys)
        respond(assessment, used_remote="yes", courtesy_remote="yes")
        respond(assessment, used_remote="yes", courtesy_remote="yes")
        result = services.assessment_compute(assessment=assessment)
        assert result.indicators["3.1"] == 20 and result.indicators["3.2"] == 80
        assert result.indicators["3.3"] is None
        assert result.criteria["K3"] == pytest.approx(38 / 0.7)
        assert result.total == pytest.approx((400 + 38 / 0.7) / 5)
        assessment.refresh_from_db()
        assert assessment.total == pytest.approx((400 + 38 / 0.7) / 5)

    def test_it_writes_an_audit_entry_with_before_and_after(self, assessment, personas) -> None:
        tick(assessment, "remote_channels", ["phone"], user=personas.operator)
        tick(assessment, "remote_channels", [], absent=["phone"], user=personas.operator)
        entries = AuditEntry.objects.filter(object_type="assessments.checklisttick").order_by("id")
        created, updated = list(entries)
        assert created.action == "create" and created.before is None
        assert created.after == {"present": True, "note": "", "evidence": ""}
        assert updated.before["present"] is True and updated.after["present"] is False
        assert updated.user == personas.operator
        assert updated.organization_id == personas.org_a.pk
        assert updated.campaign_id == assessment.campaign_id

    def test_it_writes_nothing_when_nothing_changed(self, assessment) -> None:
        tick(assessment, "remote_channels", ["phone"])
        tick(assessment, "remote_channels", ["phone"])
        assert AuditEntry.objects.filter(object_type="assessments.checklisttick").count() == 1

    def test_it_rejects_an_unknown_item_key(self, assessment) -> None:
        with pytest.raises(ValidationError, match="неизвестный пункт «telegram»"):
            tick(assessment, "remote_channels", ["phone", "telegram"])
        assert not ChecklistTick.objects.exists()

    def test_it_rejects_an_unknown_checklist(self, assessment) -> None:
        with pytest.raises(ValidationError, match="Неизвестный перечень «garden»"):
            tick(assessment, "garden", ["roses"])

    def test_it_rejects_edits_of_a_published_campaign(self, assessment, personas) -> None:
        campaign = assessment.campaign
        services.campaign_set_status(campaign=campaign, user=personas.operator, status="review")
        services.campaign_set_status(campaign=campaign, user=personas.ministry, status="published")
        assessment.refresh_from_db()
        with pytest.raises(ValidationError, match="опубликована"):
            tick(assessment, "remote_channels", ["phone"])
        with pytest.raises(ValidationError, match="опубликована"):
            services.contact_create(assessment=assessment, user=personas.operator, kind="call",
                                    date=dt.date(2025, 5, 1), form="home", answered=True,
                                    effective=True)

    def test_it_stores_evidence_and_refuses_a_disguised_file(self, assessment, settings,
                                                             tmp_path) -> None:
        settings.MEDIA_ROOT = tmp_path
        photo = SimpleUploadedFile("ramp.png", PNG, content_type="image/png")
        services.checklist_update(
            assessment=assessment, user=None, checklist_key="disabled_premises",
            items={"ramps": services.TickInput(present=True, note="пандус у входа", evidence=photo)},
        )
        stored = ChecklistTick.objects.get(item_key="ramps")
        assert stored.evidence.name.startswith(f"evidence/{assessment.pk}/disabled_premises/ramp")
        fake = SimpleUploadedFile("doc.pdf", b"MZ not a pdf", content_type="application/pdf")
        with pytest.raises(ValidationError, match="не похоже на PDF"):
            services.checklist_update(
                assessment=assessment, user=None, checklist_key="disabled_premises",
                items={"parking": services.TickInput(present=True, evidence=fake)},
            )
        exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
        with pytest.raises(ValidationError, match="допустимы только"):
            services.checklist_update(
                assessment=assessment, user=None, checklist_key="disabled_premises",
                items={"parking": services.TickInput(present=True, evidence=exe)},
            )


class CampaignServiceTests:
    def test_it_creates_one_assessment_per_organization(self, personas) -> None:
        campaign = make_campaign([personas.org_a, personas.org_b], user=personas.operator)
        assert campaign.assessments.count() == 2
        assert AuditEntry.objects.filter(object_type="assessments.campaign", action="create").exists()

    def test_it_adds_and_removes_organizations_without_data(self, personas) -> None:
        campaign = make_campaign([personas.org_a, personas.org_b])
        org_c = make_organization()
        services.campaign_update(
            campaign=campaign, user=personas.operator, title="НОК 2025 (уточнено)", year=2025,
            period_start=campaign.period_start, period_end=campaign.period_end,
            methodology=campaign.methodology, organizations=[personas.org_a, org_c],
        )
        assert set(campaign.assessments.values_list("organization_id", flat=True)) == {
            personas.org_a.pk, org_c.pk}

    def test_it_refuses_to_drop_an_organization_with_data(self, personas) -> None:
        campaign = make_campaign([personas.org_a, personas.org_b])
        tick(assessment_of(campaign, personas.org_b), "remote_channels", ["phone"])
        with pytest.raises(ValidationError, match="уже собраны данные"):
            services.campaign_update(
                campaign=campaign, user=personas.operator, title=campaign.title, year=2025,
                period_start=campaign.period_start, period_end=campaign.period_end,
                methodology=campaign.methodology, organizations=[personas.org_a],
            )

    def test_it_moves_through_review_to_published(self, personas) -> None:
        campaign = make_campaign([personas.org_a])
        with pytest.raises(PermissionDenied):
            services.campaign_set_status(campaign=campaign, user=personas.ministry, status="review")
        services.campaign_set_status(campaign=campaign, user=personas.operator, status="review")
        with pytest.raises(PermissionDenied):
            services.campaign_set_status(campaign=campaign, user=personas.council,
                                         status="published")
        services.campaign_set_status(campaign=campaign, user=personas.ministry, status="published")
        assert campaign.status == CampaignStatus.PUBLISHED
        with pytest.raises(ValidationError, match="невозможен"):
            services.campaign_set_status(campaign=campaign, user=personas.operator,
                                         status="fieldwork")


class CampaignComputeTests:
    def test_it_recomputes_every_assessment_in_a_fixed_number_of_queries(
        self, personas, django_assert_max_num_queries
    ) -> None:
        orgs = [make_organization() for _ in range(6)]
        campaign = make_campaign(orgs)
        for org in orgs[:3]:
            tick(assessment_of(campaign, org), "remote_channels", ["phone", "email"])
        Assessment.objects.update(total=None, result=None)
        with django_assert_max_num_queries(12):
            assert services.campaign_compute(campaign=campaign) == 6
        totals = sorted(Assessment.objects.values_list("result__indicators__1.2", flat=True),
                        key=lambda v: (v is None, v))
        assert totals[:3] == [60, 60, 60]

    def test_query_count_does_not_grow_with_the_campaign(self, personas) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        small = make_campaign([make_organization() for _ in range(2)], title="малая")
        large = make_campaign([make_organization() for _ in range(12)], title="большая")
        with CaptureQueriesContext(connection) as few:
            services.campaign_compute(campaign=small)
        with CaptureQueriesContext(connection) as many:
            services.campaign_compute(campaign=large)
        assert len(many.captured_queries) == len(few.captured_queries)


class ControlContactServiceTests:
    def test_it_logs_and_deletes_a_call_with_audit(self, assessment, personas) -> None:
        contact = services.contact_create(
            assessment=assessment, user=personas.operator, kind="call", date=dt.date(2025, 5, 1),
            time=dt.time(10, 15), form="home", answered=True, effective=False, note="занято",
        )
        services.contact_delete(contact=contact, user=personas.operator)
        actions = list(AuditEntry.objects.filter(object_type="assessments.controlcontact")
                       .order_by("id").values_list("action", flat=True))
        assert actions == ["create", "delete"]
        deleted = AuditEntry.objects.get(object_type="assessments.controlcontact", action="delete")
        assert deleted.before["time"] == "10:15:00" and deleted.after is None

    def test_it_rejects_an_effective_call_nobody_answered(self, assessment) -> None:
        with pytest.raises(ValidationError, match="Результативным"):
            services.contact_create(assessment=assessment, user=None, kind="call",
                                    date=dt.date(2025, 5, 1), form="home", answered=False,
                                    effective=True)

    def test_it_records_complaints_and_refuses_more_resolved_than_registered(self,
                                                                            assessment) -> None:
        services.complaints_set(assessment=assessment, user=None, form="home", registered=2,
                                resolved=1)
        services.complaints_set(assessment=assessment, user=None, form="home", registered=3,
                                resolved=3)
        assert assessment.complaints.get().registered == 3
        with pytest.raises(ValidationError):
            services.complaints_set(assessment=assessment, user=None, form="home", registered=1,
                                    resolved=2)


class Social2014Tests:
    def test_it_takes_call_and_complaint_figures_from_the_protocol(self, personas) -> None:
        # org_a: 200 recipients (60 + 140). Calls: 2 logged, 1 effective -> 0241000009 = 1/2
        # = 0.5. Complaints: 4 registered / 200 x 100 = 2 per 100 (<= 5) -> 02450000016 = 0.5.
        campaign = make_campaign([personas.org_a], slug="social-2014")
        assessment = assessment_of(campaign, personas.org_a)
        for effective in (True, False):
            services.contact_create(assessment=assessment, user=None, kind="call",
                                    date=dt.date(2025, 5, 1), form="home", answered=True,
                                    effective=effective)
        services.complaints_set(assessment=assessment, user=None, form="home", registered=4,
                                resolved=4)
        assessment.refresh_from_db()
        scores = assessment.result["indicators"]
        assert scores["0241000009"] == 0.5
        assert scores["02410000010"] is None  # no e-mails: the channel drops out
        assert scores["02450000016"] == 0.5

    def test_a_typed_value_wins_over_the_protocol(self, personas) -> None:
        campaign = make_campaign([personas.org_a], slug="social-2014")
        assessment = assessment_of(campaign, personas.org_a)
        services.contact_create(assessment=assessment, user=None, kind="call",
                                date=dt.date(2025, 5, 1), form="home", answered=False,
                                effective=False)
        result = services.values_update(assessment=assessment, user=None,
                                        values={"0241000009": 0.9})
        assert result.indicators["0241000009"] == pytest.approx(0.9)

    def test_it_rejects_an_unknown_code(self, personas) -> None:
        campaign = make_campaign([personas.org_a], slug="social-2014")
        assessment = assessment_of(campaign, personas.org_a)
        with pytest.raises(ValidationError, match="Неизвестный код показателя «999»"):
            services.values_update(assessment=assessment, user=None, values={"999": 1})
