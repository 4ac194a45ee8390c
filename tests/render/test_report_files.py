"""Writing a report: one page at a time, each carrying its stylesheet, into a folder and a zip with UTF-8 names."""

import zipfile
from datetime import date

import pytest

from codes import SHANXI
from jobpolicy.render import html
from jobpolicy.render.html import Page, write_site
from jobpolicy.render.report_files import README_NAME
from jobpolicy.services.reports import institution_report, summary_report
from jobpolicy.services.scope import resolve_scope

AS_OF = date(2025, 6, 30)
UTF8_NAMES = 0x800  # general-purpose flag bit 11: the name is UTF-8


def test_the_zip_holds_every_page_under_a_chinese_folder_with_utf8_names(scenario, tmp_path):
    archive = tmp_path / "山西 汇总 2025-06.zip"
    result = summary_report(scenario, out_dir=tmp_path / "报告", scope=resolve_scope(province="山西"), as_of=AS_OF, archive=archive)

    assert result.archive == archive.resolve()
    folder = tmp_path / "报告"
    pages = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html"))
    with zipfile.ZipFile(archive) as zipped:
        infos = zipped.infolist()
        names = [info.filename for info in infos]
        assert sorted(names) == sorted([f"山西 汇总 2025-06/{README_NAME}",
                                        *(f"山西 汇总 2025-06/{page}" for page in pages)])
        assert names[-1] == "山西 汇总 2025-06/index.html"  # written last, as in the folder
        for page in pages:  # the same bytes as the folder's pages
            assert zipped.read(f"山西 汇总 2025-06/{page}") == (folder / page).read_bytes()
        readme = zipped.read(f"山西 汇总 2025-06/{README_NAME}")
        assert all(info.flag_bits & UTF8_NAMES for info in infos)
        assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}
    assert readme.startswith(b"\xef\xbb\xbf") and "全部解压缩" in readme.decode("utf-8-sig")
    # The central directory spells the names in UTF-8 bytes, which is what Explorer reads with bit 11 set.
    assert "山西 汇总 2025-06/index.html".encode() in archive.read_bytes()
    assert len(pages) == result.pages
    assert {page.split("/")[0] for page in pages} == {"index.html", "institutions", "measures", "items"}
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_failed_run_leaves_the_previous_zip_as_it_was(tmp_path, monkeypatch):
    archive = tmp_path / "汇总.zip"
    archive.write_bytes(b"the previous report")
    monkeypatch.setattr(html, "render_page", lambda page, css: page.name)

    def pages():
        yield Page("a.html", "raw.html", None)
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_site(tmp_path / "out", pages(), Page("index.html", "raw.html", None), archive=archive)

    assert archive.read_bytes() == b"the previous report"
    assert not list(tmp_path.glob(".*.tmp"))
    assert not (tmp_path / "out" / "index.html").exists()  # and the folder has no fresh index


def test_pages_are_written_one_at_a_time_and_the_stylesheet_read_once(tmp_path, monkeypatch):
    """A generator of pages is consumed page by page: each is on disk before the next is even built."""
    reads = []
    real = html.stylesheet
    monkeypatch.setattr(html, "stylesheet", lambda: reads.append(1) or real())
    out = tmp_path / "out"
    seen = []

    def pages():
        for number in range(3):
            if seen:
                assert (out / seen[-1]).exists()  # the previous page was written before this one is built
            seen.append(f"p{number}.html")
            yield Page(seen[-1], "raw.html", None)

    monkeypatch.setattr(html, "render_page", lambda page, css: f"{page.name} {len(css)}")
    site = write_site(out, pages(), Page("index.html", "raw.html", None))

    assert site.pages == 4 and reads == [1]
    assert (out / "index.html").read_text(encoding="utf-8").startswith("index.html ")


def test_an_institution_report_is_one_page_carrying_its_stylesheet(scenario, tmp_path):
    result = institution_report(scenario, SHANXI, out_dir=tmp_path, as_of=AS_OF)
    page = result.index.read_text(encoding="utf-8")

    assert result.pages == 1 and result.index.name == f"{SHANXI}.html"
    assert str(html.stylesheet()) in page and "<link" not in page
