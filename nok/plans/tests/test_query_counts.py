"""The plan pages read in a fixed number of queries whatever the number of organizations,
plans and rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nok.organizations.models import Role
from nok.organizations.tests.factories import make_organization, make_user, page_queries
from nok.plans.tests.factories import approved_plan, published_campaign, seed_001_campaign

pytestmark = pytest.mark.django_db


def region(personas, size: int):  # type: ignore[no-untyped-def]
    """``size`` organizations with an approved plan each (one row: none has fieldwork)."""
    organizations = [make_organization() for _ in range(size)]
    campaign = published_campaign(organizations, personas, year=2025)
    for n, org in enumerate(organizations):
        user = make_user(f"org-user-{size}-{n}", Role.ORGANIZATION, org)
        approved_plan(campaign, org, personas, user)
    return campaign


class QueryCountTests:
    def test_the_dashboard_does_not_read_per_organization(self, personas) -> None:
        region(personas, 2)
        small = page_queries(personas.ministry, reverse("plans:list"))
        region(personas, 6)  # created later: the dashboard opens on this campaign of six
        large = page_queries(personas.ministry, reverse("plans:list"))
        assert large == small

    def test_a_plan_page_does_not_read_per_row(self, personas) -> None:
        campaign = seed_001_campaign(personas)
        six = approved_plan(campaign, personas.org_a, personas, personas.org_admin)
        one = approved_plan(campaign, personas.org_b, personas, personas.outsider)
        assert (six.items.count(), one.items.count()) == (6, 1)
        assert page_queries(personas.ministry, reverse("plans:detail", args=[six.pk])) == \
            page_queries(personas.ministry, reverse("plans:detail", args=[one.pk]))
