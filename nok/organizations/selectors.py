"""Reads of the registry that cross relations; every list starts from the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet, Sum

from nok.organizations.access import AnyUser, organizations_visible_to
from nok.organizations.importing import fold
from nok.organizations.models import InterviewerAssignment, Organization, OrganizationType


@dataclass(frozen=True)
class RegistryPage:
    organizations: QuerySet[Organization]
    total: int  # organizations the user may see, before filtering
    found: int
    recipients: int  # sum over the found organizations
    by_type: list[dict[str, Any]]  # [{"type__id", "type__name", "type__short_name", "n"}]


def registry_page(
    user: AnyUser, *, query: str = "", type_id: int | None = None, municipality: str = ""
) -> RegistryPage:
    """The registry list with its search, filters and counts."""
    visible = organizations_visible_to(user)
    found = visible
    if query:
        found = found.filter(Q(name__icontains=query) | Q(short_name__icontains=query)
                             | Q(inn__startswith=query) | Q(address__icontains=query))
    if municipality:
        found = found.filter(municipality=municipality)
    by_type = list(
        found.values("type__id", "type__name", "type__short_name", "type__position")
        .annotate(n=Count("id")).order_by("type__position", "type__name")
    )
    if type_id:
        found = found.filter(type_id=type_id)
    totals = found.aggregate(
        found=Count("id"),
        s=Sum("recipients_stationary"), ss=Sum("recipients_semi_stationary"),
        h=Sum("recipients_home"),
    )
    return RegistryPage(
        organizations=found,
        total=visible.count(),
        found=totals["found"],
        recipients=(totals["s"] or 0) + (totals["ss"] or 0) + (totals["h"] or 0),
        by_type=by_type,
    )


def municipalities_visible_to(user: AnyUser) -> list[str]:
    """The municipalities of the organizations the user may see, for the registry filter."""
    visible = organizations_visible_to(user).exclude(municipality="")
    return sorted(set(visible.values_list("municipality", flat=True)))


def import_keys() -> tuple[dict[str, str], set[str], set[str]]:
    """What the import checks rows against: folded type names and short names -> name,
    the registry's INNs, and the folded names of organizations without an INN."""
    type_names: dict[str, str] = {}
    for name, short_name in OrganizationType.objects.values_list("name", "short_name"):
        type_names[fold(name)] = name
        if short_name:
            type_names.setdefault(fold(short_name), name)
    inns = set(Organization.objects.exclude(inn="").values_list("inn", flat=True))
    names = {fold(n) for n in Organization.objects.filter(inn="").values_list("name", flat=True)}
    return type_names, inns, names


def organization_types_with_counts() -> QuerySet[OrganizationType]:
    return OrganizationType.objects.annotate(n=Count("organization"))


def users_with_roles() -> QuerySet[User]:
    """Every login with its role, organization and (interviewers) how many organizations
    are assigned to it."""
    return (User.objects.select_related("membership", "membership__organization")
            .annotate(n_assigned=Count("interviewer_assignments"))
            .order_by("-is_active", "username"))


def assigned_organization_ids(interviewer: User) -> list[int]:
    return list(InterviewerAssignment.objects.filter(interviewer=interviewer)
                .values_list("organization_id", flat=True))


def organizations_by_type() -> list[tuple[OrganizationType, list[Organization]]]:
    """The registry grouped by type, in the registry's order (for ticking organizations)."""
    groups: dict[int, tuple[OrganizationType, list[Organization]]] = {}
    for organization in Organization.objects.select_related("type").order_by(
            "type__position", "type__name", "name"):
        groups.setdefault(organization.type_id, (organization.type, []))[1].append(organization)
    return list(groups.values())
