from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from nok.core.models import AuditEntry


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
    real_user = user if user is not None and getattr(user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        user=real_user,
        action=action,
        object_type=type(obj)._meta.label_lower if hasattr(type(obj), "_meta") else type(obj).__name__,
        object_id=str(getattr(obj, "pk", "")),
        object_repr=str(obj)[:255],
        organization_id=organization_id,
        campaign_id=campaign_id,
        before=before,
        after=after,
    )
