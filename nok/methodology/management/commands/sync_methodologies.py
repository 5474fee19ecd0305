from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nok.methodology.services import methodology_sync_builtin


class Command(BaseCommand):
    help = "Create or refresh the built-in methodologies (social-2018, social-2014) from the scoring package"

    def handle(self, *args: Any, **options: Any) -> None:
        for methodology in methodology_sync_builtin():
            self.stdout.write(f"{methodology.slug}: {methodology.title}")
