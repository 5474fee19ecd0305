"""The way to publication: fieldwork closes and freezes, only the ministry publishes (with a
reason for every unmet precondition), published results never change, a correction is a new
edition that keeps the old one visible."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

import scoring
from nok.assessments.models import CampaignStatus
from nok.assessments.services import FieldworkClosed
from nok.assessments.tests.factories import (
    assessment_of,
    ready_and_short_campaign,
    respond,
    tick,
)
from nok.core.models import AuditEntry
from nok.organizations.services import organization_update
from nok.scores import selectors, services
from nok.scores.bridge import compute
from nok.scores.models import Snapshot, SnapshotStage
from nok.surveys.models import Response, ResponseStatus
from nok.surveys.services import _set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(personas):  # type: ignore[no-untyped-def]
    """org_a: complete checklists, 10 respondents of 20 recipients (minimum ceil(0.4 × 20) = 8);
    org_b: one checklist, 3 respondents of 200 recipients (minimum 80) — two preconditions fail."""
    return ready_and_short_campaign(personas)


def close(campaign, personas):  # type: ignore[no-untyped-def]
    return services.campaign_close_fieldwork(campaign=campaign, user=personas.operator)


class CloseFieldworkTests:
    def test_only_the_operator_closes_fieldwork(self, campaign, personas) -> None:
        for persona in (personas.ministry, personas.council, personas.org_admin):
            with pytest.raises(PermissionDenied):
                services.campaign_close_fieldwork(campaign=campaign, user=persona)
        assert campaign.status == CampaignStatus.FIELDWORK

    def test_it_freezes_every_organization_with_the_methodology_and_its_hash(
            self, campaign, personas) -> None:
        current = {r.assessment_id: r for r in selectors.campaign_results(campaign).rows}
        snapshot = close(campaign, personas)
        campaign.refresh_from_db()
        assert campaign.status == CampaignStatus.REVIEW
        assert snapshot.stage == SnapshotStage.REVIEW and snapshot.edition == 1
        definition = campaign.methodology.definition
        assert snapshot.methodology_definition == definition
        assert snapshot.methodology_sha256 == scoring.definition_sha256(definition)
        assert snapshot.methodology_version == scoring.load_methodology(definition).version
        rows = {r.assessment_id: r for r in snapshot.rows.all()}
        assert set(rows) == set(current)
        for aid, row in rows.items():
            assert row.total == pytest.approx(current[aid].total)
            assert row.place == current[aid].place
            # the inputs are an assessment file that scores to the frozen results
            m = scoring.load_methodology(definition)
            again = scoring.score(m, scoring.parse_assessment(row.inputs, methodology=m))
            assert again.total == pytest.approx(row.total)
        entry = AuditEntry.objects.get(action="freeze")
        assert entry.user == personas.operator and entry.after["organizations"] == 2

    def test_it_records_the_unmet_preconditions_per_organization(self, campaign, personas) -> None:
        close(campaign, personas)
        results = selectors.campaign_results(campaign)
        by_name = {r.name: r for r in results.rows}
        assert by_name["КЦСОН Канавинского района"].unmet == ()
        unmet = by_name["КЦСОН Сормовского района"].unmet
        assert unmet[0].startswith("не заполнены перечни: Информация на информационных стендах")
        # org_b: 3 respondents of the minimum ceil(0.4 × 200) = 80
        assert unmet[1] == "выборка меньше минимальной: получено анкет 3, нужно не менее 80"

    def test_it_is_refused_while_responses_await_review(self, campaign, personas) -> None:
        a = assessment_of(campaign, personas.org_a)
        _set_status(Response.objects.filter(assessment=a)[:2], ResponseStatus.FLAGGED)
        with pytest.raises(ValidationError, match="Анкеты ждут решения по проверке \\(2 в 1"):
            close(campaign, personas)
        campaign.refresh_from_db()
        assert campaign.status == CampaignStatus.FIELDWORK
        assert not Snapshot.objects.exists()
        page = Client()
        page.force_login(personas.operator)
        html = page.get(reverse("scores:close", args=[campaign.pk])).content.decode()
        assert "Анкеты ждут решения" in html and "КЦСОН Канавинского района</a>: 2" in html

    def test_the_preview_reads_the_same_unmet_preconditions_the_snapshot_records(
            self, personas) -> None:
        """The close page's preview (kept summaries, nothing scored) against the reasons the
        frozen snapshot records (every organization scored): a third organization with no
        recipients in its registry card and one flagged response of org_a."""
        from nok.organizations.tests.factories import make_organization

        org_c = make_organization("ГБУ «Социальный приют»", short_name="Приют",
                                  recipients_semi_stationary=0, recipients_home=0,
                                  recipients_stationary=0)
        campaign = ready_and_short_campaign(personas, also=(org_c,))
        a = assessment_of(campaign, personas.org_a)
        _set_status(Response.objects.filter(assessment=a)[:1], ResponseStatus.FLAGGED)
        preview = selectors.campaign_unmet(campaign)
        assert set(preview) == {a.pk, assessment_of(campaign, personas.org_b).pk,
                                assessment_of(campaign, org_c).pk}
        assert preview[a.pk] == ("анкет на проверке: 1",)
        assert preview[assessment_of(campaign, org_c).pk][-1] == (
            "в реестре не указано число получателей услуг: минимальная выборка не определена")
        computed = selectors.unmet_preconditions(compute(campaign.assessments.values_list("pk", flat=True)))
        assert preview == computed

    def test_the_close_page_counts_the_organizations_per_reason_and_pages_them(
            self, personas, monkeypatch) -> None:
        monkeypatch.setattr(selectors, "UNMET_PAGE", 1)
        from nok.organizations.tests.factories import make_organization

        org_c = make_organization("ГБУ «Социальный приют»", short_name="Приют")
        campaign = ready_and_short_campaign(personas, also=(org_c,))
        page = Client()
        page.force_login(personas.operator)
        address = reverse("scores:close", args=[campaign.pk])
        first = html.unescape(page.get(address).content.decode())
        # org_b and org_c: short samples and unfilled checklists; org_a meets everything
        assert "Выборка меньше минимальной — 2 организации" in first
        assert "Не заполнены перечни — 2 организации" in first
        # one a page, by name: «КЦСОН Сормовского района» before «Приют»
        assert "КЦСОН Сормовского района</a>" in first and ">Приют</a>" not in first
        second = html.unescape(page.get(address + "?page=2").content.decode())
        assert ">Приют</a>" in second and "КЦСОН Сормовского района</a>" not in second

    def test_after_closing_no_fieldwork_is_accepted(self, campaign, personas) -> None:
        close(campaign, personas)
        a = assessment_of(campaign, personas.org_a)
        with pytest.raises(FieldworkClosed, match="кампания на проверке"):
            tick(a, "remote_channels", ["phone"], absent=["email"])
        with pytest.raises(FieldworkClosed):
            respond(a)

    def test_returning_to_fieldwork_opens_the_data_again(self, campaign, personas) -> None:
        close(campaign, personas)
        with pytest.raises(PermissionDenied):
            services.campaign_return_to_fieldwork(campaign=campaign, user=personas.council)
        services.campaign_return_to_fieldwork(campaign=campaign, user=personas.ministry)
        respond(assessment_of(campaign, personas.org_b))
        assert campaign.status == CampaignStatus.FIELDWORK


class PublishTests:
    def test_only_the_ministry_publishes(self, campaign, personas) -> None:
        close(campaign, personas)
        for persona in (personas.operator, personas.council, personas.org_admin):
            with pytest.raises(PermissionDenied):
                services.campaign_publish(campaign=campaign, user=persona, exceptions={})

    def test_every_unmet_precondition_needs_a_reason(self, campaign, personas) -> None:
        close(campaign, personas)
        with pytest.raises(ValidationError, match="КЦСОН Сормовского района"):
            services.campaign_publish(campaign=campaign, user=personas.ministry, exceptions={})
        campaign.refresh_from_db()
        assert campaign.status == CampaignStatus.REVIEW

    def test_the_published_results_are_the_frozen_ones_with_the_reasons(self, campaign,
                                                                         personas) -> None:
        review = close(campaign, personas)
        b = assessment_of(campaign, personas.org_b)
        published = services.campaign_publish(
            campaign=campaign, user=personas.ministry,
            exceptions={b.pk: "организация закрыта на ремонт, опрос невозможен"})
        campaign.refresh_from_db()
        assert campaign.status == CampaignStatus.PUBLISHED
        frozen = {r.assessment_id: (r.inputs, r.results, r.total, r.place) for r in review.rows.all()}
        assert {r.assessment_id: (r.inputs, r.results, r.total, r.place)
                for r in published.rows.all()} == frozen
        assert published.rows.get(assessment=b).exception.startswith("организация закрыта")
        entry = AuditEntry.objects.get(action="publish")
        assert entry.user == personas.ministry
        assert entry.after["exceptions"] == {str(b.pk): "организация закрыта на ремонт, опрос невозможен"}

    def test_published_results_do_not_change_when_the_registry_does(self, campaign,
                                                                     personas) -> None:
        close(campaign, personas)
        b = assessment_of(campaign, personas.org_b)
        services.campaign_publish(campaign=campaign, user=personas.ministry,
                                  exceptions={b.pk: "исключение"})
        before = [(r.assessment_id, r.total, r.place, r.insufficient)
                  for r in selectors.campaign_results(campaign).rows]
        organization_update(organization=personas.org_a, user=None,
                            data={"recipients_home": 5000})  # minimum would become 600
        after = [(r.assessment_id, r.total, r.place, r.insufficient)
                 for r in selectors.campaign_results(campaign).rows]
        assert after == before
        with pytest.raises(FieldworkClosed, match="опубликована"):
            respond(assessment_of(campaign, personas.org_a))

    def test_the_publish_page_asks_for_the_reasons_and_publishes(self, campaign, personas) -> None:
        close(campaign, personas)
        b = assessment_of(campaign, personas.org_b)
        client = Client()
        client.force_login(personas.ministry)
        url = reverse("scores:publish", args=[campaign.pk])
        page = client.get(url).content.decode()
        assert "Основание публикации" in page and "выборка меньше минимальной: получено анкет 3, нужно не менее 80" in page
        refused = client.post(url, {"confirm": "on"})
        assert refused.status_code == 400
        assert "Укажите основание" in refused.content.decode()
        done = client.post(url, {"confirm": "on", f"reason_{b.pk}": "опрос сорван паводком"})
        assert done.status_code == 302
        campaign.refresh_from_db()
        assert campaign.status == CampaignStatus.PUBLISHED
        operator = Client()
        operator.force_login(personas.operator)
        assert operator.get(url).status_code == 403


    def test_one_common_reason_covers_every_organization_without_its_own(
            self, personas) -> None:
        from nok.organizations.tests.factories import make_organization

        org_c = make_organization("ГБУ «Социальный приют»", short_name="Приют")
        campaign = ready_and_short_campaign(personas, also=(org_c,))
        close(campaign, personas)
        b, c = assessment_of(campaign, personas.org_b), assessment_of(campaign, org_c)
        client = Client()
        client.force_login(personas.ministry)
        url = reverse("scores:publish", args=[campaign.pk])
        done = client.post(url, {"confirm": "on", "common": "решение общественного совета",
                                 f"reason_{b.pk}": "опрос сорван паводком"})
        assert done.status_code == 302
        published = Snapshot.objects.get(campaign=campaign, stage=SnapshotStage.PUBLISHED)
        reasons = dict(published.rows.values_list("assessment_id", "exception"))
        assert reasons[b.pk] == "опрос сорван паводком"
        assert reasons[c.pk] == "решение общественного совета"
        assert reasons[assessment_of(campaign, personas.org_a).pk] == ""

    def test_past_the_limit_only_the_common_reason_is_asked_for(
            self, campaign, personas, monkeypatch) -> None:
        from nok.scores import forms

        monkeypatch.setattr(forms, "OWN_REASONS_MAX", 0)
        close(campaign, personas)
        b = assessment_of(campaign, personas.org_b)
        client = Client()
        client.force_login(personas.ministry)
        url = reverse("scores:publish", args=[campaign.pk])
        page = html.unescape(client.get(url).content.decode())
        assert f'name="reason_{b.pk}"' not in page
        assert "Условия не выполнены у 1 организации" in page
        refused = client.post(url, {"confirm": "on", f"reason_{b.pk}": "своё основание"})
        assert refused.status_code == 400
        assert ("Укажите общее основание публикации: условия не выполнены у 1 организации"
                in html.unescape(refused.content.decode()))
        assert client.post(url, {"confirm": "on", "common": "пилот"}).status_code == 302
        published = Snapshot.objects.get(campaign=campaign, stage=SnapshotStage.PUBLISHED)
        assert published.rows.get(assessment_id=b.pk).exception == "пилот"


class ReopenTests:
    def publish(self, campaign, personas):  # type: ignore[no-untyped-def]
        close(campaign, personas)
        b = assessment_of(campaign, personas.org_b)
        return services.campaign_publish(campaign=campaign, user=personas.ministry,
                                         exceptions={b.pk: "исключение"})

    def test_a_correction_is_a_new_edition_and_the_published_one_stays(self, campaign,
                                                                        personas) -> None:
        first = self.publish(campaign, personas)
        with pytest.raises(PermissionDenied):
            services.campaign_reopen(campaign=campaign, user=personas.operator, reason="ошибка")
        with pytest.raises(ValidationError, match="Укажите"):
            services.campaign_reopen(campaign=campaign, user=personas.ministry, reason="  ")
        services.campaign_reopen(campaign=campaign, user=personas.ministry,
                                 reason="неверно введены анкеты организации Б")
        campaign.refresh_from_db()
        assert (campaign.status, campaign.edition) == (CampaignStatus.FIELDWORK, 2)
        b = assessment_of(campaign, personas.org_b)
        respond(b)  # the correction: a questionnaire that was left out is entered
        # the published results of edition 1 are still what the public sees
        published = selectors.published_results(campaign)
        assert published is not None and published.snapshot == first
        assert "выборка меньше минимальной: опрошено 3, нужно не менее 80" in \
            published.by_assessment()[b.pk].insufficient
        # the working results are current
        current = selectors.campaign_results(campaign).by_assessment()[b.pk]
        assert "выборка меньше минимальной: опрошено 4, нужно не менее 80" in current.insufficient
        entry = AuditEntry.objects.get(action="reopen")
        assert entry.after == {"edition": 2, "reason": "неверно введены анкеты организации Б"}

    def test_the_next_edition_is_published_beside_the_first(self, campaign, personas) -> None:
        first = self.publish(campaign, personas)
        services.campaign_reopen(campaign=campaign, user=personas.ministry, reason="исправление")
        second_review = close(campaign, personas)
        b = assessment_of(campaign, personas.org_b)
        second = services.campaign_publish(campaign=campaign, user=personas.ministry,
                                           exceptions={b.pk: "исключение"})
        assert (first.edition, second_review.edition, second.edition) == (1, 2, 2)
        assert selectors.published_results(campaign).snapshot == second
        assert Snapshot.objects.filter(campaign=campaign, stage="published").count() == 2
