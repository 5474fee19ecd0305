"""Import a campaign-wide export of a form service (one file for the whole region)."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nok.assessments.models import Campaign
from nok.surveys.bulk_import import BulkImportRefused, survey_import_campaign
from nok.surveys.models import Mode

PHASES = {"scan": "прочитано строк", "guard": "организаций в файле",
          "write": "проверено и записано строк"}


class Command(BaseCommand):
    help = ("Загрузить анкеты кампании из одного файла CSV/XLSX (выгрузка сервиса опросов: "
            "строка — анкета, столбец с ИНН или кодом анкеты организации). Всё или ничего: "
            "при ошибках в строках ничего не записывается, код выхода 2.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign_id", type=int, help="id кампании")
        parser.add_argument("file", help="путь к файлу CSV или XLSX")
        parser.add_argument("--org-column", help="заголовок столбца с ИНН или кодом анкеты "
                                                 "(по умолчанию — первый со словом «ИНН» или «код»)")
        parser.add_argument("--mode", choices=Mode.values, default=Mode.ONLINE,
                            help="форма опроса (по умолчанию online)")
        parser.add_argument("--no-flags", action="store_true",
                            help="не проверять качество сразу (потом: survey_flags)")

    def _progress(self, phase: str, value: int) -> None:
        if phase not in PHASES:  # the counters and the quality checks: no count to show
            return
        self.stdout.write(f"  {PHASES[phase]}: {value}")

    def handle(self, *args: Any, campaign_id: int, file: str, org_column: str | None,
               mode: str, no_flags: bool, **options: Any) -> None:
        campaign = Campaign.objects.filter(pk=campaign_id).select_related("methodology").first()
        if campaign is None:
            raise CommandError(f"Кампания {campaign_id} не найдена", returncode=2)
        started = time.monotonic()
        try:
            result = survey_import_campaign(
                campaign=campaign, path=file, org_column=org_column, mode=mode,
                flags=not no_flags, progress=self._progress,
            )
        except BulkImportRefused as refused:
            for error in refused.row_errors:
                self.stderr.write(str(error))
            shown = len(refused.row_errors)
            more = f" (показаны первые {shown})" if refused.total > shown else ""
            raise CommandError(f"Файл не загружен: ошибок в строках — {refused.total}{more}",
                               returncode=2) from refused
        except FileNotFoundError as exc:
            raise CommandError(f"Файл «{file}» не найден", returncode=2) from exc
        except ValidationError as exc:
            raise CommandError("Файл не загружен: " + "; ".join(exc.messages),
                               returncode=2) from exc
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Загружено анкет: {result.imported}; уже были загружены: {result.skipped}; "
            f"строк в файле: {result.rows}; организаций: {result.organizations}; "
            f"новых признаков недостоверности: {result.flags}; {seconds:.1f} с")
