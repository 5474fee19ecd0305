"""Results: the current score of every assessment in fieldwork, and the frozen snapshots taken
when a campaign leaves fieldwork and when it is published.

Every snapshot row carries the inputs it was computed from as an assessment file (format 1,
METHODOLOGY.md §6), so any figure can be recomputed offline with ``nok score``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from nok.assessments.models import Assessment, Campaign
from nok.organizations.models import Organization


class Score(models.Model):
    """The current headline of one assessment — its total, 95 % interval and the reasons it may
    not take a place — derived from its fieldwork (never typed): what the campaign's rating is
    made of. Every other figure of a current result is computed when it is shown
    (``selectors.assessment_result``), from the same data.

    It is stale — and recomputed, in one batch, before anything reads it — when the assessment's
    fieldwork changed since (``Assessment.data_version``), or the organization's registry card
    or the methodology document did (their ``updated_at``).
    """

    assessment = models.OneToOneField(
        Assessment, primary_key=True, on_delete=models.CASCADE, related_name="score"
    )
    data_version = models.PositiveBigIntegerField()
    organization_stamp = models.DateTimeField()
    methodology_stamp = models.DateTimeField()
    # The headline figure: the total (criteria-100) or the integral value.
    total = models.FloatField("итоговое значение", null=True, blank=True)
    # Its 95 % interval (METHODOLOGY.md §7), None where the total is None.
    low = models.FloatField("нижняя граница", null=True, blank=True)
    high = models.FloatField("верхняя граница", null=True, blank=True)
    insufficient = models.JSONField("причины «недостаточно данных»", default=list, blank=True)
    computed_at = models.DateTimeField("рассчитано")

    class Meta:
        verbose_name = "текущий результат"
        verbose_name_plural = "текущие результаты"

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.total}"


class SnapshotStage(models.TextChoices):
    REVIEW = "review", "передано на проверку"
    PUBLISHED = "published", "опубликовано"


class Snapshot(models.Model):
    """Every organization's inputs and results of one campaign, frozen at one moment, with the
    methodology document they were computed with (its edition and content hash)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="snapshots")
    edition = models.PositiveIntegerField("редакция")
    stage = models.CharField("этап", max_length=20, choices=SnapshotStage.choices)
    created_at = models.DateTimeField("когда", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="кто",
    )
    methodology_slug = models.CharField("код методики", max_length=100)
    methodology_title = models.CharField("методика", max_length=300)
    methodology_version = models.CharField("редакция методики", max_length=100, blank=True)
    methodology_sha256 = models.CharField("хеш документа методики", max_length=64)
    methodology_definition = models.JSONField("документ методики")
    rule = models.TextField("правило рейтинга")

    class Meta:
        ordering = ["campaign", "-edition", "-created_at", "-id"]
        verbose_name = "снимок результатов"
        verbose_name_plural = "снимки результатов"
        constraints = [
            # Each edition is published once; it may go to review several times (the latest
            # review snapshot is the one published).
            models.UniqueConstraint(fields=["campaign", "edition"],
                                    condition=models.Q(stage="published"),
                                    name="snapshot_published_once_per_edition"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: редакция {self.edition}, {self.get_stage_display()}"


class SnapshotRow(models.Model):
    """One organization in a snapshot: what was frozen, its place, and — at publication — the
    ministry's reason for publishing it although a precondition was not met."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="rows")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization_name = models.CharField("организация", max_length=500)
    organization_type = models.CharField("тип организации", max_length=200)
    type_position = models.PositiveIntegerField("порядок типа", default=100)
    inputs = models.JSONField("исходные данные (файл оценки)")
    results = models.JSONField("результаты")
    total = models.FloatField("итоговое значение", null=True, blank=True)
    low = models.FloatField("нижняя граница", null=True, blank=True)
    high = models.FloatField("верхняя граница", null=True, blank=True)
    place = models.PositiveIntegerField("место", null=True, blank=True)
    insufficient = models.JSONField("причины «недостаточно данных»", default=list, blank=True)
    unmet = models.JSONField("невыполненные условия публикации", default=list, blank=True)
    exception = models.TextField("основание публикации при невыполненных условиях", blank=True)

    class Meta:
        ordering = ["snapshot", "type_position", "organization_type", "place", "organization_name"]
        verbose_name = "результат организации в снимке"
        verbose_name_plural = "результаты организаций в снимках"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "assessment"], name="snapshot_row_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_name}: {self.total}"
