"""The campaign page stays small at any size: the fieldwork progress a page of organizations
at a time, the rating one type a page above ``ONE_PAGE`` organizations, the totals over the
whole campaign."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from nok.assessments.tests.factories import (
    assessment_of,
    fill_all_checklists,
    make_campaign,
    respond,
)
from nok.organizations.tests.factories import make_organization
from nok.scores import presentation
from nok.scores import selectors as score_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(personas):  # type: ignore[no-untyped-def]
    """Three organizations of two types: two КЦСОН (org_a complete, 2 responses; org_b with
    1 response) and a care home with nothing recorded."""
    home = make_organization("ГБУ «Дом-интернат № 1»", short_name="Дом-интернат № 1",
                             type_name="Дом-интернат")
    campaign = make_campaign([personas.org_a, personas.org_b, home], user=personas.operator)
    fill_all_checklists(assessment_of(campaign, personas.org_a))
    respond(assessment_of(campaign, personas.org_a))
    respond(assessment_of(campaign, personas.org_a))
    respond(assessment_of(campaign, personas.org_b))
    return campaign


def page_of(user, campaign, query: str = "") -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.get(reverse("scores:campaign", args=[campaign.pk]) + query)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def words(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def progress_names(page: str) -> list[str]:
    table = page[page.index('<table class="progress"'):]
    table = table[:table.index("</table>")]
    return [name for name in ("Дом-интернат № 1", "КЦСОН Канавинского района",
                              "КЦСОН Сормовского района") if name in table]


class ProgressPagesTests:
    def test_the_progress_lists_a_page_of_organizations_and_counts_them_all(
            self, campaign, personas, monkeypatch) -> None:
        monkeypatch.setattr(presentation, "PROGRESS_PAGE", 2)
        first = page_of(personas.operator, campaign)
        second = page_of(personas.operator, campaign, "?page=2")
        # registry order: type (equal positions: by name), then organization name
        assert progress_names(first) == ["Дом-интернат № 1", "КЦСОН Канавинского района"]
        assert progress_names(second) == ["КЦСОН Сормовского района"]
        for page in (first, second):
            assert "Перечни заполнены полностью: 1 из 3 · анкет получено: 3" in words(page)
        assert "страница 1 из 2" in first and "страница 2 из 2" in second
        # the search box of a page says how many organizations all the pages hold
        assert 'data-filter-total="3"' in first and 'data-filter-total="3"' in second

    def test_an_organization_user_counts_only_its_own_organization(self, campaign,
                                                                   personas) -> None:
        page = page_of(personas.org_admin, campaign)
        assert progress_names(page) == ["КЦСОН Канавинского района"]
        assert "data-filter-total" not in page  # one page: the table is the whole list
        assert "Перечни заполнены полностью: 1 из 1 · анкет получено: 2" in words(page)


class RatingPagesTests:
    def test_a_small_campaign_shows_every_type_on_one_page(self, campaign, personas) -> None:
        page = page_of(personas.ministry, campaign)
        assert "<h3>КЦСОН</h3>" in page and "<h3>Дом-интернат</h3>" in page
        assert 'class="type-index"' not in page

    def test_a_large_campaign_shows_one_type_a_page_with_links_to_the_others(
            self, campaign, personas, monkeypatch) -> None:
        monkeypatch.setattr(score_selectors, "ONE_PAGE", 2)
        first = page_of(personas.ministry, campaign)
        assert "<h3>Дом-интернат</h3>" in first and "<h3>КЦСОН</h3>" not in first
        assert 'href="?type=2"' in first
        second = page_of(personas.ministry, campaign, "?type=2&page=1")
        assert "<h3>КЦСОН</h3>" in second and "<h3>Дом-интернат</h3>" not in second


class OrganizationPlaceTests:
    def test_an_organizations_page_gives_the_place_the_campaign_rating_gives(
            self, campaign, personas) -> None:
        """The organization's page ranks only its own type; the place is the same."""
        from nok.organizations.services import organization_update
        from nok.scores.selectors import assessment_result, campaign_results

        for org in (personas.org_a, personas.org_b):  # 5 recipients: 2 responses are enough
            organization_update(organization=org, user=None,
                                data={"recipients_semi_stationary": 5, "recipients_home": 0})
        fill_all_checklists(assessment_of(campaign, personas.org_b))
        respond(assessment_of(campaign, personas.org_b))
        places = {r.assessment_id: r.place for r in campaign_results(campaign).rows}
        ranked = [assessment_of(campaign, o).pk for o in (personas.org_a, personas.org_b)]
        assert all(places[pk] is not None for pk in ranked)
        for assessment in campaign.assessments.all():
            assert assessment_result(assessment).place == places[assessment.pk]


@pytest.fixture
def rated(personas):  # type: ignore[no-untyped-def]
    """Two types of three organizations each, with different survey answers (so different
    totals and places), five recipients each (two responses are enough), and in each type one
    organization with nothing recorded (no place)."""
    campaign_orgs = []
    for type_name in ("КЦСОН", "Дом-интернат"):
        for n in range(3):
            campaign_orgs.append(make_organization(
                f"ГБУ «{type_name} № {n + 1}»", short_name=f"{type_name} № {n + 1}",
                type_name=type_name, recipients_semi_stationary=5, recipients_home=0))
    campaign = make_campaign(campaign_orgs, user=personas.operator)
    for i, org in enumerate(campaign_orgs):
        if i % 3 == 2:
            continue
        assessment = assessment_of(campaign, org)
        fill_all_checklists(assessment, services_n=4 - i % 3)
        respond(assessment)
        respond(assessment, overall="no" if i % 3 else "yes", comfort="no" if i > 2 else "yes")
    return campaign


def figures(rows):  # type: ignore[no-untyped-def]
    return sorted((r.assessment_id, r.type, r.place, r.total, r.low, r.high, r.best, r.worst,
                   r.group, r.insufficient) for r in rows)


class PagedRatingTests:
    def _same_as_the_whole_rating(self, campaign) -> None:  # type: ignore[no-untyped-def]
        whole = score_selectors.campaign_results(campaign)
        pages = [score_selectors.campaign_rating_page(campaign, n) for n in (1, 2)]
        assert [(t.number, t.type, t.organizations) for t in pages[0].types] == [
            (1, "Дом-интернат", 3), (2, "КЦСОН", 3)]
        for number, page in enumerate(pages, start=1):
            assert page.shown == number
            [group] = page.groups()
            expected = [g for g in whole.groups() if g.type == group.type][0]
            assert figures(group.rows) == figures(expected.rows)
            assert [r.assessment_id for r in group.rows] == [r.assessment_id for r in expected.rows]
            assert [r.place for r in group.rated] == [1, 2]

    def test_a_type_ranked_alone_has_the_places_and_totals_of_the_whole_rating(
            self, rated, monkeypatch) -> None:
        monkeypatch.setattr(score_selectors, "ONE_PAGE", 2)
        self._same_as_the_whole_rating(rated)

    def test_a_frozen_type_read_alone_has_the_places_and_totals_of_the_snapshot(
            self, rated, personas, monkeypatch) -> None:
        from nok.scores.services import campaign_close_fieldwork

        campaign_close_fieldwork(campaign=rated, user=personas.operator)
        rated.refresh_from_db()
        monkeypatch.setattr(score_selectors, "ONE_PAGE", 2)
        assert score_selectors.campaign_rating_page(rated, 1).results.frozen
        self._same_as_the_whole_rating(rated)

    def test_a_small_campaign_ranks_every_type_on_one_page(self, rated) -> None:
        page = score_selectors.campaign_rating_page(rated)
        assert page.shown == 0
        assert figures(page.results.rows) == figures(score_selectors.campaign_results(rated).rows)

    def test_the_page_shows_the_places_and_totals_of_the_whole_rating(
            self, rated, personas, monkeypatch) -> None:
        monkeypatch.setattr(score_selectors, "ONE_PAGE", 2)
        from nok.assessments.templatetags.assessments_tags import score_fixed

        whole = score_selectors.campaign_results(rated)
        for number, group in enumerate(whole.groups(), start=1):
            page = words(page_of(personas.ministry, rated, f"?type={number}"))
            for row in group.rated:
                assert f"{row.place} {row.places}" in page
                assert f"{row.name} {score_fixed(row.total)}" in page

    def test_a_long_type_is_shown_a_page_of_rows_at_a_time(
            self, rated, personas, monkeypatch) -> None:
        monkeypatch.setattr(score_selectors, "ONE_PAGE", 2)
        monkeypatch.setattr(presentation, "RATING_PAGE", 2)
        [group] = score_selectors.campaign_rating_page(rated, 2).groups()
        names = [r.name for r in group.rows]  # two places, then one without
        first = page_of(personas.ministry, rated, "?type=2")
        last = page_of(personas.ministry, rated, "?type=2&rank=2")
        rating = [p[p.index("<h3>"):p.index("</section>")] for p in (first, last)]
        assert names[0] in rating[0] and names[1] in rating[0] and names[2] not in rating[0]
        assert names[2] in rating[1] and names[0] not in rating[1]
        assert "организации 3–3 из 3" in words(last)
        assert 'href="?type=2&rank=1"' in last  # (the page is read unescaped)
