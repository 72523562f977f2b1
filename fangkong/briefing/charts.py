"""Charts for the briefing (matplotlib, Agg backend), returned as PNG bytes.

Chinese labels need a CJK font: the Noto Sans CJK collection is registered with matplotlib's font
manager once, and every text element uses its Simplified Chinese face.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from fangkong.briefing import wording as w
from fangkong.reporting.summary import DaySummary

CJK_FONT_FILES = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
]
CJK_FAMILY = "Noto Sans CJK SC"
# At most this many indicators are drawn per township; more bars per group become unreadable.
MAX_CHART_INDICATORS = 4
TIMELINESS_COLOURS = {
    "on_time": "#2e7d32",
    "zero": "#81c784",
    "late": "#f9a825",
    "pending": "#9e9e9e",
    "overdue": "#ef6c00",
    "missing": "#c62828",
}

_font_lock = threading.Lock()
_font_loaded = False


class FontMissingError(RuntimeError):
    """The Noto CJK font is not installed (Debian package fonts-noto-cjk)."""


def ensure_cjk_font() -> str:
    """Register the Noto Sans CJK files with matplotlib (once) and return the family to use."""
    global _font_loaded
    with _font_lock:
        if not _font_loaded:
            found = [p for p in CJK_FONT_FILES if p.exists()]
            if not found:
                raise FontMissingError("Noto Sans CJK not found; install the Debian package fonts-noto-cjk")
            for path in found:
                font_manager.fontManager.addfont(str(path))
            _font_loaded = True
    return CJK_FAMILY


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return buffer.getvalue()


def chart_indicators(summary: DaySummary) -> list[tuple[str, str]]:
    """The indicators worth a bar: the first few in form order that are not zero everywhere."""
    nonzero = [(code, name) for code, name in summary.indicators if summary.totals.get(code, 0)]
    return (nonzero or summary.indicators)[:MAX_CHART_INDICATORS]


def township_chart(summary: DaySummary) -> bytes:
    """The key figures of each township (乡镇/街道), one small panel per indicator.

    Panels rather than grouped bars: indicators differ by orders of magnitude (tests in thousands,
    returnees in tens), and a shared axis would flatten the small ones to nothing.
    """
    family = ensure_cjk_font()
    indicators = chart_indicators(summary)
    townships = [name for name, _values in summary.per_township]
    if not townships or not indicators:
        fig = Figure(figsize=(8, 2))
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, w.CHART_NO_DATA, ha="center", va="center", family=family, fontsize=14)
        ax.set_axis_off()
        return _png(fig)
    cols = min(len(indicators), 2)
    rows = (len(indicators) + cols - 1) // cols
    fig = Figure(figsize=(8, rows * (0.6 + 0.28 * len(townships))), layout="constrained")
    fig.suptitle(w.CHART_TOWNSHIPS, family=family, fontsize=12)
    for i, (code, name) in enumerate(indicators):
        ax = fig.add_subplot(rows, cols, i + 1)
        values = [row.get(code, 0) for _name, row in summary.per_township]
        bars = ax.barh(townships, values, color=f"C{i}")
        ax.bar_label(bars, fontsize=7, family=family, padding=2)
        ax.invert_yaxis()
        ax.set_title(name, family=family, fontsize=10)
        for label in ax.get_yticklabels():
            label.set_fontfamily(family)
            label.set_fontsize(8)
        ax.tick_params(axis="x", labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.margins(x=0.15)
        ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def timeliness_chart(summary: DaySummary) -> bytes:
    """Horizontal bars: how many reporting units were on time, zero-reported, late, missing, pending."""
    family = ensure_cjk_font()
    keys = [k for k in TIMELINESS_COLOURS if summary.timeliness.get(k, 0)]
    fig = Figure(figsize=(8, 2.6))
    ax = fig.add_subplot()
    if not keys:
        ax.text(0.5, 0.5, w.CHART_NO_DATA, ha="center", va="center", family=family, fontsize=14)
        ax.set_axis_off()
        return _png(fig)
    labels = [w.TIMELINESS_LABELS[k] for k in keys]
    values = [summary.timeliness[k] for k in keys]
    bars = ax.barh(labels, values, color=[TIMELINESS_COLOURS[k] for k in keys])
    ax.bar_label(bars, fontsize=9, family=family, padding=2)
    ax.invert_yaxis()
    for label in ax.get_yticklabels():
        label.set_fontfamily(family)
    expected = summary.timeliness.get("expected", 0)
    ax.set_title(w.CHART_TIMELINESS.format(expected=expected), family=family, fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return _png(fig)
