"""95 % intervals on the pages: the rating's possible places and the organizations the survey
cannot tell apart; the organization's total with its interval, the finite-population one and
how many more responses would narrow it to ±2 points."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

import scoring
from nok.assessments.tests.factories import (
    assessment_of,
    fill_all_checklists,
    make_campaign,
    respond,
)
from nok.organizations.services import organization_update
from nok.organizations.tests.factories import make_organization
from nok.scores import selectors

pytestmark = pytest.mark.django_db


def small(org):  # type: ignore[no-untyped-def]
    """20 recipients: a sample of 8 is enough."""
    organization_update(organization=org, user=None,
                        data={"recipients_semi_stationary": 10, "recipients_home": 10})
    return org


@pytest.fixture
def campaign(personas):  # type: ignore[no-untyped-def]
    """Three organizations of one type, ten respondents each: A and B differ by one «нет» in
    5.3 (their intervals overlap); C's respondents are dissatisfied with everything and its
    observation is weaker (3.1 = 20 against 60, 3.2 = 40 against 80): it is surely last."""
    a, b = small(personas.org_a), small(personas.org_b)
    c = small(make_organization("ГБУ «КЦСОН Автозаводского района»", short_name="КЦСОН Автозаводского района"))
    campaign = make_campaign([a, b, c], user=personas.operator)
    fill_all_checklists(assessment_of(campaign, a), premises=("ramps", "parking", "wheelchairs"))
    fill_all_checklists(assessment_of(campaign, b), premises=("ramps", "parking", "wheelchairs"))
    fill_all_checklists(assessment_of(campaign, c), services_n=2)
    for org, unhappy in ((a, 0), (b, 1)):
        for i in range(10):
            respond(assessment_of(campaign, org), overall="no" if i < unhappy else "yes")
    no = {key: "no" for key in ("info_stand", "info_site", "timely", "comfort", "recommend",
                                "courtesy_first_contact", "courtesy_service", "schedule",
                                "overall")}
    for _ in range(10):
        respond(assessment_of(campaign, c), **no)
    return campaign


class RatingTests:
    def test_close_organizations_share_a_range_of_places_and_are_marked(self, campaign) -> None:
        rows = {r.name: r for r in selectors.campaign_results(campaign).rows}
        a, b, c = (rows["КЦСОН Канавинского района"], rows["КЦСОН Сормовского района"],
                   rows["КЦСОН Автозаводского района"])
        assert (a.place, b.place) == (1, 2)
        # A's lower bound is under B's upper bound and the reverse: neither is surely ahead
        assert a.low < b.high and b.low < a.high
        assert (a.best, a.worst) == (1, 2) and (b.best, b.worst) == (1, 2)
        assert a.group == b.group is not None
        # the ranges follow METHODOLOGY.md §7 from the stored intervals
        triples = [(r.type, str(r.assessment_id), r.place) for r in rows.values()]
        expected = scoring.position_ranges(triples, {str(r.assessment_id): r.interval
                                                     for r in rows.values()})
        assert expected[str(c.assessment_id)] == (c.best, c.worst) == (3, 3)
        assert c.group is None  # told apart from both

    def test_the_campaign_page_prints_the_possible_places_and_why(self, campaign,
                                                                  personas) -> None:
        client = Client()
        client.force_login(personas.ministry)
        page = client.get(reverse("scores:campaign", args=[campaign.pk])).content.decode()
        assert "Возможные места" in page and ">1–2 <" in page
        assert "неразличимы" in page
        assert scoring.RANGE_SENTENCE in page and scoring.INTERVAL_SENTENCE in page


class AssessmentPageTests:
    def test_the_total_shows_its_intervals_and_the_responses_needed(self, campaign,
                                                                    personas) -> None:
        b = assessment_of(campaign, personas.org_b)
        found = selectors.assessment_result(b)
        low, high = found.result.intervals["total"]
        fpc_low, fpc_high = found.result.intervals_fpc["total"]
        assert fpc_low >= low and fpc_high <= high  # the corrected one is inside the plain one
        needed = scoring.responses_needed(found.result, half_width=2.0)
        assert needed and needed > 0
        client = Client()
        client.force_login(personas.operator)
        page = client.get(reverse("scores:assessment", args=[b.pk])).content.decode()
        digits = scoring.digits_for("criteria-100")
        assert f"95 % интервал: {scoring.fmt_interval((low, high), digits)}" in page
        assert ("с поправкой на число получателей услуг (20): "
                f"{scoring.fmt_interval((fpc_low, fpc_high), digits)}") in page
        assert f"ещё {needed} анкет" in page
