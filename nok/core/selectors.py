"""Reads of the core's own tables: the background-task worker's heartbeat."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nok.core.models import WorkerHeartbeat


def worker_last_seen() -> dt.datetime | None:
    """When a background-task worker last wrote its heartbeat (None: never)."""
    newest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    return newest.seen_at if newest is not None else None


def worker_alive(*, stale_after: dt.timedelta) -> bool:
    last = worker_last_seen()
    return last is not None and timezone.now() - last <= stale_after
