"""PDF renderers (fpdf2): A4, DejaVu Sans from matplotlib's bundled fonts (Cyrillic without
any system font), tables that wrap their text and repeat their header on every page, page
numbers «стр. N из M» in the footer. Pure functions of the :mod:`documents.model` objects."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace

from documents.charts import bar_chart
from documents.context import region_context
from documents.model import Protocol, Region

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
HEAD_FILL = (221, 232, 243)
GROUP_FILL = (242, 242, 242)


class Document(FPDF):
    """A4 with the DejaVu family, a running title and page numbers."""

    def __init__(self, title: str, *, landscape: bool = False, banner: str = "") -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.banner = banner
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.running_title = title
        self.set_title(title)
        self.set_lang("ru")
        self.set_creator("nok")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=15)
        self.alias_nb_pages()
        self.add_page()

    def header(self) -> None:
        if not self.banner:
            return
        self.set_y(6)
        self.set_font("DejaVu", "B", 8)
        self.set_text_color(180, 35, 24)
        self.cell(0, 5, self.banner, align="C")
        self.set_text_color(0, 0, 0)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font("DejaVu", "", 7)
        self.set_text_color(110, 110, 110)
        number = f"стр. {self.page_no()} из {{nb}}"
        # the running title stops short of the page number, however long the names are
        room = self.epw - self.get_string_width(number.replace("{nb}", "999")) - 4
        title = self.running_title
        if self.get_string_width(title) > room:
            while title and self.get_string_width(title + "…") > room:
                title = title[:-1]
            title = title.rstrip() + "…"
        self.cell(0, 5, title, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, number, align="R")
        self.set_text_color(0, 0, 0)

    # -- blocks --------------------------------------------------------------------------------

    def title_block(self, title: str, lines: Sequence[str]) -> None:
        self.set_font("DejaVu", "B", 13)
        self.multi_cell(0, 6.5, title, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_font("DejaVu", "", 9.5)
        for line in lines:
            self.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 45:
            self.add_page()
        self.ln(2)
        self.set_font("DejaVu", "B", 11)
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def para(self, text: str, *, size: float = 9.5, style: str = "") -> None:
        self.set_font("DejaVu", style, size)
        self.multi_cell(0, 4.8, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def bullets(self, items: Sequence[str], *, size: float = 9.5) -> None:
        self.set_font("DejaVu", "", size)
        for item in items:
            self.set_x(self.l_margin + 3)
            self.multi_cell(0, 4.8, f"• {item}", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def grid(self, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
             *, align: Sequence[str] | None = None, size: float = 8,
             groups: Sequence[int] = ()) -> None:
        """A table; ``groups`` are indexes of rows printed as one shaded cell across the table
        (their first cell is the text)."""
        self.set_font("DejaVu", "", size)
        aligns = list(align or ["L"] * len(headers))
        with self.table(
            col_widths=tuple(widths), line_height=size * 0.5, padding=1,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
            text_align=tuple(aligns), repeat_headings=1, width=sum(widths),
            align="LEFT",
        ) as table:
            head = table.row()
            for text in headers:
                head.cell(text, align="C")
            for index, values in enumerate(rows):
                row = table.row()
                if index in groups:
                    row.cell(values[0], colspan=len(headers),
                             style=FontFace(emphasis="BOLD", fill_color=GROUP_FILL), align="L")
                    continue
                for text in values:
                    row.cell(text)
        self.ln(2)

    def chart(self, png: bytes, width: float = 170) -> None:
        if self.get_y() > self.h - 95:
            self.add_page()
        self.image(io.BytesIO(png), x=self.l_margin + (self.epw - width) / 2, w=width)
        self.ln(2)

    def bytes(self) -> bytes:
        return bytes(self.output())


def _header_lines(p: Protocol) -> list[str]:
    c, r = p.campaign, p.registry
    lines = [f"Организация: {r.name}", f"Тип организации: {r.type}",
             f"Формы социального обслуживания: {r.forms_text}"]
    if r.recipients is not None:
        lines.append(f"Получателей услуг: {r.recipients}")
    lines.append(f"Оценка: {c.title}")
    if c.period:
        lines.append(f"Период: {c.period}")
    version = f", редакция {c.methodology_version}" if c.methodology_version else ""
    lines.append(f"Методика: {c.methodology_title}{version}")
    if c.operator:
        lines.append(f"Оператор: {c.operator}")
    return lines


def render_protocol_pdf(p: Protocol) -> bytes:
    """The organization's protocol as PDF (the same content as the DOCX)."""
    doc = Document(f"Протокол независимой оценки качества — {p.registry.name}",
                   banner=p.campaign.banner)
    doc.title_block("Протокол независимой оценки качества условий оказания услуг",
                    _header_lines(p))
    integral = p.scale == "integral"
    doc.heading("1. Показатели, критерии и итог")
    rows: list[list[str]] = []
    groups = []
    for block in p.criteria:
        groups.append(len(rows))
        rows.append([f"{block.number}. {block.title}"])
        for line in block.lines:
            title = line.title + (f" ({line.note})" if line.note else "")
            if integral:
                rows.append([line.number, title, line.source, line.value_text])
            else:
                rows.append([line.number, title, line.source, line.value_text, line.weight_text,
                             line.points_text])
        label = f"Итого по критерию {block.key.replace('K', 'К')}"
        rows.append([" ", label, "", block.value_text] + ([] if integral else ["", ""]))
    rows.append([" ", p.value_label, "", p.total_text] + ([] if integral else ["", ""]))
    if integral:
        doc.grid(["Код", "Показатель", "Источник информации", "Балл"], rows, [24, 101, 30, 25],
                 align=["L", "L", "L", "R"], groups=groups, size=7.5)
    else:
        doc.grid(["№", "Показатель", "Источник информации", "Значение, баллы", "Вес", "Баллы в критерии"],
                 rows, [11, 84, 25, 28, 12, 20], align=["L", "L", "L", "R", "R", "R"],
                 groups=groups, size=7.5)
    doc.para(p.conclusion, style="B")
    doc.chart(bar_chart(p.chart))
    _survey_pdf(doc, p)
    if p.control is not None:
        doc.heading("3. Контрольные звонки, обращения и жалобы")
        doc.grid(["Показатель", *p.control.columns],
                 [[row.label, *row.cells] for row in p.control.rows],
                 [180 - 40 * len(p.control.columns)] + [40] * len(p.control.columns), size=8)
        doc.para("Выводы:", style="B")
        doc.bullets(p.control.conclusions)
    doc.heading("4. Недостатки и рекомендации")
    if not p.shortcomings:
        doc.para("Недостатков не выявлено.")
    for group in p.shortcomings:
        doc.para(f"{group.number}. {group.title}", style="B")
        doc.grid(["Недостаток", "Рекомендация"], [[s.text, s.measure] for s in group.items],
                 [90, 90], size=8)
    doc.heading("5. Правила расчёта")
    for policy in p.policies:
        doc.para(f"{policy.title}: {policy.text}", size=8.5)
    if p.notes:
        doc.heading("Примечания")
        doc.bullets(p.notes, size=8.5)
    return doc.bytes()


def _survey_pdf(doc: Document, p: Protocol) -> None:
    doc.heading("2. Опрос получателей услуг")
    doc.para(p.survey.sample_text)
    if p.survey.lines:
        doc.grid(["Вопрос анкеты", "Ответили", "«Да»", "Доля", "95 % интервал"],
                 [[s.question, str(s.asked), str(s.yes), s.share_text, s.interval_text]
                  for s in p.survey.lines],
                 [100, 18, 14, 20, 28], align=["L", "R", "R", "R", "R"], size=7.5)


# -- regional report ---------------------------------------------------------------------------


def render_region_pdf(g: Region) -> bytes:
    """The regional summary report as PDF: the fields of the DOCX template, laid out the same."""
    x = region_context(g)
    doc = Document(f"Сводный отчёт — {g.campaign.title}", banner=g.campaign.banner)
    version = x["campaign"]["methodology_version"]
    lines = [x["campaign"]["title"],
             f"Методика: {x['campaign']['methodology_title']}"
             + (f", редакция {version}" if version else "") + f". Оценено: {x['count']}."]
    if x["campaign"]["operator"]:
        lines.append(f"Оператор: {x['campaign']['operator']}")
    doc.title_block("Сводный отчёт о результатах независимой оценки качества условий оказания "
                    "услуг организациями социального обслуживания", lines)
    doc.heading("1. Распределение итоговых значений")
    doc.grid([x["value_label"], "Организаций", "Доля"],
             [[b["label"], b["count"], b["share"]] for b in x["bands"]], [80, 40, 40],
             align=["L", "R", "R"])
    doc.heading("2. Средние значения по критериям")
    doc.grid(["Критерий", "Среднее по региону"],
             [[f"{c['key']}. {c['title']}", c["value"]] for c in x["criteria"]], [140, 40],
             align=["L", "R"])
    doc.heading("3. Средние значения по типам организаций")
    keys = x["criteria_keys"]
    width = 90 / (len(keys) + 1)
    doc.grid(["Тип организаций", "Организаций", *keys, "Итог"],
             [[t["type"], t["count"], *t["figures"], t["total"]] for t in x["types"]],
             [70, 20] + [width] * (len(keys) + 1), align=["L"] + ["R"] * (len(keys) + 2), size=7.5)
    for chart in g.charts:
        doc.chart(bar_chart(chart))
    doc.heading("4. Лучшие и слабейшие результаты")
    for label, rows in (("Наибольшие значения", x["best"]), ("Наименьшие значения", x["weakest"])):
        doc.para(f"{label}:", style="B")
        doc.grid(["Место в типе", "Организация", "Тип", x["value_label"]],
                 [[r["place"], r["name"], r["type"], r["value"]] for r in rows], [18, 82, 55, 25],
                 align=["C", "L", "L", "R"], size=7.5)
    doc.heading("5. Наиболее частые недостатки")
    doc.grid(["Недостаток", "Организаций", "Доля"],
             [[f["text"], f["count"], f["share"]] for f in x["frequent"]], [136, 22, 22],
             align=["L", "R", "R"], size=7.5)
    yoy = x["yoy"]
    if yoy is not None:
        doc.heading("6. Сравнение с предыдущей оценкой")
        doc.para(f"Предыдущая оценка: {yoy['previous']}. Организаций, оценённых оба раза: "
                 f"{yoy['matched']}. Недостатков прошлой оценки устранено: {yoy['resolved']}, "
                 f"сохраняется: {yoy['persisting']}. Среднее значение по региону: "
                 f"{yoy['before']} → {yoy['after']}.")
        doc.grid(["Критерий", "Предыдущая оценка", "Текущая оценка"],
                 [[c["key"], c["before"], c["after"]] for c in yoy["criteria"]], [80, 50, 50],
                 align=["L", "R", "R"])
        doc.grid(["Организация", "Было", "Стало", "Изменение", "Устранено", "Сохраняется"],
                 [[c["name"], c["before"], c["after"], c["delta"], c["resolved"], c["persisting"]]
                  for c in yoy["changes"]], [80, 18, 18, 22, 21, 21],
                 align=["L", "R", "R", "R", "R", "R"], size=7.5)
    order = x["order"]
    doc.add_page()
    doc.set_font("DejaVu", "B", 11)
    doc.multi_cell(0, 6, order["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    doc.para("«___» ____________ 20___ г.                                        № _______")
    doc.set_font("DejaVu", "B", 10.5)
    doc.multi_cell(0, 5.5, order["heading"], align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    doc.para(order["preamble"])
    for index, point in enumerate(order["points"], start=1):
        doc.para(f"{index}. {point}")
    doc.ln(4)
    doc.para(order["signature"])
    doc.ln(4)
    doc.para(order["appendix"], style="B")
    doc.para(x["rule"], size=8.5)
    for section in x["sections"]:
        doc.para(section["type"], style="B")
        rows = [[r["place"], r["name"], r["value"]] for r in section["rows"]]
        rows += [["—", f"{r['name']} (недостаточно данных: {r['reasons']})", r["value"]]
                 for r in section["insufficient"]]
        doc.grid(["Место", "Организация", x["value_label"]], rows, [16, 134, 30],
                 align=["C", "L", "R"], size=7.5)
    return doc.bytes()
