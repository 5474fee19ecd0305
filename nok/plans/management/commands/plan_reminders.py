"""E-mail the organizations about measures due soon or overdue (run daily or weekly from cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from nok.plans.services import plan_reminders_send


class Command(BaseCommand):
    help = ("Напомнить организациям по электронной почте о мероприятиях утверждённых планов, "
            "срок которых наступает в ближайшие N дней или уже прошёл")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=14,
                            help="за сколько дней до планового срока напоминать (14)")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="считать сегодняшней эту дату, ГГГГ-ММ-ДД (по умолчанию — сегодня)")

    def handle(self, *args: Any, days: int, today: dt.date | None, **options: Any) -> None:
        if days < 0:
            raise CommandError("--days: число дней не может быть отрицательным")
        summary = plan_reminders_send(today=today or timezone.localdate(), days=days)
        self.stdout.write(f"Отправлено писем: {summary.messages}; мероприятий в них: {summary.items}")
        for name in summary.without_address:
            self.stdout.write(f"Нет адреса электронной почты ни у одного пользователя "
                              f"организации: {name}")
