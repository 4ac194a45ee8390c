"""In the real browser, a direction override in an evidence URL, a file name or a note cannot reorder what the
report shows: ``…fdp.exe`` never reads as ``…exe.pdf``, nor ``…cod.pdf`` as ``…fdp.doc``; the override is shown as
a mark, the link's address is percent-encoded, and an escape character in a note is shown, not hidden."""

from __future__ import annotations

from datetime import date

import pytest

from codes import SHANXI

pytestmark = pytest.mark.browser

ITEM = "supply.2.a"
RLO = "\u202e"
URL = f"https://jy.sxu.edu.cn/files/{RLO}fdp.exe"
NAME = f"就业报告{RLO}cod.pdf"  # a PDF that would read as 就业报告fdp.doc (an .exe is not stored at all)
NOTE = "核对\x1b[8m隐藏\x1b[0m完毕"


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    from jobpolicy.services.database import init_database
    from jobpolicy.services.institutions import add_institution
    from jobpolicy.services.recording import RawChange, set_record
    from jobpolicy.services.reports import institution_report
    from jobpolicy.storage.db import make_engine

    folder = tmp_path_factory.mktemp("inert")
    engine = make_engine(f"sqlite:///{folder / 'report.db'}")
    init_database(engine)
    add_institution(engine, SHANXI, start=date(2025, 1, 1))
    proof = folder / NAME
    proof.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    set_record(engine, SHANXI, ITEM, RawChange(status="推进中", note=NOTE, evidence=(URL, str(proof))), actor="王")
    result = institution_report(engine, SHANXI, out_dir=folder / "report")
    engine.dispose()
    return result.index


def test_a_direction_override_is_shown_and_reorders_nothing(page_file, open_page):
    watched = open_page(page_file.as_uri())
    text = watched.page.inner_text("main")

    assert RLO not in text and "\x1b" not in text
    assert "https://jy.sxu.edu.cn/files/⟨U+202E⟩fdp.exe" in text
    assert "就业报告⟨U+202E⟩cod.pdf" in text
    assert "核对\\x1b[8m隐藏\\x1b[0m完毕" in text
    hrefs = watched.page.eval_on_selector_all(".evidence a", "links => links.map(a => a.getAttribute('href'))")
    assert "https://jy.sxu.edu.cn/files/%E2%80%AEfdp.exe" in hrefs
    assert not any(RLO in href for href in hrefs)
    assert watched.errors == []
