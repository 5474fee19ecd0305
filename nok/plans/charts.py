"""The organization's criteria and total year over year as an SVG line chart, drawn on the
server (no script; only presentation attributes, which the Content-Security-Policy allows).

:func:`history_chart` computes the geometry; ``plans/_history_chart.svg`` draws it. Only
results on the 100-point scale (social-2018) are drawn: the integral values of social-2014
are on another scale and are listed in the table only.
"""

from __future__ import annotations

from dataclasses import dataclass

from nok.plans.selectors import YearResult

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 170, 16, 34
# Colour-blind-safe palette (Okabe–Ito); the total is drawn black and thicker.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442")
TOTAL = "Итоговый балл"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    year: int


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    width: float
    points: tuple[Point, ...]
    legend_y: float

    @property
    def path(self) -> str:
        """SVG polyline points: "x1,y1 x2,y2 …"."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    series: tuple[Series, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    legend_x: float
    description: str


def _y(value: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / 100)


def history_chart(results: list[YearResult]) -> Chart | None:
    """The chart of the comparable results (None when there are none)."""
    rows = [r for r in results if r.comparable]
    if not rows:
        return None
    pad = 28  # the first and last years stand off the axes
    span = WIDTH - LEFT - RIGHT - 2 * pad
    step = span / (len(rows) - 1) if len(rows) > 1 else 0
    xs = [LEFT + pad + (step * i if len(rows) > 1 else span / 2) for i in range(len(rows))]
    criteria = [(key, title) for key, title, _ in rows[-1].criteria]
    lines: list[tuple[str, str, float, list[float | None]]] = [
        (key, COLOURS[i % len(COLOURS)], 2.0,
         [dict((k, v) for k, _, v in r.criteria).get(key) for r in rows])
        for i, (key, _) in enumerate(criteria)
    ]
    lines.append((TOTAL, "#1b1f24", 3.5, [r.total for r in rows]))
    series = tuple(
        Series(label, colour, width,
               tuple(Point(x, _y(v), v, r.campaign.year)
                     for x, v, r in zip(xs, values, rows, strict=True) if v is not None),
               TOP + 14 + 20 * i)
        for i, (label, colour, width, values) in enumerate(lines)
    )
    described = "; ".join(
        f"{r.campaign.year}: " + ", ".join(
            f"{key} {_fmt(v)}" for key, _, v in r.criteria) + f", итог {_fmt(r.total)}"
        for r in rows)
    return Chart(
        WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM, series,
        tuple(Tick(x, str(r.campaign.year)) for x, r in zip(xs, rows, strict=True)),
        tuple(Tick(_y(v), str(v)) for v in (0, 20, 40, 60, 80, 100)),
        WIDTH - RIGHT + 28,
        f"Критерии и итоговый балл по годам (из 100): {described}",
    )


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")
