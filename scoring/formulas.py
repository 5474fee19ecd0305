"""Small pure formula and band functions, each tested at its boundaries.

Boundaries (decided here, documented once; METHODOLOGY.md §3 and seed 003):

- :func:`band_score` — a band includes its lower bound: with the social-2014 bands
  <10 → 0, [10, 30) → 0.3, [30, 60) → 0.6, [60, 90) → 0.9, ≥90 → 1. So exactly 10 % scores
  0.3, 30 % scores 0.6, 60 % scores 0.9, 90 % scores 1 (the order reads «от 10 до 30 %»,
  «от 90 до 100 %»: "from" includes the bound).
- :func:`waiting_score` — «более 30 мин. – 0; от 15 до 30 мин. – 0,5; менее 15 мин. – 1»:
  both 15 and 30 minutes are inside "from 15 to 30" and score 0.5; 30.01 → 0, 14.99 → 1.
- :func:`complaints_score` — «жалоб не зарегистрировано – 1; не более 5 – 0,5; более 5 – 0»
  (METHODOLOGY.md says ≤5): 0 → 1, any positive number up to and including 5 → 0.5,
  above 5 → 0.

All functions take and return plain floats; no rounding happens here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from scoring.model import Count, Ratio

LEVELS: dict[str, float] = {"full": 1.0, "partial": 0.5, "none": 0.0}
"""«в полном объёме / частично / отсутствует», «оборудована / частично / не оборудована»."""


def fmt(value: float | None, digits: int = 2) -> str:
    """Display form: decimal comma, at most ``digits`` decimals, no trailing zeros; None -> «—»."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",")


def share(count: Count) -> float | None:
    """``yes / asked`` as a fraction 0..1; None when nobody was asked (empty denominator)."""
    if count.asked == 0:
        return None
    return count.yes / count.asked


def ratio(r: Ratio) -> float | None:
    """``present / required`` as a fraction 0..1; None when nothing is required."""
    if r.required == 0:
        return None
    return r.present / r.required


def conditions_points(present: int, points: float, cap: float = 100.0) -> float:
    """``min(cap, points × present)`` — e.g. 4 remote channels × 30 = 120 → 100."""
    return min(cap, points * present)


def mean(parts: Sequence[float]) -> float:
    return sum(parts) / len(parts)


def band_score(percent: float, bands: Sequence[tuple[float, float]], below: float = 0.0) -> float:
    """Score of the highest band whose lower bound is ≤ ``percent``; ``below`` under the first."""
    result = below
    for lower, score in bands:
        if percent >= lower:
            result = score
    return result


def waiting_score(minutes: float, fast_below: float = 15.0, slow_above: float = 30.0) -> float:
    """Waiting time: ``> slow_above`` → 0, ``< fast_below`` → 1, otherwise (bounds included) 0.5."""
    if minutes > slow_above:
        return 0.0
    if minutes < fast_below:
        return 1.0
    return 0.5


def complaints_score(per_100: float, max_some: float = 5.0) -> float:
    """Complaints per 100 recipients a year: none → 1, ``≤ max_some`` → 0.5, more → 0."""
    if per_100 == 0:
        return 1.0
    if per_100 <= max_some:
        return 0.5
    return 0.0


def level3_score(level: str) -> float:
    return LEVELS[level]


def is_empty(raw: Any) -> bool:
    """No measured value: ``None`` or a survey count nobody answered (asked = 0)."""
    return raw is None or (isinstance(raw, Count) and raw.asked == 0)


def measured_score(kind: str, raw: Any, params: Mapping[str, Any]) -> tuple[float, float]:
    """Score one raw social-2014 value (already validated by :mod:`scoring.assessment_file`):
    ``(measured, score)``, the value as measured (a share 0..1, a percent, minutes, complaints
    per 100, 1/0 for yes/no, 1/0.5/0 for levels) and its score 0..1."""
    if kind in ("share", "negative_share", "score_0_1"):
        if isinstance(raw, Count):
            value = raw.yes / raw.asked
        elif isinstance(raw, Ratio):
            value = raw.present / raw.required
        else:
            value = float(raw)
        return value, 1.0 - value if kind == "negative_share" else value
    if kind == "yes_no":
        value = 1.0 if raw else 0.0
        return value, value
    if kind == "level3":
        value = level3_score(raw)
        return value, value
    if kind == "band":
        percent = float(raw)
        return percent, band_score(percent, params["bands"], params["below"])
    if kind == "waiting_minutes":
        minutes = float(raw)
        return minutes, waiting_score(minutes, params["fast_below"], params["slow_above"])
    if kind == "complaints_per_100":
        if isinstance(raw, tuple):
            complaints, recipients = raw
            per_100 = complaints / recipients * 100 if complaints else 0.0
        else:
            per_100 = float(raw)
        return per_100, complaints_score(per_100, params["max_some"])
    raise ValueError(f"unknown value kind {kind!r}")


LEVEL_NAMES = {"full": "в полном объёме", "partial": "частично", "none": "отсутствует"}


def measure(kind: str, raw: Any, params: Mapping[str, Any]) -> tuple[float, float, str]:
    """:func:`measured_score` and the formula with the numbers put in: ``(measured, score,
    formula)``."""
    value, score = measured_score(kind, raw, params)
    if kind in ("share", "negative_share", "score_0_1"):
        if isinstance(raw, Count):
            base = f"{raw.yes}/{raw.asked}"
        elif isinstance(raw, Ratio):
            base = f"{raw.present}/{raw.required}"
        else:
            base = fmt(value, 4)
        if kind == "negative_share":
            return value, score, f"1 − {base} = {fmt(score, 4)}"
        return value, score, base if base == fmt(value, 4) else f"{base} = {fmt(value, 4)}"
    if kind == "yes_no":
        text = "да" if raw else "нет"
    elif kind == "level3":
        text = LEVEL_NAMES[raw]
    elif kind == "band":
        text = f"{fmt(value)} %"
    elif kind == "waiting_minutes":
        text = f"{fmt(value)} мин"
    elif isinstance(raw, tuple):  # complaints_per_100 from the register
        complaints, recipients = raw
        text = f"(жалобы: {complaints}) / (получатели: {recipients}) × 100 = {fmt(value)}"
    else:
        text = f"{fmt(value)} на 100 получателей"
    return value, score, f"{text} → {fmt(score)}"
