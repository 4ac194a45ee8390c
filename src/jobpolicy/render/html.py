"""Writing a self-contained report folder: pages, a content-hashed stylesheet, the index last."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from itertools import chain
from pathlib import Path

from jobpolicy.errors import ReportError, os_reason
from jobpolicy.render.environment import environment

STYLESHEET = "report.css"


@dataclass(frozen=True)
class Page:
    """One page to write: file name (relative to the folder), template and its context."""

    name: str
    template: str
    context: object


def stylesheet_name() -> str:
    """``report.<hash>.css``: a new name whenever the CSS changes, so no browser shows a stale copy."""
    digest = hashlib.sha256(_stylesheet()).hexdigest()[:10]
    return f"report.{digest}.css"


def _stylesheet() -> bytes:
    return resources.files("jobpolicy").joinpath("render", "static", STYLESHEET).read_bytes()


def render_page(page: Page) -> str:
    """The HTML text of one page."""
    return environment().get_template(page.template).render(page=page.context, stylesheet=stylesheet_name())


def write_site(out_dir: Path, pages: Iterable[Page], index: Page) -> Path:
    """Write pages, then the index last (a half-written folder never has a fresh index); return its path.

    ``pages`` may be a generator: each page is rendered and written before the next is built.

    Raises:
        ReportError: the folder cannot be created or written.
    """
    try:
        created = not out_dir.exists()
        out_dir.mkdir(parents=True, exist_ok=True)
        if created:
            # Generated reports never belong in version control; only say so in a folder we made.
            (out_dir / ".gitignore").write_text("*\n", encoding="utf-8")
        css = out_dir / stylesheet_name()
        if not css.exists():
            css.write_bytes(_stylesheet())
        for page in chain(pages, [index]):
            target = out_dir / page.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_page(page), encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"无法写入报告目录 {out_dir}（{os_reason(exc)}）",
                          hint="检查目录权限或换一个 --out 目录") from exc
    return (out_dir / index.name).resolve()
