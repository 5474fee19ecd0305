from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from nok.core.models import TimeStamped
from nok.methodology.models import Methodology
from nok.organizations.models import Organization, ServiceForm

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
    # The authorized body that orders the assessment and approves its results (the regional
    # ministry): named in the documents' draft order.
    ministry_name = models.CharField("уполномоченный орган", max_length=300, blank=True)
    status = models.CharField(
        "статус", max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.FIELDWORK
    )
    # 1 at first; a reopening after publication starts the next edition (the published
    # snapshot of the previous one stays as it was).
    edition = models.PositiveIntegerField("редакция", default=1)
    organizations: models.ManyToManyField[Organization, Assessment] = models.ManyToManyField(
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

    @property
    def is_published(self) -> bool:
        return self.status == CampaignStatus.PUBLISHED

    @property
    def collecting(self) -> bool:
        """Fieldwork is open: data may be written (and scores follow it)."""
        return self.status == CampaignStatus.FIELDWORK


class Assessment(TimeStamped):
    """One organization in one campaign: its fieldwork data (scores live in ``nok.scores``)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assessments")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="assessments")
    # Short code of the public survey link (/q/<code>/) and its QR code.
    survey_code = models.CharField(max_length=16, unique=True, default=new_survey_code)
    # Goes up with every write of the assessment's fieldwork (services.fieldwork_guard): a
    # score computed from an older version is stale.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)
    # The checklists as recorded, kept by services.checklist_update in the write's transaction
    # (a recount from the tick rows): checklist key -> {"present": the ticked item keys,
    # sorted; "recorded": how many items have a tick row, ticked or not}. A checklist not
    # listed has no tick yet. Scoring many assessments reads this instead of every tick row.
    observed = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["campaign", "organization__name"]
        verbose_name = "оценка организации"
        verbose_name_plural = "оценки организаций"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="assessment_once_per_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.campaign}"


# --- Fieldwork data: checklists, social-2014 values, control calls, complaints -----------------

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "pdf")
# File signatures: the extension alone is not trusted.
_EVIDENCE_MAGIC = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "pdf": (b"%PDF-",),
    "webp": (b"RIFF",),
}


def validate_evidence(upload: Any) -> None:
    """Photo or document evidence: JPEG/PNG/WebP/PDF, at most 10 MB, content matching the name."""
    name = str(getattr(upload, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            f"Файл «{name}»: допустимы только {', '.join(EVIDENCE_EXTENSIONS)}", code="evidence_type"
        )
    size = getattr(upload, "size", 0) or 0
    if size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            f"Файл «{name}» больше 10 МБ ({size // (1024 * 1024)} МБ)", code="evidence_size"
        )
    # Stored files were checked on upload; only new uploads are read.
    if hasattr(upload, "read") and not getattr(upload, "_committed", False):
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(16)
        upload.seek(position)
        if not any(head.startswith(magic) for magic in _EVIDENCE_MAGIC[ext]):
            raise ValidationError(
                f"Файл «{name}»: содержимое не похоже на {ext.upper()}", code="evidence_content"
            )


def evidence_path(instance: ChecklistTick, filename: str) -> str:
    return f"evidence/{instance.assessment_id}/{instance.checklist_key}/{filename}"


class ChecklistTick(TimeStamped):
    """One checklist item of one assessment: present or not, with a note and evidence.

    Checklist and item keys are those of the campaign's methodology (``scoring.Checklist``);
    services refuse any other key. Scores are derived from these rows, never typed.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ticks")
    checklist_key = models.CharField("перечень", max_length=64)
    item_key = models.CharField("пункт", max_length=64)
    present = models.BooleanField("имеется", default=False)
    note = models.TextField("примечание", blank=True)
    evidence = models.FileField(
        "подтверждение", upload_to=evidence_path, blank=True, validators=[validate_evidence],
        max_length=300,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "checklist_key", "id"]
        verbose_name = "отметка перечня"
        verbose_name_plural = "отметки перечней"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "checklist_key", "item_key"], name="tick_once_per_item"
            ),
        ]

    def __str__(self) -> str:
        mark = "да" if self.present else "нет"
        return f"{self.checklist_key}/{self.item_key}: {mark}"

    def snapshot(self) -> dict[str, Any]:
        return {"present": self.present, "note": self.note, "evidence": self.evidence.name or ""}


class IndicatorValue(TimeStamped):
    """A raw measurement of a social-2014 indicator (share, yes/no, level, minutes, counts)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="values")
    code = models.CharField("код показателя", max_length=32)
    value = models.JSONField("значение", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "code"]
        verbose_name = "значение показателя"
        verbose_name_plural = "значения показателей"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="value_once_per_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} = {self.value!r}"


class ContactKind(models.TextChoices):
    CALL = "call", "Звонок"
    EMAIL = "email", "Обращение (эл. почта / сайт)"


class ControlContact(TimeStamped):
    """One control call or e-mail of the seed-000 protocol."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField("вид", max_length=10, choices=ContactKind.choices)
    date = models.DateField("дата")
    time = models.TimeField("время", null=True, blank=True)
    form = models.CharField("форма обслуживания", max_length=20, choices=ServiceForm.choices)
    answered = models.BooleanField("получен ответ", default=False)
    effective = models.BooleanField("результативный", default=False)
    note = models.TextField("примечание", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "date", "time", "id"]
        verbose_name = "контрольный звонок / обращение"
        verbose_name_plural = "контрольные звонки и обращения"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective=False) | models.Q(answered=True),
                name="contact_effective_needs_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y} ({self.get_form_display()})"

    def clean(self) -> None:
        if self.effective and not self.answered:
            raise ValidationError(
                {"effective": "Результативным может быть только звонок/обращение, на который ответили"}
            )
        # A control call is logged after it was made: a date ahead of today is a typo.
        if self.date and self.date > timezone.localdate():
            raise ValidationError(
                {"date": f"Дата {self.date:%d.%m.%Y} ещё не наступила: звонок не мог состояться"}
            )

    def snapshot(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "date": self.date.isoformat() if self.date else None,
            "time": self.time.isoformat() if self.time else None, "form": self.form,
            "answered": self.answered, "effective": self.effective, "note": self.note,
        }


class ComplaintRecord(TimeStamped):
    """The complaints register of one service form over the assessment period."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="complaints")
    form = models.CharField("форма обслуживания", max_length=20, choices=ServiceForm.choices)
    registered = models.PositiveIntegerField("зарегистрировано жалоб", default=0)
    resolved = models.PositiveIntegerField("из них решено", default=0)

    class Meta:
        ordering = ["assessment", "form"]
        verbose_name = "регистрация жалоб"
        verbose_name_plural = "регистрация жалоб"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "form"], name="complaints_once_per_form"),
            models.CheckConstraint(
                condition=models.Q(resolved__lte=models.F("registered")),
                name="complaints_resolved_le_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()}: {self.registered}/{self.resolved}"

    def clean(self) -> None:
        if self.resolved is not None and self.registered is not None and self.resolved > self.registered:
            raise ValidationError({"resolved": "Решённых жалоб не может быть больше зарегистрированных"})
