"""The open-data export of a campaign, written as a stream (constant memory at any size).

JSON (``scoring.export``'s format, read back by ``nok score`` — with ``--verify`` it recomputes
every figure from the assessment files and compares): the campaign with its methodology
document, then one entry per organization in rating order. After publication it is exactly the
published snapshot; under review the review snapshot; in fieldwork the current results.

CSV: one row per organization — type, place, name, INN, municipality, the headline figure,
every criterion and indicator in full precision with a decimal point, and why it has no place.
UTF-8 with a byte-order mark (spreadsheet programs then read the Cyrillic right), comma-
separated, as open-data portals expect.

XLSX: the CSV's columns and rows, numbers as numbers (written in constant memory, to a
temporary file the response streams).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from typing import IO, Any

import xlsxwriter

import scoring
from nok.assessments.models import Campaign
from nok.organizations.models import Organization
from nok.scores.selectors import ExportSource, export_source


def _source_label(source: ExportSource) -> str:
    snapshot = source.results.snapshot
    return "current" if snapshot is None else snapshot.stage


def campaign_header(campaign: Campaign, source: ExportSource) -> dict[str, Any]:
    snapshot = source.results.snapshot
    methodology = source.results.methodology
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "year": campaign.year,
        "period": [campaign.period_start.isoformat(), campaign.period_end.isoformat()],
        "operator": campaign.operator_name,
        "status": campaign.status,
        "edition": campaign.edition,
        "source": _source_label(source),
        "frozen_at": snapshot.created_at.isoformat() if snapshot else None,
        "methodology": {
            "slug": methodology.slug, "title": methodology.title, "version": methodology.version,
            "sha256": source.sha256, "definition": source.definition,
        },
        "ties": methodology.rating.ties,
        "rating_rule": source.results.rule,
    }


def _registry(campaign: Campaign) -> dict[int, dict[str, Any]]:
    return {
        pk: {"organization_id": pk, "inn": inn, "municipality": municipality}
        for pk, inn, municipality in Organization.objects.filter(assessments__campaign=campaign)
        .values_list("pk", "inn", "municipality")
    }


def json_chunks(campaign: Campaign) -> Iterator[str]:
    """The JSON export as text chunks: the header, then one organization at a time."""
    source = export_source(campaign)
    registry = _registry(campaign)
    head = {"format": scoring.EXPORT_FORMAT, "version": 1,
            "campaign": campaign_header(campaign, source)}
    text = json.dumps(head, ensure_ascii=False, indent=1)
    yield text[:-2] + ',\n "organizations": ['
    first = True
    for row, inputs, results in source.entries():
        entry = dict(inputs) | {
            "registry": {"assessment_id": row.assessment_id} | registry.get(row.organization_id, {}),
            "results": dict(results) | {
                "place": row.place, "insufficient": list(row.insufficient),
                "unmet": list(row.unmet), "exception": row.exception,
            },
        }
        yield ("\n  " if first else ",\n  ") + json.dumps(entry, ensure_ascii=False)
        first = False
    yield "\n ]\n}\n"


def _table(campaign: Campaign) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and the rows of the tabular exports (CSV, XLSX), rows read as they are
    written: type, place (None without one), name, INN, municipality, the headline figure,
    every criterion and indicator (None without a value), why there is no place."""
    source = export_source(campaign)
    registry = _registry(campaign)
    methodology = source.results.methodology
    criteria = [c.key for c in methodology.criteria]
    indicators = [i.key for i in methodology.indicators]
    total = "Интегральное значение" if methodology.scale == "integral" else "Итоговый балл"
    header = ["Тип организации", "Место", "Организация", "ИНН", "Муниципальное образование",
              total, *criteria, *indicators, "Недостаточно данных"]

    def rows() -> Iterator[list[Any]]:
        for row, _, results in source.entries():
            org = registry.get(row.organization_id, {})
            yield [
                row.type, row.place, row.name, org.get("inn", ""), org.get("municipality", ""),
                _float(results.get("total")),
                *(_float((results.get("criteria") or {}).get(k)) for k in criteria),
                *(_float((results.get("indicators") or {}).get(k)) for k in indicators),
                "; ".join(row.insufficient),
            ]

    return header, rows()


def csv_chunks(campaign: Campaign) -> Iterator[str]:
    """The CSV export as text chunks (a header line, then a line per organization)."""
    header, rows = _table(campaign)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(header)
    yield "\ufeff" + flush()
    for line in rows:
        writer.writerow(["" if v is None else repr(v) if isinstance(v, float) else v
                         for v in line])
        yield flush()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_file(campaign: Campaign) -> IO[bytes]:
    """The XLSX export (the CSV's columns, numbers as numbers, the header frozen) in an
    anonymous temporary file, rewound, for the response to stream. Written in XlsxWriter's
    constant-memory mode, each row as it is read: memory stays flat whatever the size (the
    file is on disk, deleted when closed)."""
    header, rows = _table(campaign)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        book = xlsxwriter.Workbook(handle, {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False})
        sheet = book.add_worksheet("Открытые данные")
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, 0, 30)
        sheet.set_column(2, 2, 40)
        sheet.set_column(3, 4, 16)
        sheet.write_row(0, 0, header, bold)
        n = 0
        for n, line in enumerate(rows, start=1):
            for col, value in enumerate(line):
                if value is None:
                    continue
                if isinstance(value, (int, float)):
                    sheet.write_number(n, col, value)
                else:
                    sheet.write_string(n, col, value)
        sheet.autofilter(0, 0, n, len(header) - 1)
        book.close()
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
