"""``jobpolicy report institution | summary`` and ``jobpolicy demo``."""

import zipfile
from pathlib import Path

import pytest

from codes import CHANGZHI_VOCATIONAL, SHANXI


def test_summary_ends_with_the_path_to_open(run_db, tmp_path):
    result = run_db("report", "summary", "--province", "山西", "--out", tmp_path / "r", "--as-of", "2025-06-30")
    assert result.exit_code == 0
    index = tmp_path / "r" / "index.html"
    written = len(list((tmp_path / "r").rglob("*.html")))  # summary, 3 schools, and each measure and item
    assert written > 4 + 20
    assert result.stdout.splitlines() == [f"已生成 {written} 个页面", f"报告已写入：{index}",
                                          f"用浏览器打开（可离线查看、打印）：{index.as_uri()}"]


def test_summary_since_a_date_written_the_chinese_way(run_db, tmp_path):
    result = run_db("report", "summary", "--out", tmp_path, "--as-of", "2025-06-30", "--since", "2025年5月31日")
    assert result.exit_code == 0, result.stderr
    assert "2025-05-31 以来的变化" in (tmp_path / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("since", "message"), [
    ("2025-07-01", "错误: --since 2025-07-01 晚于数据截至日期 2025-06-30"),
    ("上个月", "错误: --since 的日期“上个月”无效"),
])
def test_summary_refuses_a_since_it_cannot_compare_with(run_db, tmp_path, since, message):
    result = run_db("report", "summary", "--out", tmp_path / "r", "--as-of", "2025-06-30", "--since", since)
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == message
    assert not (tmp_path / "r").exists()


def test_summary_with_a_zip_and_a_workbook_says_where_each_is(run_db, tmp_path):
    result = run_db("report", "summary", "--out", tmp_path / "r", "--as-of", "2025-06-30",
                    "--zip", tmp_path / "山西汇总.zip", "--xlsx", tmp_path / "山西汇总.xlsx")
    assert result.exit_code == 0, result.stderr
    index = tmp_path / "r" / "index.html"
    written = sorted(str(p.relative_to(tmp_path / "r")) for p in (tmp_path / "r").rglob("*.html"))
    assert result.stdout.splitlines() == [
        f"已生成 {len(written)} 个页面", f"Excel 工作簿已写入：{tmp_path / '山西汇总.xlsx'}", f"压缩包已写入：{tmp_path / '山西汇总.zip'}",
        f"报告已写入：{index}", f"用浏览器打开（可离线查看、打印）：{index.as_uri()}"]
    assert (tmp_path / "山西汇总.xlsx").stat().st_size > 0
    with zipfile.ZipFile(tmp_path / "山西汇总.zip") as zipped:  # the measure and item pages too
        assert sorted(name.split("/", 1)[1] for name in zipped.namelist() if name.endswith(".html")) == written


def test_a_narrower_summary_into_the_same_folder_and_zip_leaves_only_its_own_pages(run_db, tmp_path):
    out, archive = tmp_path / "r", tmp_path / "汇总.zip"
    vocational = out / "institutions" / f"{CHANGZHI_VOCATIONAL}.html"
    assert run_db("report", "summary", "--province", "山西", "--out", out, "--zip", archive).exit_code == 0
    (out / "本处批注.txt").write_text("自己的文件", encoding="utf-8")
    assert vocational.is_file()
    result = run_db("report", "summary", "--province", "山西", "--level", "本科", "--out", out, "--zip", archive)
    assert result.exit_code == 0, result.stderr
    assert not vocational.exists()
    assert (out / "本处批注.txt").read_text(encoding="utf-8") == "自己的文件"
    written = sorted(str(p.relative_to(out).as_posix()) for p in out.rglob("*.html"))
    assert result.stdout.splitlines()[0] == f"已生成 {len(written)} 个页面"
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(name.split("/", 1)[1] for name in zipped.namelist() if name.endswith(".html")) == written


@pytest.mark.parametrize(("option", "name", "message"), [
    ("--xlsx", "汇总.csv", "错误: --xlsx 的文件名“汇总.csv”应以 .xlsx 结尾"),
    ("--zip", "汇总", "错误: --zip 的文件名“汇总”应以 .zip 结尾"),
    ("--zip", "6:30汇总.zip", "错误: --zip 的文件名“6:30汇总.zip”不可用：文件名不能含有 :"),
])
def test_a_zip_or_workbook_name_that_cannot_work_is_refused_before_anything_is_written(run_db, tmp_path, option, name,
                                                                                        message):
    result = run_db("report", "summary", "--out", tmp_path / "r", option, tmp_path / name)
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == message
    assert not (tmp_path / "r").exists()


def test_an_unwritable_zip_is_an_error_and_leaves_no_half_file(run_db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_db("report", "summary", "--out", tmp_path / "r", "--zip", blocker / "汇总.zip")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"错误: 无法写入压缩包 {blocker / '汇总.zip'}")


def test_institution(run_db, tmp_path):
    result = run_db("report", "institution", SHANXI, "--out", tmp_path, "--since", "2025/6/1")
    assert result.exit_code == 0
    page = tmp_path / "institutions" / f"{SHANXI}.html"
    assert result.stdout.splitlines() == [f"报告已写入：{page}", f"用浏览器打开（可离线查看、打印）：{page.as_uri()}"]


def test_a_chinese_folder_is_printed_readable_and_the_link_still_opens(run_db, tmp_path):
    out = tmp_path / "山西 报告"
    result = run_db("report", "institution", SHANXI, "--out", out)
    assert result.exit_code == 0, result.stderr
    page = out / "institutions" / f"{SHANXI}.html"
    where, link = result.stdout.splitlines()
    assert where == f"报告已写入：{page}"
    assert link.endswith("/山西%20报告/institutions/" + f"{SHANXI}.html")
    from urllib.parse import unquote, urlparse

    assert Path(unquote(urlparse(link.split("：", 1)[1]).path)) == page


def test_unknown_institution(run_db, tmp_path):
    result = run_db("report", "institution", "4111010001", "--out", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "错误: 学校 4111010001 尚未添加"
    assert not (tmp_path / "institutions").exists()


def test_unwritable_folder(run_db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_db("report", "summary", "--out", blocker / "sub")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"错误: 无法写入报告目录 {blocker / 'sub'}")


def test_unknown_province(run_db, tmp_path):
    result = run_db("report", "summary", "--province", "火星", "--out", tmp_path)
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == "错误: 省份“火星”无法识别"


def test_a_relative_folder_is_printed_as_the_full_path_to_paste_into_explorer(run_db, tmp_path):
    result = run_db("report", "institution", SHANXI, "--out", "报告")  # the isolated_env fixture made tmp_path the cwd
    assert result.exit_code == 0, result.stderr
    page = tmp_path / "报告" / "institutions" / f"{SHANXI}.html"
    link = page.as_uri().replace("%E6%8A%A5%E5%91%8A", "报告")  # Chinese shown as it is
    assert result.stdout.splitlines() == [f"报告已写入：{page}", f"用浏览器打开（可离线查看、打印）：{link}"]
