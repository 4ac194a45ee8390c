"""Evidence files from the command line: ``record set --evidence`` stores them, ``db check`` finds damage, and a
file that is not accepted is one 错误 line with a hint, exit 3, nothing stored."""

from __future__ import annotations

import csv
import hashlib
import json

import pytest

from codes import SHANXI
from evidence_samples import HTML, PDF, PNG, write
from storage.test_evidence_store import damage

ITEM = "support.16.a"


def test_record_set_stores_the_files_and_record_show_lists_them(run_db, tmp_path):
    pdf, png = write(tmp_path, "人员名单.pdf", PDF), write(tmp_path, "座谈会照片.png", PNG)

    result = run_db("record", "set", SHANXI, ITEM, "--status", "已完成", "--evidence", pdf, "--evidence", png,
                    "--by", "张老师")
    shown = run_db("record", "show", SHANXI, ITEM)

    assert result.exit_code == 0, result.stderr
    assert "佐证材料：添加 人员名单.pdf" in result.stdout and "佐证材料：添加 座谈会照片.png" in result.stdout
    assert "佐证：人员名单.pdf（" in shown.stdout and "佐证：座谈会照片.png（" in shown.stdout


def test_db_check_names_each_missing_or_altered_file_and_exits_1(run_db, engine, tmp_path):
    run_db("record", "set", SHANXI, ITEM, "--evidence", write(tmp_path, "人员名单.pdf", PDF), "--by", "张老师")
    good = run_db("db", "check")
    assert (good.exit_code, good.stdout.splitlines()[1]) == (0, "全部完好：每个文件都与其 sha256 一致")

    damage(engine, hashlib.sha256(PDF).hexdigest())
    bad, as_json = run_db("db", "check"), run_db("db", "check", "--json")

    assert bad.exit_code == 1
    assert bad.stdout.splitlines()[1].startswith("  内容与 sha256 不符（已被改动或损坏）：人员名单.pdf（sha256 ")
    assert bad.stderr.splitlines()[0].startswith("错误: 佐证材料库") and "有 1 个文件缺失或被改动" in bad.stderr
    assert bad.stderr.splitlines()[1].startswith("提示: ")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["problems"][0]["names"] == ["人员名单.pdf"]


@pytest.mark.parametrize(("name", "data", "first"), [
    ("报告.html", HTML, "错误: 佐证材料“报告.html”不接受“.html”类型的文件"),
    ("报告.pdf", HTML, "错误: 佐证材料“报告.pdf”扩展名是 .pdf，内容却不是PDF"),
])
def test_a_file_not_accepted_is_one_line_exit_3_and_nothing_stored(run_db, tmp_path, name, data, first):
    result = run_db("record", "set", SHANXI, ITEM, "--status", "已完成", "--evidence", write(tmp_path, name, data),
                    "--by", "张老师")

    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(first) and lines[1].startswith("提示: 只接受 PDF")
    assert "佐证" not in run_db("record", "show", SHANXI, ITEM).stdout.split("名词说明")[0].split(ITEM)[-1]
    assert json.loads(run_db("db", "check", "--json").stdout)["checked"] == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_db_backup_copies_the_files_the_copy_cites_beside_it(run_db, run, tmp_path):
    run_db("record", "set", SHANXI, ITEM, "--evidence", write(tmp_path, "人员名单.pdf", PDF), "--by", "张老师")
    target = tmp_path / "备份" / "backup.db"
    target.parent.mkdir()

    result = run_db("db", "backup", target)

    assert result.exit_code == 0, result.stderr
    copy = target.with_name("backup.db.evidence") / hashlib.sha256(PDF).hexdigest()[:2] / hashlib.sha256(PDF).hexdigest()
    assert copy.read_bytes() == PDF
    checked = run("--db", target, "db", "check", "--json")
    assert (checked.exit_code, json.loads(checked.stdout)["checked"]) == (0, 1)
    again = run_db("db", "backup", target.with_name("second.db"))
    assert again.exit_code == 0 and (target.parent / "second.db.evidence").is_dir()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_with_files_writes_each_file_once_with_a_manifest_of_sha256s(run_db, tmp_path, fmt):
    pdf = write(tmp_path, "人员名单.pdf", PDF)
    run_db("record", "set", SHANXI, ITEM, "--evidence", pdf, "--evidence", write(tmp_path, "照片.png", PNG),
           "--by", "张老师")
    run_db("record", "set", SHANXI, "support.16.b", "--evidence", pdf, "--by", "张老师")  # cited twice, one copy
    out = tmp_path / ("导出" if fmt == "csv" else "导出.json")

    result = run_db("export", "--format", fmt, "--out", out, "--with-files")

    folder = out / "evidence" if fmt == "csv" else tmp_path / "导出.json.evidence"
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"佐证材料 2 个文件写入 {folder}（清单 manifest.csv）"
    with (folder / "manifest.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["names"] for r in rows) == ["人员名单.pdf", "照片.png"]
    for row in rows:
        assert hashlib.sha256((folder / row["path"]).read_bytes()).hexdigest() == row["sha256"]


def test_withdrawn_evidence_leaves_the_record_but_not_its_history_or_the_store(run_db, tmp_path):
    run_db("record", "set", SHANXI, ITEM, "--evidence", write(tmp_path, "人员名单.pdf", PDF), "--by", "张老师")

    result = run_db("record", "set", SHANXI, ITEM, "--withdraw-evidence", "人员名单.pdf", "--by", "李老师")
    history = run_db("record", "history", SHANXI, ITEM).stdout

    assert result.exit_code == 0, result.stderr
    assert "佐证材料：撤回 人员名单.pdf" in result.stdout and "佐证材料：撤回 人员名单.pdf" in history
    assert "佐证：人员名单.pdf" not in run_db("record", "show", SHANXI, ITEM).stdout
    assert json.loads(run_db("db", "check", "--json").stdout)["checked"] == 1
    again = run_db("record", "set", SHANXI, ITEM, "--withdraw-evidence", "人员名单.pdf", "--by", "李老师")
    assert again.exit_code == 3 and again.stderr.startswith("错误: support.16.a 没有名为“人员名单.pdf”的佐证材料")
