"""Registry services: types, organizations (with audit), the import, users and roles."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from nok.core.models import AuditEntry
from nok.organizations.importing import OrganizationRecord
from nok.organizations.models import Membership, Organization, OrganizationType, Role
from nok.organizations.services import (
    BUILTIN_TYPES,
    organization_create,
    organization_type_create,
    organization_types_ensure_builtin,
    organization_update,
    organizations_import,
    user_create,
    user_set_active,
)
from nok.organizations.tests.factories import make_org_type, make_organization, make_user

pytestmark = pytest.mark.django_db

CSON = "Центры социального обслуживания населения"


def org_data(**values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "ГБУ «Центр социального обслуживания населения г. Кемерово»",
        "type": OrganizationType.objects.get(name=CSON),
        "has_home": True, "recipients_home": 120,
    }
    data.update(values)
    return data


class BuiltinTypesTests:
    def test_there_are_the_seven_types_of_the_2016_rating(self) -> None:
        names = list(OrganizationType.objects.filter(builtin=True).values_list("name", flat=True))
        assert names == [name for name, _ in BUILTIN_TYPES]
        assert len(names) == 7
        assert "Центры социальной помощи семье и детям" in names

    def test_the_data_migration_creates_the_same_types_as_the_service(self) -> None:
        migration = importlib.import_module("nok.organizations.migrations.0003_builtin_types")
        assert [tuple(t) for t in migration.BUILTIN_TYPES] == list(BUILTIN_TYPES)

    def test_ensuring_them_again_creates_nothing(self) -> None:
        before = OrganizationType.objects.count()
        assert len(organization_types_ensure_builtin()) == 7
        assert OrganizationType.objects.count() == before

    def test_ensuring_them_restores_a_deleted_one(self) -> None:
        OrganizationType.objects.filter(name=CSON).delete()
        organization_types_ensure_builtin()
        assert OrganizationType.objects.get(name=CSON).builtin is True

    def test_an_operator_adds_a_regional_type_after_the_builtin_ones(self) -> None:
        operator = make_user("op", Role.OPERATOR)
        created = organization_type_create(user=operator, name=" Дома-интернаты ", short_name="ДИ")
        assert created.name == "Дома-интернаты" and not created.builtin
        assert list(OrganizationType.objects.all())[-1] == created
        assert AuditEntry.objects.filter(object_type="organizations.organizationtype").count() == 1

    def test_a_duplicate_type_name_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            organization_type_create(user=None, name=CSON)


class OrganizationCreateTests:
    def test_it_normalizes_the_website_and_records_an_audit_entry(self) -> None:
        operator = make_user("op", Role.OPERATOR)
        org = organization_create(user=operator, data=org_data(website="Kem-CSON.ru/", inn="7707083893"))
        assert org.website == "https://kem-cson.ru"
        entry = AuditEntry.objects.get(object_type="organizations.organization")
        assert (entry.action, entry.user, entry.organization_id) == ("create", operator, org.pk)
        assert entry.after["inn"] == "7707083893" and entry.after["type"] == CSON

    def test_it_refuses_a_bad_inn_and_saves_nothing(self) -> None:
        with pytest.raises(ValidationError) as exc:
            organization_create(user=None, data=org_data(inn="7707083894"))
        assert "inn" in exc.value.message_dict
        assert not Organization.objects.exists()

    def test_it_refuses_recipients_for_a_form_not_offered(self) -> None:
        with pytest.raises(ValidationError) as exc:
            organization_create(user=None, data=org_data(recipients_stationary=5))
        assert "recipients_stationary" in exc.value.message_dict

    def test_it_refuses_an_inn_already_in_the_registry(self) -> None:
        organization_create(user=None, data=org_data(inn="7707083893"))
        with pytest.raises(ValidationError):
            organization_create(user=None, data=org_data(name="Другая", inn="7707083893"))

    def test_it_refuses_unknown_fields(self) -> None:
        with pytest.raises(TypeError):
            organization_create(user=None, data=org_data(director="Иванов"))


class OrganizationUpdateTests:
    def test_the_audit_entry_keeps_only_the_changed_fields(self) -> None:
        org = organization_create(user=None, data=org_data())
        organization_update(organization=org, user=None,
                            data={"recipients_home": 150, "municipality": "г. Кемерово"})
        entry = AuditEntry.objects.filter(action="update").get()
        assert entry.before == {"recipients_home": 120, "municipality": ""}
        assert entry.after == {"recipients_home": 150, "municipality": "г. Кемерово"}

    def test_an_update_without_changes_writes_no_audit_entry(self) -> None:
        org = organization_create(user=None, data=org_data())
        organization_update(organization=org, user=None, data={"recipients_home": 120})
        assert not AuditEntry.objects.filter(action="update").exists()


def record(row: int, **values: object) -> OrganizationRecord:
    data: dict[str, object] = {"name": f"Организация {row}", "type": CSON, "inn": "",
                               "has_home": True, "recipients_home": 10}
    data.update(values)
    return OrganizationRecord(row=row, action="create", data=data)


class OrganizationsImportTests:
    def test_it_creates_new_and_updates_known_organizations_by_inn(self) -> None:
        known = make_organization("Старое название", inn="7707083893")
        summary = organizations_import(records=[
            record(2, inn="7707083893", name="Новое название"),
            record(3, inn="500100732259"),
        ], user=None)
        assert (summary.created, summary.updated) == (1, 1)
        known.refresh_from_db()
        assert known.name == "Новое название"
        assert Organization.objects.filter(inn="500100732259").exists()
        assert AuditEntry.objects.filter(object_type="organizations.organization").count() == 2

    def test_it_saves_nothing_when_one_record_fails(self) -> None:
        with pytest.raises(ValidationError) as exc:
            organizations_import(records=[record(2), record(3, recipients_stationary=5)], user=None)
        assert exc.value.messages[0].startswith("Строка 3:")
        assert "Ничего не сохранено" in exc.value.messages[0]
        assert not Organization.objects.exists()
        assert not AuditEntry.objects.exists()

    def test_it_refuses_a_type_removed_since_the_preview(self) -> None:
        with pytest.raises(ValidationError, match="Строка 2: неизвестный тип"):
            organizations_import(records=[record(2, type="Удалённый тип")], user=None)


class UserServicesTests:
    def test_an_operator_creates_an_organization_user(self) -> None:
        operator = make_user("op", Role.OPERATOR)
        org = make_organization()
        user = user_create(by=operator, username="kcson1", password="долгий-пароль-1",
                           role=Role.ORGANIZATION, organization=org, last_name="Иванова")
        assert user.check_password("долгий-пароль-1")
        assert (user.membership.role, user.membership.organization) == (Role.ORGANIZATION, org)
        entry = AuditEntry.objects.get(object_type="auth.user")
        assert entry.organization_id == org.pk and entry.after["role"] == "organization"

    def test_an_organization_role_needs_an_organization(self) -> None:
        with pytest.raises(ValidationError):
            user_create(by=None, username="x", password="долгий-пароль-1", role=Role.ORGANIZATION)
        assert not User.objects.filter(username="x").exists()

    def test_other_roles_drop_the_organization(self) -> None:
        user = user_create(by=None, username="min", password="долгий-пароль-1",
                           role=Role.MINISTRY, organization=make_organization())
        assert Membership.objects.get(user=user).organization is None

    def test_a_short_password_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            user_create(by=None, username="x", password="short", role=Role.COUNCIL)

    def test_deactivation_is_audited_and_never_applies_to_oneself(self) -> None:
        operator = make_user("op", Role.OPERATOR)
        other = make_user("other", Role.COUNCIL)
        user_set_active(by=operator, user=other, active=False)
        other.refresh_from_db()
        assert other.is_active is False
        assert AuditEntry.objects.get(object_type="auth.user").after == {"is_active": False}
        with pytest.raises(ValidationError):
            user_set_active(by=operator, user=operator, active=False)


def test_make_org_type_still_works_next_to_builtin_types(db: None) -> None:
    assert make_org_type().name == "КЦСОН"
