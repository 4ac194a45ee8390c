"""The heat map's bands of 落实率, defined once: thresholds, cell colours and legend text.

The HTML summary takes its cell classes and their CSS from here, the workbook its conditional formatting, and the
charts their bar colours, so a school is in the same band on the page, on paper and in Excel. A cell's band is the
band of the number printed in it (``domain.scoring.rounded_pct``): a cell showing ``20.0%`` is never coloured as
under 20 %.
"""

from __future__ import annotations

from dataclasses import dataclass

from jobpolicy.domain.scoring import rounded_pct


@dataclass(frozen=True)
class HeatBand:
    """One band: the rates from ``low`` (inclusive) to ``high`` (exclusive, None for the top), in percent."""

    css: str
    low: float | None
    high: float | None
    fill: str  # the cell's background, #rrggbb
    bar: str  # a chart's bar or ring: deeper than the cell, it stands alone on white
    label: str  # the legend's words: the band itself, never its colour


HEAT_BANDS = (
    HeatBand("heat-0", 0, 20, "#f4b6ad", "#c0392b", "低于 20%"),
    HeatBand("heat-1", 20, 40, "#f8cfa0", "#e67e22", "20%–40%"),
    HeatBand("heat-2", 40, 60, "#f9e79f", "#f1c40f", "40%–60%"),
    HeatBand("heat-3", 60, 80, "#c5e1a5", "#7cb342", "60%–80%"),
    HeatBand("heat-4", 80, None, "#81c784", "#2e7d32", "80% 及以上"),
)
NO_RATE = HeatBand("heat-na", None, None, "#eeeeee", "#bdbdbd", "— 无适用事项")


def heat_band(pct: float | None) -> HeatBand:
    """The band of a rate in percent, as it is displayed; ``NO_RATE`` when there is none."""
    shown = rounded_pct(pct)
    if shown is None:
        return NO_RATE
    return next(band for band in reversed(HEAT_BANDS) if shown >= band.low)


def heat_css() -> str:
    """The CSS rules giving each band's cells their background (the stylesheet holds everything else)."""
    rules = [f".{band.css} {{ background: {band.fill}; }}" for band in HEAT_BANDS]
    return "\n".join([*rules, f".{NO_RATE.css} {{ background: {NO_RATE.fill}; color: var(--muted); }}"]) + "\n"
