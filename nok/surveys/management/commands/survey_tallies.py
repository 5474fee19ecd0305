"""Check the survey counters against a recount of the stored responses, or rebuild them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from nok.assessments.models import Assessment
from nok.surveys.tallies import recount, stored, tally_rebuild


class Command(BaseCommand):
    help = ("Сверить счётчики анкет с пересчётом по сохранённым ответам (--rebuild — "
            "пересобрать их из ответов)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, help="id кампании (по умолчанию — все)")
        parser.add_argument("--rebuild", action="store_true", help="пересобрать счётчики")

    def handle(self, *args: Any, campaign: int | None, rebuild: bool, **options: Any) -> None:
        assessments = Assessment.objects.all()
        if campaign:
            assessments = assessments.filter(campaign_id=campaign)
        ids = list(assessments.values_list("pk", flat=True))
        if rebuild:
            with transaction.atomic():
                differing = tally_rebuild(ids)
            self.stdout.write(f"Счётчики пересобраны; расходилось строк: {differing}")
            return
        same = stored(ids) == recount(ids)
        self.stdout.write("Счётчики совпадают с пересчётом" if same
                          else "Счётчики расходятся с пересчётом: запустите с --rebuild")
        if not same:
            raise SystemExit(1)
