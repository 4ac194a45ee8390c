"""The heat map's bands: one definition for the page's cells, their CSS, the legend, the charts and the workbook."""

import re

import pytest

from jobpolicy.render.charts import colour_for
from jobpolicy.render.contexts import heat_legend
from jobpolicy.render.heat import HEAT_BANDS, NO_RATE, heat_band, heat_css
from jobpolicy.render.html import stylesheet


def test_the_bands_cover_zero_to_a_hundred_without_gap_or_overlap():
    assert HEAT_BANDS[0].low == 0 and HEAT_BANDS[-1].high is None
    for lower, upper in zip(HEAT_BANDS, HEAT_BANDS[1:], strict=False):
        assert lower.high == upper.low


@pytest.mark.parametrize(("pct", "css"), [
    (None, "heat-na"), (0.0, "heat-0"), (19.9, "heat-0"), (20.0, "heat-1"), (59.99, "heat-3"), (80.0, "heat-4"),
    (99.99, "heat-4"), (100.0, "heat-4"),
    (19.96, "heat-1"),  # printed as 20.0%: coloured as the number the cell shows, never as "under 20 %"
    (0.01, "heat-0"),
])
def test_a_rate_falls_in_the_band_of_the_number_printed(pct, css):
    assert heat_band(pct).css == css


def test_the_stylesheet_colours_each_band_from_its_definition():
    css = heat_css()
    for band in (*HEAT_BANDS, NO_RATE):
        assert re.search(rf"\.{band.css} \{{ background: {band.fill};", css), band.css
    assert css in str(stylesheet())
    # report.css itself no longer names a band's colour: a second definition could drift from the first.
    assert not re.search(r"\.heat-\d\s*\{", str(stylesheet()).replace(css, ""))


def test_the_legend_names_each_band_in_words_not_colours():
    legend = heat_legend()
    assert [entry.css for entry in legend] == [*(band.css for band in HEAT_BANDS), NO_RATE.css]
    assert [entry.text for entry in legend] == ["低于 20%", "20%–40%", "40%–60%", "60%–80%", "80% 及以上",
                                                "— 无适用事项"]
    assert not any(colour in entry.text for entry in legend for colour in "红橙黄绿灰")


def test_chart_bars_take_their_band_colour():
    assert [colour_for(fraction) for fraction in (0.1, 0.3, 0.5, 0.7, 0.9)] == [band.bar for band in HEAT_BANDS]
    assert colour_for(None) == NO_RATE.bar
