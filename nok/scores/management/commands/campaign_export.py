from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nok.assessments.models import Campaign
from nok.scores import exports


class Command(BaseCommand):
    help = (
        "Writes a campaign's open-data export: JSON (an assessment file and the results per "
        "organization; `nok score FILE --verify` recomputes and compares every figure), CSV or "
        "XLSX (a row per organization). "
        "After publication it is exactly the published results."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign_id", type=int)
        parser.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, campaign_id: int, format: str, output: str | None,
               **options: Any) -> None:
        try:
            campaign = Campaign.objects.select_related("methodology").get(pk=campaign_id)
        except Campaign.DoesNotExist as exc:
            raise CommandError(f"Кампания {campaign_id} не найдена") from exc
        if format == "xlsx":
            if output is None:
                raise CommandError("XLSX пишется только в файл: укажите -o ФАЙЛ.xlsx")
            with exports.xlsx_file(campaign) as source, Path(output).open("wb") as target:
                shutil.copyfileobj(source, target)
            self.stderr.write(f"Выгрузка «{campaign}» записана в {output}")
            return
        chunks = exports.json_chunks(campaign) if format == "json" else exports.csv_chunks(campaign)
        if output is None:
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        path = Path(output)
        with path.open("w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
        self.stderr.write(f"Выгрузка «{campaign}» записана в {path}")
