"""The public results: no login, published campaigns only, exactly as published — the rating
by type with K1–K5, each organization's card with its shortcomings; a correction in progress
never shows before it is published."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from nok.assessments.tests.factories import (
    assessment_of,
    make_campaign,
    ready_and_short_campaign,
    respond,
)
from nok.methodology.services import methodology_load
from nok.scores import selectors as score_selectors
from nok.scores import services
from nok.scores.selectors import published_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(personas):  # type: ignore[no-untyped-def]
    """org_a: every checklist complete, 10 respondents; org_b: one channel of remote contact,
    3 respondents of 200 recipients (too few: no place)."""
    return ready_and_short_campaign(personas, title="НОК 2025: социальное обслуживание")


def publish(campaign, personas):  # type: ignore[no-untyped-def]
    services.campaign_close_fieldwork(campaign=campaign, user=personas.operator)
    b = assessment_of(campaign, personas.org_b)
    return services.campaign_publish(campaign=campaign, user=personas.ministry,
                                     exceptions={b.pk: "опрос сорван паводком"})


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def fixed(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


class BeforePublicationTests:
    def test_nothing_of_an_unpublished_campaign_is_shown(self, campaign, personas) -> None:
        client = Client()
        assert campaign.title not in text(client.get(reverse("results:campaigns")))
        assert client.get(reverse("results:campaign", args=[campaign.pk])).status_code == 404
        a = assessment_of(campaign, personas.org_a)
        assert client.get(reverse("results:organization", args=[a.pk])).status_code == 404

    def test_a_campaign_under_review_is_not_published_either(self, campaign, personas) -> None:
        services.campaign_close_fieldwork(campaign=campaign, user=personas.operator)
        assert Client().get(reverse("results:campaign", args=[campaign.pk])).status_code == 404


class PublishedTests:
    def test_the_list_names_the_campaign_and_its_organizations_without_login(
            self, campaign, personas) -> None:
        publish(campaign, personas)
        page = text(Client().get(reverse("results:campaigns")))
        assert campaign.title in page
        assert "2 организации" in page

    def test_the_rating_shows_each_criterion_and_the_total_as_published(
            self, campaign, personas) -> None:
        snapshot = publish(campaign, personas)
        page = text(Client().get(reverse("results:campaign", args=[campaign.pk])))
        a_row = snapshot.rows.get(organization=personas.org_a)
        assert a_row.place == 1
        assert personas.org_a.short_name in page
        for key in ("K1", "K2", "K3", "K4", "K5"):
            assert fixed(a_row.results["criteria"][key]) in page
        assert fixed(a_row.total) in page
        # org_b has too few respondents: listed without a place, with the reason
        assert "Недостаточно данных — без места в рейтинге" in page
        assert "выборка меньше минимальной: опрошено 3, нужно не менее 80" in page

    def test_the_card_lists_every_missing_item_with_the_catalogues_wording(
            self, campaign, personas) -> None:
        publish(campaign, personas)
        b = assessment_of(campaign, personas.org_b)
        page = text(Client().get(reverse("results:organization", args=[b.pk])))
        method = methodology_load(campaign.methodology)
        channels = next(c for c in method.checklists if c.key == "remote_channels")
        missing = [item for item in channels.items if item.key != "phone"]
        assert missing
        for item in missing:
            assert item.shortcoming in page
            assert item.recommendation in page
        assert "Без места в рейтинге" in page

    def test_a_correction_in_progress_is_not_shown_until_it_is_published(
            self, campaign, personas) -> None:
        first = publish(campaign, personas)
        services.campaign_reopen(campaign=campaign, user=personas.ministry,
                                 reason="неверно введены анкеты")
        a = assessment_of(campaign, personas.org_a)
        for _ in range(5):
            respond(a)
        page = text(Client().get(reverse("results:organization", args=[a.pk])))
        published_total = first.rows.get(assessment=a).total
        assert fixed(published_total) in page


class LargeCampaignTests:
    def test_above_one_page_each_type_is_a_page_of_its_own(self, personas, monkeypatch) -> None:
        from nok.organizations.tests.factories import make_organization

        home = make_organization("ГБУ «Дом-интернат № 1»", short_name="Дом-интернат № 1",
                                 type_name="Дом-интернат")
        campaign = make_campaign([personas.org_a, home], user=personas.operator)
        snapshot = services.campaign_close_fieldwork(campaign=campaign, user=personas.operator)
        services.campaign_publish(campaign=campaign, user=personas.ministry, exceptions={
            aid: "по решению совета" for aid in snapshot.rows.values_list("assessment_id", flat=True)})
        monkeypatch.setattr(score_selectors, "ONE_PAGE", 1)
        results = published_results(campaign)
        assert results is not None
        types, groups, chosen = results.type_pages(None)
        # types in registry order (equal positions: alphabetical)
        assert [t.type for t in types] == ["Дом-интернат", "КЦСОН"]
        assert [g.type for g in groups] == ["Дом-интернат"] and chosen == 1
        first = text(Client().get(reverse("results:campaign", args=[campaign.pk])))
        assert "Дом-интернат № 1" in first and personas.org_a.short_name not in first
        second = text(Client().get(reverse("results:campaign", args=[campaign.pk]) + "?type=2"))
        assert personas.org_a.short_name in second
        assert "Дом-интернат № 1" not in second


class PosterTests:
    def test_the_survey_poster_says_where_the_results_will_be_published(
            self, campaign, personas) -> None:
        import io

        from pypdf import PdfReader

        a = assessment_of(campaign, personas.org_a)
        client = Client()
        client.force_login(personas.operator)
        pdf = client.get(reverse("surveys:poster", args=[a.pk]))
        words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert reverse("results:campaigns") in words.replace(" ", "").replace("\n", "")


class PublicPlanTests:
    def test_the_card_shows_the_approved_plan_and_the_accepted_reports_only(self,
                                                                          personas) -> None:
        import datetime as dt

        from nok.plans import services as plans
        from nok.plans.tests.factories import approved_plan, seed_001_campaign

        campaign = seed_001_campaign(personas)
        a = assessment_of(campaign, personas.org_a)
        page = text(Client().get(reverse("results:organization", args=[a.pk])))
        assert "План организации ещё не утверждён." in page
        plan = approved_plan(campaign, personas.org_a, personas, personas.org_admin)
        first, second = list(plan.items.order_by("criterion_number", "position"))[:2]
        plans.plan_item_report(item=first, user=personas.org_admin, report=plans.ReportInput(
            "Пандус установлен у главного входа", dt.date(2026, 5, 20)))
        plans.plan_item_report_accept(item=first, user=personas.ministry)
        plans.plan_item_report(item=second, user=personas.org_admin, report=plans.ReportInput(
            "Отчёт ещё не принят министерством", dt.date(2026, 5, 21)))
        page = text(Client().get(reverse("results:organization", args=[a.pk])))
        assert "План организации ещё не утверждён." not in page
        for item in plan.items.all():
            assert item.measure in page
        assert "Пандус установлен у главного входа (20.05.2026)" in page
        assert "Отчёт ещё не принят министерством" not in page
