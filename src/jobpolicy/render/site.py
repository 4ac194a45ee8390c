"""The report folder: where each page is written, and what every page of one report shares."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from markupsafe import Markup

from jobpolicy import __version__
from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.catalog_text import reference_legend
from jobpolicy.domain.file_names import safe_file_name
from jobpolicy.domain.glossary import explained
from jobpolicy.render.contexts import TermNote
from jobpolicy.render.filters import css_string

SUMMARY_PAGE = "index.html"


def institution_page_name(code: str) -> str:
    """Where a school's page is, from the report folder."""
    return f"institutions/{safe_file_name(code, '.html')}"


def measure_page_name(measure_id: str) -> str:
    """Where a measure's page is, from the report folder."""
    return f"measures/{safe_file_name(measure_id, '.html')}"


def item_page_name(item_id: str) -> str:
    """Where an item's page is, from the report folder."""
    return f"items/{safe_file_name(item_id, '.html')}"


def evidence_file_name(sha256: str, name: str) -> str:
    """Where a stored evidence file's copy is, from the report folder: ``evidence/<sha256 prefix>/<its name>``, the
    name made valid on Windows. The prefix keeps two files of one name apart, and one file cited twice is one copy."""
    path = PurePosixPath(name)
    return f"evidence/{sha256[:16]}/{safe_file_name(path.stem, path.suffix.lower())}"


def print_header(text: str) -> Markup:
    """An @page rule that prints ``text`` at the top of every printed page."""
    return Markup('@page { @top-left { content: "' + css_string(text) + '"; font-size: 9pt; color: #616e7c; } }')


def term_notes(terms: Iterable[str]) -> list[TermNote]:
    """The 名词说明 of a page: each of ``terms`` it uses, once, with its meaning (``domain.glossary``)."""
    return [TermNote(term, meaning) for term, meaning in explained(terms)]


@dataclass(frozen=True)
class Common:
    """What every page of one report shares."""

    policy: Policy
    as_of: date
    generated_at: str
    demo: bool


def page_fields(common: Common, *, heading: str, title: str, items: Iterable[Item], glossary: list[TermNote],
                root: str = "../") -> dict:
    """The ``PageBase`` fields of a page of the report, for a page headed ``heading`` that shows ``items`` and
    explains the derived terms of ``glossary``."""
    as_of = common.as_of.isoformat()
    return dict(title=title, heading=heading, policy_title=common.policy.title, policy_key=common.policy.key,
                as_of=as_of, generated_at=common.generated_at, tool_version=__version__, demo=common.demo, root=root,
                print_header_css=print_header(f"{heading}　数据截至 {as_of}"), reference_legend=reference_legend(items),
                glossary=glossary)
