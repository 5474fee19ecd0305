"""Numbers as Russian text prints them."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

NO_BREAK_SPACE = "\u00a0"


@register.filter
def num(value: Any) -> Any:
    """An integer in groups of three digits from 10 000 on, joined by a no-break space
    («13 544»); four digits are written whole («9573»), as Russian typesetting does. Anything
    but an integer is returned as it is."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    if abs(value) < 10_000:
        return str(value)
    return f"{value:,}".replace(",", NO_BREAK_SPACE)
