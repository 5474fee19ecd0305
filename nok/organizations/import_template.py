"""The downloadable XLSX template for the registry import (built with XlsxWriter)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import xlsxwriter

from nok.organizations.importing import COLUMNS, EXAMPLE_PREFIX


def import_template_xlsx(type_names: Sequence[str]) -> bytes:
    """Sheet «Организации»: headers (required ones end in *) and an example row that the
    import skips; sheet «Подсказки»: what goes in each column; sheet «Типы»: allowed types."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "text_wrap": True,
                            "valign": "top", "border": 1})
    text = book.add_format({"num_format": "@"})
    example = book.add_format({"italic": True, "font_color": "#5B6570", "num_format": "@"})

    data = book.add_worksheet("Организации")
    for col, column in enumerate(COLUMNS):
        data.write_string(0, col, column.title, bold)
        data.set_column(col, col, 45 if column.key in ("name", "type", "address") else 22, text)
        if column.hint:
            data.write_comment(0, col, column.hint)
        value = column.example
        if column.key == "name":
            value = f"{EXAMPLE_PREFIX} {value}"
        if isinstance(value, int):
            data.write_number(1, col, value, example)
        else:
            data.write_string(1, col, value, example)
    data.freeze_panes(1, 0)
    type_col = [c.key for c in COLUMNS].index("type")
    if type_names:
        data.data_validation(1, type_col, 5000, type_col, {
            "validate": "list", "source": f"=Типы!$A$2:$A${len(type_names) + 1}",
            "error_type": "warning", "error_message": "Тип не из списка листа «Типы»",
        })

    hints = book.add_worksheet("Подсказки")
    hints.set_column(0, 0, 32)
    hints.set_column(1, 1, 90)
    hints.write_row(0, 0, ["Столбец", "Что указать"], bold)
    for row, column in enumerate(COLUMNS, start=1):
        hints.write_string(row, 0, column.title)
        hints.write_string(row, 1, column.hint)
    notes = [
        "* — обязательный столбец.",
        f"Строка, наименование в которой начинается со слова «{EXAMPLE_PREFIX}», "
        "не загружается: замените её своими данными.",
        "Загрузка «всё или ничего»: при любой ошибке не сохраняется ни одна строка, "
        "а отчёт называет номер строки и столбец.",
        "Организация с уже известным ИНН обновляется, остальные создаются.",
    ]
    for offset, note in enumerate(notes, start=len(COLUMNS) + 2):
        hints.write_string(offset, 0, note)

    types = book.add_worksheet("Типы")
    types.set_column(0, 0, 110)
    types.write_string(0, 0, "Тип организации", bold)
    for row, name in enumerate(type_names, start=1):
        types.write_string(row, 0, name)
    book.close()
    return buffer.getvalue()
