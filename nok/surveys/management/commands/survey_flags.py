"""Re-run the survey quality checks (after a threshold change or a bulk load)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nok.assessments.models import Assessment
from nok.surveys.services import flags_recompute


class Command(BaseCommand):
    help = "Перепроверить анкеты кампании (или одной оценки) на признаки недостоверности"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, help="id кампании")
        parser.add_argument("--assessment", type=int, help="id оценки организации")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["campaign"] and not options["assessment"]:
            raise CommandError("Укажите --campaign или --assessment")
        assessments = Assessment.objects.select_related("campaign", "organization")
        if options["assessment"]:
            assessments = assessments.filter(pk=options["assessment"])
        else:
            assessments = assessments.filter(campaign_id=options["campaign"])
        total = {"added": 0, "removed": 0, "flagged": 0}
        for assessment in assessments:
            summary = flags_recompute(assessment=assessment)
            for key in total:
                total[key] += summary[key]
        self.stdout.write(
            f"Оценок: {assessments.count()}; новых признаков: {total['added']}, "
            f"снято: {total['removed']}, на проверке: {total['flagged']}"
        )
