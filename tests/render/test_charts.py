"""Inline SVG charts: values printed as text, labels escaped, accessible titles."""

from bs4 import BeautifulSoup

from jobpolicy.render.charts import Bar, bar_chart, colour_for, histogram, rate_rings


def test_bar_chart_prints_labels_and_values_and_escapes():
    svg = bar_chart([Bar("优化<培养>", 0.5, "50.0%"), Bar("无适用", None, "—")], title="各体系 & 落实率")
    soup = BeautifulSoup(svg, "html.parser")
    assert soup.svg["role"] == "img" and soup.svg["aria-label"] == "各体系 & 落实率"
    assert [t.get_text() for t in soup.find_all("text")] == ["优化<培养>", "50.0%", "无适用", "—"]
    assert "&lt;培养&gt;" in svg


def test_bar_lengths_follow_the_fraction():
    soup = BeautifulSoup(bar_chart([Bar("a", 0.25, ""), Bar("b", 1.0, "")], title="t", width=640), "html.parser")
    fills = [r for r in soup.find_all("rect") if r["fill"] != "#eeeeee"]
    assert [float(r["width"]) for r in fills] == [100.0, 400.0]


def test_rings_and_histogram():
    rings = BeautifulSoup(rate_rings([Bar("填报率", 0.8, "80.0%")], title="t"), "html.parser")
    assert [t.get_text() for t in rings.find_all("text")] == ["80.0%", "填报率"]
    hist = BeautifulSoup(histogram([("0–20%", 0), ("20–40%", 3)], title="t"), "html.parser")
    assert [t.get_text() for t in hist.find_all("text")] == ["0", "0–20%", "3", "20–40%"]


def test_colours_band_by_fraction():
    assert colour_for(None) == "#bdbdbd" and colour_for(0.0) != colour_for(1.0) and colour_for(0.81) == colour_for(1.0)
