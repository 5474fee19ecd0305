"""Who may see and change what. Every view goes through one of these helpers.

Rules:
- operator (and superuser): reads and writes all fieldwork data;
- ministry and public council: read everything, write nothing (the ministry may publish);
- organization: reads its own organization only; writes its own improvement plans;
- interviewer (operator's field staff): reads the organizations the operator assigned to it
  only, interviews their recipients and works through their call lists; writes nothing else;
- anyone else (no membership): nothing.
Objects outside a user's scope answer 404 (their existence is not revealed);
a visible object the user may not change answers 403.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from nok.organizations.models import InterviewerAssignment, Membership, Organization, Role

AnyUser = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=Model)


def _membership(user: AnyUser | None) -> Membership | None:
    """The signed-in user's role record, or None (anonymous, or a user without a role)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def role_of(user: AnyUser | None) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return Role.OPERATOR
    membership = _membership(user)
    return membership.role if membership is not None else None


def own_organization_id(user: AnyUser | None) -> int | None:
    membership = _membership(user)
    if membership is not None and membership.role == Role.ORGANIZATION:
        return membership.organization_id
    return None


def is_operator(user: AnyUser) -> bool:
    return role_of(user) == Role.OPERATOR


def is_interviewer(user: AnyUser | None) -> bool:
    return role_of(user) == Role.INTERVIEWER


def assigned_organizations(user: AnyUser | None) -> QuerySet[InterviewerAssignment]:
    """The interviewer's assignments (none for anyone else); ``.values("organization_id")``
    is a subquery, evaluated by the database with the query it filters."""
    if not is_interviewer(user) or user is None:
        return InterviewerAssignment.objects.none()
    return InterviewerAssignment.objects.filter(interviewer_id=user.pk)


def require_interviewer(user: AnyUser) -> None:
    if not is_interviewer(user):
        raise PermissionDenied("Раздел доступен только интервьюеру")


def sees_everything(user: AnyUser) -> bool:
    return role_of(user) in {Role.OPERATOR, Role.MINISTRY, Role.COUNCIL}


def require_role(user: AnyUser) -> str:
    """The user's role, or 403 for a logged-in user without one."""
    role = role_of(user)
    if role is None:
        raise PermissionDenied("У пользователя нет роли в системе")
    return role


def require_operator(user: AnyUser) -> None:
    if not is_operator(user):
        raise PermissionDenied("Действие доступно только оператору")


def require_sees_everything(user: AnyUser) -> None:
    """403 unless the user reads everything (operator, ministry, public council)."""
    require_role(user)
    if not sees_everything(user):
        raise PermissionDenied("Раздел доступен оператору, министерству и общественному совету")


def scoped(user: AnyUser, qs: QuerySet[M], organization_field: str) -> QuerySet[M]:
    """``qs`` cut to the user's scope: everything for operator/ministry/council, the rows whose
    ``organization_field`` is the user's own organization for an organization user, the rows
    of the organizations assigned to an interviewer, else none."""
    if sees_everything(user):
        return qs
    org_id = own_organization_id(user)
    if org_id is not None:
        return qs.filter(**{organization_field: org_id})
    if is_interviewer(user):
        assigned = assigned_organizations(user).values("organization_id")
        return qs.filter(**{f"{organization_field}__in": assigned})
    return qs.none()


def organizations_visible_to(user: AnyUser) -> QuerySet[Organization]:
    return scoped(user, Organization.objects.select_related("type"), "pk")


def get_organization_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Organization:
    """404 outside the user's scope; 403 for a write by anyone but the operator."""
    try:
        organization = organizations_visible_to(user).get(pk=pk)
    except Organization.DoesNotExist as exc:
        raise Http404("Организация не найдена") from exc
    if write:
        require_operator(user)
    return organization
