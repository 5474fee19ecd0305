"""Hooks into libraries that report through signals (django-axes' lockout)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver

from nok.core import services


@receiver(user_locked_out, dispatch_uid="nok.core.login_lockout_audit")
def login_lockout_audit(sender: Any, *, username: str | None = None, ip_address: str | None = None,
                        **kwargs: Any) -> None:
    services.login_lockout_record(
        username=username or "", address=ip_address or "",
        failures=settings.AXES_FAILURE_LIMIT, cooloff=settings.AXES_COOLOFF_TIME,
    )
