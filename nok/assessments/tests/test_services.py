"""Writes of fieldwork data: validation, audit, evidence. (What the scores make of them is
tested in ``nok/scores/tests``; the guard of closed campaigns in ``test_fieldwork_guard``.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nok.assessments import services
from nok.assessments.models import Assessment, Campaign, CampaignStatus, ChecklistTick
from nok.assessments.tests.factories import assessment_of, make_campaign, methodology, tick
from nok.core.models import AuditEntry
from nok.organizations.tests.factories import make_organization

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def assessment(personas):  # type: ignore[no-untyped-def]
    campaign = make_campaign([personas.org_a, personas.org_b], user=personas.operator)
    return assessment_of(campaign, personas.org_a)


class ChecklistUpdateTests:
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


class ChangedCountTests:
    def test_a_checklist_save_says_how_many_items_changed(self, assessment) -> None:
        assert tick(assessment, "remote_channels", ["phone", "email"]) == 2
        assert tick(assessment, "remote_channels", ["phone"], absent=["email"]) == 1
        assert tick(assessment, "remote_channels", ["phone"]) == 0

    def test_every_write_raises_the_data_version(self, assessment) -> None:
        start = Assessment.objects.get(pk=assessment.pk).data_version
        tick(assessment, "remote_channels", ["phone"])
        services.complaints_set(assessment=assessment, user=None, form="home", registered=0,
                                resolved=0)
        assert Assessment.objects.get(pk=assessment.pk).data_version == start + 2


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

    def test_a_new_methodology_makes_every_score_stale(self, personas) -> None:
        campaign = make_campaign([personas.org_a, personas.org_b])
        versions = list(campaign.assessments.order_by("pk").values_list("data_version", flat=True))
        services.campaign_update(
            campaign=campaign, user=personas.operator, title=campaign.title, year=2016,
            period_start=campaign.period_start, period_end=campaign.period_end,
            methodology=methodology("social-2014"), organizations=[personas.org_a, personas.org_b],
        )
        after = list(campaign.assessments.order_by("pk").values_list("data_version", flat=True))
        assert after == [v + 1 for v in versions]

    def test_a_campaign_out_of_fieldwork_cannot_be_edited(self, personas) -> None:
        campaign = make_campaign([personas.org_a])
        Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.REVIEW)
        with pytest.raises(ValidationError, match="только на этапе сбора данных"):
            services.campaign_update(
                campaign=campaign, user=personas.operator, title="другое", year=2025,
                period_start=campaign.period_start, period_end=campaign.period_end,
                methodology=campaign.methodology, organizations=[personas.org_a],
            )

    def test_it_refuses_to_drop_an_organization_with_data(self, personas) -> None:
        campaign = make_campaign([personas.org_a, personas.org_b])
        tick(assessment_of(campaign, personas.org_b), "remote_channels", ["phone"])
        with pytest.raises(ValidationError, match="уже собраны данные"):
            services.campaign_update(
                campaign=campaign, user=personas.operator, title=campaign.title, year=2025,
                period_start=campaign.period_start, period_end=campaign.period_end,
                methodology=campaign.methodology, organizations=[personas.org_a],
            )

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
    def test_it_rejects_an_unknown_code(self, personas) -> None:
        campaign = make_campaign([personas.org_a], slug="social-2014")
        assessment = assessment_of(campaign, personas.org_a)
        with pytest.raises(ValidationError, match="Неизвестный код показателя «999»"):
            services.values_update(assessment=assessment, user=None, values={"999": 1})
