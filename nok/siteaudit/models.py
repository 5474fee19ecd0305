"""Website audits: a run per organization (and per campaign), the pages it kept, its findings.

A run's findings are suggestions: nothing in the checklists changes until the operator
confirms a finding (``services.site_finding_decide``), which ticks the item through
``nok.assessments.services.checklist_update``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from nok.assessments.models import Assessment, Campaign
from nok.core.models import TimeStamped


class RunStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "идёт проверка"
    DONE = "done", "завершена"
    FAILED = "failed", "не удалась"


class CampaignSiteAudit(TimeStamped):
    """The audit of every organization of a campaign that has a website, with its progress."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="site_audits")
    status = models.CharField("состояние", max_length=10, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    total = models.PositiveIntegerField("организаций с сайтом", default=0)
    done = models.PositiveIntegerField("проверено", default=0)
    failed = models.PositiveIntegerField("не удалось проверить", default=0)
    without_site = models.PositiveIntegerField("без адреса сайта", default=0)
    current = models.CharField("проверяется сейчас", max_length=300, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "проверка сайтов кампании"
        verbose_name_plural = "проверки сайтов кампаний"

    def __str__(self) -> str:
        return f"{self.campaign}: {self.done} из {self.total}"

    @property
    def active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


class SiteAuditRun(TimeStamped):
    """One audit of one organization's website for one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="site_audits")
    campaign_audit = models.ForeignKey(CampaignSiteAudit, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="runs")
    url = models.URLField("адрес сайта", max_length=500)
    methodology = models.CharField("методика", max_length=64)
    status = models.CharField("состояние", max_length=10, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    error = models.TextField("причина ошибки", blank=True)
    pages_read = models.PositiveIntegerField("прочитано страниц", default=0)
    documents_read = models.PositiveIntegerField("прочитано документов", default=0)
    pages_failed = models.PositiveIntegerField("не открылись", default=0)
    skipped = models.JSONField("пропущенные адреса", default=list, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "проверка сайта"
        verbose_name_plural = "проверки сайтов"

    def __str__(self) -> str:
        return f"{self.url} ({self.get_status_display()})"


def page_copy_path(instance: SitePage, filename: str) -> str:
    return f"siteaudit/{instance.run_id}/{filename}"


class SitePage(models.Model):
    """A page or document read by a run; ``copy`` holds its bytes as fetched when a finding
    cites it (the stored copy shown to the operator)."""

    run = models.ForeignKey(SiteAuditRun, on_delete=models.CASCADE, related_name="pages")
    url = models.URLField("адрес", max_length=2000)
    kind = models.CharField("вид", max_length=10)
    status = models.PositiveIntegerField("код ответа", default=0)
    content_type = models.CharField(max_length=200, blank=True)
    title = models.CharField("заголовок", max_length=500, blank=True)
    error = models.CharField("ошибка", max_length=500, blank=True)
    fetched_at = models.DateTimeField("загружено")
    size = models.PositiveIntegerField("размер, байт", default=0)
    copy = models.FileField("сохранённая копия", upload_to=page_copy_path, blank=True,
                            max_length=300)

    class Meta:
        ordering = ["run", "id"]
        verbose_name = "страница проверки сайта"
        verbose_name_plural = "страницы проверок сайтов"

    def __str__(self) -> str:
        return self.url


class Decision(models.TextChoices):
    PENDING = "pending", "ждёт решения"
    CONFIRMED = "confirmed", "подтверждено"
    REJECTED = "rejected", "отклонено"


class SiteFinding(TimeStamped):
    """The suggestion for one checklist item: found or not, with its evidence.

    ``evidence`` is a list of ``{"url", "text", "how", "via", "page"}`` (``page``: the id of the
    :class:`SitePage` holding the stored copy, or null); ``notes`` are the reasons an item named
    on the site was not counted (a stub, a dead document).
    """

    run = models.ForeignKey(SiteAuditRun, on_delete=models.CASCADE, related_name="findings")
    checklist_key = models.CharField("перечень", max_length=64)
    item_key = models.CharField("ключ пункта", max_length=64)
    label = models.CharField("пункт", max_length=500)
    found = models.BooleanField("найдено на сайте")
    evidence = models.JSONField("подтверждения", default=list, blank=True)
    notes = models.JSONField("замечания", default=list, blank=True)
    decision = models.CharField("решение оператора", max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    decision_note = models.CharField("комментарий оператора", max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "id"]
        verbose_name = "находка проверки сайта"
        verbose_name_plural = "находки проверок сайтов"
        constraints = [
            models.UniqueConstraint(fields=["run", "checklist_key", "item_key"],
                                    name="site_finding_once_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.label[:200]} — {'найдено' if self.found else 'не найдено'} на сайте"
