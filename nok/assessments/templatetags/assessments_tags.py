"""Display of scores: round only here (two decimals, comma), never in storage."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def score(value: Any, digits: int = 2) -> str:
    """93.6 -> "93,6"; 100.0 -> "100"; 66.6666 -> "66,67"; None -> "—"."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{number:.{int(digits)}f}".rstrip("0").rstrip(".")
    return (text if text not in {"-0", ""} else "0").replace(".", ",")


@register.filter
def score_fixed(value: Any) -> str:
    """For columns of scores: always two decimals so the commas line up (98.8 -> "98,80")."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value):.2f}".replace(".", ",")
    except (TypeError, ValueError):
        return str(value)


@register.filter
def plain(value: Any) -> str:
    """An explanation input: numbers like ``score``, lists joined, booleans in Russian."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        return score(value, 4)
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {plain(v)}" for k, v in value.items()) or "—"
    if value is None:
        return "—"
    return str(value)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


SOURCES = {
    "observation": "наблюдение", "site": "мониторинг сайта", "survey": "опрос",
    "calls": "контрольные звонки", "documents": "документы", "external": "внешний источник",
}


@register.filter
def source_label(value: str) -> str:
    """Indicator source in Russian: "observation+site" -> "наблюдение, мониторинг сайта"."""
    parts = [p for p in str(value or "").replace(",", "+").split("+") if p]
    return ", ".join(SOURCES.get(p.strip(), p.strip()) for p in parts)
