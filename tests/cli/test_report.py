"""``jobpolicy report institution | summary`` and ``jobpolicy demo``."""

from pathlib import Path

from codes import SHANXI


def test_summary_ends_with_the_path_to_open(run_db, tmp_path):
    result = run_db("report", "summary", "--province", "山西", "--out", tmp_path / "r", "--as-of", "2025-06-30")
    assert result.exit_code == 0
    index = tmp_path / "r" / "index.html"
    assert result.stdout.splitlines() == ["已生成 4 个页面", f"报告已写入：{index}",
                                          f"用浏览器打开（可离线查看、打印）：{index.as_uri()}"]


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
