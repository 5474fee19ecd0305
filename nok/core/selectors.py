"""Reads of the audit trail, always starting from what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from nok.core.models import AuditEntry, WorkerHeartbeat
from nok.organizations.access import AnyUser, scoped


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


def worker_last_seen() -> dt.datetime | None:
    """When a background-task worker last wrote its heartbeat (None: never)."""
    newest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    return newest.seen_at if newest is not None else None


def worker_alive(*, stale_after: dt.timedelta) -> bool:
    last = worker_last_seen()
    return last is not None and timezone.now() - last <= stale_after
