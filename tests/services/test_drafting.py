"""``draft_policy``: reading a policy document (text or Word), writing the skeleton and its text, refusing safely."""

import codecs
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from jobpolicy.domain.catalog_todo import is_todo
from jobpolicy.errors import CatalogInvalid, InvalidInput
from jobpolicy.services.catalog import validate_policy_files
from jobpolicy.services.drafting import draft_policy
from jobpolicy.services.policies import load_policy_version

ROOT = Path(__file__).parents[2]
OPINION = ROOT / "policies" / "sources" / "gse-2025-opinion.txt"
DRAFTS = ROOT / "tests" / "data" / "drafts"


def copy(source: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or source.name)
    shutil.copyfile(source, target)
    return target


def word_file(path: Path, paragraphs: list[str]) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


def test_the_opinion_is_drafted_beside_itself_with_its_text_in_sources(tmp_path):
    result = draft_policy(copy(OPINION, tmp_path))
    assert result.catalog == tmp_path / "gse-2025-opinion.yaml"
    assert result.source == tmp_path / "sources" / "gse-2025-opinion.txt"
    assert result.source.read_bytes() == OPINION.read_bytes()
    assert (result.read_as, result.source_written, result.draft.measures) == ("UTF-8", True, 20)
    assert "file: sources/gse-2025-opinion.txt" in result.catalog.read_text(encoding="utf-8")
    assert not list(tmp_path.rglob(".*.tmp"))


def test_validate_reports_only_the_work_left_with_line_numbers(tmp_path):
    result = draft_policy(copy(OPINION, tmp_path), out=tmp_path / "省级草稿.yaml")
    (check,) = validate_policy_files([result.catalog])
    lines = result.catalog.read_text(encoding="utf-8").splitlines()
    assert len(check.problems) == result.draft.placeholders == 101
    assert all(is_todo(p) and "【待完成】" in lines[p.line - 1] for p in check.problems)


def test_load_refuses_a_draft_until_it_is_filled_in(tmp_path, engine):
    result = draft_policy(copy(OPINION, tmp_path))
    with pytest.raises(CatalogInvalid) as refused:
        load_policy_version(engine, result.catalog, actor="测试")
    assert len(refused.value.problems) == 101 and all(is_todo(p) for p in refused.value.problems)


def test_gb18030_text_is_read_and_kept_as_utf8(tmp_path):
    text = (DRAFTS / "restarting.txt").read_text(encoding="utf-8")
    document = tmp_path / "通知.txt"
    document.write_bytes(text.encode("gb18030"))
    result = draft_policy(document)
    assert result.read_as == "GB18030"
    assert result.source.read_text(encoding="utf-8") == text
    assert result.draft.measures == 4


def test_utf8_with_a_bom_and_windows_line_ends(tmp_path):
    text = (DRAFTS / "articles.txt").read_text(encoding="utf-8")
    document = tmp_path / "办法.txt"
    document.write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"))
    result = draft_policy(document)
    assert (result.read_as, result.draft.measures) == ("UTF-8", 5)
    (check,) = validate_policy_files([result.catalog])
    assert all(is_todo(p) for p in check.problems)


def test_a_word_document_is_read_paragraph_by_paragraph(tmp_path):
    paragraphs = (DRAFTS / "articles.txt").read_text(encoding="utf-8").splitlines()
    result = draft_policy(word_file(tmp_path / "办法.docx", paragraphs))
    assert (result.read_as, result.draft.sections, result.draft.measures) == ("Word", 3, 5)
    assert result.source.read_text(encoding="utf-8").splitlines() == paragraphs
    (check,) = validate_policy_files([result.catalog])
    assert check.problems and all(is_todo(p) for p in check.problems)


def test_a_word_document_saved_by_libreoffice_from_text(tmp_path, soffice):
    source = copy(DRAFTS / "nested.txt", tmp_path)
    profile = (tmp_path / "lo-profile").as_uri()
    run = subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                          "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", "docx", "--outdir",
                          str(tmp_path / "lo"), str(source)], capture_output=True, timeout=180)
    saved = tmp_path / "lo" / "nested.docx"
    if not saved.exists():
        pytest.skip(f"LibreOffice could not save .docx (Writer missing?): {run.stderr.decode(errors='replace')[:200]}")
    result = draft_policy(saved, out=tmp_path / "nested.yaml")
    assert result.read_as == "Word"
    assert result.source.read_text(encoding="utf-8").split() == source.read_text(encoding="utf-8").split()
    assert result.draft.measures == 3


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [("空.txt", b"", "是空的，没有文字"), ("空白.txt", " \n\u3000\n".encode(), "是空的，没有文字"),
     ("程序.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00", "不是文本文件（含有控制字符，可能是其他程序的文件）"),
     ("乱码.txt", b"\x80\xff\x80\xff", "既不是 UTF-8 也不是 GB18030（GBK）编码的文本"),
     ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "是旧版 Word 文档（.doc）或设置了打开密码，无法读取"),
     ("改名.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "是旧版 Word 文档（.doc）或设置了打开密码，无法读取"),
     ("损坏.docx", b"PK\x03\x04" + b"\x00" * 100, "不是完好的 Word 文档（.docx），无法读取"),
     ("扫描.pdf", b"%PDF-1.4\n", "是 PDF 文件，无法可靠地取出文字"),
     ("记事本.txt", codecs.BOM_UTF16_LE + "一、任务".encode("utf-16-le"), "是 UTF-16 编码（记事本的“Unicode”）的文本")],
)
def test_files_that_are_no_readable_policy_text_are_refused_with_one_line(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InvalidInput) as refused:
        draft_policy(path)
    assert refused.value.message == f"政策文件 {path} {message}"
    assert refused.value.hint
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written


def test_a_zip_that_is_no_word_document_is_refused(tmp_path):
    path = tmp_path / "表格.docx"
    shutil.make_archive(str(tmp_path / "表格"), "zip", DRAFTS)
    (tmp_path / "表格.zip").rename(path)
    with pytest.raises(InvalidInput, match="不是完好的 Word 文档"):
        draft_policy(path)


def test_a_text_without_numbered_measures_is_refused_saying_how_they_are_written(tmp_path):
    with pytest.raises(InvalidInput) as refused:
        draft_policy(copy(DRAFTS / "unnumbered.txt", tmp_path))
    assert refused.value.message.endswith("中找不到编号的条目（（一）…）、条（第一条…）或小项（1. …）")
    assert refused.value.hint.startswith("起草按原文的编号：部分写作“一、”或“第一章”")


def test_word_automatic_numbering_is_named_when_no_number_is_in_the_text(tmp_path):
    path = word_file(tmp_path / "自动编号.docx", ["某方案", "加强指导。各高校开设课程。"])
    document = Document(path)
    document.paragraphs[1].style = document.styles["List Number"]  # numbered by Word, not in the text
    document.save(path)
    with pytest.raises(InvalidInput) as refused:
        draft_policy(path)
    assert refused.value.hint.startswith("文档用了 Word 的自动编号，编号不在文字里")


def test_an_existing_catalog_or_text_is_never_overwritten_unless_asked(tmp_path):
    document = copy(DRAFTS / "restarting.txt", tmp_path)
    out = tmp_path / "草稿.yaml"
    out.write_text("已改过的草稿", encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        draft_policy(document, out=out)
    assert refused.value.message == f"文件 {out} 已存在，没有覆盖"
    assert refused.value.hint == "用 --out 换一个清单文件名，或确认要覆盖时加 --overwrite"
    assert out.read_text(encoding="utf-8") == "已改过的草稿" and not (tmp_path / "sources").exists()
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "新草稿.txt").write_text("别的原文", encoding="utf-8")
    with pytest.raises(InvalidInput, match="sources/新草稿.txt 已存在，没有覆盖"):
        draft_policy(document, out=tmp_path / "新草稿.yaml")
    assert not (tmp_path / "新草稿.yaml").exists()
    result = draft_policy(document, out=out, overwrite=True)
    assert out.read_text(encoding="utf-8").startswith("# 由 jobpolicy policy draft")
    assert result.source_written


def test_a_text_already_beside_the_catalog_with_the_same_words_is_used_as_it_is(tmp_path):
    (tmp_path / "sources").mkdir()
    document = copy(DRAFTS / "restarting.txt", tmp_path / "sources", "通知.txt")
    result = draft_policy(document, out=tmp_path / "通知.yaml")
    assert (result.source, result.source_written) == (document, False)
    assert document.read_bytes() == (DRAFTS / "restarting.txt").read_bytes()


def test_an_out_that_is_a_folder_is_refused_naming_a_file_in_it(tmp_path):
    document = copy(DRAFTS / "restarting.txt", tmp_path)
    (tmp_path / "清单").mkdir()
    with pytest.raises(InvalidInput) as refused:
        draft_policy(document, out=tmp_path / "清单")
    assert refused.value.message == f"--out 给出的 {tmp_path / '清单'} 是文件夹"
    assert refused.value.hint == f"写出清单文件名，如 {tmp_path / '清单' / 'restarting.yaml'}"
