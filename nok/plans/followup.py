"""The next round's check: is each earlier shortcoming gone in a later campaign's results?

Matched by the shortcoming's stable key (``scoring.Shortcoming.key``: a checklist item, a
condition or an indicator), never by its wording. A shortcoming is

- «сохраняется» when the later results have the same key (for a list known only by its counts,
  ``"<list>:*"``, when the later results still miss any item of that list);
- «устранён» when they do not, and the later results did measure it;
- «не проверен» when they could not tell: the later methodology has no such indicator, list or
  item, the indicator has no value there (no data, or it does not apply), or the later list is
  known only by its counts while the earlier shortcoming named one item.

Pure functions over ``scoring`` values: no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import scoring


class Outcome(StrEnum):
    RESOLVED = "resolved"
    PERSISTING = "persisting"
    UNCHECKED = "unchecked"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.RESOLVED: "устранён",
    Outcome.PERSISTING: "сохраняется",
    Outcome.UNCHECKED: "не проверен",
}


@dataclass(frozen=True)
class Check:
    outcome: Outcome
    note: str = ""  # why it could not be checked

    @property
    def label(self) -> str:
        return self.outcome.label


def _list_item(methodology: scoring.Methodology, key: str) -> str | None:
    """Why a list item key cannot be checked under ``methodology`` (None when it can)."""
    checklist_key, _, item_key = key.partition(":")
    try:
        checklist = methodology.checklist(checklist_key)
    except KeyError:
        return "в методике следующей кампании нет такого перечня"
    if item_key == "*":
        return None
    try:
        checklist.item(item_key)
    except KeyError:
        return "в методике следующей кампании нет такого пункта перечня"
    return None


def check_one(key: str, indicator: str, methodology: scoring.Methodology, result: scoring.Result,
              later_keys: frozenset[str]) -> Check:
    """The outcome of one earlier shortcoming (``key``, its ``indicator``) in the later
    results (``methodology``, ``result``; ``later_keys``: the keys of their shortcomings)."""
    try:
        methodology.indicator(indicator)
    except KeyError:
        return Check(Outcome.UNCHECKED, f"в методике следующей кампании нет показателя {indicator}")
    if result.indicators.get(indicator) is None:
        return Check(Outcome.UNCHECKED, f"в следующей кампании нет значения показателя {indicator}")
    if key in later_keys:
        return Check(Outcome.PERSISTING)
    prefix, _, rest = key.partition(":")
    if prefix == "indicator":
        return Check(Outcome.RESOLVED)
    why = _list_item(methodology, key)
    if why is not None:
        return Check(Outcome.UNCHECKED, why)
    if rest == "*":
        still = any(k.startswith(f"{prefix}:") for k in later_keys)
        return Check(Outcome.PERSISTING if still else Outcome.RESOLVED)
    if f"{prefix}:*" in later_keys:
        return Check(Outcome.UNCHECKED,
                     "в следующей кампании по перечню известно только число размещённых пунктов")
    return Check(Outcome.RESOLVED)


def check_all(earlier: Iterable[tuple[str, str]], methodology: scoring.Methodology,
              result: scoring.Result, later: Iterable[scoring.Shortcoming]) -> dict[str, Check]:
    """Key -> outcome for each earlier shortcoming given as (key, indicator); rows without a
    key (added by the organization) are left out."""
    later_keys = frozenset(s.key for s in later)
    return {key: check_one(key, indicator, methodology, result, later_keys)
            for key, indicator in earlier if key}
