"""Jinja filters: small, pure, typed; registered in environment.py."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from jobpolicy.domain.inert_text import BIDI, inert_lines
from jobpolicy.domain.values import is_web_url
from jobpolicy.render.heat import heat_band

STATUS_CLASSES = {"not_started": "st-todo", "in_progress": "st-doing", "done": "st-done",
                  "not_applicable": "st-na", None: "st-none"}
REVIEW_CLASSES = {"draft": "rv-draft", "submitted": "rv-submitted", "accepted": "rv-accepted",
                  "returned": "rv-returned", None: "rv-none"}


SUBMISSION_CLASSES = {"not_submitted": "sub-none", "returned": "rv-returned", "pending": "rv-submitted",
                      "accepted": "rv-accepted"}


def submission_class(state: str) -> str:
    """CSS class of a school's 报送 state (``domain.submission.Submission``); 未报送 stands out on its own."""
    return SUBMISSION_CLASSES.get(state, "sub-none")


def status_class(status: str | None) -> str:
    """CSS class of a work status (``st-done`` …)."""
    return STATUS_CLASSES.get(status, "st-none")


def review_class(review: str | None) -> str:
    """CSS class of a review state (``rv-returned`` …)."""
    return REVIEW_CLASSES.get(review, "rv-none")


def heat_class(fraction: float | None) -> str:
    """Heat-map cell class of a fraction (``heat-0`` … ``heat-4``, see ``render.heat``); ``heat-na`` without one."""
    return heat_band(None if fraction is None else fraction * 100).css


_HIDDEN_IN_URL = re.compile(f"[\x00-\x20\x7f-\x9f{BIDI}]")


def safe_href(url: str | None) -> str | None:
    """The URL when it is http(s), else None: a report links nothing else (no javascript:, no file:). Control and
    direction characters in it are percent-encoded, as a browser's address bar shows them."""
    if not url or not is_web_url(url):
        return None
    return _HIDDEN_IN_URL.sub(lambda m: quote(m.group()), url)


def shown(value: Any) -> Any:
    """A value as a page prints it (jinja's ``finalize``): text made inert (``domain.inert_text``), so that a
    direction override cannot show ``…fdp.exe`` as ``…exe.pdf``; line breaks are kept; other values as they are."""
    if not isinstance(value, str):
        return value
    text = inert_lines(value)
    if text is value:  # the common case: nothing to show
        return value
    return Markup(text) if isinstance(value, Markup) else text


FILTERS = {"status_class": status_class, "review_class": review_class, "heat_class": heat_class,
           "safe_href": safe_href}


def css_string(text: str) -> str:
    """``text`` as the body of a CSS string: quotes, backslashes, newlines and ``<`` escaped (no ``</style>``)."""
    out = []
    for char in text:
        if char in '"\\<>&\'' or ord(char) < 32:
            out.append(f"\\{ord(char):06x}")
        else:
            out.append(char)
    return "".join(out)
