"""Horizontal bar charts of the start page, drawn on the server as SVG (no script; only
presentation attributes, which the Content-Security-Policy allows).

:func:`bar_chart` computes the geometry; ``dashboard/_bar_chart.svg`` draws it. Each bar has its
label on a line of its own above it, so the chart is narrow enough to be read on a 390 px phone
without shrinking its text, and grows to the column's width on a wide screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nok.dashboard.selectors import OwnResult, RegionResults
from scoring import fmt

WIDTH = 360
LEFT, RIGHT = 4, 52  # the value is printed right of its bar
LABEL_H, BAR_H, GAP = 18, 16, 10
TOP = 6
COLOUR = "#0072B2"  # Okabe–Ito blue; the highlighted bar (the total) is drawn dark
HIGHLIGHT = "#1b1f24"


@dataclass(frozen=True)
class Line:
    text: str
    y: float


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str  # the value as printed («86,4», «—»)
    lines: tuple[Line, ...]  # the label, wrapped
    y: float
    width: float
    colour: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    bar_height: int
    track: float  # the width of a full bar (the scale's maximum)
    value_x: float  # where the values are printed
    scale_max: float
    bars: tuple[Bar, ...]
    title: str
    description: str


LINE_CHARS = 42  # characters of a label line at 13 px in the chart's width
LABEL_LINES = 2


def wrap(label: str, width: int = LINE_CHARS, lines: int = LABEL_LINES) -> list[str]:
    """``label`` in at most ``lines`` lines of at most ``width`` characters, broken between
    words; what does not fit ends in «…»."""
    out: list[str] = []
    current = ""
    for word in label.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
            continue
        if current:
            out.append(current)
        current = word
    if current:
        out.append(current)
    out = [line if len(line) <= width else line[:width - 1] + "…" for line in out] or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:width - 1].rstrip() + "…"
    return out


def bar_chart(title: str, bars: Sequence[tuple[str, float | None]], *, scale_max: float = 100.0,
              highlight: str | None = None, digits: int = 1) -> BarChart:
    """``bars``: (label, value) in order; a value of None draws no bar and prints «—»;
    ``highlight``: the label of a bar drawn in the dark colour (the total among criteria)."""
    span = WIDTH - LEFT - RIGHT
    drawn = []
    y = TOP
    for label, value in bars:
        share = 0.0 if value is None or scale_max <= 0 else max(0.0, min(1.0, value / scale_max))
        lines = tuple(Line(text, y + LABEL_H * (i + 1) - 5) for i, text in enumerate(wrap(label)))
        top = y + LABEL_H * len(lines)
        drawn.append(Bar(label, value, fmt(value, digits), lines, top, span * share,
                         HIGHLIGHT if label == highlight else COLOUR))
        y = top + BAR_H + GAP
    described = "; ".join(f"{b.label}: {b.text}" for b in drawn)
    return BarChart(WIDTH, int(y), LEFT, BAR_H, span, WIDTH - RIGHT + 6, scale_max, tuple(drawn),
                    title, f"{title}: {described}")


def criteria_chart(title: str, criteria: Sequence[tuple[str, str, float | None]],
                   total: float | None, *, digits: int = 1) -> BarChart:
    """K1–K5 (``criteria``: key, title, value) and the total, the total drawn dark."""
    return bar_chart(title, [*((f"{key}. {name}", value) for key, name, value in criteria),
                             (TOTAL, total)], highlight=TOTAL, digits=digits)


TOTAL = "Итоговый балл"


def region_criteria_chart(results: RegionResults | None) -> BarChart | None:
    """The region's averages of K1–K5 and of the total (100-point scale only)."""
    if results is None or not results.comparable:
        return None
    return criteria_chart("Средние значения критериев и итогового балла по региону",
                          results.criteria, results.total)


def region_types_chart(results: RegionResults | None) -> BarChart | None:
    """The average total per organization type (on the integral scale of social-2014 the
    longest bar is the largest average)."""
    if results is None or not results.types:
        return None
    top = 100.0 if results.comparable else max([t.average or 0.0 for t in results.types] + [1.0])
    return bar_chart("Средний итоговый балл по типам организаций",
                     [(t.type, t.average) for t in results.types], scale_max=top)


def own_chart(result: OwnResult | None) -> BarChart | None:
    """The organization's K1–K5 and total of its latest published results."""
    if result is None or not result.latest.comparable:
        return None
    return criteria_chart("Критерии и итоговый балл организации", result.latest.criteria,
                          result.latest.total, digits=2)  # as the table beside it
