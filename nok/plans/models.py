"""Improvement plans (METHODOLOGY.md §5; seed 002 and the official form).

A plan belongs to one organization's assessment in one campaign and is drafted from the
shortcomings of its published results (``nok.scores``): one row per shortcoming, grouped by
criterion, with the catalogue's measure. The organization completes and submits it, the
ministry approves it or returns it with a comment; then the organization reports each measure
and the ministry accepts or returns each report. Every move is written by ``services`` (with
an audit entry: who and when); nothing here has side effects.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from nok.assessments.models import Assessment, Campaign, validate_evidence
from nok.core.models import TimeStamped
from nok.organizations.models import Organization
from nok.scores.models import Snapshot


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "черновик"
    SUBMITTED = "submitted", "на утверждении"
    APPROVED = "approved", "утверждён"
    RETURNED = "returned", "возвращён с комментарием"


# The organization may change its rows only in these states.
EDITABLE = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})


class ReportStatus(models.TextChoices):
    NOT_STARTED = "not_started", "не начато"
    SENT = "sent", "отчёт отправлен"
    ACCEPTED = "accepted", "принят"
    RETURNED = "returned", "возвращён с комментарием"


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def roman(number: int) -> str:
    """1 -> "I" … 10 -> "X" (criteria of the official form); larger numbers as digits."""
    return ROMAN[number - 1] if 1 <= number <= len(ROMAN) else str(number)


class Plan(TimeStamped):
    """One organization's improvement plan for one campaign (at most one per assessment)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="plan",
                                      verbose_name="оценка организации")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="plans",
                                     verbose_name="организация")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="plans",
                                 verbose_name="кампания")
    # The published results the plan was drafted from (their methodology names the criteria).
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="опубликованные результаты")
    status = models.CharField("статус", max_length=20, choices=PlanStatus.choices,
                              default=PlanStatus.DRAFT)
    # The ministry's comment of the latest return (kept after approval for the record).
    comment = models.TextField("комментарий министерства", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="составил")
    submitted_at = models.DateTimeField("отправлен на утверждение", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="отправил")
    decided_at = models.DateTimeField("решение министерства", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="решение принял")

    class Meta:
        verbose_name = "план по устранению недостатков"
        verbose_name_plural = "планы по устранению недостатков"
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=PlanStatus.values),
                                   name="plan_status_known"),
        ]

    def __str__(self) -> str:
        return f"План: {self.organization} — {self.campaign}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def approved(self) -> bool:
        return self.status == PlanStatus.APPROVED


def plan_evidence_path(instance: PlanItem, filename: str) -> str:
    return f"plan-evidence/{instance.plan_id}/{filename}"


class PlanItem(TimeStamped):
    """One row of the plan: a shortcoming, the measure against it, its date and who is
    responsible; then the execution report (what was done, when, the evidence) and the
    ministry's decision on it.

    ``shortcoming_key`` is the stable key of ``scoring.Shortcoming`` (empty for a row the
    organization added itself): the next campaign's check matches by it, never by the text.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items",
                             verbose_name="план")
    position = models.PositiveIntegerField("порядок", default=0)
    criterion = models.CharField("критерий", max_length=32)
    criterion_number = models.PositiveSmallIntegerField("номер критерия", default=1)
    criterion_title = models.CharField("название критерия", max_length=300)
    indicator = models.CharField("показатель", max_length=32, blank=True)
    shortcoming_key = models.CharField("ключ недостатка", max_length=200, blank=True)
    shortcoming = models.TextField("недостаток")
    value = models.FloatField("значение показателя", null=True, blank=True)
    measure = models.TextField("мероприятие", blank=True)
    planned_date = models.DateField("плановый срок реализации", null=True, blank=True)
    responsible_name = models.CharField("ответственный исполнитель (ФИО)", max_length=300,
                                        blank=True)
    responsible_position = models.CharField("должность ответственного", max_length=300,
                                            blank=True)
    # The execution report.
    done = models.TextField("реализованные меры", blank=True)
    actual_date = models.DateField("фактический срок реализации", null=True, blank=True)
    evidence = models.FileField("подтверждающий файл", upload_to=plan_evidence_path, blank=True,
                                validators=[validate_evidence], max_length=300)
    evidence_link = models.URLField("ссылка на подтверждение", max_length=500, blank=True)
    report_status = models.CharField("состояние отчёта", max_length=20,
                                     choices=ReportStatus.choices,
                                     default=ReportStatus.NOT_STARTED)
    report_comment = models.TextField("комментарий к отчёту", blank=True)
    reported_at = models.DateTimeField("отчёт отправлен", null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="отчёт отправил")
    reviewed_at = models.DateTimeField("отчёт рассмотрен", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="отчёт рассмотрел")

    class Meta:
        ordering = ["plan", "criterion_number", "position", "id"]
        verbose_name = "мероприятие плана"
        verbose_name_plural = "мероприятия плана"
        constraints = [
            models.UniqueConstraint(fields=["plan", "shortcoming_key"],
                                    condition=~models.Q(shortcoming_key=""),
                                    name="plan_item_once_per_shortcoming"),
            models.CheckConstraint(condition=models.Q(report_status__in=ReportStatus.values),
                                   name="plan_item_report_status_known"),
        ]

    def __str__(self) -> str:
        return f"{roman(self.criterion_number)}. {self.shortcoming[:120]}"

    @property
    def criterion_roman(self) -> str:
        return roman(self.criterion_number)

    @property
    def responsible(self) -> str:
        """«Иванова Анна Петровна, заместитель директора» (the official form's column)."""
        return ", ".join(part for part in (self.responsible_name, self.responsible_position) if part)

    @property
    def complete(self) -> bool:
        """Every column of the plan is filled (what submitting needs)."""
        return bool(self.measure.strip() and self.planned_date and self.responsible_name.strip()
                    and self.responsible_position.strip())

    def overdue_on(self, day: dt.date) -> bool:
        """The planned date has passed and the report is not accepted (for an approved plan)."""
        return (self.planned_date is not None and self.planned_date < day
                and self.report_status != ReportStatus.ACCEPTED)

    def plan_fields(self) -> dict[str, Any]:
        """The plan's columns as the audit journal stores them."""
        return {
            "criterion": self.criterion, "shortcoming": self.shortcoming, "measure": self.measure,
            "planned_date": self.planned_date.isoformat() if self.planned_date else None,
            "responsible_name": self.responsible_name,
            "responsible_position": self.responsible_position,
        }

    def report_fields(self) -> dict[str, Any]:
        """The report's columns as the audit journal stores them."""
        return {
            "done": self.done,
            "actual_date": self.actual_date.isoformat() if self.actual_date else None,
            "evidence": self.evidence.name or "", "evidence_link": self.evidence_link,
            "report_status": self.report_status, "report_comment": self.report_comment,
        }
