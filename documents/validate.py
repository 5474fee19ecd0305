"""Checking a region's own DOCX template before it is accepted: it must be a DOCX, its Jinja
tags must parse, it may use only the fields of its kind (``documents.context.FIELDS``), it must
print the fields without which it is not that document (``REQUIRED``), and it must render
against sample data into a document Word can open. Every problem is a Russian sentence."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
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
    Campaign,
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


def _renderers(kind: str) -> list[Callable[[bytes], bytes]]:
    """Render ``kind`` from the sample region with a given template — twice: with every optional
    part filled (control protocol, an earlier campaign, shortcomings) and with them absent, so a
    template that reads an optional part outside its ``{% if %}`` fails here, not on real data."""
    m, region = sample_region()
    _, before = sample_region(year_shift=1)
    campaign = sample_campaign(m)
    bare_input = replace(region[0].inp, control={})
    bare = replace(region[0], inp=bare_input, shortcomings=(), planned=())
    if kind == "protocol":
        full = build_protocol(m, region[0], campaign, region=averages(m, region),
                              same_type=type_averages(m, region)[region[0].type])
        empty = build_protocol(m, bare, Campaign())
        return [lambda t: render_protocol_docx(full, t), lambda t: render_protocol_docx(empty, t)]
    if kind == "rating":
        r = build_rating(m, region, campaign)
        r1 = build_rating(m, [bare], Campaign())
        return [lambda t: render_rating_docx(r, t), lambda t: render_rating_docx(r1, t)]
    if kind == "region":
        g = build_region(m, region, campaign, previous=before,
                         previous_campaign=sample_campaign(m, 2025))
        g1 = build_region(m, [bare], Campaign())
        return [lambda t: render_region_docx(g, t), lambda t: render_region_docx(g1, t)]
    layout = "seed002" if kind == "plan_seed002" else "official"
    plan = build_plan(m, region[2], campaign)
    plan1 = build_plan(m, bare, Campaign())
    return [lambda t: render_plan_docx(plan, t, layout=layout),
            lambda t: render_plan_docx(plan1, t, layout=layout)]


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
        for render in _renderers(kind):
            Document(io.BytesIO(render(data)))
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
