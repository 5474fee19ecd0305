"""Checking the organizations registry read from a spreadsheet: rows -> records + errors.

The file is read by ``nok.core.tabular.read_rows`` (CSV or XLSX; the sheet «Организации» if
there is one). ``parse_rows`` is a pure function: it checks every row against the registry's
keys and returns the valid records and a per-row error list naming the spreadsheet row number
(the header is row 1) and the column. The import is all-or-nothing: the service refuses to
save anything while ``errors`` is not empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from nok.organizations.validators import inn_error, normalize_website

EXAMPLE_PREFIX = "Пример:"
SHEET = "Организации"  # the sheet of the template; any other workbook: its first sheet
FORM_KEYS = ("stationary", "semi_stationary", "home")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    max_length: int | None = None
    hint: str = ""
    example: str | int = ""

    @property
    def title(self) -> str:
        return self.header + ("*" if self.required else "")


COLUMNS: tuple[Column, ...] = (
    Column("name", "Полное наименование", True, 500, "обязательно; как в уставе",
           "ГБУ «Комплексный центр социального обслуживания населения Ленинского района»"),
    Column("short_name", "Краткое наименование", False, 200, "как в рейтингах и отчётах",
           "КЦСОН Ленинского района"),
    Column("inn", "ИНН", False, None,
           "10 или 12 цифр с верным контрольным числом; по ИНН обновляется уже внесённая "
           "организация", "7707083893"),
    Column("type", "Тип организации", True, 200,
           "обязательно; полное или краткое название типа из листа «Типы»",
           "Центры социального обслуживания населения"),
    Column("forms", "Формы обслуживания", False, None,
           "через запятую или точку с запятой: стационарная, полустационарная, надомная; "
           "если пусто — формы с ненулевым числом получателей",
           "полустационарная; надомная"),
    Column("recipients_stationary", "Получателей: стационарная", False, None,
           "целое число не меньше 0", 0),
    Column("recipients_semi_stationary", "Получателей: полустационарная", False, None,
           "целое число не меньше 0", 60),
    Column("recipients_home", "Получателей: надомная", False, None,
           "целое число не меньше 0", 140),
    Column("address", "Адрес", False, 500, "почтовый адрес", "г. Кемерово, ул. Ленина, 1"),
    Column("website", "Сайт", False, None, "адрес сайта; https:// добавляется сам",
           "kcson-leninsky.ru"),
    Column("region", "Регион", False, 200, "субъект РФ", "Кемеровская область"),
    Column("municipality", "Муниципальное образование", False, 200, "город или район",
           "г. Кемерово"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

FORM_ALIASES = {
    "stationary": "stationary", "стационарная": "stationary", "стационар": "stationary",
    "стационарное": "stationary", "стационарная форма": "stationary",
    "semi_stationary": "semi_stationary", "полустационарная": "semi_stationary",
    "полустационар": "semi_stationary", "полустационарное": "semi_stationary",
    "полустационарная форма": "semi_stationary",
    "home": "home", "надомная": "home", "на дому": "home", "надомное": "home",
    "надомная форма": "home",
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Строка {self.row}, столбец «{self.column}»: {self.message}"


@dataclass(frozen=True)
class OrganizationRecord:
    """One valid row: model field values (``type`` holds the type's canonical name)."""

    row: int
    action: str  # "create" | "update" (an organization with this INN is in the registry)
    data: dict[str, Any]


@dataclass
class ParseResult:
    records: list[OrganizationRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for r in self.records if r.action == "create")

    @property
    def updated(self) -> int:
        return sum(1 for r in self.records if r.action == "update")


def fold(text: str) -> str:
    """Comparison key: trimmed, case-folded, ё = е, inner spaces collapsed."""
    return re.sub(r"\s+", " ", text.replace("ё", "е").replace("Ё", "Е")).strip().casefold()


# ---- checking rows -------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _int(value: Any) -> int:
    """Integer cell value; '' -> 0. Raises ValueError with a Russian message."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError("ожидается целое число")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("ожидается целое число")
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if not re.fullmatch(r"[-+]?\d+", text):
            raise ValueError(f"ожидается целое число, а не «{value}»")
        number = int(text)
    if number < 0:
        raise ValueError("число получателей не может быть отрицательным")
    return number


def _inn(value: Any) -> str:
    text = _text(value)
    # A numeric cell loses the leading zero of regions 01-09.
    if isinstance(value, int | float) and len(text) in (9, 11):
        text = "0" + text
    return text


def _header_map(header: Sequence[Any]) -> tuple[dict[str, int], list[RowError]]:
    known = {fold(c.header): c.key for c in COLUMNS}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = known.get(fold(_text(cell).rstrip("*")))
        if key is not None and key not in positions:
            positions[key] = index
    errors = [
        RowError(1, c.header, "нет обязательного столбца; скачайте шаблон")
        for c in COLUMNS if c.required and c.key not in positions
    ]
    return positions, errors


def parse_rows(
    rows: Iterable[Sequence[Any]],
    *,
    type_names: Mapping[str, str],
    existing_inns: AbstractSet[str],
    existing_names: AbstractSet[str],
) -> ParseResult:
    """Check every row (the first is the header). ``type_names`` maps ``fold(name or short
    name)`` -> the type's name; ``existing_inns`` are the registry's INNs; ``existing_names``
    the folded full names of organizations without an INN (a row without INN repeating one of
    them is a duplicate). ``rows`` is consumed once, in order."""
    result = ParseResult()
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        result.errors.append(RowError(1, "—", "в файле нет строки заголовков"))
        return result
    positions, header_errors = _header_map(header)
    if header_errors:
        result.errors.extend(header_errors)
        return result
    seen_inns: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        cells = {key: (row[i] if i < len(row) else None) for key, i in positions.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        if _text(cells.get("name")).startswith(EXAMPLE_PREFIX):
            continue
        record, errors = _parse_row(number, cells, type_names)
        inn = record.get("inn", "")
        name_key = fold(record.get("name", ""))
        if inn and not any(e.column == "ИНН" for e in errors):
            if inn in seen_inns:
                errors.append(RowError(number, "ИНН", f"ИНН {inn} уже указан в строке {seen_inns[inn]}"))
            seen_inns.setdefault(inn, number)
        elif not inn and name_key:
            if name_key in seen_names:
                errors.append(RowError(number, "Полное наименование",
                                       f"организация без ИНН уже указана в строке {seen_names[name_key]}"))
            elif name_key in existing_names:
                errors.append(RowError(number, "Полное наименование",
                                       "организация с таким наименованием уже есть в реестре; "
                                       "укажите её ИНН, чтобы обновить"))
            seen_names.setdefault(name_key, number)
        if errors:
            result.errors.extend(errors)
        else:
            action = "update" if inn and inn in existing_inns else "create"
            result.records.append(OrganizationRecord(number, action, record))
    if not result.records and not result.errors:
        result.errors.append(RowError(2, "—", "в файле нет ни одной организации"))
    return result


def _parse_row(
    number: int, cells: Mapping[str, Any], type_names: Mapping[str, str]
) -> tuple[dict[str, Any], list[RowError]]:
    errors: list[RowError] = []

    def fail(key: str, message: str) -> None:
        errors.append(RowError(number, COLUMN_BY_KEY[key].header, message))

    record: dict[str, Any] = {}
    for key in ("name", "short_name", "address", "region", "municipality"):
        record[key] = _text(cells.get(key))
        limit = COLUMN_BY_KEY[key].max_length
        if limit and len(record[key]) > limit:
            fail(key, f"не длиннее {limit} символов (сейчас {len(record[key])})")
    if not record["name"]:
        fail("name", "не указано наименование")

    type_text = _text(cells.get("type"))
    record["type"] = type_names.get(fold(type_text), "")
    if not type_text:
        fail("type", "не указан тип организации")
    elif not record["type"]:
        fail("type", f"неизвестный тип «{type_text}»; типы перечислены в шаблоне")

    record["inn"] = _inn(cells.get("inn"))
    if record["inn"] and (problem := inn_error(record["inn"])):
        fail("inn", f"{problem}: «{record['inn']}»")

    recipients: dict[str, int] = {}
    for form in FORM_KEYS:
        try:
            recipients[form] = _int(cells.get(f"recipients_{form}"))
        except ValueError as exc:
            fail(f"recipients_{form}", str(exc))
            recipients[form] = 0
        record[f"recipients_{form}"] = recipients[form]

    forms_text = _text(cells.get("forms"))
    offered: set[str] = set()
    for token in filter(None, (fold(t) for t in re.split(r"[,;/\n]+", forms_text))):
        if token in FORM_ALIASES:
            offered.add(FORM_ALIASES[token])
        else:
            fail("forms", f"неизвестная форма обслуживания «{token}»; допустимо: "
                          "стационарная, полустационарная, надомная")
    if not forms_text:
        offered = {form for form in FORM_KEYS if recipients[form] > 0}
    for form in FORM_KEYS:
        record[f"has_{form}"] = form in offered
        if recipients[form] and form not in offered and forms_text:
            fail(f"recipients_{form}", "получатели указаны для формы, которой нет "
                                       "в столбце «Формы обслуживания»")

    website = normalize_website(_text(cells.get("website")))
    if website:
        try:
            URLValidator()(website)
        except ValidationError:
            fail("website", f"некорректный адрес сайта «{_text(cells.get('website'))}»")
    record["website"] = website
    return record, errors
