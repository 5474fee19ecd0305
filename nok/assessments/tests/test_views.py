"""Campaign and assessment pages: scopes (outsider 404, read-only 403), forms, live scores."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nok.assessments.models import Campaign, CampaignStatus, ChecklistTick, ControlContact
from nok.assessments.templatetags.assessments_tags import score_fixed
from nok.assessments.tests.factories import (
    assessment_of,
    make_campaign,
    methodology,
    respond,
    tick,
)
from nok.core.models import AuditEntry
from nok.scores.selectors import assessment_result
from nok.surveys.selectors import sample_status

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def campaign(personas):  # type: ignore[no-untyped-def]
    return make_campaign([personas.org_a, personas.org_b], user=personas.operator)


@pytest.fixture
def own(campaign, personas):  # type: ignore[no-untyped-def]
    return assessment_of(campaign, personas.org_a)


@pytest.fixture
def other(campaign, personas):  # type: ignore[no-untyped-def]
    return assessment_of(campaign, personas.org_b)


def url(name: str, *args: int) -> str:
    if name in ("campaign_detail", "assessment_detail"):  # the results pages of nok.scores
        return reverse("scores:" + name.split("_")[0], args=args)
    return reverse(f"assessments:{name}", args=args)


class CampaignViewTests:
    def test_everyone_with_a_role_sees_the_campaign_list(self, campaign, personas) -> None:
        for user in (personas.operator, personas.ministry, personas.council, personas.org_admin):
            response = client_for(user).get(url("campaign_list"))
            assert response.status_code == 200
            assert "НОК 2025" in response.content.decode()

    def test_nobody_gets_403(self, campaign, personas) -> None:
        assert client_for(personas.nobody).get(url("campaign_list")).status_code == 403
        assert client_for(personas.nobody).get(url("campaign_detail", campaign.pk)).status_code == 403

    def test_an_outsider_gets_404_for_a_campaign_without_their_organization(self, personas) -> None:
        only_a = make_campaign([personas.org_a], title="Только А")
        response = client_for(personas.outsider).get(url("campaign_detail", only_a.pk))
        assert response.status_code == 404

    def test_the_operator_creates_a_campaign_choosing_organizations_by_type(self, personas) -> None:
        method = methodology()
        response = client_for(personas.operator).post(url("campaign_create"), {
            "title": "НОК 2026", "year": 2026, "period_start": "2026-03-01",
            "period_end": "2026-11-30", "methodology": method.pk, "operator_name": "ЦСИ",
            "ministry_name": "Министерство социальной политики Образцовой области",
            "include_types": [personas.org_a.type_id],
        })
        assert response.status_code == 302
        made = Campaign.objects.get(title="НОК 2026")
        assert made.ministry_name == "Министерство социальной политики Образцовой области"
        detail = client_for(personas.operator).get(response["Location"])
        body = detail.content.decode()
        assert "НОК 2026" in body and "КЦСОН Канавинского района" in body
        assert "Рейтинг по типам организаций" in body

    def test_the_campaign_form_syncs_builtin_methodologies_when_none_exist(self, personas) -> None:
        response = client_for(personas.operator).get(url("campaign_create"))
        assert response.status_code == 200
        assert "критерии К1–К5, 100-балльная шкала — с 2018 г." in response.content.decode()

    def test_ministry_and_council_cannot_create_or_edit(self, campaign, personas) -> None:
        for user in (personas.ministry, personas.council, personas.org_admin):
            assert client_for(user).get(url("campaign_create")).status_code == 403
        assert client_for(personas.ministry).get(url("campaign_edit", campaign.pk)).status_code == 403
        close = reverse("scores:close", args=[campaign.pk])
        assert client_for(personas.outsider).post(close).status_code == 403
        assert client_for(personas.ministry).post(close).status_code == 403

    def test_the_operator_closes_fieldwork_and_the_ministry_publishes(self, campaign, own, other,
                                                                      personas) -> None:
        closed = client_for(personas.operator).post(reverse("scores:close", args=[campaign.pk]))
        assert closed.status_code == 302
        reasons = {f"reason_{a.pk}": "пилотная кампания" for a in (own, other)}
        published = client_for(personas.ministry).post(
            reverse("scores:publish", args=[campaign.pk]), {"confirm": "on", **reasons})
        assert published.status_code == 302
        campaign.refresh_from_db()
        assert campaign.status == CampaignStatus.PUBLISHED

    def test_a_published_page_shows_the_frozen_figures(self, campaign, own, personas) -> None:
        tick(own, "remote_channels", ["phone"])  # 1.2 = 30
        client_for(personas.operator).post(reverse("scores:close", args=[campaign.pk]))
        ChecklistTick.objects.filter(assessment=own).update(present=False)  # tampered afterwards
        body = client_for(personas.ministry).get(url("assessment_detail", own.pk)).content.decode()
        assert "30 × 1 = 30" in body
        assert "Результаты зафиксированы" in body

    def test_the_council_cannot_publish(self, campaign, personas) -> None:
        client_for(personas.operator).post(reverse("scores:close", args=[campaign.pk]))
        response = client_for(personas.council).post(reverse("scores:publish", args=[campaign.pk]),
                                                      {"confirm": "on"})
        assert response.status_code == 403
        campaign.refresh_from_db()
        assert campaign.status == CampaignStatus.REVIEW

    def test_organization_users_see_only_their_row_and_no_rating_before_publication(
        self, campaign, personas
    ) -> None:
        body = client_for(personas.org_admin).get(url("campaign_detail", campaign.pk)).content.decode()
        assert "КЦСОН Канавинского района" in body
        assert "КЦСОН Сормовского района" not in body
        assert "Рейтинг по типам" not in body

    def test_the_rating_shows_responses_with_the_minimum_and_marks_a_short_sample(
        self, campaign, own, personas
    ) -> None:
        respond(own)
        body = client_for(personas.ministry).get(url("campaign_detail", campaign.pk)).content.decode()
        # org_a: 1 response, the minimum is 40 % of its recipients; never «1 из 40»-like wording.
        minimum = sample_status(own).minimum
        assert f"1 <span class=\"muted\">(мин. {minimum})</span>" in body
        assert "ниже минимума" in body
        assert f"1 из {minimum}" not in body and f"1 / {minimum}" not in body

    def test_scores_in_the_rating_always_show_two_decimals(self) -> None:
        assert score_fixed(98.8) == "98,80" and score_fixed(100) == "100,00"
        assert score_fixed(None) == "—"


class AssessmentViewTests:
    def test_the_operator_sees_every_indicator_with_its_explanation(self, own, personas) -> None:
        tick(own, "remote_channels", ["phone", "email"])
        body = client_for(personas.operator).get(url("assessment_detail", own.pk)).content.decode()
        for key in ("1.1", "1.2", "1.3", "2.1", "3.3", "5.3", "K1", "K5"):
            assert key in body
        assert "<details" in body and "нет данных" in body
        assert "60" in body  # 1.2 = 30 x 2

    def test_an_outsider_gets_404_for_another_organizations_assessment(self, other, personas) -> None:
        for name in ("assessment_detail", "assessment_checklists", "assessment_protocol"):
            assert client_for(personas.org_admin).get(url(name, other.pk)).status_code == 404

    def test_an_organization_user_reads_its_own_assessment_but_cannot_write(self, own,
                                                                            personas) -> None:
        client = client_for(personas.org_admin)
        assert client.get(url("assessment_detail", own.pk)).status_code == 200
        assert client.get(url("assessment_checklists", own.pk)).status_code == 200
        response = client.post(url("assessment_checklists", own.pk),
                               {"checklist": "remote_channels", "remote_channels-phone__present": "on"})
        assert response.status_code == 403
        assert not ChecklistTick.objects.exists()

    def test_ministry_and_council_read_but_writes_are_403(self, own, personas) -> None:
        for user in (personas.ministry, personas.council):
            client = client_for(user)
            assert client.get(url("assessment_protocol", own.pk)).status_code == 200
            response = client.post(url("assessment_protocol", own.pk), {
                "action": "contact", "kind": "call", "date": "2025-05-01", "form": "home",
                "answered": "on",
            })
            assert response.status_code == 403
        assert not ControlContact.objects.exists()

    def test_ticking_a_checklist_shows_the_new_score(self, own, personas) -> None:
        client = client_for(personas.operator)
        response = client.post(url("assessment_checklists", own.pk), {
            "checklist": "remote_channels",
            "remote_channels-phone__present": "on",
            "remote_channels-email__present": "on",
            "remote_channels-faq__note": "раздел есть, но пустой",
        })
        assert response.status_code == 302
        scores = client_for(personas.operator).get(url("assessment_detail", own.pk)).content.decode()
        assert "30 × 2 = 60" in scores  # 1.2 with two channels
        faq = ChecklistTick.objects.get(item_key="faq")
        assert faq.present is False and faq.note == "раздел есть, но пустой"
        assert AuditEntry.objects.filter(object_type="assessments.checklisttick").count() == 5

    def test_the_toggle_shows_scores_with_flagged_responses(self, own, personas) -> None:
        response = client_for(personas.operator).get(url("assessment_detail", own.pk) + "?flagged=1")
        assert response.status_code == 200
        assert "с анкетами на проверке" in response.content.decode()

    def test_a_published_campaign_refuses_checklist_edits(self, own, campaign, personas) -> None:
        Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.PUBLISHED)
        response = client_for(personas.operator).post(url("assessment_checklists", own.pk), {
            "checklist": "remote_channels", "remote_channels-phone__present": "on",
        })
        assert "опубликована" in response.content.decode()
        assert not ChecklistTick.objects.exists()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def evidence(own, personas, settings, tmp_path):  # type: ignore[no-untyped-def]
    """A photo uploaded through the checklist page for the ramp of organization A."""
    settings.MEDIA_ROOT = tmp_path
    response = client_for(personas.operator).post(url("assessment_checklists", own.pk), {
        "checklist": "disabled_premises",
        "disabled_premises-ramps__present": "on",
        "disabled_premises-ramps__evidence": SimpleUploadedFile("ramp.png", PNG, "image/png"),
    })
    assert response.status_code == 302
    return ChecklistTick.objects.get(assessment=own, item_key="ramps")


class EvidenceDownloadTests:
    def test_the_checklist_page_links_the_file_through_the_checked_view(self, own, evidence,
                                                                        personas) -> None:
        page = client_for(personas.operator).get(url("assessment_checklists", own.pk)).content
        assert url("evidence", own.pk, evidence.pk).encode() in page
        assert b"/media/" not in page

    def test_readers_see_ticks_as_marks_with_the_file_linked_and_no_inputs(self, own, evidence,
                                                                          personas) -> None:
        for user in (personas.org_admin, personas.ministry, personas.council):
            page = client_for(user).get(url("assessment_checklists", own.pk)).content.decode()
            assert url("evidence", own.pk, evidence.pk) in page
            assert "checklist-form" not in page and 'type="file"' not in page
            assert 'type="checkbox"' not in page and "✔" in page

    def test_the_organization_user_of_that_organization_gets_the_file(self, own, evidence,
                                                                     personas) -> None:
        response = client_for(personas.org_admin).get(url("evidence", own.pk, evidence.pk))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == PNG

    def test_ministry_and_council_get_the_file(self, own, evidence, personas) -> None:
        for user in (personas.ministry, personas.council):
            assert client_for(user).get(url("evidence", own.pk, evidence.pk)).status_code == 200

    def test_an_outsider_gets_404(self, own, evidence, personas) -> None:
        response = client_for(personas.outsider).get(url("evidence", own.pk, evidence.pk))
        assert response.status_code == 404

    def test_a_user_without_a_role_gets_403_and_anonymous_goes_to_login(self, own, evidence,
                                                                        personas) -> None:
        assert client_for(personas.nobody).get(url("evidence", own.pk, evidence.pk)).status_code \
            == 403
        assert Client().get(url("evidence", own.pk, evidence.pk)).status_code == 302

    def test_a_tick_of_another_assessment_is_404_under_this_one(self, own, other, evidence,
                                                                personas) -> None:
        response = client_for(personas.operator).get(url("evidence", other.pk, evidence.pk))
        assert response.status_code == 404

    def test_a_tick_without_a_file_is_404(self, own, personas) -> None:
        tick(own, "remote_channels", ["phone"])
        bare = ChecklistTick.objects.get(item_key="phone")
        response = client_for(personas.operator).get(url("evidence", own.pk, bare.pk))
        assert response.status_code == 404

    def test_media_urls_are_not_served(self, own, evidence, personas) -> None:
        response = client_for(personas.operator).get("/media/" + evidence.evidence.name)
        assert response.status_code == 404


class ProtocolViewTests:
    def test_the_operator_logs_a_call_and_sees_the_protocol_figures(self, own, personas) -> None:
        client = client_for(personas.operator)
        client.post(url("assessment_protocol", own.pk), {
            "action": "contact", "kind": "call", "date": "2025-05-01", "time": "10:00",
            "form": "semi_stationary", "answered": "on", "effective": "on",
        })
        client.post(url("assessment_protocol", own.pk), {
            "action": "complaints", "form": "home", "registered": 0, "resolved": 0,
        })
        body = client.get(url("assessment_protocol", own.pk)).content.decode()
        assert "1/1 (100 % результативных)" in body
        assert "звонки не поступили" in body  # home: no calls
        assert "канал связи не используется" in body
        assert "0/0 (жалоб нет)" in body

    def test_a_call_dated_in_the_future_is_refused_with_the_date_named(self, own,
                                                                        personas) -> None:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        response = client_for(personas.operator).post(url("assessment_protocol", own.pk), {
            "action": "contact", "kind": "call", "date": tomorrow.isoformat(),
            "form": "semi_stationary",
        })
        assert response.status_code == 200
        assert f"Дата {tomorrow:%d.%m.%Y} ещё не наступила" in response.content.decode()
        assert not ControlContact.objects.exists()

    def test_the_service_refuses_a_future_call_too(self, own, personas) -> None:
        from django.core.exceptions import ValidationError

        from nok.assessments.services import contact_create

        with pytest.raises(ValidationError, match="ещё не наступила"):
            contact_create(assessment=own, user=personas.operator, kind="call",
                           date=timezone.localdate() + dt.timedelta(days=3),
                           form="home", answered=False, effective=False)

    def test_an_overlong_note_is_refused(self, own, personas) -> None:
        response = client_for(personas.operator).post(url("assessment_protocol", own.pk), {
            "action": "contact", "kind": "call", "date": "2025-05-01", "form": "home",
            "note": "x" * 2001,
        })
        assert "не более 2000 символов" in response.content.decode()
        assert not ControlContact.objects.exists()

    def test_the_operator_deletes_a_call(self, own, personas) -> None:
        from nok.assessments.services import contact_create

        contact = contact_create(assessment=own, user=personas.operator, kind="email",
                                 date=dt.date(2025, 5, 1), form="home", answered=True,
                                 effective=True)
        response = client_for(personas.operator).post(url("contact_delete", own.pk, contact.pk))
        assert response.status_code == 302
        assert not ControlContact.objects.exists()

    def test_an_outsider_cannot_delete_a_call(self, own, personas) -> None:
        from nok.assessments.services import contact_create

        contact = contact_create(assessment=own, user=personas.operator, kind="email",
                                 date=dt.date(2025, 5, 1), form="home", answered=True,
                                 effective=True)
        response = client_for(personas.outsider).post(url("contact_delete", own.pk, contact.pk))
        assert response.status_code == 404
        assert ControlContact.objects.exists()


class ValuesViewTests:
    def test_the_operator_types_social_2014_values_by_kind(self, personas) -> None:
        campaign = make_campaign([personas.org_a], slug="social-2014")
        assessment = assessment_of(campaign, personas.org_a)
        client = client_for(personas.operator)
        assert client.get(url("assessment_values", assessment.pk)).status_code == 200
        response = client.post(url("assessment_values", assessment.pk), {
            "0241000004": "95", "0241000005": "yes", "02410000014": "partial",
            "0241000009": "50",
        })
        assert response.status_code == 302
        scores = assessment_result(assessment).result.indicators
        # band: 95 % -> 1; yes -> 1; partial -> 0.5; share 50 % -> 0.5.
        assert scores["0241000004"] == 1.0
        assert scores["0241000005"] == 1.0
        assert scores["02410000014"] == 0.5
        assert scores["0241000009"] == 0.5
        assert assessment.values.get(code="0241000009").value == 0.5
        assert AuditEntry.objects.filter(object_type="assessments.indicatorvalue").count() == 4

    def test_a_share_the_control_log_measures_is_shown_read_only(self, personas) -> None:
        from nok.assessments.services import contact_create

        campaign = make_campaign([personas.org_a], slug="social-2014")
        assessment = assessment_of(campaign, personas.org_a)
        contact_create(assessment=assessment, user=None, kind="call", date=dt.date(2025, 5, 1),
                       form="home", answered=True, effective=True)
        page = client_for(personas.operator).get(url("assessment_values", assessment.pk))
        body = page.content.decode()
        assert "из журнала контрольных звонков и обращений: 1/1" in body
        assert 'name="0241000009"' in body and "disabled" in body.split('name="0241000009"')[1][:200]
        assert "02450000016" not in body  # complaints per 100 come from the register only

    def test_values_page_is_404_for_social_2018(self, own, personas) -> None:
        assert client_for(personas.operator).get(url("assessment_values", own.pk)).status_code == 404
