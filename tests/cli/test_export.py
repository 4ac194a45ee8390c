"""``jobpolicy export``: what it prints, where it writes, and how it refuses."""

import csv
import json

from codes import SHANXI

COUNTS = "已导出: 1 个政策版本、3 所学校、1 条记录、1 份佐证、3 条变更、0 个导入批次"


def record(run_db):
    result = run_db("record", "set", SHANXI, "support.16.a", "--status", "推进中", "--note", "=1+1",
                    "--evidence", "https://jy.sxu.edu.cn/a", "--by", "张老师")
    assert result.exit_code == 0, result.stderr


def test_json(run_db, tmp_path):
    record(run_db)
    out = tmp_path / "导出.json"
    result = run_db("export", "--format", "json", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [COUNTS, f"写入 {out}"]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["records"][0]["note"]) == ("jobpolicy-export", 1, "=1+1")


def test_csv_into_a_relative_folder(run_db, tmp_path):
    record(run_db)
    result = run_db("export", "--format", "csv", "--out", "导出/2025-12")  # tests run in tmp_path
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [COUNTS, f"写入 {tmp_path / '导出' / '2025-12'}（7 个文件）"]
    with (tmp_path / "导出" / "2025-12" / "records.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [row["note"] for row in csv.DictReader(handle)] == ["'=1+1"]


def test_running_again_replaces_the_previous_export(run_db, tmp_path):
    for _ in range(2):
        result = run_db("export", "--format", "csv", "--out", tmp_path / "out")
        assert result.exit_code == 0, result.stderr


def test_format_must_be_json_or_csv(run_db, tmp_path):
    result = run_db("export", "--format", "xlsx", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == "错误: --format 不能是“xlsx”，只能是 json、csv"
    assert not (tmp_path / "out").exists()


def test_format_and_out_are_required(run_db, tmp_path):
    result = run_db("export", "--out", tmp_path / "x")
    assert result.exit_code == 2
    assert "错误: 缺少选项 --format（可选: json、csv）" in result.stderr.splitlines()
    result = run_db("export", "--format", "json")
    assert result.exit_code == 2
    assert "错误: 缺少选项 --out" in result.stderr.splitlines()


def test_unwritable_out_is_one_line(run_db, tmp_path):
    (tmp_path / "file").write_text("x")
    result = run_db("export", "--format", "json", "--out", tmp_path / "file" / "export.json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"错误: 无法写入导出文件 {tmp_path / 'file' / 'export.json'}（{tmp_path / 'file'} 不是目录）",
        "提示: 检查目录是否存在、是否有写入权限，或换一个 --out",
    ]


def test_a_folder_of_other_files_is_refused(run_db, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "records.csv").write_text("mine")
    result = run_db("export", "--format", "csv", "--out", folder)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"错误: 目录 {folder} 不为空，且不是以前导出的目录",
        "提示: 换一个新目录或空目录；导出只覆盖自己以前写的文件",
    ]
    assert (folder / "records.csv").read_text() == "mine"


def test_a_missing_database_writes_nothing(run, tmp_path):
    result = run("--db", tmp_path / "none.db", "export", "--format", "json", "--out", tmp_path / "e.json")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"错误: 数据库文件 {tmp_path / 'none.db'} 不存在"
    assert not (tmp_path / "e.json").exists()
