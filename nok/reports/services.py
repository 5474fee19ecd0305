"""Writes of the documents app: the background ZIP of every protocol of a campaign, the
background rating and regional report of a large campaign, and the region's DOCX templates.

- :func:`document_job_create` (operator, ministry, public council; an organization user for
  the published rating and report of a large campaign): a queued job, or the one of the same
  campaign, kind and results still running — never two at once.
- :func:`document_job_execute` (the worker, ``tasks.protocols_zip``): renders the protocols
  one by one, writing each into the ZIP as it is made (a temporary file: memory stays flat
  whatever the campaign's size), or the campaign's document; reports its progress in the
  job's row, then saves the file to the default storage. A failure is stored as a Russian
  message.
- :func:`document_template_upload` / :func:`document_template_reset` (operator, ministry): a
  region's template, refused with every reason ``documents.validate_template`` gives; going
  back to the shipped one. Both in the audit journal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
import zipfile
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

import documents
from documents import KIND_TITLES, KINDS
from nok.assessments.models import Campaign
from nok.core.services import acting_user, audit_record
from nok.organizations.access import AnyUser, role_of, sees_everything
from nok.organizations.models import Role
from nok.reports.access import NOT_PUBLISHED
from nok.reports.models import (
    ARCHIVES,
    DocumentJob,
    DocumentTemplate,
    JobKind,
    JobStatus,
    job_file_path,
)
from nok.reports.rendering import (
    DOCUMENT_WORDS,
    DocumentFailed,
    campaign_download,
    file_name,
    protocol_bytes,
    protocol_name,
    region_template,
    too_large,
)
from nok.reports.sources import (
    Source,
    assessed,
    comparison,
    header,
    ordered_ids,
    source_of,
    source_of_snapshot,
)

logger = logging.getLogger(__name__)

#: A protocol takes about a second; a running job whose row has not moved for this long died
#: with its worker and no longer blocks a new one.
STALE_AFTER = dt.timedelta(minutes=10)

TEMPLATE_MAX_BYTES = 10 * 1024 * 1024


# --- the ZIP of every protocol -------------------------------------------------------------------


def job_stalled(job: DocumentJob, now: dt.datetime | None = None) -> bool:
    """A running or queued job nothing has moved for ``STALE_AFTER``."""
    return job.active and job.updated_at < (now or timezone.now()) - STALE_AFTER


@transaction.atomic
def document_job_create(*, campaign: Campaign, kind: str, user: AnyUser | None
                        ) -> tuple[DocumentJob, bool]:
    """A queued job building ``kind`` for the campaign, and True; or the job of that campaign,
    kind and results still under way, and False. Read-only roles may ask: it changes no data.

    The archives of every protocol are the staff's; the rating and the regional report are
    built by a job for a campaign too large to render them in a request
    (``rendering.too_large``) — staff from the results their pages show, an organization user
    from the last published ones (as its downloads are)."""
    if kind not in JobKind.values:
        raise ValidationError(f"Неизвестный вид документа «{kind}»")
    staff = user is not None and sees_everything(user)
    if kind in ARCHIVES and not staff:
        raise PermissionDenied("Архив протоколов собирают оператор, министерство и общественный совет")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if kind not in ARCHIVES and not too_large(campaign):
        raise ValidationError("Документы этой кампании формируются сразу при скачивании")
    source = source_of(campaign, published_only=not staff)
    if source is None:
        raise PermissionDenied(NOT_PUBLISHED)
    running = (DocumentJob.objects.filter(campaign=campaign, kind=kind, snapshot=source.snapshot,
                                          status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
                                          updated_at__gte=timezone.now() - STALE_AFTER)
               .order_by("-created_at", "-id").first())
    if running is not None:
        return running, False
    job = DocumentJob(campaign=campaign, kind=kind, snapshot=source.snapshot,
                      edition=source.snapshot.edition if source.snapshot else campaign.edition,
                      total=campaign.assessments.count(), requested_by=acting_user(user))
    job.full_clean()
    job.save()
    return job, True


def _progress(job: DocumentJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def _entry(a: documents.Assessed, fmt: str, taken: set[str]) -> str:
    """The archive entry of an organization's protocol: named by the organization, unique."""
    name = protocol_name(a, fmt)
    stem, extension = name.rsplit(".", 1)
    n = 2
    while name.casefold() in taken:
        name = f"{stem} ({n}).{extension}"
        n += 1
    taken.add(name.casefold())
    return name


def _job_source(job: DocumentJob) -> Source:
    """What the job prints: the snapshot it was asked for, or the fieldwork data as it is now."""
    if job.snapshot is not None:
        return source_of_snapshot(job.snapshot)
    source = source_of(job.campaign)
    assert source is not None
    return source


def document_job_execute(*, job_id: int) -> DocumentJob:
    """Build the job's file (run by the worker); a job already started is left alone."""
    job = DocumentJob.objects.select_related("campaign", "snapshot__campaign").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job
    _progress(job, status=JobStatus.RUNNING, started_at=timezone.now())
    at = _At()
    try:
        source = _job_source(job)
        with tempfile.TemporaryFile() as spool:
            if job.archive:
                _protocols_zip(job, source, spool, at)
            else:
                _campaign_document(job, source, spool)
            size = spool.tell()
            spool.seek(0)
            draft = " (предварительно)" if source.draft else ""
            what = (f"протоколы {job.extension.upper()}" if job.archive
                    else DOCUMENT_WORDS[job.document])
            stem = f"НОК {job.campaign.year} — {what}{draft} — {job.pk}"
            stored = default_storage.save(
                job_file_path(job, file_name(stem, job.file_extension)), File(spool))
    except Exception as exc:  # noqa: BLE001 — stored for the page, in Russian
        logger.exception("document job %s failed", job.pk)
        current = at.current
        reason = str(exc) if isinstance(exc, DocumentFailed) else (
            f"протокол организации «{current}» не удалось сформировать (внутренняя ошибка, "
            f"подробности — в журнале сервера)"
            if current else "не удалось прочитать результаты кампании (внутренняя ошибка, "
                            "подробности — в журнале сервера)")
        failed = "Архив не собран" if job.archive else "Документ не сформирован"
        _progress(job, status=JobStatus.FAILED, error=f"{failed}: {reason}",
                  current="", finished_at=timezone.now())
        return job
    job.file.name = stored
    _progress(job, status=JobStatus.DONE, done=job.total, current="", file=job.file, size=size,
              finished_at=timezone.now())
    _drop_older(job)
    return job


class _At:
    """The organization whose protocol is being made (named if it fails)."""

    current = ""


def _protocols_zip(job: DocumentJob, source: Source, spool: IO[bytes], at: _At) -> None:
    """Every protocol into the ZIP as it is made (memory stays flat whatever the size)."""
    fmt = job.extension
    ids = ordered_ids(source)
    _progress(job, total=len(ids), done=0)
    head = header(source)
    compare = comparison(source)
    template = region_template("protocol") if fmt == "docx" else None
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        taken: set[str] = set()
        for done, (_, a) in enumerate(assessed(source, ids)):
            at.current = a.registry.short_name or a.name
            _progress(job, done=done, current=at.current[:300])
            data = protocol_bytes(source, a, fmt, head=head, compare=compare, template=template)
            archive.writestr(_entry(a, fmt, taken), data)
    at.current = ""


def _campaign_document(job: DocumentJob, source: Source, spool: IO[bytes]) -> None:
    """The rating or the regional report of the whole campaign; progress: the organizations
    read."""
    total = job.total
    _progress(job, done=0)
    made = campaign_download(source, job.document, job.extension,
                             progress=lambda done: _progress(job, done=min(done, total)))
    spool.write(made.data)


def _drop_older(job: DocumentJob) -> None:
    """Only the latest archive of a campaign and kind is kept, and the latest document of a
    campaign, kind and results (the published rating an organization downloads stays while
    a correction's draft is made): older ones are deleted from the storage (their rows stay,
    without a file)."""
    older = DocumentJob.objects.filter(campaign=job.campaign, kind=job.kind,
                                       created_at__lt=job.created_at).exclude(file="")
    if not job.archive:
        older = older.filter(snapshot=job.snapshot)
    for old in older:
        old.file.delete(save=False)
        _progress(old, file=old.file)


# --- the region's templates ------------------------------------------------------------------


def _require_template_editor(user: AnyUser | None) -> None:
    if role_of(user) not in {Role.OPERATOR, Role.MINISTRY}:
        raise PermissionDenied("Шаблоны документов меняют оператор и министерство")


def document_template_upload(*, kind: str, filename: str, data: bytes,
                             user: AnyUser | None) -> DocumentTemplate:
    """The region's template of ``kind`` from now on, if ``documents.validate_template``
    finds nothing wrong with it; otherwise ValidationError with every reason."""
    _require_template_editor(user)
    if kind not in KINDS:
        raise ValidationError(f"Неизвестный вид документа «{kind}»")
    if not filename.lower().endswith(".docx"):
        raise ValidationError(f"Файл «{filename}»: шаблон должен быть документом Word (.docx)")
    if len(data) > TEMPLATE_MAX_BYTES:
        raise ValidationError(f"Файл «{filename}» больше 10 МБ")
    problems = documents.validate_template(kind, data)  # renders sample data: outside the transaction
    if problems:
        raise ValidationError([f"Шаблон не принят: {p}" for p in problems])
    with transaction.atomic():
        _retire(kind, user)
        template = DocumentTemplate(kind=kind, filename=filename[:255], data=data, size=len(data),
                                    sha256=hashlib.sha256(data).hexdigest(),
                                    uploaded_by=acting_user(user))
        template.full_clean()
        template.save()
        audit_record(user=user, action="create", obj=template,
                     after={"kind": kind, "filename": template.filename, "size": template.size,
                            "sha256": template.sha256})
    return template


def _retire(kind: str, user: AnyUser | None) -> DocumentTemplate | None:
    current = DocumentTemplate.objects.select_for_update().filter(kind=kind, active=True).first()
    if current is None:
        return None
    current.active = False
    current.retired_by = acting_user(user)
    current.retired_at = timezone.now()
    current.save(update_fields=["active", "retired_by", "retired_at", "updated_at"])
    audit_record(user=user, action="update", obj=current, before={"active": True},
                 after={"active": False})
    return current


@transaction.atomic
def document_template_reset(*, kind: str, user: AnyUser | None) -> DocumentTemplate:
    """Back to the shipped template of ``kind``: the region's one is no longer used (it is
    kept, with who ended its use and when)."""
    _require_template_editor(user)
    retired = _retire(kind, user)
    if retired is None:
        raise ValidationError(f"Для вида «{KIND_TITLES.get(kind, kind)}» и так используется "
                              "стандартный шаблон")
    return retired
