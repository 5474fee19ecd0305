"""The open-data export of a campaign, written as a stream (constant memory at any size).

JSON (``scoring.export``'s format, read back by ``nok score`` — with ``--verify`` it recomputes
every figure from the assessment files and compares): the campaign with its methodology
document, then one entry per organization in rating order. After publication it is exactly the
published snapshot; under review the review snapshot; in fieldwork the current results.

CSV: one row per organization — type, place, name, INN, municipality, the headline figure,
every criterion and indicator in full precision with a decimal point, and why it has no place.
UTF-8 with a byte-order mark (spreadsheet programs then read the Cyrillic right), comma-
separated, as open-data portals expect.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

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


def csv_chunks(campaign: Campaign) -> Iterator[str]:
    """The CSV export as text chunks (a header line, then a line per organization)."""
    source = export_source(campaign)
    registry = _registry(campaign)
    methodology = source.results.methodology
    criteria = [c.key for c in methodology.criteria]
    indicators = [i.key for i in methodology.indicators]
    total = "Интегральное значение" if methodology.scale == "integral" else "Итоговый балл"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(["Тип организации", "Место", "Организация", "ИНН",
                     "Муниципальное образование", total, *criteria, *indicators,
                     "Недостаточно данных"])
    yield "\ufeff" + flush()
    for row, _, results in source.entries():
        org = registry.get(row.organization_id, {})
        writer.writerow([
            row.type, "" if row.place is None else row.place, row.name, org.get("inn", ""),
            org.get("municipality", ""), _number(results.get("total")),
            *(_number((results.get("criteria") or {}).get(k)) for k in criteria),
            *(_number((results.get("indicators") or {}).get(k)) for k in indicators),
            "; ".join(row.insufficient),
        ])
        yield flush()


def _number(value: Any) -> str:
    return "" if value is None else repr(float(value))
