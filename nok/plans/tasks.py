"""Background tasks of improvement plans (django-tasks; run by ``manage.py worker``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from nok.plans.services import plan_reminders_send


@task()
def plan_reminders(days: int = 14) -> dict[str, Any]:
    """What ``manage.py plan_reminders`` does, in the background: e-mail each organization
    about its measures due within ``days`` days or overdue; returns the counts."""
    summary = plan_reminders_send(today=timezone.localdate(), days=days)
    return {"messages": summary.messages, "items": summary.items,
            "without_address": summary.without_address}
