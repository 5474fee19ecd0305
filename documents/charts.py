"""Charts of the documents: matplotlib's Agg backend (no display, no pyplot state, safe in a
server thread) and its bundled DejaVu Sans, so Cyrillic prints the same everywhere."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from documents.model import ChartData
from scoring import fmt

COLORS = ("#1f4e79", "#c55a11", "#7f7f7f", "#548235")


def bar_chart(chart: ChartData, *, width: float = 6.3, height: float = 2.8, dpi: int = 150) -> bytes:
    """A grouped bar chart as PNG bytes; a missing value leaves its bar out (never a zero bar)."""
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    n = max(len(chart.series), 1)
    bar = 0.8 / n
    positions = range(len(chart.labels))
    for i, (name, values) in enumerate(chart.series):
        xs = [p - 0.4 + bar * (i + 0.5) for p in positions]
        pairs = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        bars = ax.bar([x for x, _ in pairs], [v for _, v in pairs], width=bar * 0.92,
                      label=name, color=COLORS[i % len(COLORS)])
        if len(chart.series) <= 3 and len(chart.labels) <= 8:
            ax.bar_label(bars, labels=[fmt(v, 1) for _, v in pairs], fontsize=6, padding=1)
    ax.set_xticks(list(positions), list(chart.labels), fontsize=7 if len(chart.labels) <= 6 else 6,
                  rotation=0 if max((len(s) for s in chart.labels), default=0) < 12 else 20,
                  ha="center" if max((len(s) for s in chart.labels), default=0) < 12 else "right")
    ax.tick_params(axis="y", labelsize=7)
    if chart.top is not None:
        ax.set_ylim(0, chart.top * 1.12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(chart.title, fontsize=9)
    if len(chart.series) > 1:
        ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12),
                  ncol=len(chart.series))
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
