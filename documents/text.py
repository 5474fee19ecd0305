"""Russian wording helpers of the documents: plurals, numbers, Roman numerals.

Numbers are formatted by the scoring core (:func:`scoring.fmt`, decimal comma); this module only
adds what a sentence needs around them.
"""

from __future__ import annotations

from scoring import fmt
from scoring.uncertainty import fmt_fixed

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian form for ``n``: 1 организация, 2 организации, 5 организаций, 11 организаций,
    21 организация."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """«55 организаций»."""
    return f"{n} {plural(n, one, few, many)}"


def points(value: float) -> str:
    """A score with its noun: «94 балла», «95 баллов», «91 балл»; a fraction takes the genitive
    singular whatever its digits: «93,6 балла»."""
    text = fmt(value)
    if "," in text:
        return f"{text} балла"
    return f"{text} {plural(int(text), 'балл', 'балла', 'баллов')}"


def value_text(value: float | None, scale: str) -> str:
    """A total or a criterion for display: at most two decimals on the 100-point scale
    («93,6»), exactly two on the integral scale as in seed 004 («29,70»); «—» for no value."""
    if value is None:
        return "—"
    return fmt_fixed(value, 2) if scale == "integral" else fmt(value)


def percent(value: float | None) -> str:
    """«96,7 %»; «—» for no value."""
    return "—" if value is None else f"{fmt(value, 1)} %"


def roman(index: int) -> str:
    """1 → «I» … 10 → «X» (criteria are numbered I–V in the official forms)."""
    return ROMAN[index - 1] if 1 <= index <= len(ROMAN) else str(index)
