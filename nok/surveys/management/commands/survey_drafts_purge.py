"""Delete abandoned online drafts (run daily from cron)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nok.surveys.services import drafts_purge


class Command(BaseCommand):
    help = "Удалить незавершённые черновики анкет, не изменявшиеся дольше N дней"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=60, help="возраст черновика, дней (60)")

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = drafts_purge(older_than=timedelta(days=options["days"]))
        self.stdout.write(f"Удалено черновиков: {deleted}")
