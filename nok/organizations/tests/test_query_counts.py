"""Registry pages do a fixed number of queries, however many organizations and users exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nok.organizations.models import Role
from nok.organizations.services import organization_update
from nok.organizations.tests.factories import make_organization, make_user, page_queries

pytestmark = pytest.mark.django_db

PAGES = ["organizations:list", "organizations:types", "organizations:users", "dashboard:audit"]


def grow(operator, n: int) -> None:  # type: ignore[no-untyped-def]
    """n more organizations of new types, each with a user and an audited change."""
    for i in range(n):
        organization = make_organization(type_name=f"Тип {i}")
        make_user(f"org-user-{organization.pk}", Role.ORGANIZATION, organization)
        organization_update(organization=organization, user=operator,
                            data={"municipality": f"Район {i}"})


class RegistryQueryTests:
    @pytest.mark.parametrize("page", PAGES)
    def test_the_page_does_not_query_per_organization(self, personas, page) -> None:
        grow(personas.operator, 1)
        before = page_queries(personas.operator, reverse(page))
        grow(personas.operator, 6)
        assert page_queries(personas.operator, reverse(page)) == before
