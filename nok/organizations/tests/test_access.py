"""Every access helper against every persona."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from nok.organizations import access
from nok.organizations.models import Role

pytestmark = pytest.mark.django_db

#            persona      role_of             is_operator sees_everything own_org
TABLE = [
    ("operator", Role.OPERATOR, True, True, None),
    ("ministry", Role.MINISTRY, False, True, None),
    ("council", Role.COUNCIL, False, True, None),
    ("org_admin", Role.ORGANIZATION, False, False, "org_a"),
    ("outsider", Role.ORGANIZATION, False, False, "org_b"),
    ("nobody", None, False, False, None),
]


class RoleHelpersTests:
    @pytest.mark.parametrize(("name", "role", "operator", "everything", "own"), TABLE)
    def test_each_persona_has_the_expected_role_and_scope(
        self, personas, name, role, operator, everything, own
    ) -> None:
        user = getattr(personas, name)
        assert access.role_of(user) == role
        assert access.is_operator(user) is operator
        assert access.sees_everything(user) is everything
        expected_own = getattr(personas, own).pk if own else None
        assert access.own_organization_id(user) == expected_own

    def test_a_superuser_counts_as_operator(self) -> None:
        admin = User.objects.create_superuser("root", password="x")
        assert access.role_of(admin) == Role.OPERATOR
        assert access.sees_everything(admin)

    def test_an_anonymous_user_has_no_role(self) -> None:
        anonymous = AnonymousUser()
        assert access.role_of(anonymous) is None
        assert access.own_organization_id(anonymous) is None
        assert not access.organizations_visible_to(anonymous).exists()

    @pytest.mark.parametrize(("name", "denied"), [
        ("operator", False), ("ministry", False), ("council", False),
        ("org_admin", False), ("outsider", False), ("nobody", True),
    ])
    def test_require_role_denies_only_the_user_without_one(self, personas, name, denied) -> None:
        user = getattr(personas, name)
        if denied:
            with pytest.raises(PermissionDenied):
                access.require_role(user)
        else:
            assert access.require_role(user) == access.role_of(user)

    @pytest.mark.parametrize("name", ["ministry", "council", "org_admin", "outsider", "nobody"])
    def test_require_operator_denies_everybody_else(self, personas, name) -> None:
        with pytest.raises(PermissionDenied):
            access.require_operator(getattr(personas, name))

    def test_require_operator_lets_the_operator_through(self, personas) -> None:
        access.require_operator(personas.operator)


class OrganizationScopeTests:
    @pytest.mark.parametrize(("name", "visible"), [
        ("operator", {"org_a", "org_b"}), ("ministry", {"org_a", "org_b"}),
        ("council", {"org_a", "org_b"}), ("org_admin", {"org_a"}), ("outsider", {"org_b"}),
        ("nobody", set()),
    ])
    def test_each_persona_sees_its_organizations(self, personas, name, visible) -> None:
        ids = set(access.organizations_visible_to(getattr(personas, name)).values_list("pk", flat=True))
        assert ids == {getattr(personas, org).pk for org in visible}

    @pytest.mark.parametrize(("name", "read", "write"), [
        ("operator", "ok", "ok"), ("ministry", "ok", 403), ("council", "ok", 403),
        ("org_admin", "ok", 403), ("outsider", 404, 404), ("nobody", 404, 404),
    ])
    def test_get_organization_for_user_answers_404_outside_and_403_for_writes(
        self, personas, name, read, write
    ) -> None:
        user = getattr(personas, name)
        for want, is_write in ((read, False), (write, True)):
            if want == "ok":
                assert access.get_organization_for_user(user, personas.org_a.pk, write=is_write) == personas.org_a
            else:
                error = Http404 if want == 404 else PermissionDenied
                with pytest.raises(error):
                    access.get_organization_for_user(user, personas.org_a.pk, write=is_write)


class ScopedTests:
    @pytest.mark.parametrize(("name", "expected"), [
        ("ministry", {"org_admin", "outsider"}), ("outsider", {"outsider"}), ("nobody", set()),
    ])
    def test_it_cuts_any_queryset_by_its_organization_field(self, personas, name, expected) -> None:
        from nok.organizations.models import Membership

        members = Membership.objects.filter(role=Role.ORGANIZATION)
        got = access.scoped(getattr(personas, name), members, "organization_id")
        assert {m.user.username for m in got} == expected
