"""Checking a region's own DOCX template before it is accepted: it must be a DOCX, its Jinja
tags must parse, it may use only the fields of its kind (``documents.context.FIELDS``), it must
print the fields without which it is not that document (``REQUIRED``), and it must render
against sample data into a document Word can open. Every problem is a Russian sentence."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2
from docx import Document
from docxtpl import DocxTemplate

from documents.context import FIELDS, KIND_TITLES, KINDS, REQUIRED
from documents.docx import (
    ENV,
    render_plan_docx,
    render_protocol_docx,
    render_rating_docx,
    render_region_docx,
)
from documents.model import (
    averages,
    build_plan,
    build_protocol,
    build_rating,
    build_region,
    type_averages,
)
from documents.samples import sample_campaign, sample_region


@dataclass(frozen=True)
class TemplateProblem:
    message: str

    def __str__(self) -> str:
        return self.message


def _renderer(kind: str) -> Callable[[bytes], bytes]:
    """Render ``kind`` from the sample region with a given template."""
    m, region = sample_region()
    _, before = sample_region(year_shift=1)
    campaign = sample_campaign(m)
    if kind == "protocol":
        p = build_protocol(m, region[0], campaign, region=averages(m, region),
                           same_type=type_averages(m, region)[region[0].type])
        return lambda t: render_protocol_docx(p, t)
    if kind == "rating":
        r = build_rating(m, region, campaign)
        return lambda t: render_rating_docx(r, t)
    if kind == "region":
        g = build_region(m, region, campaign, previous=before,
                         previous_campaign=sample_campaign(m, 2025))
        return lambda t: render_region_docx(g, t)
    plan = build_plan(m, region[2], campaign)
    layout = "seed002" if kind == "plan_seed002" else "official"
    return lambda t: render_plan_docx(plan, t, layout=layout)


def validate_template(kind: str, data: bytes) -> list[TemplateProblem]:
    """Why ``data`` cannot serve as the DOCX template of ``kind``; empty when it can."""
    if kind not in KINDS:
        return [TemplateProblem(f"неизвестный вид шаблона «{kind}» (допустимо: {', '.join(KINDS)})")]
    title = KIND_TITLES[kind]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                return [TemplateProblem("файл не является документом DOCX (нет основного текста "
                                        "документа Word)")]
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return [TemplateProblem("файл не является документом DOCX: откройте его в Word и "
                                "сохраните как «Документ Word (*.docx)»")]
    except Exception as exc:  # noqa: BLE001 — python-docx raises many kinds on a broken package
        return [TemplateProblem(f"документ DOCX повреждён и не открывается ({type(exc).__name__})")]
    try:
        used = set(tpl.get_undeclared_template_variables(ENV))
    except jinja2.TemplateSyntaxError as exc:
        return [TemplateProblem(f"ошибка в тегах шаблона: {_syntax(exc)}")]
    problems = []
    allowed = FIELDS[kind]
    for name in sorted(used - set(allowed)):
        problems.append(TemplateProblem(
            f"поле «{name}» не существует для шаблона «{title}» "
            f"(допустимо: {', '.join(sorted(allowed))})"))
    for name in REQUIRED[kind]:
        if name not in used:
            problems.append(TemplateProblem(
                f"в шаблоне нет поля «{name}» ({allowed[name]}): без него это не {title}"))
    if problems:
        return problems
    try:
        Document(io.BytesIO(_renderer(kind)(data)))
    except jinja2.UndefinedError as exc:
        return [TemplateProblem(f"шаблон обращается к несуществующему полю: {_undefined(exc)}")]
    except jinja2.TemplateError as exc:
        return [TemplateProblem(f"шаблон не удалось заполнить: {exc}")]
    except Exception as exc:  # noqa: BLE001 — any failure to fill is a reason to refuse
        return [TemplateProblem(f"шаблон не удалось заполнить ({type(exc).__name__}: {exc})")]
    return []


def _syntax(exc: jinja2.TemplateSyntaxError) -> str:
    """Jinja's messages are English: name the kind of mistake in Russian instead."""
    message = exc.message or ""
    if "unknown tag" in message or "Encountered unknown tag" in message:
        return "неизвестный тег {% … %} (допустимы if, for, endif, endfor, else, p, tr, tc, vm)"
    if "expected token" in message or "unexpected" in message:
        return "тег не закрыт или закрыт лишний раз: проверьте парность {{ }} и {% %}"
    if "end of template" in message:
        return "не закрыт блок: у каждого {% if %} должен быть {% endif %}, у {% for %} — {% endfor %}"
    return "тег записан неверно: проверьте {{ }} и {% %}"


def _undefined(exc: Any) -> str:
    """«'dict object' has no attribute 'nme'» → «нет поля «nme»»."""
    text = str(exc)
    if "has no attribute" in text:
        return f"нет поля «{text.rpartition(' has no attribute ')[2].strip(chr(39))}»"
    if "is undefined" in text:
        return f"нет поля «{text.partition(' is undefined')[0].strip(chr(39))}»"
    return "поле не найдено"
