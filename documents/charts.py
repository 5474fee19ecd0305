"""Charts of the documents: matplotlib's Agg backend (no display, no pyplot state, safe in a
server thread) and its bundled DejaVu Sans, so Cyrillic prints the same everywhere."""

from __future__ import annotations

import io
import textwrap

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from documents.model import ChartData
from scoring import fmt

COLORS = ("#1f4e79", "#c55a11", "#7f7f7f", "#548235")


def bar_chart(chart: ChartData, *, width: float = 6.3, height: float = 2.8, dpi: int = 130) -> bytes:
    """A grouped bar chart as PNG bytes; a missing value leaves its bar out (never a zero bar).
    Long labels (organization types) make the bars horizontal, labels wrapped on the left."""
    horizontal = max((len(s) for s in chart.labels), default=0) >= 12
    rows = len(chart.labels)
    if horizontal:
        height = max(height, 0.45 * rows * max(len(chart.series), 1) + 0.9)
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    n = max(len(chart.series), 1)
    bar = 0.8 / n
    positions = list(range(rows))
    for i, (name, values) in enumerate(chart.series):
        offsets = [p - 0.4 + bar * (i + 0.5) for p in positions]
        pairs = [(x, v) for x, v in zip(offsets, values, strict=True) if v is not None]
        draw = ax.barh if horizontal else ax.bar
        bars = draw([x for x, _ in pairs], [v for _, v in pairs], bar * 0.92, label=name,
                    color=COLORS[i % len(COLORS)])
        if len(chart.series) <= 3 and rows <= 12:
            ax.bar_label(bars, labels=[fmt(v, 1) for _, v in pairs], fontsize=6, padding=1)
    labels = [textwrap.fill(textwrap.shorten(s, 90, placeholder="…"), 34) for s in chart.labels]
    if horizontal:
        ax.set_yticks(positions, labels, fontsize=6.5)
        ax.invert_yaxis()  # the first type on top
        ax.tick_params(axis="x", labelsize=7)
        if chart.top is not None:
            ax.set_xlim(0, chart.top * 1.1)
    else:
        ax.set_xticks(positions, labels, fontsize=7 if rows <= 6 else 6)
        ax.tick_params(axis="y", labelsize=7)
        if chart.top is not None:
            ax.set_ylim(0, chart.top * 1.12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(chart.title, fontsize=9)
    legend = len(chart.series) > 1
    if legend:
        ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1),
                  ncol=len(chart.series))
    # fixed margins instead of tight_layout(), which draws the figure once more (half the cost)
    inch = 1 / height
    fig.subplots_adjust(left=0.36 if horizontal else 0.07, right=0.97,
                        top=1 - 0.35 * inch, bottom=(0.75 if legend else 0.35) * inch)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
