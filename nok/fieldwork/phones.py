"""Telephone numbers of a call list: Russian formats, read from an uploaded table. Pure.

A number is accepted as an organization would type it — «+7 (916) 123-45-67», «8 916 123 45 67»,
«89161234567», «79161234567», «9161234567», a cell Excel stored as the number 89161234567 —
and kept as ``+7`` and ten digits. The ten digits are a Russian number: the code starts with 3,
4 or 8 (fixed lines) or 9 (mobile); ``+7 7…`` numbers are Kazakhstan's and are refused.

The file holds numbers only: the first column, with an optional header row; any other filled
column is refused (a call list must not carry names or anything else about people). The whole
file is refused when any row is wrong, and every wrong row is named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

SEPARATORS = re.compile(r"[\s\-().\u00a0\u2010-\u2015]")
RUSSIAN_CODE_FIRST_DIGITS = "3489"
EXPECTED = "ожидается номер вида +7 916 123-45-67 или 8 (831) 123-45-67"
HEADER_WORDS = ("телефон", "номер", "phone", "тел")


def normalize_phone(raw: str) -> str | None:
    """``+7XXXXXXXXXX`` for a Russian number written in any usual way, else None."""
    text = SEPARATORS.sub("", raw.strip())
    if text.startswith("+7"):
        digits = text[2:]
    elif len(text) == 11 and text[0] in "78":
        digits = text[1:]
    elif len(text) == 10:
        digits = text
    else:
        return None
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return None
    if digits[0] not in RUSSIAN_CODE_FIRST_DIGITS:
        return None
    return f"+7{digits}"


def format_phone(phone: str) -> str:
    """``+79161234567`` -> «+7 916 123-45-67» (as read out when dialling)."""
    d = phone[2:]
    return f"+7 {d[:3]} {d[3:6]}-{d[6:8]}-{d[8:]}"


@dataclass(frozen=True)
class PhoneRowError:
    row: int  # as numbered in the spreadsheet (row 1 is the first)
    message: str

    def __str__(self) -> str:
        return f"Строка {self.row}: {self.message}"


@dataclass(frozen=True)
class ParsedList:
    numbers: list[str]  # normalized, first occurrence kept, in the file's order
    repeated: int  # rows repeating a number already read
    errors: list[PhoneRowError]


def _text(cell: Any) -> str:
    if isinstance(cell, bool) or cell is None:
        return str(cell or "")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date | time | timedelta):
        return str(cell)
    return str(cell).strip()


def _column(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index] if index < 26 else f"№ {index + 1}"


def parse_call_list(rows: Iterable[Sequence[Any]]) -> ParsedList:
    """The numbers of a call list table (see the module's docstring)."""
    numbers: list[str] = []
    seen: set[str] = set()
    repeated = 0
    errors: list[PhoneRowError] = []
    for number, row in enumerate(rows, start=1):
        cells = [_text(c) for c in row]
        extra = next((i for i, c in enumerate(cells) if i > 0 and c), None)
        first = cells[0] if cells else ""
        if not first and extra is None:
            continue  # an empty row
        if number == 1 and extra is None and any(w in first.lower() for w in HEADER_WORDS):
            continue  # the header
        if extra is not None:
            errors.append(PhoneRowError(number, (
                f"заполнен столбец {_column(extra)}: в файле должны быть только номера "
                "телефонов в столбце A — без имён и других сведений")))
            continue
        phone = normalize_phone(first)
        if phone is None:
            errors.append(PhoneRowError(number, f"«{first[:40]}» — не номер телефона ({EXPECTED})"))
        elif phone in seen:
            repeated += 1
        else:
            seen.add(phone)
            numbers.append(phone)
    if not numbers and not errors:
        errors.append(PhoneRowError(1, "в файле нет ни одного номера телефона"))
    return ParsedList(numbers, repeated, errors)
