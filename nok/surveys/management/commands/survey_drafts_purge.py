"""Delete abandoned online drafts and never-run import uploads (run daily from cron)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nok.surveys.services import drafts_purge, import_uploads_purge


class Command(BaseCommand):
    help = ("Удалить незавершённые черновики анкет, не изменявшиеся дольше N дней, "
            "и не загруженные файлы импорта старше 7 дней")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=60, help="возраст черновика, дней (60)")

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = drafts_purge(older_than=timedelta(days=options["days"]))
        self.stdout.write(f"Удалено черновиков: {deleted}")
        uploads = import_uploads_purge(older_than=timedelta(days=7))
        self.stdout.write(f"Удалено незагруженных файлов импорта: {uploads}")
