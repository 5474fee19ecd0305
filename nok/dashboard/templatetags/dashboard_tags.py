"""Formatting of the start page's figures."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def signed(value: float | None) -> str:
    """A change with its sign and one decimal, Russian style: 3.24 -> «+3,2», -1.5 -> «−1,5»,
    0.04 -> «0»; None -> «»."""
    if value is None:
        return ""
    rounded = round(float(value), 1)
    if rounded == 0:
        return "0"
    text = f"{abs(rounded):.1f}".replace(".", ",").removesuffix(",0")
    return f"+{text}" if rounded > 0 else f"−{text}"
