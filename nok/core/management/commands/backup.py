"""``manage.py backup -o FILE``: the database and the media folder in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nok.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Сохранить базу данных и папку загруженных файлов в один архив (.tar.gz)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="файл архива, например nok-2026-11-23.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        try:
            manifest = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Резервная копия сохранена: {output} "
                          f"(база {manifest['vendor']}, файлов: {manifest['media_files']})")
