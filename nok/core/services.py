from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from nok.core.models import AuditEntry, WorkerHeartbeat


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
    object_repr: str | None = None,
) -> AuditEntry | None:
    """Record one change. Returns None (and writes nothing) when nothing changed.
    ``object_repr`` names the object for the journal's readers when its ``str()`` holds
    internal keys (a checklist tick: the list's title and the item's label)."""
    if action == "update" and before == after:
        return None
    return AuditEntry.objects.create(
        user=acting_user(user),
        action=action,
        object_type=type(obj)._meta.label_lower if hasattr(type(obj), "_meta") else type(obj).__name__,
        object_id=str(getattr(obj, "pk", "")),
        object_repr=(str(obj) if object_repr is None else object_repr)[:255],
        organization_id=organization_id,
        campaign_id=campaign_id,
        before=before,
        after=after,
    )


@transaction.atomic
def login_lockout_record(*, username: str, address: str, failures: int, cooloff: dt.timedelta) -> AuditEntry | None:
    """One audit entry when a user name is locked out from an address after ``failures``
    wrong passwords; further refused attempts during the same lockout add none. The password
    is never recorded."""
    since = timezone.now() - cooloff
    already = AuditEntry.objects.filter(
        action="lockout", object_type="auth.user", object_repr=username[:255], at__gte=since,
        after__address=address,
    ).exists()
    if already:
        return None
    user = User.objects.filter(username=username).first()
    return AuditEntry.objects.create(
        user=None,
        action="lockout",
        object_type="auth.user",
        object_id=str(user.pk) if user is not None else "",
        object_repr=username[:255],
        after={"username": username, "address": address, "failures": failures,
               "minutes": int(cooloff.total_seconds() // 60)},
    )


def worker_heartbeat_record(*, worker_id: str, hostname: str, pid: int, started_at: dt.datetime) -> None:
    """The worker ``worker_id`` is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": hostname[:255], "pid": pid, "started_at": started_at,
                  "seen_at": timezone.now()},
    )


def worker_heartbeat_clear(*, worker_id: str) -> None:
    """The worker stopped cleanly: it no longer counts as alive."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
