"""The checklist round trip: export, fill in as an office would, import; every import rule with its own fixture."""

import csv
import gc
import hashlib
import io
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
import time_machine
from sqlmodel import Session, func, select

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.domain.checklist_sheet import COLUMNS, HEADER_ROW
from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope
from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.services import checklist_exchange
from jobpolicy.services.checklist_exchange import export_checklists, import_checklists
from jobpolicy.services.checklist_import import CONFIRMED_EMPTY, RETURNED_UNCHANGED
from jobpolicy.services.history import record_history
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.review import accept, return_item, submit
from jobpolicy.services.scope import resolve_scope
from jobpolicy.services.status import institution_status
from jobpolicy.storage.models import Event, Evidence, ImportBatch, Record

IMPORTS = Path(__file__).parents[1] / "data" / "imports"
POLICIES = Path(__file__).parents[2] / "policies"
COLUMN = {c.key: i for i, c in enumerate(COLUMNS, start=1)}


def counts(engine) -> tuple[int, int, int, int]:
    with Session(engine) as session:
        return tuple(session.exec(select(func.count()).select_from(model)).one()
                     for model in (Record, Event, Evidence, ImportBatch))


def record(engine, item: str, code: str = SHANXI) -> Record | None:
    with Session(engine) as session:
        return session.exec(select(Record).where(Record.institution_code == code, Record.item_id == item)).first()


def run_import(engine, *paths, **options):
    return import_checklists(engine, [Path(p) for p in paths], importer="李老师", **options)


def fill(path: Path, author: str | None = "王老师", phone: str | None = None, **items) -> Path:
    """Fill in a workbook with openpyxl, as an office does in Excel: 填报人, 联系电话, ``item=dict(column key=value)``."""
    book = openpyxl.load_workbook(path)
    sheet = book["清单"]
    sheet["B2"], sheet["B3"] = author, phone
    rows = {sheet.cell(r, 1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    for item, cells in items.items():
        for key, value in cells.items():
            sheet.cell(rows[item.replace("_", ".")], COLUMN[key]).value = value
    book.save(path)
    return path


def outcomes(result) -> dict[str, str]:
    """Item -> outcome of every row that is not 无变化."""
    return {row.item_id: row.outcome.value for row in result.rows if row.outcome.value != "unchanged"}


# ---------------------------------------------------------------- the round trip


def test_round_trip_of_an_office_workbook(engine, tmp_path):
    set_record(engine, SHANXI, "support.16.a", RawChange(status="推进中", value="620"), actor="张老师")
    exported = export_checklists(engine, [SHANXI], tmp_path / "山西大学.xlsx")
    path = exported.files[0].path
    (tmp_path / "人员名单.pdf").write_bytes(b"%PDF-1.4 staff")
    fill(path, support_16_a={"status": "已完成", "value": 480, "evidence": "人员名单.pdf\nhttps://jy.sxu.edu.cn/staff"},
         guidance_4_a={"status": "推进中", "progress": 60, "due": datetime(2025, 6, 30), "department": "教务处"})

    result = run_import(engine, path).files[0]

    assert (result.written, result.refused, result.failed) == (True, None, False)
    assert outcomes(result) == {"support.16.a": "updated", "guidance.4.a": "updated"}
    staffing, course = record(engine, "support.16.a"), record(engine, "guidance.4.a")
    assert (staffing.status, staffing.value, staffing.revision) == ("done", 480.0, 2)
    assert (course.status, course.progress, course.due, course.department) == ("in_progress", 60, date(2025, 6, 30),
                                                                                "教务处")
    with Session(engine) as session:
        batch = session.exec(select(ImportBatch)).one()
        events = session.exec(select(Event).where(Event.batch_id == batch.id)).all()
        proofs = session.exec(select(Evidence).where(Evidence.record_id == staffing.id)).all()
    assert (batch.file_name, batch.sha256) == ("山西大学.xlsx", hashlib.sha256(path.read_bytes()).hexdigest())
    assert (batch.imported_by, batch.policy_key, batch.institution_code, batch.rows, batch.changed) == (
        "李老师", "gse-2025@2025.2", SHANXI, 62, 2)
    assert (batch.author, batch.phone, batch.submitted) == ("王老师", "", True)
    assert result.batch_id == batch.id
    assert {e.source for e in events} == {f"导入批次 #{batch.id}（山西大学.xlsx）"} and {e.actor for e in events} == {"王老师"}
    assert (staffing.review, course.review, staffing.updated_by) == ("submitted", "submitted", "王老师")
    assert sorted((p.kind, p.name) for p in proofs) == [("file", "人员名单.pdf"), ("url", "https://jy.sxu.edu.cn/staff")]
    history = record_history(engine, SHANXI, "support.16.a").events
    assert [(e.field, e.new, e.batch_id) for e in history[-5:]] == [
        ("status", "done", batch.id), ("value", "480", batch.id),
        ("evidence", f"人员名单.pdf sha256:{hashlib.sha256(b'%PDF-1.4 staff').hexdigest()[:12]}", batch.id),
        ("evidence", "https://jy.sxu.edu.cn/staff", batch.id), ("review", "submitted", batch.id)]
    assert institution_status(engine, SHANXI).total.reported == 2


def test_importing_the_same_file_twice_changes_nothing_the_second_time(engine, tmp_path):
    path = tmp_path / "a.xlsx"
    shutil.copy(IMPORTS / "good_office.xlsx", path)
    first = run_import(engine, path).files[0]
    assert first.written and first.changed == 5
    before = counts(engine)
    second = run_import(engine, path).files[0]
    assert (second.written, second.changed, second.batch_id) == (False, 0, None)
    assert {row.outcome.value for row in second.rows} == {"unchanged"}
    assert counts(engine) == before


def test_a_reexported_workbook_of_imported_data_imports_as_no_change(engine, tmp_path):
    run_import(engine, IMPORTS / "good_office.xlsx")
    again = export_checklists(engine, [SHANXI], tmp_path / "again.xlsx").files[0].path
    sheet = openpyxl.load_workbook(again)["清单"]
    note = next(row[COLUMN["note"] - 1] for row in sheet.iter_rows(min_row=2) if row[0].value == "guidance.4.a")
    assert (note.value, note.data_type) == ("'-已纳入2025版培养方案", "s")  # neutralised on the way out
    before = counts(engine)
    assert run_import(engine, again).files[0].changed == 0 and counts(engine) == before
    assert record(engine, "guidance.4.a").note == "-已纳入2025版培养方案"  # and restored on the way in


def test_csv_round_trip(engine, tmp_path):
    path = export_checklists(engine, [TAIYUAN_TECH], tmp_path / "太原理工.csv").files[0].path
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    staffing = next(row for row in rows if row[0] == "support.16.a")
    staffing[COLUMN["status"] - 1], staffing[COLUMN["value"] - 1] = "已完成", "450"
    rows[1][1] = "张老师"  # 填报人
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    result = run_import(engine, path).files[0]
    assert outcomes(result) == {"support.16.a": "updated"} and result.written
    stored = record(engine, "support.16.a", TAIYUAN_TECH)
    assert (stored.status, stored.value, stored.revision) == ("done", 450.0, 1)


# ---------------------------------------------------------------- good fixtures


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("good_office.xlsx", {
            "support.16.a": {"status": "done", "value": 480.0, "owner": "王老师", "department": "人事处"},
            "guidance.4.a": {"status": "done", "progress": 100, "due": date(2025, 6, 30), "note": "-已纳入2025版培养方案"},
            "guidance.4.b": {"status": "in_progress", "progress": 60, "due": date(2025, 12, 31)},
            "guidance.4.c": {"due": date(2025, 11, 30), "owner": "李老师"},
            "support.15.c": {"status": "not_applicable", "na_reason": "经费由省级统筹，学校不单列"}}),
        ("good_formula_cached.xlsx", {"support.16.a": {"status": "done", "value": 480.0}}),
        ("good_date_serial.xlsx", {"guidance.4.b": {"due": date(2025, 6, 30)}, "guidance.4.c": {"due": date(2025, 7, 15)}}),
        ("good_merged.xlsx", {"guidance.4.a": {"department": "学生工作部"}, "guidance.4.b": {"department": "学生工作部"},
                              "guidance.4.c": {"department": "学生工作部"}}),
        ("good_extra_column.xlsx", {"support.16.a": {"status": "in_progress", "value": 520.0, "note": "新增两名专职人员"}}),
        ("good_deleted_row.xlsx", {"support.16.a": {"status": "in_progress", "value": 520.0}}),
        ("good_statuses.csv", {"support.16.a": {"status": "done", "owner": "王老师"},
                               "guidance.4.a": {"status": "in_progress", "progress": 40},
                               "guidance.4.b": {"status": "not_started"},
                               "guidance.4.c": {"status": "not_applicable", "na_reason": "本校咨询由二级学院承担"}}),
        ("good_gb18030.csv", {"support.16.a": {"status": "done", "note": "按1:500配备，已到位"},
                              "guidance.4.b": {"due": date(2025, 12, 31), "owner": "张老师"},
                              "recruitment.7.b": {"status": "done", "value": 120.0, "period": "2025"}}),
        ("good_dates.csv", {item: {"due": date(2025, 6, 30)}
                            for item in ("guidance.4.a", "guidance.4.b", "guidance.4.c", "guidance.4.d")}),
    ],
)
def test_good_fixtures_import(engine, name, expected):
    result = run_import(engine, IMPORTS / name).files[0]
    assert result.written and not result.failed, [str(p) for r in result.rows for p in r.problems]
    assert set(outcomes(result)) == set(expected)
    for item, fields in expected.items():
        stored = record(engine, item)
        assert {key: getattr(stored, key) for key in fields} == fields, item


def test_a_monthly_period_excel_rewrote_as_a_date_is_read_as_the_period(monthly_engine):
    """Excel in China opens a CSV's 期次 2025-08 as 1 August 2025 and saves it back as 2025/8/1, in GBK."""
    path = IMPORTS / "good_monthly_period.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="gbk"), newline="")))
    assert next(row for row in rows if row[0] == "assistance.1.a")[1] == "2025/8/1"  # as Excel saved it
    result = run_import(monthly_engine, path).files[0]
    assert result.written and not result.failed, [str(p) for r in result.rows for p in r.problems]
    assert (result.encoding, outcomes(result)) == ("gb18030", {"assistance.1.a": "updated"})
    assert [(r.item_id, r.period) for r in result.rows] == [
        ("assistance.1.a", "2025-08"), ("assistance.1.b", "2025"), ("assistance.1.c", "once")]
    stored = record(monthly_engine, "assistance.1.a")
    assert (stored.period, stored.status, stored.value) == ("2025-08", "done", 99.0)
    assert run_import(monthly_engine, path).files[0].changed == 0  # and it is the same row the second time


def test_what_the_file_says_about_itself(engine):
    extra = run_import(engine, IMPORTS / "good_extra_column.xlsx").files[0]
    deleted = run_import(engine, IMPORTS / "good_deleted_row.xlsx").files[0]
    gbk = run_import(engine, IMPORTS / "good_gb18030.csv").files[0]
    assert (extra.ignored, extra.missing) == (["办公室电话"], 0)
    assert (deleted.missing, record(engine, "guidance.4.a")) == (1, None)
    assert (gbk.encoding, gbk.missing) == ("gb18030", None)


# ---------------------------------------------------------------- bad fixtures: refused or in error, nothing changed


@pytest.fixture
def recorded(engine):
    """Something recorded already, so "nothing changed" is checked against real rows."""
    set_record(engine, SHANXI, "support.15.a", RawChange(status="推进中", owner="赵老师"), actor="张老师")
    return engine


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_other_version.xlsx", "文件是按政策 gse-2025@2024.9 导出的，数据库中该政策的当前版本是 gse-2025@2025.2"),
        ("bad_unknown_institution.xlsx", "学校 4111010001 尚未添加"),
        ("bad_other_institution.csv", "文件声称是学校 4114010108 的清单，但第 13 行属于学校 4114010112"),
        ("bad_xml_bomb.xlsx", "文件中含有 XML 实体定义（可能是“XML 炸弹”），已拒绝"),
        ("bad_zip_bomb.xlsx", "文件解压后有 60 MB（压缩比异常，可能是“zip 炸弹”），已拒绝"),
        ("bad_macro.xlsm", "不接受带宏的工作簿，只接受 .xlsx 和 .csv"),
        ("bad_macro_inside.xlsx", "文件中含有宏（VBA），出于安全原因不读取"),
        ("bad_old_format.xlsx", "文件是旧版 .xls 格式，或设置了打开密码，无法读取"),
        ("bad_no_meta_sheet.xlsx", "工作簿中没有工作表“_jobpolicy”，不是 jobpolicy 导出的清单"),
        ("bad_not_exported.csv", "文件第一行不是 jobpolicy 清单的元数据行，不是 jobpolicy 导出的清单"),
        ("bad_encoding.csv", "无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK），已拒绝"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(recorded, name, message):
    before = counts(recorded)
    result = run_import(recorded, IMPORTS / name)
    file = result.files[0]
    assert (file.refused.message, file.rows, file.written) == (message, [], False)
    assert result.failure().message == f"{name}：{message}"
    assert counts(recorded) == before
    assert "jobpolicy checklist export" not in f"{file.refused.message} {file.refused.hint}"  # the office never runs it


def test_a_file_of_another_policy_version_is_met_with_what_the_office_can_do(recorded):
    refused = run_import(recorded, IMPORTS / "bad_other_version.xlsx").files[0].refused
    assert refused.hint == "请向省厅（或负责导出清单的老师）索取新的清单（按 gse-2025@2025.2 导出），把已填的内容转填后再导入"


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        ("bad_status.csv", [
            "bad_status!第14行：第 14 行 N 列 完成时限“明天”无效；可写作 2025-06-30、2025/6/30 或 2025年6月30日",
            "bad_status!第53行：第 53 行 J 列 状态“完成了”无效，您是不是要找：已完成；可选：未启动（not_started）、推进中（in_progress）、"
            "已完成（done）、不适用（not_applicable）",
            "bad_status!第53行：第 53 行 K 列 进度“150”无效：应为 0 到 100 的整数（百分比）",
            "bad_status!第53行：第 53 行 Q 列 指标值“四百八”不是数字"]),
        ("bad_unknown_item.csv", ["bad_unknown_item!第53行：第 53 行 A 列 未知检查项“nope.1.a”"]),
        ("bad_inapplicable_item.csv", [
            "bad_inapplicable_item!第53行：第 53 行 A 列 检查项 supply.1.a 由国家有关部门落实，不在高校清单中"]),
        ("bad_not_applicable.csv", [
            "bad_not_applicable!第52行：第 52 行 S 列 状态为“不适用”时须在“不适用理由”列写明理由"]),
        ("bad_duplicate_row.csv", ["bad_duplicate_row!第68行：第 68 行 与第 53 行重复（同一检查项、同一期次）"]),
        ("bad_evidence.csv", [
            "bad_evidence!第53行：第 53 行 O 列 佐证链接“javascript:alert(1)”无效：只接受 http:// 或 https:// 链接",
            "bad_evidence!第53行：第 53 行 O 列 佐证材料“../secret.txt”既不是 http(s) 链接，也不在清单所在的文件夹或压缩包中"]),
        ("bad_formula_no_value.xlsx", [
            "清单!第53行：第 53 行 Q 列 “指标值”一格是公式 =SUM(Q6:Q7)，文件中没有它的计算结果：请直接填写数字，或用 Excel、WPS 打开并保存后再导入"]),
        ("bad_merged_across.xlsx", [
            "清单!第53行：第 53 行 Q 列 指标值位于跨列或连着表头的合并单元格 Q53:T53 中，无法判断属于哪一格；请取消合并后重新填写",
            "清单!第53行：第 53 行 S 列 不适用理由位于跨列或连着表头的合并单元格 Q53:T53 中，无法判断属于哪一格；请取消合并后重新填写",
            "清单!第53行：第 53 行 T 列 备注位于跨列或连着表头的合并单元格 Q53:T53 中，无法判断属于哪一格；请取消合并后重新填写"]),
    ],
)
def test_rows_in_error_keep_the_whole_file_out(recorded, name, problems):
    before = counts(recorded)
    result = run_import(recorded, IMPORTS / name)
    file = result.files[0]
    assert [f"{p.sheet}!第{p.row}行：{p}" for row in file.rows for p in row.problems] == problems
    assert all(row.outcome.value == "error" for row in file.rows if row.problems)
    errors = file.count_of("error")
    assert (file.written, file.failed) == (False, True)
    assert result.failure().message == f"{name} 未导入：有 {errors} 行错误，没有改动任何数据"
    assert counts(recorded) == before


def test_a_good_row_before_a_bad_one_is_rolled_back(recorded):
    result = run_import(recorded, IMPORTS / "bad_status.csv").files[0]
    assert outcomes(result)["guidance.4.a"] == "updated"  # judged, and even applied, then rolled back
    assert record(recorded, "guidance.4.a") is None


def test_several_files_each_all_or_nothing(engine):
    result = run_import(engine, IMPORTS / "good_statuses.csv", IMPORTS / "bad_status.csv", IMPORTS / "bad_macro.xlsm")
    assert [(f.written, f.failed) for f in result.files] == [(True, False), (False, True), (False, True)]
    assert record(engine, "support.16.a").owner == "王老师"
    assert result.failure().message == "2 个文件未导入（bad_status.csv、bad_macro.xlsm），这些文件没有改动任何数据"


def test_a_policy_loaded_between_two_files_of_one_import_refuses_the_later_one(engine_2025_1, tmp_path,
                                                                              monkeypatch):
    # The catalog is read once per import; each file still checks that it is the current version.
    first = fill(export_checklists(engine_2025_1, [SHANXI], tmp_path / "一.xlsx").files[0].path,
                 guidance_1_a={"owner": "王老师"})
    second = fill(export_checklists(engine_2025_1, [SHANXI], tmp_path / "二.xlsx").files[0].path,
                  guidance_1_b={"owner": "李老师"})
    one_file = checklist_exchange._import_file

    def then_a_new_version(engine, path, **options):
        done = one_file(engine, path, **options)
        if path == first:
            load_policy_version(engine, POLICIES / "gse-2025-2025.2.yaml", actor="管理员")
        return done

    monkeypatch.setattr(checklist_exchange, "_import_file", then_a_new_version)
    result = run_import(engine_2025_1, first, second)

    assert [f.written for f in result.files] == [True, False]
    assert result.files[1].refused.message == "文件是按政策 gse-2025@2025.1 导出的，数据库中该政策的当前版本是 gse-2025@2025.2"
    assert record(engine_2025_1, "guidance.1.b") is None


def test_an_import_gives_what_it_set_aside_back_to_the_cycle_collector(engine):
    before = gc.get_freeze_count()
    run_import(engine, IMPORTS / "good_statuses.csv", IMPORTS / "bad_status.csv")
    assert gc.get_freeze_count() == before


# ---------------------------------------------------------------- conflicts, dry run


@pytest.fixture
def conflicted(engine, tmp_path):
    """A workbook exported with support.16.a at revision 1, then changed in the database by someone else (rev 2);
    the office changes support.16.a (pre-filled 推进中, now 480) and guidance.4.a (new)."""
    set_record(engine, SHANXI, "support.16.a", RawChange(status="推进中", value="620"), actor="张老师")
    path = export_checklists(engine, [SHANXI], tmp_path / "山西.xlsx").files[0].path
    set_record(engine, SHANXI, "support.16.a", RawChange(status="已完成", owner="省厅"), actor="省厅审核员")
    return fill(path, support_16_a={"value": 480}, guidance_4_a={"status": "推进中"})


def test_conflict_stop_keeps_the_whole_file_out(engine, conflicted):
    before = counts(engine)
    result = run_import(engine, conflicted)
    file = result.files[0]
    assert outcomes(file) == {"support.16.a": "conflict", "guidance.4.a": "updated"}
    staffing = next(r for r in file.rows if r.item_id == "support.16.a")
    assert (staffing.exported_revision, staffing.current_revision) == (1, 2)
    assert [(c.field, c.old, c.new) for c in staffing.changes] == [("status", "done", "in_progress"),
                                                                     ("value", 620.0, 480.0)]
    assert (file.stopped, file.written) == (True, False) and counts(engine) == before
    assert result.failure().message == "山西.xlsx 未导入：有 1 行冲突（--on-conflict stop），没有改动任何数据"


def test_conflict_skip_leaves_that_row(engine, conflicted):
    result = run_import(engine, conflicted, on_conflict="skip")
    file = result.files[0]
    assert outcomes(file) == {"support.16.a": "conflict", "guidance.4.a": "updated"}
    assert (file.written, file.changed, result.failure()) == (True, 1, None)
    staffing = record(engine, "support.16.a")
    assert (staffing.status, staffing.value, staffing.owner) == ("done", 620.0, "省厅")
    assert record(engine, "guidance.4.a").status == "in_progress"


def test_conflict_update_applies_the_row_but_blanks_never_overwrite(engine, conflicted):
    result = run_import(engine, conflicted, on_conflict="update")
    assert result.files[0].written and result.failure() is None
    staffing = record(engine, "support.16.a")
    assert (staffing.status, staffing.value, staffing.owner) == ("in_progress", 480.0, "省厅")


def test_a_row_already_equal_to_a_changed_record_is_no_conflict(engine, tmp_path):
    set_record(engine, SHANXI, "support.16.a", RawChange(status="推进中"), actor="张老师")
    path = export_checklists(engine, [SHANXI], tmp_path / "山西.xlsx").files[0].path
    set_record(engine, SHANXI, "support.16.a", RawChange(value="480"), actor="张老师")
    fill(path, support_16_a={"value": 480})
    file = run_import(engine, path).files[0]
    assert outcomes(file) == {} and not file.failed


def test_dry_run_judges_every_row_and_writes_nothing(engine, conflicted):
    before = counts(engine)
    result = run_import(engine, conflicted, on_conflict="update", dry_run=True)
    file = result.files[0]
    assert outcomes(file) == {"support.16.a": "conflict", "guidance.4.a": "updated"}
    assert (file.written, file.changed, file.batch_id, result.failure()) == (False, 2, None, None)
    assert counts(engine) == before


def test_a_draft_import_puts_a_submitted_record_back_to_draft(engine, tmp_path):
    set_record(engine, SHANXI, "support.16.a", RawChange(status="推进中"), actor="张老师")
    submit(engine, SHANXI, actor="张老师")
    path = fill(export_checklists(engine, [SHANXI], tmp_path / "a.xlsx").files[0].path, author=None,
                support_16_a={"status": "已完成"}, guidance_4_a={"status": "推进中", "confirm": "是"})
    file = run_import(engine, path, draft=True).files[0]
    assert (record(engine, "support.16.a").status, record(engine, "support.16.a").review) == ("done", "draft")
    assert record(engine, "guidance.4.a").review == "draft"  # 确认报送 means nothing in a draft import
    assert file.notes == ["按草稿导入（--draft）：1 行填了“确认报送”，未报送"]
    with Session(engine) as session:
        batch = session.exec(select(ImportBatch)).one()
    assert (batch.author, batch.imported_by, batch.submitted) == ("", "李老师", False)
    assert {e.actor for e in record_history(engine, SHANXI, "support.16.a").events if e.batch_id} == {"李老师"}


# ---------------------------------------------------------------- the school's 报送


def test_a_returned_workbook_is_the_schools_submission_ready_to_accept(engine, tmp_path):
    path = fill(export_checklists(engine, [SHANXI], tmp_path / "a.xlsx").files[0].path, phone="0351-7010000",
                support_16_a={"status": "已完成", "value": 480}, supply_2_a={"status": "不适用", "na_reason": "无新设专业"})
    file = run_import(engine, path).files[0]
    assert (file.sender.author, file.sender.phone, file.sender.importer, file.sender.submit) == (
        "王老师", "0351-7010000", "李老师", True)
    assert {item: record(engine, item).review for item in ("support.16.a", "supply.2.a")} == {
        "support.16.a": "submitted", "supply.2.a": "submitted"}
    assert [r.item_id for r in accept(engine, SHANXI, [], actor="省厅").records] == ["supply.2.a", "support.16.a"]
    history = record_history(engine, SHANXI, "supply.2.a")
    assert [(e.field, e.actor) for e in history.events] == [
        ("status", "王老师"), ("na_reason", "王老师"), ("review", "王老师"), ("review", "省厅")]
    assert history.batches[history.events[0].batch_id].imported_by == "李老师"


def test_a_school_confirms_unchanged_rows_and_only_drafts_go_in(engine, tmp_path):
    for item in ("support.16.a", "guidance.4.a", "guidance.4.b"):
        set_record(engine, SHANXI, item, RawChange(status="推进中"), actor="张老师")
    submit(engine, SHANXI, actor="张老师")
    return_item(engine, SHANXI, "guidance.4.b", "缺少课程表", actor="省厅")
    set_record(engine, SHANXI, "support.16.a", RawChange(owner="王老师"), actor="张老师")  # a draft again
    path = fill(export_checklists(engine, [SHANXI], tmp_path / "a.xlsx").files[0].path,
                **{item: {"confirm": "是"} for item in ("support_16_a", "guidance_4_a", "guidance_4_b", "supply_2_a")})
    file = run_import(engine, path).files[0]
    rows = {row.item_id: (row.outcome.value, row.warnings) for row in file.rows if row.item_id in (
        "support.16.a", "guidance.4.a", "guidance.4.b", "supply.2.a")}
    assert rows == {"support.16.a": ("confirmed", []), "guidance.4.a": ("unchanged", []),
                    "guidance.4.b": ("unchanged", [RETURNED_UNCHANGED]), "supply.2.a": ("unchanged", [CONFIRMED_EMPTY])}
    assert [record(engine, i).review for i in ("support.16.a", "guidance.4.a", "guidance.4.b")] == [
        "submitted", "submitted", "returned"]
    assert (file.written, file.changed, record(engine, "supply.2.a")) == (True, 1, None)


def test_a_returned_row_the_school_fixed_is_resubmitted(engine, tmp_path):
    set_record(engine, SHANXI, "support.16.a", RawChange(status="已完成", value="620"), actor="张老师")
    submit(engine, SHANXI, actor="张老师")
    return_item(engine, SHANXI, "support.16.a", "配比未达标", actor="省厅")
    path = export_checklists(engine, [SHANXI], tmp_path / "a.xlsx").files[0].path
    sheet = openpyxl.load_workbook(path)["清单"]
    row = next(r for r in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == "support.16.a")
    assert (sheet.cell(row, COLUMN["review"]).value, sheet.cell(row, COLUMN["review_reason"]).value) == (
        "已退回", "配比未达标")
    run_import(engine, fill(path, support_16_a={"value": 480}))
    fixed = record(engine, "support.16.a")
    assert (fixed.value, fixed.review, fixed.review_reason) == (480.0, "submitted", None)


def test_a_file_without_its_author_is_refused_unless_told_who_or_kept_as_draft(engine, tmp_path):
    before = counts(engine)
    refused = run_import(engine, IMPORTS / "bad_no_author.xlsx")
    assert (refused.failure().message, refused.failure().hint) == (
        "bad_no_author.xlsx：清单第 2 行的“填报人”为空，不知道是谁报送的",
        "请学校填上填报人姓名后重新发送；或导入时加 --author 姓名，或加 --draft 作为草稿导入")
    assert counts(engine) == before
    named = run_import(engine, IMPORTS / "bad_no_author.xlsx", author="赵老师").files[0]
    assert (named.written, named.sender.author, record(engine, "support.16.a").updated_by) == (True, "赵老师", "赵老师")


def test_files_of_format_1_still_import(engine):
    refused = run_import(engine, IMPORTS / "format1_office.xlsx").failure()
    assert refused.message == "format1_office.xlsx：这是旧版清单（格式 1），没有“填报人”一栏，无法作为报送导入"
    assert refused.hint.endswith("请向省厅（或负责导出清单的老师）索取新的清单")
    office = run_import(engine, IMPORTS / "format1_office.xlsx", author="王老师").files[0]
    statuses = run_import(engine, IMPORTS / "format1_statuses.csv", author="王老师", on_conflict="update").files[0]
    assert (office.meta.fmt, office.changed, statuses.meta.fmt, statuses.written) == ("1", 5, "1", True)
    assert record(engine, "support.15.c").na_reason == "经费由省级统筹，学校不单列"  # format 1: the 备注 is the reason
    assert record(engine, "guidance.4.c").na_reason == "本校咨询由二级学院承担"


def test_done_with_a_value_that_misses_its_target_is_imported_with_a_warning(engine, tmp_path):
    path = fill(export_checklists(engine, [SHANXI], tmp_path / "a.xlsx").files[0].path,
                support_16_a={"status": "已完成", "value": 620}, guidance_4_a={"value": 30})
    file = run_import(engine, path).files[0]
    warned = {row.item_id: row.warnings for row in file.rows if row.warnings}
    assert warned == {"support.16.a": [
        "support.16.a 标为已完成，但指标值 620 未达到目标（参考指标：专职就业工作人员与应届毕业生之比 ≤ 500 名毕业生/每名专职人员）"]}
    assert file.written and record(engine, "support.16.a").value == 620.0


def test_bad_on_conflict_value(engine):
    with pytest.raises(InvalidInput) as caught:
        run_import(engine, IMPORTS / "good_office.xlsx", on_conflict="merge")
    assert caught.value.message == "--on-conflict “merge”无效"


# ---------------------------------------------------------------- export


def test_export_of_many_institutions_writes_a_folder_of_workbooks(engine, tmp_path):
    result = export_checklists(engine, [SHANXI, CHANGZHI_VOCATIONAL, SHANXI], tmp_path / "清单")
    assert [f.path.name for f in result.files] == [f"{SHANXI}-山西大学.xlsx", f"{CHANGZHI_VOCATIONAL}-长治职业技术学院.xlsx"]
    assert [f.rows for f in result.files] == [62, 61]  # guidance.4.f is for 本科 only


def test_export_picks_the_period_of_recurring_items(monthly_engine, tmp_path):
    with time_machine.travel(datetime(2025, 9, 15, 2, tzinfo=UTC), tick=False):
        default = export_checklists(monthly_engine, [SHANXI], tmp_path / "a.csv").files[0].path.read_text("utf-8-sig")
        chosen = export_checklists(monthly_engine, [SHANXI], tmp_path / "b.csv", period="2026").files[0].path
    assert "assistance.1.b,2025," in default and "assistance.1.a,2025-08," in default
    assert "assistance.1.c,," in default  # a one-off item has no period
    text = chosen.read_text("utf-8-sig")
    assert "assistance.1.b,2026," in text and "assistance.1.a,2025-08," in text  # a monthly item has no "2026"
    assert "assistance.1.c,," in text


def test_export_takes_a_period_as_offices_write_it(monthly_engine, tmp_path):
    with time_machine.travel(datetime(2025, 9, 15, 2, tzinfo=UTC), tick=False):
        chosen = export_checklists(monthly_engine, [SHANXI], tmp_path / "b.csv", period="2025年10月").files[0].path
    text = chosen.read_text("utf-8-sig")
    assert "assistance.1.a,2025-10," in text and "assistance.1.b,2025," in text  # 2025年10月 lies in the year 2025


@pytest.mark.parametrize(
    ("codes", "out", "options", "error", "message"),
    [
        ([SHANXI, TAIYUAN_TECH], "a.xlsx", {}, InvalidInput, "导出 2 所学校时 --out 须是文件夹，不能是 .xlsx 文件"),
        ([SHANXI], "a.csv", {"fmt": "xlsx"}, InvalidInput, "--out 的扩展名 .csv 与 --format xlsx 不一致"),
        ([SHANXI], "a.xlsx", {"period": "1999"}, InvalidInput, "期次“1999”不是这些学校清单上任何周期性事项的有效期次"),
        (["4111010001"], "a.xlsx", {}, NotFound, "学校 4111010001 尚未添加"),
        ([SHANXI], "notes.csv", {}, InvalidInput, "notes.csv 已存在，且不是 jobpolicy 导出的清单，不会覆盖"),
    ],
)
def test_export_refuses(engine, tmp_path, monkeypatch, codes, out, options, error, message):
    monkeypatch.chdir(tmp_path)
    Path("notes.csv").write_text("我的笔记", encoding="utf-8")
    with pytest.raises(error) as caught:
        export_checklists(engine, codes, out, **options)
    assert caught.value.message == message
    assert Path("notes.csv").read_text(encoding="utf-8") == "我的笔记"


def test_export_replaces_an_earlier_export(engine, tmp_path):
    first = export_checklists(engine, [SHANXI], tmp_path / "a.xlsx").files[0].path
    set_record(engine, SHANXI, "support.16.a", RawChange(status="已完成"), actor="张老师")
    export_checklists(engine, [SHANXI], first)
    sheet = openpyxl.load_workbook(first)["清单"]
    assert "已完成" in [row[COLUMN["status"] - 1].value for row in sheet.iter_rows(min_row=2)]


def test_evidence_typed_as_a_windows_path_is_found_in_its_subfolder(engine, tmp_path):
    exported = export_checklists(engine, [SHANXI], tmp_path / "山西大学.xlsx")
    (tmp_path / "佐证材料").mkdir()
    (tmp_path / "佐证材料" / "人员名单.pdf").write_bytes(b"%PDF-1.4 staff")
    fill(exported.files[0].path, support_16_a={"status": "已完成", "evidence": "佐证材料\\人员名单.pdf"})

    result = run_import(engine, exported.files[0].path).files[0]

    assert (result.written, outcomes(result)) == (True, {"support.16.a": "updated"})


# ---------------------------------------------------------------- export by filter

PEKING = "4111010001"  # 北京大学, 教育部


@pytest.fixture
def province_office(engine, tmp_path, monkeypatch):
    """Three 山西 schools with records and evidence, 北京大学 with one, run from an empty folder."""
    from jobpolicy.services.institutions import add_institution

    add_institution(engine, PEKING)
    for code in (SHANXI, CHANGZHI_VOCATIONAL, PEKING):
        set_record(engine, code, "support.16.a", RawChange(status="推进中", evidence=[f"https://{code}.cn/名单"]),
                   actor="张老师")
    set_record(engine, TAIYUAN_TECH, "support.15.a", RawChange(status="已完成"), actor="李老师")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return engine


def sheet_values(path: Path, item: str) -> tuple:
    sheet = openpyxl.load_workbook(path)["清单"]
    row = next(r for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0] == item)
    return row[COLUMN["status"] - 1], row[COLUMN["evidence"] - 1]


def test_a_filter_writes_a_workbook_per_school_into_a_folder_named_after_it(province_office):
    result = export_checklists(province_office, resolve_scope(province="山西"))
    folder = Path("山西省-清单").resolve()
    assert (result.scope, result.folder, result.fmt) == (InstitutionScope(province="山西省"), folder, "xlsx")
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{SHANXI}-山西大学.xlsx", f"{TAIYUAN_TECH}-太原理工大学.xlsx", f"{CHANGZHI_VOCATIONAL}-长治职业技术学院.xlsx"]
    # Each school's own records and evidence, not another's.
    files = {f.code: f.path for f in result.files}
    assert sheet_values(files[SHANXI], "support.16.a") == ("推进中", f"https://{SHANXI}.cn/名单")
    assert sheet_values(files[CHANGZHI_VOCATIONAL], "support.16.a") == ("推进中", f"https://{CHANGZHI_VOCATIONAL}.cn/名单")
    assert sheet_values(files[TAIYUAN_TECH], "support.16.a") == (None, None)
    assert sheet_values(files[TAIYUAN_TECH], "support.15.a")[0] == "已完成"


def test_a_filter_by_level_and_authority_into_a_chinese_folder(province_office):
    out = Path("清单 2026") / "专科（省属）"
    result = export_checklists(province_office, resolve_scope(level="专科", authority="山西省"), out, fmt="csv")
    assert [f.path for f in result.files] == [out / f"{CHANGZHI_VOCATIONAL}-长治职业技术学院.csv"]
    assert result.folder == out.resolve()
    ministry = export_checklists(province_office, InstitutionScope(authority="教育部"))
    assert [f.path for f in ministry.files] == [Path("教育部-清单") / f"{PEKING}-北京大学.xlsx"]


def test_every_schools_records_and_evidence_are_read_in_one_query_each(province_office):
    from sqlalchemy import event

    statements = []
    event.listen(province_office, "before_cursor_execute", lambda *args: statements.append(args[2]))
    export_checklists(province_office, InstitutionScope(province="山西省"))
    tables = [s.split("FROM", 1)[1].split()[0] for s in statements if s.lstrip().startswith("SELECT")]
    assert (tables.count("record"), tables.count("evidence"), tables.count("institution")) == (1, 1, 1)


@pytest.mark.parametrize(
    ("scope", "out", "error", "message"),
    [
        (EVERYWHERE, None, InvalidInput, "没有给出学校标识码，也没有给出筛选条件"),
        (InstitutionScope(province="北京市", level="专科"), None, NotFound,
         "没有符合条件（北京市 · 专科）的学校（2026 年高校名单中有 23 所，尚未添加）"),
        (InstitutionScope(province="山西省"), "清单.xlsx", InvalidInput,
         "导出 3 所学校时 --out 须是文件夹，不能是 .xlsx 文件"),
        (InstitutionScope(province="山西省"), "清单:2026", InvalidInput,
         "--out 的文件名“清单:2026”不可用：文件名不能含有 :"),
    ],
)
def test_a_filter_export_refuses_before_writing_anything(province_office, scope, out, error, message):
    with pytest.raises(error) as caught:
        export_checklists(province_office, scope, out)
    assert caught.value.message == message
    assert list(Path().iterdir()) == []


def test_a_bad_period_is_refused_before_any_file_is_written(province_office):
    with pytest.raises(InvalidInput, match="期次“1999”不是这些学校清单上任何周期性事项的有效期次"):
        export_checklists(province_office, InstitutionScope(province="山西省"), period="1999")
    assert list(Path().iterdir()) == []
