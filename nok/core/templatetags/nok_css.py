"""Helpers that keep inline styles out of templates (the Content-Security-Policy forbids them)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def width_class(percent: object) -> str:
    """A bar's width as a class of nok.css: 42 -> "w-pct-42" (whole percent, 0..100)."""
    try:
        value = round(float(str(percent).replace(",", ".")))
    except (TypeError, ValueError):
        value = 0
    return f"w-pct-{min(max(value, 0), 100)}"
