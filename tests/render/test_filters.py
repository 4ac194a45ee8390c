"""Jinja filters: status and review classes, heat bands, safe links, CSS strings."""

import pytest

from jobpolicy.render.filters import css_string, heat_class, review_class, safe_href, status_class


@pytest.mark.parametrize(("status", "css"), [("done", "st-done"), ("in_progress", "st-doing"), ("not_started", "st-todo"),
                                             ("not_applicable", "st-na"), (None, "st-none"), ("bogus", "st-none")])
def test_status_class(status, css):
    assert status_class(status) == css


def test_review_class():
    assert (review_class("returned"), review_class(None)) == ("rv-returned", "rv-none")


@pytest.mark.parametrize(("fraction", "css"), [(None, "heat-na"), (0.0, "heat-0"), (0.199, "heat-0"), (0.2, "heat-1"),
                                               (0.79, "heat-3"), (0.8, "heat-4"), (1.0, "heat-4")])
def test_heat_bands(fraction, css):
    assert heat_class(fraction) == css


@pytest.mark.parametrize(("url", "href"), [("https://a.cn/x", "https://a.cn/x"), ("javascript:alert(1)", None),
                                           ("file:///etc/passwd", None), ("data:text/html,x", None), (None, None)])
def test_only_web_links_are_linked(url, href):
    assert safe_href(url) == href


def test_css_string_cannot_close_the_string_or_the_style_element():
    escaped = css_string('山西"大学</style><script>\\')
    assert '"' not in escaped and "<" not in escaped and ">" not in escaped
    assert escaped.startswith("山西\\000022大学")
