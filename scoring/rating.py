"""Ratings: positions within an organization type.

- Groups are the organization types in order of first appearance in ``entries``.
- Inside a type: value descending; positions 1..n; ties keep distinct places (seed 004 gives
  29,90 places 5 and 6). Tied organizations are ordered by name (case-insensitive), then key,
  so that the order is reproducible.
- Values are compared after rounding to 9 decimals so float noise (68.00000000000001 vs 68)
  never decides a place.
- Entries with ``value is None`` come last in their type, by name, with ``position = None``.
"""

from __future__ import annotations

from collections.abc import Iterable

from scoring.model import RatingEntry, RatingRow


def rate(entries: Iterable[RatingEntry]) -> list[RatingRow]:
    groups: dict[str, list[RatingEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.type, []).append(entry)
    rows: list[RatingRow] = []
    for org_type, members in groups.items():
        valued = sorted(
            (e for e in members if e.value is not None),
            key=lambda e: (-round(e.value or 0.0, 9), e.name.casefold(), e.key),
        )
        empty = sorted((e for e in members if e.value is None), key=lambda e: (e.name.casefold(), e.key))
        for position, e in enumerate(valued, start=1):
            rows.append(RatingRow(org_type, position, e.key, e.name, e.value))
        rows.extend(RatingRow(org_type, None, e.key, e.name, None) for e in empty)
    return rows
