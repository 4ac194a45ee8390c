"""The office–province exchange as one scripted session through the CLI, on SQLite and on PostgreSQL.

The province exports a school's workbook; the school fills it in (填报人, 联系电话, statuses, a 不适用理由) and
saves it in LibreOffice, as an office's spreadsheet program would; the province imports it (the school's 报送),
accepts some rows and returns one with a reason; the next export shows that row returned, with the reason; the
school fixes it; the import resubmits it. At every step the history names the school's 填报人 as the author and
the province as the importer.

LibreOffice (Debian's ``soffice``, headless) saves the filled-in workbooks, so the files imported here are written
by a spreadsheet program, not by openpyxl. Without it the test skips, except under CI (`.ci/run` installs it).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import time_machine
from typer.testing import CliRunner

from codes import SHANXI
from jobpolicy.cli import app
from jobpolicy.domain.checklist_sheet import COLUMNS, HEADER_ROW
from libreoffice import save_in_libreoffice

COLUMN = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
PROVINCE = "省厅李处长"
AUTHOR = "王老师（山西大学填报，省厅李处长导入）"
REASON = "课程学时不足 38 学时，请补充教学安排"


def beijing(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2025, month, day, hour - 8, tzinfo=UTC)


def fill(path: Path, **items: dict[str, object]) -> None:
    """What the office types: 填报人 and 联系电话 once at the top, then cells by item (``support_16_a``)."""
    book = openpyxl.load_workbook(path)
    sheet = book["清单"]
    sheet["B2"], sheet["B3"] = "王老师", "0351-7010000"
    rows = {sheet.cell(r, 1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    for item, cells in items.items():
        for key, value in cells.items():
            sheet.cell(rows[item.replace("_", ".")], COLUMN[key]).value = value
    book.save(path)


def sheet_rows(path: Path) -> dict[str, dict[str, object]]:
    """The workbook's rows by item, as a spreadsheet shows them (formula results as last computed)."""
    sheet = openpyxl.load_workbook(path, data_only=True)["清单"]
    header, *rows = sheet.iter_rows(min_row=HEADER_ROW)
    return {row[0].value: {h.value: cell for h, cell in zip(header, row, strict=True)} for row in rows}


def exchange(url: str, folder: Path, soffice: str) -> dict[str, object]:
    """Run the whole exchange against one database; return what must agree across back ends."""
    runner = CliRunner()

    def run(*args: object, when: datetime, ok: int = 0):
        with time_machine.travel(when, tick=False):
            result = runner.invoke(app, ["--db", url, *map(str, args)])
        assert result.exit_code == ok, (args, result.stdout, result.stderr)
        return result

    run("db", "init", when=beijing(3, 1))
    run("institution", "add", SHANXI, when=beijing(3, 1))

    # The province sends the workbook; the school fills it in and saves it in its spreadsheet program.
    first = folder / "round1" / "山西大学.xlsx"
    run("checklist", "export", SHANXI, "--out", first, when=beijing(3, 2))
    fill(first, support_16_a={"status": "已完成", "value": 480},
         guidance_4_a={"status": "已完成", "value": 32},
         guidance_4_b={"status": "推进中", "progress": 60},
         supply_2_a={"status": "不适用", "na_reason": "本年度无新设专业"})
    sent = save_in_libreoffice(soffice, first)
    verdicts = {item: cells["达标情况"].value for item, cells in sheet_rows(sent).items() if cells["达标情况"].value}
    assert verdicts == {"support.16.a": "达标", "guidance.4.a": "未达标"}  # computed by LibreOffice as typed

    # The province imports it: the school's 报送, in the name of its 填报人.
    imported = run("checklist", "import", sent, "--by", PROVINCE, when=beijing(3, 10))
    assert imported.stdout.splitlines()[-1] == f"  填报人 王老师（山西大学），联系电话 0351-7010000；导入人 {PROVINCE}"
    assert "注意：guidance.4.a 标为已完成，但指标值 32 未达到目标" in imported.stdout
    run("review", "accept", SHANXI, "support.16.a", "guidance.4.b", "supply.2.a", "--by", PROVINCE, when=beijing(3, 12))
    run("review", "return", SHANXI, "guidance.4.a", "--reason", REASON, "--by", PROVINCE, when=beijing(3, 12))

    # The next export shows the returned row, red, with the reason; so does the school's to-do.
    second = folder / "round2" / "山西大学.xlsx"
    run("checklist", "export", SHANXI, "--out", second, when=beijing(3, 13))
    returned = sheet_rows(second)["guidance.4.a"]
    assert (returned["审核状态"].value, returned["审核意见"].value) == ("已退回", REASON)
    assert returned["审核状态"].fill.fgColor.rgb.endswith("F8CBAD")
    assert sheet_rows(second)["support.16.a"]["审核状态"].value == "已审核"
    todo = json.loads(run("todo", SHANXI, "--json", when=beijing(3, 13)).stdout)
    assert [(t["item"], t["reason"]) for t in todo["returned"]] == [("guidance.4.a", REASON)]

    # The school fixes it; the import resubmits it; the province accepts it.
    fill(second, guidance_4_a={"value": 40, "evidence": "https://jy.sxu.edu.cn/kc"})
    fixed = run("checklist", "import", save_in_libreoffice(soffice, second), "--by", PROVINCE, when=beijing(3, 20))
    assert "guidance.4.a：更新（指标值 32→40，佐证材料 +https://jy.sxu.edu.cn/kc）" in fixed.stdout
    show = json.loads(run("record", "show", SHANXI, "guidance.4.a", "--json", when=beijing(3, 20)).stdout)["lines"][0]
    assert (show["review"], show["review_reason"], show["met"]) == ("submitted", None, True)
    run("review", "accept", SHANXI, "guidance.4.a", "--by", PROVINCE, when=beijing(3, 21))

    history = run("record", "history", SHANXI, "guidance.4.a", when=beijing(3, 21)).stdout.splitlines()
    return {
        "history": [line.split("  ", 1)[1] for line in history],
        "events": [{k: e[k] for k in ("actor", "imported_by", "field", "old", "new")}
                   for e in json.loads(run("record", "history", SHANXI, "guidance.4.a", "--json",
                                           when=beijing(3, 21)).stdout)],
        "na_reason": json.loads(run("record", "show", SHANXI, "supply.2.a", "--json",
                                    when=beijing(3, 21)).stdout)["lines"][0]["na_reason"],
    }


def test_the_exchange_names_the_schools_author_and_the_importer_at_each_step(db_url, tmp_path, soffice):
    answers = exchange(db_url, tmp_path, soffice)
    assert answers["history"] == [
        f"{AUTHOR}  guidance.4.a 状态：（空） → 已完成  （导入批次 #1（山西大学.xlsx））",
        f"{AUTHOR}  guidance.4.a 指标值：（空） → 32  （导入批次 #1（山西大学.xlsx））",
        f"{AUTHOR}  guidance.4.a 审核状态：草稿 → 已报送  （导入批次 #1（山西大学.xlsx））",
        f"{PROVINCE}  guidance.4.a 审核状态：已报送 → 已退回  （命令 review return）",
        f"{PROVINCE}  guidance.4.a 审核意见：（空） → {REASON}  （命令 review return）",
        f"{AUTHOR}  guidance.4.a 指标值：32 → 40  （导入批次 #2（山西大学.xlsx））",
        f"{AUTHOR}  guidance.4.a 佐证材料：添加 https://jy.sxu.edu.cn/kc  （导入批次 #2（山西大学.xlsx））",
        f"{AUTHOR}  guidance.4.a 审核状态：已退回 → 已报送  （导入批次 #2（山西大学.xlsx））",
        f"{AUTHOR}  guidance.4.a 审核意见：{REASON} → （空）  （导入批次 #2（山西大学.xlsx））",
        f"{PROVINCE}  guidance.4.a 审核状态：已报送 → 已审核  （命令 review accept）",
    ]
    authors = {(e["actor"], e["imported_by"]) for e in answers["events"]}
    assert authors == {("王老师", PROVINCE), (PROVINCE, None)}
    assert answers["na_reason"] == "本年度无新设专业"


def test_the_workbook_judges_a_value_typed_as_a_percentage_as_the_import_reads_it(run_db, tmp_path, soffice):
    """达标情况 is a formula: LibreOffice computes it, and a value typed as 1.2% (stored 0.012) counts as 1.2."""
    path = tmp_path / "山西大学.xlsx"
    run_db("checklist", "export", SHANXI, "--out", path)
    book = openpyxl.load_workbook(path)
    sheet = book["清单"]
    sheet["B2"] = "王老师"
    rows = {sheet.cell(r, 1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    typed = {"support.15.c": (0.012, "0.0%"), "support.16.a": (480, "General"), "guidance.4.a": (32, "General")}
    for item, (value, number_format) in typed.items():
        cell = sheet.cell(rows[item], COLUMN["value"])
        cell.value, cell.number_format = value, number_format
    book.save(path)

    saved = sheet_rows(save_in_libreoffice(soffice, path))
    verdicts = {item: saved[item]["达标情况"].value for item in typed}
    imported = run_db("checklist", "import", path.parent / "libreoffice" / path.name, "--by", PROVINCE, "--json")
    values = {row["item"]: change["new"] for row in json.loads(imported.stdout)["files"][0]["rows"]
              for change in row["changes"] if row["item"] in typed and change["field"] == "value"}

    # ≥ 1 %: 1.2 达标; ≤ 500 名毕业生/人: 480 达标; ≥ 38 学时: 32 未达标 — in the sheet and in what was imported
    assert verdicts == {"support.15.c": "达标", "support.16.a": "达标", "guidance.4.a": "未达标"}
    assert values == {"support.15.c": "1.2", "support.16.a": "480", "guidance.4.a": "32"}
