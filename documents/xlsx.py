"""XLSX renderers (XlsxWriter): numbers are written as numbers (a display format gives the
decimals), headers are frozen, filters set and columns sized, so a sheet can be sorted and
summed at once. Pure functions of the :mod:`documents.model` objects."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from documents.model import Plan, Rating
from documents.text import count
from scoring.labels import forms_label
from scoring.uncertainty import RANGE_SENTENCE

PLAN_HEADERS = (
    "Недостатки, выявленные в ходе независимой оценки качества условий оказания услуг",
    "Наименование мероприятия по устранению недостатков",
    "Плановый срок реализации мероприятия",
    "Ответственный исполнитель (с указанием фамилии, имени, отчества и должности)",
    "Реализованные меры по устранению выявленных недостатков",
    "Фактический срок реализации",
)
SEED002_HEADERS = ("Критерии", "Выявленные замечания", "Мероприятия по устранению замечаний",
                   "Результаты")


class _Book:
    """A workbook in memory with the formats every sheet uses."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.out, {"in_memory": True})
        add = self.book.add_format
        self.title = add({"bold": True, "font_size": 13})
        self.note = add({"italic": True, "font_size": 9, "text_wrap": True, "valign": "top"})
        self.head = add({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                         "border": 1, "bg_color": "#DDE8F3"})
        self.group = add({"bold": True, "border": 1, "bg_color": "#F2F2F2", "text_wrap": True})
        self.text = add({"text_wrap": True, "valign": "top", "border": 1})
        self.int = add({"valign": "top", "border": 1, "align": "center"})
        self.num2 = add({"num_format": "0.00", "valign": "top", "border": 1})
        self.plain_num = add({"num_format": "0.00##"})

    def close(self) -> bytes:
        self.book.close()
        return self.out.getvalue()


def _fit(sheet: Any, row: int, cells: Sequence[tuple[str, float]]) -> None:
    """Set a row's height for its wrapped texts (``(text, column width)`` pairs): viewers
    other than Excel do not grow rows to fit on opening."""
    lines = 1
    for text, width in cells:
        per_line = max(int(width * 0.95), 1)
        lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in text.split("\n")))
    sheet.set_row(row, 13 * lines + 4)


def _lines(items: Sequence[str]) -> str:
    return "\n".join(f"– {item}" for item in items) or "—"


def render_rating_xlsx(r: Rating) -> bytes:
    """Two sheets: «Рейтинг» (a section per type, as seed 004) and «Для аналитиков» (a row per
    organization, every indicator and criterion as a number, frozen header, filter)."""
    b = _Book()
    sheet = b.book.add_worksheet("Рейтинг")
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(3)
    widths = (8, 42, 60, 60, 14, 11)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.write(0, 0, "Рейтинг организаций социального обслуживания по итогам независимой оценки "
                      "качества", b.title)
    sheet.write(1, 0, f"{r.campaign.title}; {r.count_text}")
    sheet.merge_range(2, 0, 2, 5, f"{r.rule} {RANGE_SENTENCE}", b.note)
    sheet.set_row(2, 45)
    headers = ("Место", "Наименование организации", "Недостатки",
               "Планы по улучшению качества работы", r.value_label, "Возможные места")
    for col, text in enumerate(headers):
        sheet.write(3, col, text, b.head)
    sheet.set_row(3, 45)
    row = 4
    for section in r.sections:
        sheet.merge_range(row, 0, row, 5, section.type, b.group)
        row += 1
        for line in section.rated:
            a = line.assessed
            sheet.write_number(row, 0, line.place or 0, b.int)
            sheet.write(row, 1, a.name, b.text)
            sheet.write(row, 2, _lines([s.text for s in a.shortcomings]), b.text)
            sheet.write(row, 3, _lines(a.planned), b.text)
            _number(sheet, row, 4, a.total, b.num2)
            sheet.write(row, 5, line.places_text, b.int)
            _fit(sheet, row, [(a.name, 42), (_lines([s.text for s in a.shortcomings]), 60),
                              (_lines(a.planned), 60)])
            row += 1
        if section.insufficient:
            sheet.merge_range(row, 0, row, 5, "Недостаточно данных (без места)", b.group)
            row += 1
        for line in section.insufficient:
            a = line.assessed
            sheet.write(row, 0, "—", b.int)
            sheet.write(row, 1, a.name, b.text)
            sheet.write(row, 2, "; ".join(line.reasons), b.text)
            sheet.write(row, 3, _lines(a.planned), b.text)
            _number(sheet, row, 4, a.total, b.num2)
            sheet.write(row, 5, "—", b.int)
            _fit(sheet, row, [(a.name, 42), ("; ".join(line.reasons), 60), (_lines(a.planned), 60)])
            row += 1
    _analysts(b, r)
    _legend(b, r)
    return b.close()


def _number(sheet: Any, row: int, col: int, value: float | None, fmt: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


def _analysts(b: _Book, r: Rating) -> None:
    m = r.methodology
    sheet = b.book.add_worksheet("Для аналитиков")
    criteria = [c.key for c in m.criteria]
    indicators = [i.key for c in m.criteria for i in (m.indicator(k) for k in c.indicators)]
    value = "Интегральное значение" if m.scale == "integral" else "Итоговый показатель"
    headers = ["Тип организации", "Организация", "Место", "Возможные места", value,
               "95 % интервал: от", "95 % интервал: до", "Без места: причина", "Формы обслуживания",
               "Получателей", "Опрошено", "Недостатков",
               *(k.replace("K", "К") for k in criteria), *indicators]
    for col, text in enumerate(headers):
        sheet.write(0, col, text, b.head)
    sheet.set_row(0, 45)
    row = 1
    for section in r.sections:
        for line in section.lines:
            a = line.assessed
            res = a.result
            bounds = res.intervals.get("total")
            cells: list[Any] = [
                section.type, a.name, line.place, line.places_text if line.places else None,
                res.total, bounds[0] if bounds else None, bounds[1] if bounds else None,
                "; ".join(line.reasons) or None, forms_label(list(a.registry.forms)),
                a.registry.recipients, a.inp.respondents, len(a.shortcomings),
                *(res.criteria.get(k) for k in criteria), *(res.indicators.get(k) for k in indicators),
            ]
            for col, cell in enumerate(cells):
                if cell is None:
                    continue
                if isinstance(cell, int | float) and not isinstance(cell, bool):
                    sheet.write_number(row, col, cell, b.plain_num if isinstance(cell, float) else None)
                else:
                    sheet.write_string(row, col, str(cell))
            row += 1
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(row - 1, 1), len(headers) - 1)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 6, 11)
    sheet.set_column(7, 7, 30)
    sheet.set_column(8, 8, 22)
    sheet.set_column(9, 11, 11)
    sheet.set_column(12, len(headers) - 1, 9 if m.scale != "integral" else 12)


def _legend(b: _Book, r: Rating) -> None:
    m = r.methodology
    sheet = b.book.add_worksheet("Показатели")
    sheet.write_row(0, 0, ("Обозначение", "Наименование", "Вес в критерии"), b.head)
    row = 1
    for c in m.criteria:
        sheet.write(row, 0, c.key.replace("K", "К"), b.group)
        sheet.write(row, 1, c.title, b.group)
        row += 1
        for key in c.indicators:
            ind = m.indicator(key)
            sheet.write_string(row, 0, ind.key)
            sheet.write_string(row, 1, ind.title)
            if m.scale != "integral":
                sheet.write_number(row, 2, ind.weight)
            row += 1
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 110)
    sheet.set_column(2, 2, 14)
    sheet.freeze_panes(1, 0)


# -- plan --------------------------------------------------------------------------------------


def render_plan_xlsx(plan: Plan, *, layout: str = "official") -> bytes:
    """The plan in the official layout (rows grouped by criterion I–V; the execution columns
    under «Сведения о ходе реализации мероприятия») or seed 002's (criterion, shortcoming,
    measure, result)."""
    if layout not in ("official", "seed002"):
        raise ValueError(layout)
    b = _Book()
    sheet = b.book.add_worksheet("План")
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    org = plan.registry.name
    if layout == "seed002":
        sheet.write(0, 0, f"Мероприятия по повышению качества оказания социальных услуг в {org}", b.title)
        for col, width in enumerate((30, 55, 55, 45)):
            sheet.set_column(col, col, width)
        for col, text in enumerate(SEED002_HEADERS):
            sheet.write(2, col, text, b.head)
        row = 3
        for _section, title, rows in plan.sections():
            first = row
            for r in rows:
                sheet.write(row, 1, r.shortcoming, b.text)
                sheet.write(row, 2, r.measure, b.text)
                sheet.write(row, 3, r.done, b.text)
                _fit(sheet, row, [(r.shortcoming, 55), (r.measure, 55), (r.done, 45)])
                row += 1
            if row - first > 1:
                sheet.merge_range(first, 0, row - 1, 0, title, b.text)
            else:
                sheet.write(first, 0, title, b.text)
        sheet.freeze_panes(3, 0)
        sheet.repeat_rows(2)
        return b.close()
    sheet.write(0, 0, "План по устранению недостатков, выявленных в ходе независимой оценки "
                      "качества условий оказания услуг", b.title)
    sheet.write(1, 0, f"{org}; {plan.campaign.title}; "
                      f"{count(len(plan.rows), 'недостаток', 'недостатка', 'недостатков')}")
    for col, width in enumerate((50, 50, 16, 34, 40, 16)):
        sheet.set_column(col, col, width)
    for col in range(4):
        sheet.merge_range(3, col, 4, col, PLAN_HEADERS[col], b.head)
    sheet.merge_range(3, 4, 3, 5, "Сведения о ходе реализации мероприятия", b.head)
    sheet.write(4, 4, PLAN_HEADERS[4], b.head)
    sheet.write(4, 5, PLAN_HEADERS[5], b.head)
    sheet.set_row(4, 60)
    row = 5
    for number, title, rows in plan.sections():
        sheet.merge_range(row, 0, row, 5, f"{number}. {title}", b.group)
        row += 1
        for r in rows:
            for col, text in enumerate((r.shortcoming, r.measure, r.due, r.responsible, r.done,
                                        r.done_date)):
                sheet.write_string(row, col, text, b.text)
            _fit(sheet, row, [(r.shortcoming, 50), (r.measure, 50), (r.responsible, 34), (r.done, 40)])
            row += 1
    if not plan.rows:
        sheet.write(row, 0, "Недостатков не выявлено.")
    sheet.freeze_panes(5, 0)
    sheet.repeat_rows(3, 4)
    return b.close()
