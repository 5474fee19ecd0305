"""The campaign's documents as files: the ``documents`` package fed from ``sources``, with the
region's own DOCX template of each kind when one is in use.

Nothing here writes; the views stream what these functions return, the ZIP job writes what
:func:`protocol_bytes` renders.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

import documents
from documents import KIND_TITLES
from nok.assessments.models import Assessment, Campaign
from nok.reports.models import DocumentJob, DocumentTemplate
from nok.reports.sources import (
    Comparison,
    Source,
    assessed,
    campaign_assessed,
    comparison,
    header,
    plan_rows,
    previous_source,
)

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
}

# document -> the formats it is made in
CAMPAIGN_DOCUMENTS = {"rating": ("xlsx", "docx"), "region": ("docx", "pdf")}
PROTOCOL_FORMATS = ("docx", "pdf")
PLAN_FORMATS = ("xlsx", "docx")
PLAN_LAYOUTS = {"official": "plan", "seed002": "plan_seed002"}


class DocumentFailed(Exception):
    """A document could not be made; the message is Russian, for the page."""


@dataclass(frozen=True)
class Download:
    filename: str
    data: bytes

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.filename.rsplit(".", 1)[-1]]


_UNSAFE = re.compile(r'[\x00-\x1f\\/:*?"<>|]+')


def file_name(text: str, extension: str, limit: int = 120) -> str:
    """``text`` as a file name every system accepts: no path separators, control characters
    or characters Windows refuses; spaces collapsed; at most ``limit`` characters."""
    clean = " ".join(_UNSAFE.sub(" ", text).split()).strip(" .") or "документ"
    return f"{clean[:limit].rstrip(' .')}.{extension}"


def region_template(kind: str) -> bytes | None:
    """The region's template of ``kind`` in use, or None (the shipped one)."""
    found = DocumentTemplate.objects.filter(kind=kind, active=True).values_list("data", flat=True).first()
    return bytes(found) if found is not None else None


def with_template(kind: str, render: Callable[[bytes | None], bytes]) -> bytes:
    """``render`` with the region's template of ``kind`` (checked on upload); a template that
    fails on real data is named in a Russian message instead of an error page."""
    template = region_template(kind)
    if template is None:
        return render(None)
    try:
        return render(template)
    except Exception as exc:  # noqa: BLE001 — any failure of a region's template is reported
        raise DocumentFailed(
            f"Шаблон региона «{KIND_TITLES[kind]}» не удалось заполнить данными кампании. "
            f"Верните стандартный шаблон или загрузите исправленный на странице «Шаблоны "
            f"документов».") from exc


def _stem(source: Source, what: str) -> str:
    return f"НОК {source.campaign.year} — {what}{' (предварительно)' if source.draft else ''}"


DOCUMENT_WORDS = {"rating": "рейтинг", "region": "сводный отчёт"}


def job_document_name(job: DocumentJob) -> str:
    """The name a campaign document made by a job is downloaded under: the one its direct
    download has."""
    draft = " (предварительно)" if job.snapshot_id is None else ""
    return file_name(f"НОК {job.campaign.year} — {DOCUMENT_WORDS[job.document]}{draft}",
                     job.extension)


Progress = Callable[[int], None] | None  # told how many organizations were read


def too_large(campaign: Campaign) -> bool:
    """Its rating and regional report are built in the background, not in a request
    (``NOK_DOCUMENTS_DIRECT_LIMIT``)."""
    return campaign.assessments.count() > settings.NOK_DOCUMENTS_DIRECT_LIMIT


def rating_download(source: Source, fmt: str, progress: Progress = None) -> Download:
    """The rating by organization type (XLSX with the analysts' sheet, or DOCX)."""
    rating = documents.build_rating(source.methodology,
                                    campaign_assessed(source, progress=progress), header(source))
    if fmt == "xlsx":
        data = documents.render_rating_xlsx(rating)
    else:
        data = with_template("rating", lambda t: documents.render_rating_docx(rating, t))
    return Download(file_name(_stem(source, DOCUMENT_WORDS["rating"]), fmt), data)


def region_download(source: Source, fmt: str, progress: Progress = None) -> Download:
    """The regional summary report, compared with the earlier published campaign if there is
    one (``sources.previous_source``)."""
    earlier = previous_source(source)
    region = documents.build_region(
        source.methodology, campaign_assessed(source, progress=progress), header(source),
        previous=campaign_assessed(earlier) if earlier is not None else (),
        previous_campaign=header(earlier) if earlier is not None else None)
    if fmt == "pdf":
        data = documents.render_region_pdf(region)
    else:
        data = with_template("region", lambda t: documents.render_region_docx(region, t))
    return Download(file_name(_stem(source, DOCUMENT_WORDS["region"]), fmt), data)


def campaign_download(source: Source, document: str, fmt: str,
                      progress: Progress = None) -> Download:
    return (rating_download if document == "rating" else region_download)(source, fmt, progress)


def _one(source: Source, assessment: Assessment) -> documents.Assessed:
    found = next((a for _, a in assessed(source, [assessment.pk])), None)
    if found is None:
        raise DocumentFailed("Организации нет в зафиксированных результатах кампании")
    return found


def protocol_bytes(source: Source, a: documents.Assessed, fmt: str, *,
                   head: documents.Campaign, compare: Comparison | None,
                   template: bytes | None) -> bytes:
    """One organization's protocol; ``compare``: the averages its chart shows (None: the
    organization alone); ``template``: the region's protocol template (DOCX)."""
    protocol = documents.build_protocol(
        source.methodology, a, head,
        region=compare.region if compare else None,
        same_type=compare.of_type(a) if compare else None)
    if fmt == "pdf":
        return documents.render_protocol_pdf(protocol)
    try:
        return documents.render_protocol_docx(protocol, template)
    except Exception as exc:
        if template is None:
            raise
        raise DocumentFailed(
            f"Шаблон региона «{KIND_TITLES['protocol']}» не удалось заполнить данными "
            f"организации «{a.registry.short_name or a.name}». Верните стандартный шаблон или "
            f"загрузите исправленный на странице «Шаблоны документов».") from exc


def protocol_name(a: documents.Assessed, fmt: str) -> str:
    return file_name(f"Протокол — {a.registry.short_name or a.name}", fmt)


def protocol_download(source: Source, assessment: Assessment, fmt: str, *,
                      compare: bool) -> Download:
    """The organization's protocol; ``compare``: with the regional and type averages on its
    chart (left out for an organization user before publication)."""
    a = _one(source, assessment)
    data = protocol_bytes(source, a, fmt, head=header(source),
                          compare=comparison(source) if compare else None,
                          template=region_template("protocol") if fmt == "docx" else None)
    return Download(protocol_name(a, fmt), data)


def plan_download(source: Source, assessment: Assessment, fmt: str, layout: str) -> Download:
    """The organization's improvement plan in the official layout or seed 002's."""
    a = _one(source, assessment)
    plan = documents.build_plan(source.methodology, a, header(source),
                                rows=plan_rows(source, assessment, a))
    if fmt == "xlsx":
        data = documents.render_plan_xlsx(plan, layout=layout)
    else:
        data = with_template(PLAN_LAYOUTS[layout],
                             lambda t: documents.render_plan_docx(plan, t, layout=layout))
    title = "План" if layout == "official" else "План мероприятий"
    return Download(file_name(f"{title} — {a.registry.short_name or a.name}", fmt), data)
