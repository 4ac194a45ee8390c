"""Inline SVG charts built in Python: no JavaScript, no network, readable when printed.

Every chart is assembled from ``escape()``d parts and returned as ``Markup``, the only place outside
templates where HTML is made. Each carries a ``<title>`` and ``aria-label`` so its numbers are read out and
survive copy-paste, and prints its values as text next to the shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from jobpolicy.render.heat import heat_band
from jobpolicy.render.status_views import width as text_width


def colour_for(fraction: float | None) -> str:
    """Fill colour for a completion fraction: its heat band's bar colour (grey when there is nothing to measure)."""
    return heat_band(None if fraction is None else fraction * 100).bar


@dataclass(frozen=True)
class Bar:
    """One labelled bar: fraction in [0, 1] or None, and the text to print beside it."""

    label: str
    fraction: float | None
    text: str


def bar_chart(bars: Sequence[Bar], *, title: str, width: int = 640) -> Markup:
    """Horizontal bars, one per row (e.g. 落实率 per system); the label column widens to fit long labels."""
    row, text_w = 30, 70
    # 13px labels: a Chinese character is about 13px wide, two terminal columns.
    label_w = max([170, *(16 + 7 * text_width(bar.label) for bar in bars)])
    plot_w = width - label_w - text_w
    height = row * len(bars) + 10
    parts = [_open(width, height, title)]
    for index, bar in enumerate(bars):
        y = 5 + index * row
        length = 0 if bar.fraction is None else round(plot_w * bar.fraction, 1)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" class="chart-label">{escape(bar.label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{plot_w}" height="20" fill="#eeeeee"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{length}" height="20" fill="{colour_for(bar.fraction)}"/>'
            f'<text x="{label_w + plot_w + 8}" y="{y + 19}" class="chart-value">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def rate_rings(rates: Sequence[Bar], *, title: str) -> Markup:
    """Three rings side by side (填报率, 落实率, 达标率), each with its number in the middle."""
    size, radius, stroke = 150, 52, 14
    circumference = 2 * 3.14159265 * radius
    parts = [_open(size * len(rates), size + 24, title)]
    for index, rate in enumerate(rates):
        cx, cy = size * index + size / 2, size / 2
        filled = 0 if rate.fraction is None else round(circumference * rate.fraction, 2)
        parts.append(
            f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="none" stroke="#eeeeee" stroke-width="{stroke}"/>'
            f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="none" stroke="{colour_for(rate.fraction)}" '
            f'stroke-width="{stroke}" stroke-dasharray="{filled} {round(circumference, 2)}" '
            f'transform="rotate(-90 {cx} {cy})"/>'
            f'<text x="{cx}" y="{cy + 8}" text-anchor="middle" class="chart-big">{escape(rate.text)}</text>'
            f'<text x="{cx}" y="{size + 16}" text-anchor="middle" class="chart-label">{escape(rate.label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def histogram(buckets: Sequence[tuple[str, int]], *, title: str, width: int = 640) -> Markup:
    """Vertical bars counting institutions per 落实率 band, the count printed on each bar."""
    height, base, top = 200, 170, 20
    peak = max((count for _, count in buckets), default=0) or 1
    slot = width / max(len(buckets), 1)
    parts = [_open(width, height, title)]
    for index, (label, count) in enumerate(buckets):
        bar_h = round((base - top) * count / peak, 1)
        x = round(index * slot + slot * 0.15, 1)
        parts.append(
            f'<rect x="{x}" y="{base - bar_h}" width="{round(slot * 0.7, 1)}" height="{bar_h}" '
            f'fill="{colour_for((index + 0.5) / len(buckets))}"/>'
            f'<text x="{x + slot * 0.35}" y="{base - bar_h - 5}" text-anchor="middle" class="chart-value">'
            f"{count}</text>"
            f'<text x="{x + slot * 0.35}" y="{base + 18}" text-anchor="middle" class="chart-label">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(width: float, height: float, title: str) -> str:
    label = escape(title)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{label}"><title>{label}</title>')
