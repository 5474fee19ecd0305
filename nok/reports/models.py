"""The campaign's documents on the web: background jobs that build the ZIP of every protocol
or, for a campaign too large to render one in a request, the rating and the regional report;
and the region's own DOCX templates.

Documents are rendered from the campaign's results (``nok.reports.sources``) when they are
asked for. What a job builds is kept in the default storage until the next job of the same
campaign and kind replaces it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from documents import KIND_TITLES, KINDS
from nok.assessments.models import Campaign
from nok.core.models import TimeStamped
from nok.scores.models import Snapshot


class JobStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "идёт сборка"
    DONE = "done", "готово"
    FAILED = "failed", "не удалось"


class JobKind(models.TextChoices):
    PROTOCOLS_DOCX = "protocols_docx", "протоколы организаций (DOCX)"
    PROTOCOLS_PDF = "protocols_pdf", "протоколы организаций (PDF)"
    RATING_XLSX = "rating_xlsx", "рейтинг организаций (XLSX)"
    RATING_DOCX = "rating_docx", "рейтинг организаций (DOCX)"
    REGION_DOCX = "region_docx", "сводный отчёт по региону (DOCX)"
    REGION_PDF = "region_pdf", "сводный отчёт по региону (PDF)"


#: the archives of every protocol (a ZIP), and the campaign's documents by (document, format)
ARCHIVES = (JobKind.PROTOCOLS_DOCX, JobKind.PROTOCOLS_PDF)
CAMPAIGN_KINDS = {
    ("rating", "xlsx"): JobKind.RATING_XLSX, ("rating", "docx"): JobKind.RATING_DOCX,
    ("region", "docx"): JobKind.REGION_DOCX, ("region", "pdf"): JobKind.REGION_PDF,
}


def job_file_path(instance: DocumentJob, filename: str) -> str:
    return f"documents/campaign-{instance.campaign_id}/{filename}"


class DocumentJob(TimeStamped):
    """A document built in the background (the ZIP of every protocol of a campaign, or the
    rating or regional report of a large one), with its progress: ``done`` of ``total``
    organizations. It prints what the campaign's pages showed
    when it started: the frozen ``snapshot`` (its edition), or the fieldwork data (no snapshot:
    a draft)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="document_jobs")
    kind = models.CharField("документ", max_length=20, choices=JobKind.choices)
    status = models.CharField("состояние", max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    snapshot = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name="снимок результатов")
    edition = models.PositiveIntegerField("редакция", default=1)
    total = models.PositiveIntegerField("организаций", default=0)
    done = models.PositiveIntegerField("готово", default=0)
    current = models.CharField("сейчас формируется", max_length=300, blank=True)
    file = models.FileField("архив", upload_to=job_file_path, blank=True, max_length=300)
    size = models.PositiveBigIntegerField("размер, байт", default=0)
    error = models.TextField("причина ошибки", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="кто запросил")
    started_at = models.DateTimeField("начало", null=True, blank=True)
    finished_at = models.DateTimeField("окончание", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "сборка документов"
        verbose_name_plural = "сборки документов"

    def __str__(self) -> str:
        return f"{self.campaign}: {self.get_kind_display()}, {self.done} из {self.total}"

    @property
    def active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if not self.active else 0)

    @property
    def archive(self) -> bool:
        """The ZIP of every protocol (else one campaign document)."""
        return self.kind in ARCHIVES

    @property
    def document(self) -> str:
        """«rating» or «region» for a campaign document; «protocols» for an archive."""
        return "protocols" if self.archive else self.kind.split("_", 1)[0]

    @property
    def extension(self) -> str:
        """The format of what the job makes: of the protocols inside a ZIP, or of the
        document itself."""
        return self.kind.rsplit("_", 1)[1]

    @property
    def file_extension(self) -> str:
        return "zip" if self.archive else self.extension


class DocumentTemplate(TimeStamped):
    """A DOCX template the region uploaded for one kind of document, checked with
    ``documents.validate_template`` before it was stored. At most one per kind is in use
    (``active``); every upload is kept, and going back to the shipped template only ends the
    use of the region's one."""

    kind = models.CharField("вид документа", max_length=20,
                            choices=[(k, KIND_TITLES[k]) for k in KINDS])
    filename = models.CharField("имя файла", max_length=255)
    data = models.BinaryField("содержимое")
    size = models.PositiveIntegerField("размер, байт")
    sha256 = models.CharField("хеш SHA-256", max_length=64)
    active = models.BooleanField("используется", default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="кто загрузил")
    retired_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="кто отменил")
    retired_at = models.DateTimeField("когда отменён", null=True, blank=True)

    class Meta:
        ordering = ["kind", "-created_at", "-id"]
        verbose_name = "шаблон документа региона"
        verbose_name_plural = "шаблоны документов региона"
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=models.Q(active=True),
                                    name="document_template_one_active_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{KIND_TITLES.get(self.kind, self.kind)}: {self.filename}"
