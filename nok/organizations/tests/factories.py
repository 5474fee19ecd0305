"""Object graphs for tests: organizations, types and users with roles."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import User

from nok.organizations.models import Membership, Organization, OrganizationType, Role

_seq = itertools.count(1)


def make_org_type(name: str = "КЦСОН", **kwargs: Any) -> OrganizationType:
    org_type, _ = OrganizationType.objects.get_or_create(name=name, defaults=kwargs)
    return org_type


def make_organization(name: str | None = None, *, type_name: str = "КЦСОН", **kwargs: Any) -> Organization:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "name": name or f"ГБУ «Комплексный центр социального обслуживания населения № {n}»",
        "short_name": (name or f"КЦСОН № {n}")[:200],
        "type": make_org_type(type_name),
        "has_semi_stationary": True,
        "has_home": True,
        "recipients_semi_stationary": 60,
        "recipients_home": 140,
        "region": "Нижегородская область",
    }
    defaults.update(kwargs)
    return Organization.objects.create(**defaults)


def make_user(username: str, role: str | None, organization: Organization | None = None) -> User:
    user = User.objects.create_user(username=username, password="test-pass-123", first_name=username)
    if role is not None:
        Membership.objects.create(user=user, role=role, organization=organization)
    return user


def make_operator(username: str = "operator") -> User:
    return make_user(username, Role.OPERATOR)


def page_queries(user: User, path: str) -> int:
    """How many SQL queries one GET of ``path`` by ``user`` runs (asserting it answers 200)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)
