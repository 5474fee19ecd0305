"""The open-data export of a campaign: one JSON document, read back by ``nok score``.

Shape (``EXPORT_FORMAT``)::

    {"format": "nok-campaign", "version": 1,
     "campaign": {"id", "title", "year", "period": [start, end], "status", "edition",
                  "methodology": {"slug", "title", "version", "sha256", "definition"},
                  "rating_rule": "…"},
     "organizations": [ENTRY, ...]}

Each ENTRY is an assessment file (format 1, METHODOLOGY.md §6) with two more keys:
``"registry"`` (the organization's id, INN and municipality in the register) and
``"results"`` — ``indicators``, ``criteria``, ``total`` (the integral on the integral scale),
their 95 % ``intervals``, ``place`` (None in the «недостаточно данных» group) and
``insufficient`` (why no place).
Everything here is pure: the web application writes entries with :func:`export_entry`, the CLI
reads them with :func:`read_export` and scores the assessment files again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scoring.assessment_file import to_assessment_file
from scoring.errors import InputError
from scoring.headline import Figures
from scoring.model import AssessmentInput, Methodology, RatingRow, Result

EXPORT_FORMAT = "nok-campaign"
EXPORT_VERSION = 1
ENTRY_EXTRAS = ("registry", "results")


def definition_sha256(definition: Mapping[str, Any]) -> str:
    """The content hash of a methodology document: SHA-256 of its canonical JSON (sorted keys,
    no whitespace), so the same document always has the same hash whatever its layout."""
    canonical = json.dumps(definition, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def results_of(result: Result | Figures, row: RatingRow | None) -> dict[str, Any]:
    """The ``results`` object of an entry: values in full precision, their 95 % intervals
    (``[lo, hi]`` or None, METHODOLOGY.md §7), the place from ``row`` — of an explained result
    or of the same figures without explanations (:func:`scoring.figures`)."""
    return {
        "indicators": dict(result.indicators),
        "criteria": dict(result.criteria),
        "total": result.total,
        "intervals": {key: None if bounds is None else list(bounds)
                      for key, bounds in result.intervals.items()},
        "place": row.position if row is not None else None,
        "insufficient": list(row.insufficient) if row is not None else [],
    }


def export_entry(
    inp: AssessmentInput, methodology: Methodology, results: Mapping[str, Any],
    registry: Mapping[str, Any],
) -> dict[str, Any]:
    """One organization of the export: its assessment file, ``registry`` and ``results``."""
    return to_assessment_file(inp, methodology) | {
        "registry": dict(registry), "results": dict(results),
    }


@dataclass(frozen=True)
class ExportEntry:
    index: int
    assessment: dict[str, Any]  # the assessment file alone (what parse_assessment reads)
    results: dict[str, Any]
    registry: dict[str, Any]


@dataclass(frozen=True)
class Export:
    campaign: dict[str, Any]
    definition: dict[str, Any] | None  # the methodology document it was scored with
    entries: tuple[ExportEntry, ...]


def is_export(doc: Any) -> bool:
    return isinstance(doc, Mapping) and doc.get("format") == EXPORT_FORMAT


def read_export(doc: Mapping[str, Any]) -> Export:
    """Split an export into its campaign, methodology document and entries; the assessment
    files themselves are validated later by :func:`scoring.parse_assessment`."""
    if doc.get("version") != EXPORT_VERSION:
        raise InputError("version", f"неподдерживаемая версия выгрузки «{doc.get('version')}» "
                                    f"(ожидается {EXPORT_VERSION})")
    campaign = doc.get("campaign")
    if not isinstance(campaign, Mapping):
        raise InputError("campaign", "ожидается объект с описанием кампании")
    methodology = campaign.get("methodology")
    definition = methodology.get("definition") if isinstance(methodology, Mapping) else None
    if definition is not None and not isinstance(definition, Mapping):
        raise InputError("campaign.methodology.definition", "ожидается документ методики")
    raw = doc.get("organizations")
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        raise InputError("organizations", "ожидается список организаций")
    entries = []
    for index, entry in enumerate(raw):
        path = f"organizations[{index}]"
        if not isinstance(entry, Mapping):
            raise InputError(path, "ожидается объект")
        extras = {}
        for key in ENTRY_EXTRAS:
            value = entry.get(key, {})
            if not isinstance(value, Mapping):
                raise InputError(f"{path}.{key}", "ожидается объект")
            extras[key] = dict(value)
        assessment = {k: v for k, v in entry.items() if k not in ENTRY_EXTRAS}
        entries.append(ExportEntry(index, assessment, extras["results"], extras["registry"]))
    return Export(dict(campaign), dict(definition) if definition is not None else None,
                  tuple(entries))


def differences(expected: Mapping[str, Any], got: Mapping[str, Any],
                tolerance: float = 1e-9) -> list[str]:
    """Where two ``results`` objects differ (values compared within ``tolerance``)."""
    out: list[str] = []

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
            return abs(float(a) - float(b)) <= tolerance
        return bool(a == b)

    for group in ("indicators", "criteria"):
        left, right = expected.get(group) or {}, got.get(group) or {}
        for key in sorted(set(left) | set(right)):
            if not same(left.get(key), right.get(key)):
                out.append(f"{group}.{key}: в файле {left.get(key)!r}, расчёт {right.get(key)!r}")
    for key in ("total", "place"):
        if not same(expected.get(key), got.get(key)):
            out.append(f"{key}: в файле {expected.get(key)!r}, расчёт {got.get(key)!r}")
    return out
