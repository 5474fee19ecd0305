"""``manage.py restore FILE``: put back the database and the media folder from a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nok.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Восстановить базу данных и папку загруженных файлов из архива manage.py backup "
            "(текущие данные заменяются)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="файл, созданный manage.py backup")
        parser.add_argument("--noinput", action="store_true", help="не спрашивать подтверждения")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["archive"])
        if not options["noinput"]:
            answer = input("Текущие данные сайта будут заменены данными из копии. Продолжить? [да/нет] ")
            if answer.strip().lower() not in {"да", "yes", "y", "д"}:
                raise CommandError("Восстановление отменено.")
        try:
            manifest = backup_restore(source=source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Восстановлено из {source}: копия от {manifest['created_at']}, "
                          f"файлов: {manifest['media_files']}. Затем выполните manage.py migrate.")
