from __future__ import annotations

import secrets

from django.db import models

from nok.core.models import TimeStamped
from nok.methodology.models import Methodology
from nok.organizations.models import Organization

SURVEY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (l/1, o/0, i)


def new_survey_code() -> str:
    return "".join(secrets.choice(SURVEY_CODE_ALPHABET) for _ in range(8))


class CampaignStatus(models.TextChoices):
    FIELDWORK = "fieldwork", "Сбор данных"
    REVIEW = "review", "Проверка"
    PUBLISHED = "published", "Опубликовано"


class Campaign(TimeStamped):
    title = models.CharField("название", max_length=300)
    year = models.PositiveIntegerField("год")
    period_start = models.DateField("начало периода")
    period_end = models.DateField("окончание периода")
    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, verbose_name="методика")
    operator_name = models.CharField("организация-оператор", max_length=300, blank=True)
    status = models.CharField(
        "статус", max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.FIELDWORK
    )
    organizations = models.ManyToManyField(
        Organization, through="Assessment", related_name="campaigns", verbose_name="организации"
    )

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = "кампания НОК"
        verbose_name_plural = "кампании НОК"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="campaign_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Assessment(TimeStamped):
    """One organization in one campaign: its fieldwork data and its computed result."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assessments")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="assessments")
    # Short code of the public survey link (/q/<code>/) and its QR code.
    survey_code = models.CharField(max_length=16, unique=True, default=new_survey_code)
    # The last computed result (scoring.Result.to_dict()) and its headline figure.
    total = models.FloatField("итоговый балл", null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "organization__name"]
        verbose_name = "оценка организации"
        verbose_name_plural = "оценки организаций"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="assessment_once_per_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.campaign}"
