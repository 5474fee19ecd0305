"""Writes the shipped DOCX templates (docxtpl: Jinja tags inside a Word document).

    .venv/bin/python -m documents.templates.build      # rewrites documents/templates/*.docx

The templates are ordinary Word documents: open one in Word or LibreOffice, restyle it (fonts,
margins, column widths, a coat of arms in the header), keep the tags, save it under the same
name — or upload it as the region's own template. The fields each kind may use are listed in
``documents.context.FIELDS``. The output is reproducible: the same script writes the same text
and tags (only the archive's timestamps differ).

Tag reminders (docxtpl): ``{{ x }}`` prints a field; ``{%p if … %}`` / ``{%p for … %}`` in a
paragraph of their own repeat or drop paragraphs; ``{%tr for … %}`` in a table row repeats rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"
_WIDTHS: dict[int, list[float]] = {}  # a table's column widths (cm), by its XML element


def new_document(*, landscape: bool = False) -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0 if not landscape else 1.5))
    section.top_margin = section.bottom_margin = Cm(1.5)
    for name, size in (("Normal", 11), ("Heading 1", 14), ("Heading 2", 12), ("Title", 15)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        rpr = style.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
        rpr.get_or_add_rFonts().set(qn("w:cs"), FONT)
        if name != "Normal":
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.bold = True
    doc.styles["Normal"].paragraph_format.space_after = Pt(3)
    footer = section.footer.paragraphs[0]
    footer.text = "{{ campaign.title }}"
    footer.runs[0].font.size = Pt(8)
    banner = section.header.paragraphs[0]  # unpublished results say so on every page
    banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = banner.add_run("{{ campaign.banner }}")
    run.bold, run.font.size, run.font.color.rgb = True, Pt(8), RGBColor(180, 35, 24)
    return doc


def para(doc: DocumentObject, text: str, *, bold: bool = False, size: float | None = None,
         center: bool = False, style: str | None = None) -> None:
    p = doc.add_paragraph(style=style)
    run = p.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def table(doc: DocumentObject, headers: Sequence[str], widths: Sequence[float], *,
          size: float = 9) -> Table:
    """A grid table with a repeated, shaded header row; returns it for the tag rows."""
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for cell, text, width in zip(t.rows[0].cells, headers, widths, strict=True):
        cell.width = Cm(width)
        cell.text = text
        run = cell.paragraphs[0].runs[0]
        run.bold = True
        run.font.size = Pt(size)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        shading = cell._tc.get_or_add_tcPr()
        fill = shading.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto",
                                                 qn("w:fill"): "DDE8F3"})
        shading.append(fill)
    header = t.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {}))
    for column, width in zip(t.columns, widths, strict=True):
        column.width = Cm(width)  # the table grid, which LibreOffice and Word lay out by
    _WIDTHS[id(t._tbl)] = list(widths)
    return cast(Table, t)


def row(t: Table, cells: Sequence[str], *, size: float = 9, bold: bool = False,
        merge: bool = False, right: Sequence[int] = ()) -> None:
    """A row of text cells; ``merge`` joins the whole row into one cell (a group heading or a
    tag row), ``right`` are the columns aligned right (numbers)."""
    r = cast(Any, t).add_row()
    widths = _WIDTHS[id(t._tbl)]
    for cell, width in zip(r.cells, widths, strict=True):
        cell.width = Cm(width)
    if merge:
        cell = r.cells[0].merge(r.cells[-1])
        cell.text = cells[0]
        targets = [(cell, cells[0], 0)]
    else:
        targets = [(c, text, i) for i, (c, text) in enumerate(zip(r.cells, cells, strict=False))]
        for c, text, _ in targets:
            c.text = text
    for c, _text, index in targets:
        for p in c.paragraphs:
            if index in right:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in p.runs:
                run.font.size = Pt(size)
                run.bold = bold or None


def cell_paragraphs(t: Table, column: int, lines: Sequence[str], *, size: float = 9) -> None:
    """Replace the text of the last row's cell with several paragraphs (for ``{%p for %}``)."""
    cell = t.rows[-1].cells[column]
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)
    for p in cell.paragraphs:
        for run in p.runs:
            run.font.size = Pt(size)


# -- the kinds ---------------------------------------------------------------------------------


def protocol() -> DocumentObject:
    doc = new_document()
    para(doc, "Протокол независимой оценки качества условий оказания услуг", style="Title", center=True)
    for line in ("Организация: {{ org.name }}", "Тип организации: {{ org.type }}",
                 "Формы социального обслуживания: {{ org.forms }}",
                 "{%p if org.recipients %}", "Получателей услуг: {{ org.recipients }}", "{%p endif %}",
                 "Оценка: {{ campaign.title }}",
                 "{%p if campaign.period %}", "Период: {{ campaign.period }}", "{%p endif %}",
                 "Методика: {{ campaign.methodology_title }}{% if campaign.methodology_version %}, "
                 "редакция {{ campaign.methodology_version }}{% endif %}",
                 "{%p if campaign.operator %}", "Оператор: {{ campaign.operator }}", "{%p endif %}"):
        para(doc, line)
    doc.add_heading("1. Показатели, критерии и итог", level=1)
    para(doc, "{%p if integral %}")
    t = table(doc, ["Код", "Показатель", "Источник информации", "Балл"], [2.6, 9.4, 3.0, 2.0], size=8.5)
    row(t, ["{%tr for c in criteria %}"], merge=True)
    row(t, ["{{ c.number }}. {{ c.title }}"], merge=True, bold=True, size=8.5)
    row(t, ["{%tr for i in c.lines %}"], merge=True)
    row(t, ["{{ i.number }}", "{{ i.title }}{% if i.note %} ({{ i.note }}){% endif %}", "{{ i.source }}",
            "{{ i.value }}"], size=8.5, right=(3,))
    row(t, ["{%tr endfor %}"], merge=True)
    row(t, ["", "Итого по критерию {{ c.key }}", "", "{{ c.value }}"], size=8.5, bold=True, right=(3,))
    row(t, ["{%tr endfor %}"], merge=True)
    row(t, ["", "{{ value_label }}", "", "{{ total }}"], bold=True, size=8.5, right=(3,))
    para(doc, "{%p else %}")
    t = table(doc, ["№", "Показатель", "Источник информации", "Значение, баллы", "Вес",
                    "Баллы в критерии"], [1.1, 7.6, 2.4, 2.7, 1.1, 2.1], size=8.5)
    row(t, ["{%tr for c in criteria %}"], merge=True)
    row(t, ["{{ c.number }}. {{ c.title }}"], merge=True, bold=True, size=8.5)
    row(t, ["{%tr for i in c.lines %}"], merge=True)
    row(t, ["{{ i.number }}", "{{ i.title }}{% if i.note %} ({{ i.note }}){% endif %}", "{{ i.source }}",
            "{{ i.value }}", "{{ i.weight }}", "{{ i.points }}"], size=8.5, right=(3, 4, 5))
    row(t, ["{%tr endfor %}"], merge=True)
    row(t, ["", "Итого по критерию {{ c.key }}", "", "{{ c.value }}", "", ""], size=8.5, bold=True,
        right=(3,))
    row(t, ["{%tr endfor %}"], merge=True)
    row(t, ["", "{{ value_label }}", "", "{{ total }}", "", ""], bold=True, size=8.5, right=(3,))
    para(doc, "{%p endif %}")
    para(doc, "{{ conclusion }}", bold=True)
    para(doc, "{{ chart }}", center=True)
    doc.add_heading("2. Опрос получателей услуг", level=1)
    para(doc, "{{ survey.sample }}")
    t = table(doc, ["Вопрос анкеты", "Ответили", "«Да»", "Доля", "95 % интервал"],
              [9.4, 1.9, 1.5, 1.9, 2.3], size=8.5)
    row(t, ["{%tr for s in survey.lines %}"], merge=True)
    row(t, ["{{ s.question }}", "{{ s.asked }}", "{{ s.yes }}", "{{ s.share }}", "{{ s.interval }}"],
        size=8.5, right=(1, 2, 3, 4))
    row(t, ["{%tr endfor %}"], merge=True)
    para(doc, "{%p if control %}")
    doc.add_heading("3. Контрольные звонки, обращения и жалобы", level=1)
    t = table(doc, ["Показатель", "{%tc for f in control.columns %}", "{{ f }}", "{%tc endfor %}"],
              [7.4, 0.1, 3.2, 0.1], size=8.5)
    row(t, ["{%tr for r in control.rows %}"], merge=True)
    row(t, ["{{ r.label }}", "{%tc for x in r.cells %}", "{{ x }}", "{%tc endfor %}"], size=8.5)
    row(t, ["{%tr endfor %}"], merge=True)
    para(doc, "Выводы:", bold=True)
    para(doc, "{%p for x in control.conclusions %}")
    para(doc, "{{ loop.index }}. {{ x }}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    doc.add_heading("4. Недостатки и рекомендации", level=1)
    para(doc, "{%p if not shortcomings %}")
    para(doc, "Недостатков не выявлено.")
    para(doc, "{%p endif %}")
    t = table(doc, ["Недостаток", "Рекомендация"], [8.5, 8.5], size=9)
    row(t, ["{%tr for g in shortcomings %}"], merge=True)
    row(t, ["{{ g.number }}. {{ g.title }}"], merge=True, bold=True)
    row(t, ["{%tr for s in g.entries %}"], merge=True)
    row(t, ["{{ s.text }}", "{{ s.measure }}"])
    row(t, ["{%tr endfor %}"], merge=True)
    row(t, ["{%tr endfor %}"], merge=True)
    doc.add_heading("5. Правила расчёта", level=1)
    para(doc, "{%p for x in policies %}")
    para(doc, "{{ x.title }}: {{ x.text }}", size=9.5)
    para(doc, "{%p endfor %}")
    para(doc, "{%p if notes %}")
    para(doc, "Примечания:", bold=True)
    para(doc, "{%p for x in notes %}")
    para(doc, "– {{ x }}", size=9.5)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    return doc


def rating() -> DocumentObject:
    doc = new_document(landscape=True)
    para(doc, "Рейтинг организаций социального обслуживания по итогам независимой оценки "
              "качества", style="Title", center=True)
    para(doc, "{{ campaign.title }}; {{ count }}", center=True)
    para(doc, "{{ rule }} {{ ranges }}", size=9.5)
    para(doc, "{%p for s in sections %}")
    doc.add_heading("{{ s.type }}", level=2)
    t = table(doc, ["Место", "Наименование организации", "Недостатки",
                    "Планы по улучшению качества работы", "{{ value_label }}", "Возможные места"],
              [1.7, 6.0, 6.9, 6.9, 2.6, 2.3], size=8.5)
    row(t, ["{%tr for r in s.rows %}"], merge=True)
    row(t, ["{{ r.place }}", "{{ r.name }}", "", "", "{{ r.value }}", "{{ r.places }}"], size=8.5,
        right=(4,))
    cell_paragraphs(t, 2, ["{%p for x in r.shortcomings %}", "– {{ x }}", "{%p endfor %}"], size=8.5)
    cell_paragraphs(t, 3, ["{%p for x in r.planned %}", "– {{ x }}", "{%p endfor %}"], size=8.5)
    row(t, ["{%tr endfor %}"], merge=True)
    row(t, ["{%tr if s.insufficient %}"], merge=True)
    row(t, ["Недостаточно данных (без места)"], merge=True, bold=True, size=8.5)
    row(t, ["{%tr for r in s.insufficient %}"], merge=True)
    row(t, ["—", "{{ r.name }}", "{{ r.reasons }}", "", "{{ r.value }}", "—"], size=8.5, right=(4,))
    row(t, ["{%tr endfor %}"], merge=True)
    row(t, ["{%tr endif %}"], merge=True)
    para(doc, "")
    para(doc, "{%p endfor %}")
    return doc


def region() -> DocumentObject:
    doc = new_document()
    para(doc, "Сводный отчёт о результатах независимой оценки качества условий оказания услуг "
              "организациями социального обслуживания", style="Title", center=True)
    para(doc, "{{ campaign.title }}", center=True)
    para(doc, "Методика: {{ campaign.methodology_title }}{% if campaign.methodology_version %}, "
              "редакция {{ campaign.methodology_version }}{% endif %}. Оценено: {{ count }}.")
    para(doc, "{%p if campaign.operator %}")
    para(doc, "Оператор: {{ campaign.operator }}")
    para(doc, "{%p endif %}")
    doc.add_heading("1. Распределение итоговых значений", level=1)
    t = table(doc, ["{{ value_label }}", "Организаций", "Доля"], [7.0, 4.0, 4.0])
    row(t, ["{%tr for b in bands %}"], merge=True)
    row(t, ["{{ b.label }}", "{{ b.count }}", "{{ b.share }}"], right=(1, 2))
    row(t, ["{%tr endfor %}"], merge=True)
    doc.add_heading("2. Средние значения по критериям", level=1)
    t = table(doc, ["Критерий", "Среднее по региону"], [13.0, 4.0])
    row(t, ["{%tr for c in criteria %}"], merge=True)
    row(t, ["{{ c.key }}. {{ c.title }}", "{{ c.value }}"], right=(1,))
    row(t, ["{%tr endfor %}"], merge=True)
    doc.add_heading("3. Средние значения по типам организаций", level=1)
    t = table(doc, ["Тип организаций", "Организаций", "{%tc for k in criteria_keys %}", "{{ k }}",
                    "{%tc endfor %}", "Итог"], [6.0, 2.0, 0.1, 1.5, 0.1, 1.6], size=8.5)
    row(t, ["{%tr for x in types %}"], merge=True)
    row(t, ["{{ x.type }}", "{{ x.count }}", "{%tc for v in x.figures %}", "{{ v }}", "{%tc endfor %}",
            "{{ x.total }}"], size=8.5, right=(1, 3, 5))
    row(t, ["{%tr endfor %}"], merge=True)
    para(doc, "{%p for ch in charts %}")
    para(doc, "{{ ch }}", center=True)
    para(doc, "{%p endfor %}")
    doc.add_heading("4. Лучшие и слабейшие результаты", level=1)
    para(doc, "Наибольшие значения:", bold=True)
    t = table(doc, ["Место в типе", "Организация", "Тип", "{{ value_label }}"], [2.2, 7.0, 5.6, 2.2],
              size=8.5)
    row(t, ["{%tr for x in best %}"], merge=True)
    row(t, ["{{ x.place }}", "{{ x.name }}", "{{ x.type }}", "{{ x.value }}"], size=8.5, right=(3,))
    row(t, ["{%tr endfor %}"], merge=True)
    para(doc, "Наименьшие значения:", bold=True)
    t = table(doc, ["Место в типе", "Организация", "Тип", "{{ value_label }}"], [2.2, 7.0, 5.6, 2.2],
              size=8.5)
    row(t, ["{%tr for x in weakest %}"], merge=True)
    row(t, ["{{ x.place }}", "{{ x.name }}", "{{ x.type }}", "{{ x.value }}"], size=8.5, right=(3,))
    row(t, ["{%tr endfor %}"], merge=True)
    doc.add_heading("5. Наиболее частые недостатки", level=1)
    t = table(doc, ["Недостаток", "Организаций", "Доля"], [12.6, 2.2, 2.2], size=8.5)
    row(t, ["{%tr for f in frequent %}"], merge=True)
    row(t, ["{{ f.text }}", "{{ f.count }}", "{{ f.share }}"], size=8.5, right=(1, 2))
    row(t, ["{%tr endfor %}"], merge=True)
    para(doc, "{%p if yoy %}")
    doc.add_heading("6. Сравнение с предыдущей оценкой", level=1)
    para(doc, "Предыдущая оценка: {{ yoy.previous }}. Организаций, оценённых оба раза: "
              "{{ yoy.matched }}. Недостатков прошлой оценки устранено: {{ yoy.resolved }}, "
              "сохраняется: {{ yoy.persisting }}. Среднее значение по региону: {{ yoy.before }} → "
              "{{ yoy.after }}.")
    t = table(doc, ["Критерий", "Предыдущая оценка", "Текущая оценка"], [7.0, 5.0, 5.0])
    row(t, ["{%tr for c in yoy.criteria %}"], merge=True)
    row(t, ["{{ c.key }}", "{{ c.before }}", "{{ c.after }}"], right=(1, 2))
    row(t, ["{%tr endfor %}"], merge=True)
    t = table(doc, ["Организация", "Было", "Стало", "Изменение", "Устранено", "Сохраняется"],
              [6.6, 2.0, 2.0, 2.2, 2.1, 2.1], size=8.5)
    row(t, ["{%tr for c in yoy.changes %}"], merge=True)
    row(t, ["{{ c.name }}", "{{ c.before }}", "{{ c.after }}", "{{ c.delta }}", "{{ c.resolved }}",
            "{{ c.persisting }}"], size=8.5, right=(1, 2, 3, 4, 5))
    row(t, ["{%tr endfor %}"], merge=True)
    para(doc, "{%p endif %}")
    doc.add_page_break()  # type: ignore[no-untyped-call]
    para(doc, "{{ order.title }}", bold=True, center=True)
    para(doc, "«___» ____________ 20___ г.                                        № _______", center=True)
    para(doc, "{{ order.heading }}", bold=True, center=True)
    para(doc, "{{ order.preamble }}")
    para(doc, "{%p for x in order.points %}")
    para(doc, "{{ loop.index }}. {{ x }}")
    para(doc, "{%p endfor %}")
    para(doc, "")
    para(doc, "{{ order.signature }}")
    para(doc, "")
    para(doc, "{{ order.appendix }}", bold=True)
    para(doc, "{{ rule }}", size=9.5)
    para(doc, "{%p for s in sections %}")
    para(doc, "{{ s.type }}", bold=True)
    t = table(doc, ["Место", "Организация", "{{ value_label }}"], [2.0, 12.0, 3.0], size=8.5)
    row(t, ["{%tr for r in s.rows %}"], merge=True)
    row(t, ["{{ r.place }}", "{{ r.name }}", "{{ r.value }}"], size=8.5, right=(2,))
    row(t, ["{%tr endfor %}"], merge=True)
    row(t, ["{%tr for r in s.insufficient %}"], merge=True)
    row(t, ["—", "{{ r.name }} (недостаточно данных: {{ r.reasons }})", "{{ r.value }}"], size=8.5,
        right=(2,))
    row(t, ["{%tr endfor %}"], merge=True)
    para(doc, "{%p endfor %}")
    return doc


PLAN_HEADERS = ("Недостатки, выявленные в ходе независимой оценки качества условий оказания услуг",
                "Наименование мероприятия по устранению недостатков",
                "Плановый срок реализации мероприятия",
                "Ответственный исполнитель (с указанием фамилии, имени, отчества и должности)",
                "Реализованные меры по устранению выявленных недостатков",
                "Фактический срок реализации")


def plan() -> DocumentObject:
    doc = new_document(landscape=True)
    para(doc, "ПЛАН", bold=True, center=True, size=13)
    para(doc, "по устранению недостатков, выявленных в ходе независимой оценки качества условий "
              "оказания услуг", bold=True, center=True)
    para(doc, "{{ org.name }}", center=True, bold=True)
    para(doc, "{{ campaign.title }}", center=True)
    t = table(doc, [*PLAN_HEADERS[:4], "Сведения о ходе реализации мероприятия", ""],
              [6.2, 6.2, 2.8, 4.4, 4.4, 2.6], size=8.5)
    row(t, ["", "", "", "", PLAN_HEADERS[4], PLAN_HEADERS[5]], size=8.5, bold=True)
    head, sub = t.rows[0], t.rows[1]
    sub_pr = sub._tr.get_or_add_trPr()
    sub_pr.append(sub_pr.makeelement(qn("w:tblHeader"), {}))
    for cell in sub.cells[4:]:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    merges = [head.cells[4].merge(head.cells[5])]
    merges += [head.cells[column].merge(sub.cells[column]) for column in range(4)]
    for merged in merges:
        for extra in merged.paragraphs[1:]:  # the merged-in cell's empty paragraph
            if not extra.text:
                extra._p.getparent().remove(extra._p)
    row(t, ["{%tr for g in sections %}"], merge=True)
    row(t, ["{{ g.number }}. {{ g.title }}"], merge=True, bold=True, size=9)
    row(t, ["{%tr for r in g.rows %}"], merge=True)
    row(t, ["{{ r.shortcoming }}", "{{ r.measure }}", "{{ r.due }}", "{{ r.responsible }}",
            "{{ r.done }}", "{{ r.done_date }}"], size=8.5)
    row(t, ["{%tr endfor %}"], merge=True)
    row(t, ["{%tr endfor %}"], merge=True)
    para(doc, "{%p if not rows %}")
    para(doc, "Недостатков не выявлено.")
    para(doc, "{%p endif %}")
    return doc


def plan_seed002() -> DocumentObject:
    doc = new_document(landscape=True)
    para(doc, "Мероприятия", bold=True, center=True, size=13)
    para(doc, "по повышению качества оказания социальных услуг", center=True, bold=True)
    para(doc, "в {{ org.name }}", center=True, bold=True)
    t = table(doc, ["Критерии", "Выявленные замечания", "Мероприятия по устранению замечаний",
                    "Результаты"], [5.0, 7.5, 7.5, 6.6], size=9)
    row(t, ["{%tr for g in sections %}"], merge=True)
    row(t, ["{%tr for r in g.rows %}"], merge=True)
    row(t, ["{% vm %}{{ g.title }}", "{{ r.shortcoming }}", "{{ r.measure }}",
            "{{ r.done }}"])
    row(t, ["{%tr endfor %}"], merge=True)
    row(t, ["{%tr endfor %}"], merge=True)
    return doc


BUILDERS = {"protocol": protocol, "rating": rating, "region": region, "plan": plan,
            "plan_seed002": plan_seed002}


def main() -> None:
    for kind, build in BUILDERS.items():
        path = HERE / f"{kind}.docx"
        build().save(str(path))
        print(path)


if __name__ == "__main__":
    main()
