"""The one jinja Environment: package templates, autoescape on, undefined names are errors."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from jobpolicy.render.filters import FILTERS, shown


@cache
def environment() -> Environment:
    """Build the report environment once."""
    env = Environment(
        loader=PackageLoader("jobpolicy", "render/templates"),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=shown,  # every printed value: control and direction characters shown, not obeyed
    )
    env.filters.update(FILTERS)
    return env
