"""Every write to the registry: organization types, organizations, the import, users and roles,
the organizations assigned to interviewers.

Each service validates with ``full_clean()`` and records an AuditEntry (who, when, before/after).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from nok.core.services import audit_record
from nok.organizations.importing import OrganizationRecord
from nok.organizations.models import (
    InterviewerAssignment,
    Membership,
    Organization,
    OrganizationType,
    Role,
)
from nok.organizations.validators import normalize_website

Actor = AbstractBaseUser | AnonymousUser | None

# The seven types of the 2016 regional rating (seed 004): (name exactly as printed, short name).
BUILTIN_TYPES: tuple[tuple[str, str], ...] = (
    ("Областные дома ветеранов", "Дома ветеранов"),
    ("Центры социального обслуживания населения", "ЦСОН"),
    ("Центры социальной адаптации населения, дом ночного пребывания, "
     "дом временного и ночного пребывания", "Центры социальной адаптации"),
    ("Специализированные учреждения для несовершеннолетних, нуждающиеся в социальной "
     "реабилитации (стационарная + дневная сеть)", "Учреждения для несовершеннолетних"),
    ("Центры психолого-педагогической помощи населению", "Центры ППП"),
    ("Реабилитационные центры для детей с ограниченными возможностями "
     "(стационарная + дневная сеть)", "Реабилитационные центры для детей"),
    ("Центры социальной помощи семье и детям", "Центры помощи семье и детям"),
)

ORGANIZATION_FIELDS = (
    "name", "short_name", "inn", "type", "has_stationary", "has_semi_stationary", "has_home",
    "recipients_stationary", "recipients_semi_stationary", "recipients_home",
    "address", "website", "region", "municipality",
)


# ---- organization types ----------------------------------------------------------------

@transaction.atomic
def organization_types_ensure_builtin() -> list[OrganizationType]:
    """Create the seven built-in types if missing (idempotent; the data migration does the same)."""
    result = []
    for position, (name, short_name) in enumerate(BUILTIN_TYPES, start=1):
        org_type, created = OrganizationType.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "builtin": True, "position": position}
        )
        if not created and not org_type.builtin:
            org_type.builtin = True
            org_type.save(update_fields=["builtin"])
        result.append(org_type)
    return result


@transaction.atomic
def organization_type_create(*, user: Actor, name: str, short_name: str = "") -> OrganizationType:
    """A region's own organization type, listed after the built-in ones."""
    org_type = OrganizationType(name=name.strip(), short_name=short_name.strip(), builtin=False,
                                position=1000)
    org_type.full_clean()
    org_type.save()
    audit_record(user=user, action="create", obj=org_type,
                 after={"name": org_type.name, "short_name": org_type.short_name})
    return org_type


# ---- organizations ------------------------------------------------------------------------

def organization_snapshot(organization: Organization) -> dict[str, Any]:
    """The audited fields as JSON-ready values (the type by its name)."""
    values = {name: getattr(organization, name) for name in ORGANIZATION_FIELDS if name != "type"}
    values["type"] = organization.type.name if organization.type_id else None
    return values


def _check_inn_free(organization: Organization) -> None:
    if not organization.inn:
        return
    holder = Organization.objects.exclude(pk=organization.pk).filter(inn=organization.inn).first()
    if holder is not None:
        raise ValidationError({"inn": f"ИНН {organization.inn} уже принадлежит организации «{holder}»"})


def _apply(organization: Organization, data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organization fields: {sorted(unknown)}")
    for name, value in data.items():
        if name == "website":
            value = normalize_website(value or "")
        elif name == "inn":
            value = (value or "").strip()
        elif isinstance(value, str):
            value = value.strip()
        setattr(organization, name, value)


@transaction.atomic
def organization_create(*, user: Actor, data: Mapping[str, Any]) -> Organization:
    """Create an organization from field values (``type`` is an OrganizationType)."""
    organization = Organization()
    _apply(organization, data)
    _check_inn_free(organization)
    organization.full_clean()
    organization.save()
    audit_record(user=user, action="create", obj=organization,
                 after=organization_snapshot(organization), organization_id=organization.pk)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, user: Actor,
                        data: Mapping[str, Any]) -> Organization:
    """Change the given fields; the audit entry keeps only the fields that changed."""
    before = organization_snapshot(organization)
    _apply(organization, data)
    _check_inn_free(organization)
    organization.full_clean()
    organization.save()
    after = organization_snapshot(organization)
    changed = [k for k in after if before[k] != after[k]]
    audit_record(user=user, action="update", obj=organization,
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed},
                 organization_id=organization.pk)
    return organization


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int


@transaction.atomic
def organizations_import(*, records: Sequence[OrganizationRecord], user: Actor) -> ImportSummary:
    """Save checked import records, all or nothing: an organization with the record's INN is
    updated, otherwise one is created. Any invalid record rolls back the whole import with a
    ValidationError naming its row."""
    types = {t.name: t for t in OrganizationType.objects.all()}
    created = updated = 0
    for record in records:
        data = dict(record.data)
        try:
            if data.get("type") not in types:
                raise ValidationError({"type": f"неизвестный тип «{data.get('type')}»"})
            data["type"] = types[data["type"]]
            existing = (Organization.objects.select_for_update().filter(inn=data["inn"]).first()
                        if data.get("inn") else None)
            if existing is None:
                organization_create(user=user, data=data)
                created += 1
            else:
                organization_update(organization=existing, user=user, data=data)
                updated += 1
        except ValidationError as exc:
            raise ValidationError(f"Строка {record.row}: {'; '.join(exc.messages)}. "
                                  "Ничего не сохранено.") from exc
    return ImportSummary(created=created, updated=updated)


# ---- users and roles ----------------------------------------------------------------------

def user_snapshot(user: User) -> dict[str, Any]:
    membership = Membership.objects.filter(user=user).select_related("organization").first()
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "email": user.email,
        "is_active": user.is_active,
        "role": membership.role if membership else None,
        "organization": str(membership.organization) if membership and membership.organization else None,
    }


@transaction.atomic
def user_create(
    *,
    by: Actor,
    username: str,
    password: str,
    role: str,
    organization: Organization | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """A new login with one role; organization users must name their organization."""
    if role not in Role.values:
        raise ValidationError({"role": "Неизвестная роль"})
    if role == Role.ORGANIZATION and organization is None:
        raise ValidationError({"organization": "Для роли «Организация» укажите организацию"})
    if role != Role.ORGANIZATION:
        organization = None
    user = User(username=username.strip(), first_name=first_name.strip(),
                last_name=last_name.strip(), email=email.strip())
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    membership = Membership(user=user, role=role, organization=organization)
    membership.full_clean()
    membership.save()
    audit_record(user=by, action="create", obj=user, after=user_snapshot(user),
                 organization_id=organization.pk if organization else None)
    return user


@transaction.atomic
def user_set_active(*, by: Actor, user: User, active: bool) -> User:
    """Deactivate (or reactivate) a login; nobody may deactivate themselves."""
    if not active and by is not None and getattr(by, "pk", None) == user.pk:
        raise ValidationError("Нельзя отключить собственную учётную запись")
    before = user_snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    membership = getattr(user, "membership", None)
    audit_record(user=by, action="update", obj=user, before={"is_active": before["is_active"]},
                 after={"is_active": active},
                 organization_id=membership.organization_id if membership else None)
    return user


@transaction.atomic
def interviewer_assignments_set(
    *, by: Actor, interviewer: User, organizations: Sequence[Organization]
) -> tuple[list[int], list[int]]:
    """Assign exactly these organizations to the interviewer (the others are withdrawn);
    returns the ids (added, removed). Only a user with the interviewer role is assigned."""
    membership = Membership.objects.filter(user=interviewer).first()
    if membership is None or membership.role != Role.INTERVIEWER:
        raise ValidationError(f"Пользователь {interviewer.get_full_name() or interviewer.username} — не интервьюер: "
                              "организации назначаются только интервьюерам")
    wanted = {org.pk for org in organizations}
    current = set(InterviewerAssignment.objects.filter(interviewer=interviewer)
                  .values_list("organization_id", flat=True))
    added, removed = sorted(wanted - current), sorted(current - wanted)
    InterviewerAssignment.objects.filter(interviewer=interviewer,
                                         organization_id__in=removed).delete()
    InterviewerAssignment.objects.bulk_create([
        InterviewerAssignment(interviewer=interviewer, organization_id=pk,
                              assigned_by=by if isinstance(by, User) else None)
        for pk in added
    ])
    if added or removed:
        names = dict(Organization.objects.filter(pk__in=wanted | current)
                     .values_list("pk", "name"))
        # On the membership: the journal labels "organization" as «организация».
        audit_record(user=by, action="update", obj=membership,
                     before={"organization": sorted(names[pk] for pk in current)},
                     after={"organization": sorted(names[pk] for pk in wanted)})
    return added, removed
