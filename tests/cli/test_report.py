"""``jobpolicy report institution | summary`` and ``jobpolicy demo``."""

from codes import SHANXI


def test_summary_ends_with_the_path_to_open(run_db, tmp_path):
    result = run_db("report", "summary", "--province", "山西", "--out", tmp_path / "r", "--as-of", "2025-06-30")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["已生成 4 个页面", f"Wrote report to {(tmp_path / 'r' / 'index.html').as_uri()}"]


def test_institution(run_db, tmp_path):
    result = run_db("report", "institution", SHANXI, "--out", tmp_path, "--since", "2025/6/1")
    assert result.exit_code == 0
    assert result.stdout == f"Wrote report to {(tmp_path / 'institutions' / f'{SHANXI}.html').as_uri()}\n"


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
