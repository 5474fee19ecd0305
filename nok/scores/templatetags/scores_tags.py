"""Display of 95 % intervals: «86,6–100,0» with the decimals of the scale."""

from __future__ import annotations

from typing import Any

from django import template

import scoring

register = template.Library()


@register.filter
def interval(bounds: Any, scale: str = "criteria-100") -> str:
    """``(lo, hi)`` -> «86,6–100,0» (one decimal; two on the integral scale); «» when exact or
    absent."""
    if not bounds or bounds[0] is None or bounds[0] == bounds[1]:
        return ""
    return scoring.fmt_interval((float(bounds[0]), float(bounds[1])), scoring.digits_for(scale))
