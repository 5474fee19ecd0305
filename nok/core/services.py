from __future__ import annotations

from typing import Any, TypedDict

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from nok.core.models import AuditEntry


class AuditScope(TypedDict):
    """The organization/campaign an audit entry belongs to (``audit_record(**scope)``)."""

    organization_id: int | None
    campaign_id: int | None


def acting_user(user: AbstractBaseUser | AnonymousUser | None) -> User | None:
    """The signed-in user to store as the author of a change; None for anonymous or system."""
    return user if isinstance(user, User) and user.is_authenticated else None


def audit_record(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organization_id: int | None = None,
    campaign_id: int | None = None,
) -> AuditEntry | None:
    """Record one change. Returns None (and writes nothing) when nothing changed."""
    if action == "update" and before == after:
        return None
    return AuditEntry.objects.create(
        user=acting_user(user),
        action=action,
        object_type=type(obj)._meta.label_lower if hasattr(type(obj), "_meta") else type(obj).__name__,
        object_id=str(getattr(obj, "pk", "")),
        object_repr=str(obj)[:255],
        organization_id=organization_id,
        campaign_id=campaign_id,
        before=before,
        after=after,
    )
