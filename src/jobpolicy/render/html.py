"""Writing a report: pages rendered one at a time, each with the stylesheet inline, into a folder and a zip.

Every page carries its CSS in a ``<style>`` block (read once per run), so a page sent alone by e-mail or WeChat, or
opened from inside a zip, keeps its look; only its links to the report's other pages need the whole folder. Pages
are rendered and written one by one (never the whole report in memory), the index last: a half-written folder never
has a fresh index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from markupsafe import Markup

from jobpolicy.render.environment import environment
from jobpolicy.render.heat import heat_css
from jobpolicy.render.report_files import FolderWriter, ZipWriter, writing

STYLESHEET = "report.css"


@dataclass(frozen=True)
class Page:
    """One page to write: file name (relative to the folder), template and its context."""

    name: str
    template: str
    context: object


@dataclass(frozen=True)
class FileCopy:
    """A file to write among the pages (an evidence copy the next pages link to), as it is: name and bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Site:
    """What ``write_site`` wrote: the index, how many pages, the zip when one was asked for, and the name (in the
    folder) of every file written, pages and evidence copies alike."""

    index: Path
    pages: int
    archive: Path | None
    written: frozenset[str] = frozenset()


def stylesheet() -> Markup:
    """The report's CSS, for a ``<style>`` block: ``report.css`` and the heat bands' colours (``render.heat``)."""
    css = resources.files("jobpolicy").joinpath("render", "static", STYLESHEET).read_text(encoding="utf-8")
    css += heat_css()
    if "</" in css:  # it goes inside <style>, where "</" could end the block
        raise ValueError(f"{STYLESHEET} must not contain '</'")
    return Markup(css)


def render_page(page: Page, css: Markup | None = None) -> str:
    """The HTML text of one page; ``css`` is the stylesheet, read once per report by the caller."""
    return environment().get_template(page.template).render(page=page.context,
                                                            stylesheet=stylesheet() if css is None else css)


def write_site(out_dir: Path, pages: Iterable[Page | FileCopy], index: Page, *, archive: Path | None = None,
               files: Iterable[tuple[str, bytes]] = ()) -> Site:
    """Write ``files`` (name in the folder, bytes: the evidence the pages link to), render and write ``pages``,
    then the index, into ``out_dir`` (and into the zip ``archive`` when given).

    ``pages`` and ``files`` may be generators: each is written and dropped before the next is built. ``pages`` may
    carry files too (``FileCopy``), each before the pages that link to it: a report written a part at a time.

    Raises:
        ReportError: the folder or the zip cannot be written (the zip is then left as it was).
    """
    css = stylesheet()
    writers = [FolderWriter(out_dir)]
    if archive is not None:
        writers.append(ZipWriter(archive))
    count, written = 0, set()
    with writing(writers):
        for name, data in files:
            for writer in writers:
                writer.write(name, data)
            written.add(name)
        for page in _chain(pages, index):
            if isinstance(page, FileCopy):
                for writer in writers:
                    writer.write(page.name, page.data)
                written.add(page.name)
                continue
            text = render_page(page, css)
            for writer in writers:
                writer.write(page.name, text)
            written.add(page.name)
            count += 1
    return Site((out_dir / index.name).resolve(), count, archive.resolve() if archive is not None else None,
                frozenset(written))


def _chain(pages: Iterable[Page | FileCopy], index: Page) -> Iterable[Page | FileCopy]:
    yield from pages
    yield index
