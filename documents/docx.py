"""DOCX renderers: docxtpl templates (``documents/templates/*.docx`` or a region's own copy)
filled with the fields of :mod:`documents.context`. Values are XML-escaped; a field the template
names but the context lacks is an error (StrictUndefined), so a bad template fails loudly
instead of printing blanks."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from documents.charts import bar_chart
from documents.context import KINDS, plan_context, protocol_context, rating_context, region_context
from documents.model import ChartData, Plan, Protocol, Rating, Region

TEMPLATES = Path(__file__).resolve().parent / "templates"
ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701 — docxtpl escapes


def shipped_template(kind: str) -> bytes:
    """The template shipped with the package for ``kind`` (one of :data:`KINDS`)."""
    if kind not in KINDS:
        raise KeyError(kind)
    return (TEMPLATES / f"{kind}.docx").read_bytes()


def render(kind: str, context: Mapping[str, Any], template: bytes | None = None,
           charts: Mapping[str, ChartData | list[ChartData]] | None = None) -> bytes:
    """Fill a template of ``kind`` (the shipped one unless ``template`` is given); ``charts``
    become pictures under their field names (a list of charts, a list of pictures)."""
    tpl = DocxTemplate(io.BytesIO(template if template is not None else shipped_template(kind)))
    values = dict(context)
    for name, chart in (charts or {}).items():
        if isinstance(chart, list):
            values[name] = [_picture(tpl, c) for c in chart]
        else:
            values[name] = _picture(tpl, chart)
    tpl.render(values, jinja_env=ENV, autoescape=True)
    _fix_grids(tpl.docx)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _fix_grids(document: Any) -> None:
    """Columns repeated by ``{%tc for %}`` leave the table grid as the template had it (the tag
    columns included), and LibreOffice lays a table out by its grid: rebuild the grid of such a
    table from the widths of its first row's cells."""
    for table in document.tables:
        grid = table._tbl.tblGrid
        cols = grid.findall(qn("w:gridCol"))
        cells = table._tbl.tr_lst[0].tc_lst if table._tbl.tr_lst else []
        if not cells or any(tc.width is None for tc in cells):
            continue
        for col in cols:
            grid.remove(col)
        for tc in cells:
            width = tc.width
            for _ in range(tc.grid_span):
                col = grid._add_gridCol()
                if width is not None:
                    col.w = width // tc.grid_span


def _picture(tpl: DocxTemplate, chart: ChartData) -> InlineImage:
    return InlineImage(tpl, io.BytesIO(bar_chart(chart)), width=Mm(160))


def render_protocol_docx(p: Protocol, template: bytes | None = None) -> bytes:
    return render("protocol", protocol_context(p), template, {"chart": p.chart})


def render_rating_docx(r: Rating, template: bytes | None = None) -> bytes:
    return render("rating", rating_context(r), template)


def render_region_docx(g: Region, template: bytes | None = None) -> bytes:
    return render("region", region_context(g), template, {"charts": list(g.charts)})


def render_plan_docx(plan: Plan, template: bytes | None = None, *, layout: str = "official") -> bytes:
    """``layout``: ``"official"`` (the government form, execution columns) or ``"seed002"``
    (criterion, shortcoming, measure, result)."""
    kind = {"official": "plan", "seed002": "plan_seed002"}[layout]
    return render(kind, plan_context(plan), template)
