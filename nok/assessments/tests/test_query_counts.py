"""Campaign pages do a fixed number of queries, however many organizations a campaign has."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nok.assessments.tests.factories import assessment_of, make_campaign, respond, tick
from nok.organizations.tests.factories import make_organization, page_queries

pytestmark = pytest.mark.django_db


def campaign_with(n: int, operator, title: str):  # type: ignore[no-untyped-def]
    organizations = [make_organization(type_name=("ЦСОН", "СРЦН")[i % 2]) for i in range(n)]
    campaign = make_campaign(organizations, user=operator, title=title)
    for organization in organizations:
        assessment = assessment_of(campaign, organization)
        tick(assessment, "remote_channels", ["phone"], absent=["email"], user=operator)
        respond(assessment)
    return campaign


class CampaignPageQueryTests:
    @pytest.mark.parametrize("name", ["operator", "ministry"])
    def test_the_campaign_page_does_not_query_per_organization(self, personas, name) -> None:
        user = getattr(personas, name)
        small = campaign_with(2, personas.operator, "Малая")
        large = campaign_with(7, personas.operator, "Большая")
        assert page_queries(user, reverse("scores:campaign", args=[large.pk])) == page_queries(
            user, reverse("scores:campaign", args=[small.pk])
        )

    def test_the_campaign_list_and_edit_form_do_not_query_per_organization(self, personas) -> None:
        small = campaign_with(2, personas.operator, "Малая")
        before_list = page_queries(personas.operator, reverse("assessments:campaign_list"))
        large = campaign_with(7, personas.operator, "Большая")
        assert page_queries(personas.operator, reverse("assessments:campaign_list")) == before_list
        assert page_queries(personas.operator, reverse("assessments:campaign_edit", args=[large.pk])) \
            == page_queries(personas.operator, reverse("assessments:campaign_edit", args=[small.pk]))
