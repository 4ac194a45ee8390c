"""How a report links evidence: a stored file to its copy in the report folder, as a download under the office's
own name (escaped), never inline; a link to its URL; a file described only (before the store) by its name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bs4 import BeautifulSoup

from jobpolicy.render.environment import environment
from jobpolicy.render.institution_page import evidence_cells
from jobpolicy.render.site import evidence_file_name

SHA = "ab" * 32


@dataclass
class Proof:
    kind: str
    ref: str
    name: str
    stored: bool = False
    sha256: str | None = None
    size: int | None = None
    added_at: datetime = datetime(2025, 6, 30, 2, tzinfo=UTC)
    added_by: str = "张老师"


def test_a_copy_is_named_by_its_hash_and_a_name_windows_accepts():
    assert evidence_file_name(SHA, "人员名单.PDF") == f"evidence/{SHA[:16]}/人员名单.pdf"
    assert evidence_file_name(SHA, "CON.pdf") == f"evidence/{SHA[:16]}/_CON.pdf"
    assert evidence_file_name(SHA, '会议:纪要?"终稿".docx') == f"evidence/{SHA[:16]}/会议_纪要__终稿_.docx"


def test_each_kind_of_evidence_is_linked_as_it_should_be():
    cells = evidence_cells([
        Proof("file", "人员名单.pdf", "人员名单.pdf", stored=True, sha256=SHA, size=2048),
        Proof("url", "https://jy.sxu.edu.cn/a", "https://jy.sxu.edu.cn/a"),
        Proof("file", "D:\\旧\\名单.pdf", "名单.pdf", sha256=SHA, size=10),
        Proof("url", "javascript:alert(1)", "javascript:alert(1)"),
    ])

    assert [(c.href, c.download) for c in cells] == [
        (f"../evidence/{SHA[:16]}/%E4%BA%BA%E5%91%98%E5%90%8D%E5%8D%95.pdf", "人员名单.pdf"),
        ("https://jy.sxu.edu.cn/a", None), (None, None), (None, None)]


def test_the_page_offers_a_stored_file_as_a_download_under_its_escaped_name():
    name = '<img src=x onerror="alert(1)">.pdf'
    cells = evidence_cells([Proof("file", name, name, stored=True, sha256=SHA, size=1)])
    template = environment().from_string('{% from "_macros.html" import evidence_list %}{{ evidence_list(cells) }}')

    html = template.render(cells=cells)

    link = BeautifulSoup(html, "html.parser").select_one("a[download]")
    assert link["download"] == name and link.get_text() == name and link["type"] == "application/octet-stream"
    assert "<img" not in html and link["href"].startswith(f"../evidence/{SHA[:16]}/")
