"""A look inside an uploaded XLSX before python-calamine opens it.

calamine builds the whole rectangle from A1 to the last used cell in memory: a 6 KB file with
one cell at XFD1048576 asks for half a terabyte and aborts the process (a Rust abort, no
Python exception to catch). The worksheets are therefore scanned first, streaming, for their
unpacked size and the farthest cell reference.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

MAX_ROWS = 100_000
MAX_COLUMNS = 500
MAX_UNPACKED = 200 * 1024 * 1024  # bytes of worksheet XML
_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,7})"')


# Only these workbook formats are accepted: their sheets can be bounds-checked before calamine
# reads them. XLS and ODS cannot (and may crash the process the same way), so they are refused.
SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm")


class SpreadsheetTooLarge(ValueError):
    """The workbook is too large to read; the message is for the user, in Russian."""


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def check_xlsx_bounds(content: bytes) -> None:
    """Raise ``SpreadsheetTooLarge`` when a worksheet reaches beyond MAX_ROWS x MAX_COLUMNS or
    unpacks to more than MAX_UNPACKED bytes. Not a ZIP: nothing to check."""
    try:
        archive = zipfile.ZipFile(BytesIO(content))
    except zipfile.BadZipFile:
        return
    with archive:
        sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")
                  and i.filename.endswith(".xml")]
        unpacked = 0
        for info in sheets:
            with archive.open(info) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    unpacked += len(chunk)
                    if unpacked > MAX_UNPACKED:
                        raise SpreadsheetTooLarge("Таблица слишком велика для загрузки")
                    text = tail + chunk
                    _check_refs(text)
                    tail = text[-200:]


def _check_refs(text: bytes) -> None:
    for letters, digits in _CELL.findall(text):
        if int(digits) > MAX_ROWS or _column_number(letters) > MAX_COLUMNS:
            raise SpreadsheetTooLarge(
                f"Таблица слишком велика: заполненная ячейка {letters.decode()}{digits.decode()}; "
                f"допускается не более {MAX_ROWS} строк и {MAX_COLUMNS} столбцов"
            )
    for digits in _ROW.findall(text):
        if int(digits) > MAX_ROWS:
            raise SpreadsheetTooLarge(
                f"Таблица слишком велика: строка {digits.decode()}; "
                f"допускается не более {MAX_ROWS} строк"
            )
