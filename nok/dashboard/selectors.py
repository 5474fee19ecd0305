"""Reads for the cross-app pages: the audit trail and the organization card, always starting
from what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from nok.assessments.models import Assessment
from nok.core.models import AuditEntry
from nok.organizations.access import AnyUser, scoped, sees_everything
from nok.organizations.models import Organization
from nok.scores.selectors import assessment_totals


def audit_entries_visible_to(user: AnyUser) -> QuerySet[AuditEntry]:
    """Operator, ministry and council see every entry; an organization user sees the entries
    of their own organization; anyone else sees none."""
    return scoped(user, AuditEntry.objects.select_related("user"), "organization_id")


def audit_entries_for_organization(user: AnyUser, organization_id: int) -> QuerySet[AuditEntry]:
    return audit_entries_visible_to(user).filter(organization_id=organization_id)


def audit_journal(
    user: AnyUser,
    *,
    organization_id: int | None = None,
    campaign_id: int | None = None,
    user_id: int | None = None,
    object_type: str = "",
) -> QuerySet[AuditEntry]:
    """The journal with its filters applied (each filter is optional)."""
    filters: dict[str, Any] = {
        "organization_id": organization_id, "campaign_id": campaign_id, "user_id": user_id,
        "object_type": object_type or None,
    }
    return audit_entries_visible_to(user).filter(
        **{k: v for k, v in filters.items() if v is not None}
    )


def audit_object_types(user: AnyUser) -> list[str]:
    return sorted(set(audit_entries_visible_to(user).values_list("object_type", flat=True)))


def _url_or_none(name: str, pk: int) -> str | None:
    # Campaign pages are built by another part of the project; link only once they exist.
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def organization_campaigns(organization: Organization, user: AnyUser) -> list[dict[str, Any]]:
    """The campaigns the organization took part in, newest first. The total is shown to
    ministry/operator/council always, to the organization once the campaign is published."""
    assessments = list(Assessment.objects.filter(organization=organization)
                       .select_related("campaign", "campaign__methodology")
                       .order_by("-campaign__year", "-campaign__period_start"))
    totals = assessment_totals(assessments, published_only=not sees_everything(user))
    rows = []
    for a in assessments:
        rows.append({
            "campaign": a.campaign,
            "assessment": a,
            "total": totals.get(a.pk),
            "campaign_url": _url_or_none("scores:campaign", a.campaign_id),
            "assessment_url": _url_or_none("scores:assessment", a.pk),
        })
    return rows
