"""The checklist sheet format: neutralising formulas, metadata, and reading cells back into values or problems."""

from dataclasses import replace
from datetime import date, datetime

import pytest

from jobpolicy.domain.catalog import Actor, BasisKind, Cadence, Indicator, Item, ItemBasis
from jobpolicy.domain.checklist_cells import (
    CellError,
    RawSheet,
    apply_merges,
    column_letter,
    map_header,
    parse_sheet,
    sheet_period,
    split_grid,
)
from jobpolicy.domain.checklist_sheet import (
    AUTHOR,
    COLUMNS,
    CSV_TRAILER,
    PHONE,
    SheetMeta,
    block_rows,
    csv_meta_row,
    meta_sheet_rows,
    parse_csv_meta,
    parse_meta_sheet,
    sheet_row,
)
from jobpolicy.domain.formula_cells import Unreadable
from jobpolicy.domain.values import neutralise, restore
from jobpolicy.errors import InvalidInput

META = SheetMeta("gse-2025", "2025.1", "4114010108", "山西大学", "2025-09-15T02:00:00+00:00")
HEADER = [c.header for c in COLUMNS]
CSV_HEADER = [*HEADER, *(c.header for c in CSV_TRAILER)]
INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
STAFFING = Item("support.16.a", Actor.UNIVERSITY, "按1:500配备专职人员", evidence=("人员名单", "岗位文件"),
                indicator=Indicator("配比", "名毕业生/人", 500, "<="))
ANNUAL = Item("evaluation.14.a", Actor.UNIVERSITY, "发布年度质量报告",
              cadence=Cadence("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", date(2025, 1, 1)))
MONTHLY = Item("assistance.11.d", Actor.UNIVERSITY, "月度联系",
               cadence=Cadence("FREQ=MONTHLY;BYMONTH=7,8,9,10,11,12;BYMONTHDAY=-1", date(2025, 7, 1)))


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+86 351 7010000", "'+86 351 7010000"),
        ("-已纳入培养方案", "'-已纳入培养方案"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-3", "-3"),  # a plain number is data, never a formula
        ("+1.5e3", "+1.5e3"),
        ("人事处", "人事处"),
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_neutralise_and_restore_round_trip(text, written):
    assert neutralise(text) == written
    assert restore(neutralise(text)) == text


def test_restore_strips_only_what_neutralise_added():
    assert restore("'quoted") == "'quoted"
    assert restore("'-3") == "'-3"
    assert restore("''=x") == "'=x"  # what neutralise makes of '=x


@pytest.mark.parametrize(("text", "written"), [
    ("'=1+1", "''=1+1"),  # a guard typed by someone keeps its apostrophe through export and import
    ("''=1+1", "'''=1+1"),
    ("'00123", "''00123"),
    ("00123", "00123"),  # an XLSX cell is typed text: no guard needed
])
def test_text_that_starts_with_the_guard_gets_one_more(text, written):
    assert neutralise(text) == written
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize(("text", "written"), [
    ("+8613800000000", "'+8613800000000"),  # a spreadsheet drops the plus, then shows 8.6138E+12
    ("00123", "'00123"),  # 123
    ("123456789012345678", "'123456789012345678"),  # 123456789012345000
    ("1.50", "'1.50"),
    ("480", "480"),  # shown as written: left alone
    ("-3", "-3"),
    ("98.5", "98.5"),
    ("=1+1", "'=1+1"),
])
def test_a_csv_guards_digits_a_spreadsheet_would_rewrite(text, written):
    assert neutralise(text, numbers=True) == written
    assert restore(neutralise(text, numbers=True)) == text


@pytest.mark.parametrize(("index", "letters"), [(1, "A"), (16, "P"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters


def test_csv_meta_row_round_trips_also_when_excel_pads_it():
    row = csv_meta_row(META)
    assert row[0] == "# jobpolicy-checklist" and "policy_version=2025.1" in row
    assert parse_csv_meta([*row, "", "", ""]) == META


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["编号", "期次"], "文件第一行不是 jobpolicy 清单的元数据行，不是 jobpolicy 导出的清单"),
        (["# jobpolicy-checklist", "format=0"], "文件格式版本“0”无法识别（本程序读取版本 1、2）"),
        (["# jobpolicy-checklist", "format=1", "policy_id=gse-2025"],
         "文件的元数据缺少 policy_version、institution_code、institution_name、exported_at"),
    ],
)
def test_bad_csv_meta_rows_are_refused(row, message):
    with pytest.raises(InvalidInput) as caught:
        parse_csv_meta(row)
    assert caught.value.message == message


def row_of(item=STAFFING, period="once", revision=0, recorded=None, evidence=()):
    return sheet_row(item=item, section="巩固支持保障体系", measure="建强就业服务机构", period=period,
                     deadline=date(2025, 12, 31), institution_code=META.institution_code, revision=revision,
                     recorded=recorded, evidence=evidence)


def test_sheet_row_prefills_the_record_in_column_order():
    row = row_of(revision=3, recorded={"status": "in_progress", "progress": 50, "department": "人事处",
                                       "owner": None, "due": date(2025, 6, 30), "value": 620.0, "note": "=x"},
                 evidence=("https://a.cn/1", "名单.pdf"))
    cells = dict(zip([c.key for c in COLUMNS], row.cells, strict=True))
    assert cells["period"] == "" and cells["evidence_required"] == "人员名单；岗位文件"
    assert cells["target"] == "参考指标：配比 ≤ 500 名毕业生/人（来源：未注明）"  # no basis: not the policy's target
    assert (cells["status"], cells["progress"], cells["due"], cells["value"]) == ("推进中", 50, date(2025, 6, 30), 620.0)
    assert cells["evidence"] == "https://a.cn/1\n名单.pdf" and cells["note"] == "=x"  # the writer neutralises
    assert (row.item_id, row.period, row.revision) == ("support.16.a", "once", 3)


@pytest.mark.parametrize(
    ("basis", "target"),
    [
        (ItemBasis(BasisKind.OPINION, quotes=("按规定配备专职人员",)), "指标：配比 ≤ 500 名毕业生/人"),
        (ItemBasis(BasisKind.NOTICE, source="教育部关于做好2013届毕业生就业工作的通知", number="教学〔2012〕11号",
                   year=2012),
         "参考指标：配比 ≤ 500 名毕业生/人（来源：教育部关于做好2013届毕业生就业工作的通知（教学〔2012〕11号，2012年））"),
    ],
)
def test_sheet_row_labels_a_reference_indicator_with_its_source(basis, target):
    item = replace(STAFFING, basis=basis)
    cells = dict(zip([c.key for c in COLUMNS], row_of(item=item).cells, strict=True))
    assert cells["target"] == target


def test_meta_sheet_round_trips_with_each_rows_revision():
    rows = [row_of(revision=2), row_of(item=ANNUAL, period="2025", revision=0)]
    meta, revisions = parse_meta_sheet(meta_sheet_rows(META, rows))
    assert meta == META
    assert revisions == {("support.16.a", "once"): 2, ("evaluation.14.a", "2025"): 0}


def test_meta_sheet_line_of_another_institution_is_refused():
    lines = meta_sheet_rows(META, [row_of()])
    lines[-1][2] = "4114010112"
    with pytest.raises(InvalidInput) as caught:
        parse_meta_sheet(lines)
    assert caught.value.message == "文件声称是学校 4114010108 的清单，但隐藏表 _jobpolicy 第 10 行属于学校 4114010112"


def test_header_is_mapped_by_name_and_unknown_columns_are_ignored():
    columns, ignored = map_header(["联系电话", *HEADER, None], kind="xlsx")
    assert columns["item"] == 1 and columns["confirm"] == len(HEADER) and ignored == ["联系电话"]


@pytest.mark.parametrize(
    ("header", "kind", "message"),
    [
        (HEADER[2:], "xlsx", "表头缺少“编号”“期次”列"),
        (HEADER, "csv", "表头缺少“学校标识码”“版本”列"),
        ([*HEADER, "状态"], "xlsx", "表头中“状态”出现了两次"),
    ],
)
def test_bad_headers_are_refused(header, kind, message):
    with pytest.raises(InvalidInput) as caught:
        map_header(header, kind=kind)
    assert caught.value.message == message


def grid_row(**cells):
    row = [None] * len(COLUMNS)
    for key, value in cells.items():
        row[INDEX[key]] = value
    return row


def parse(*rows, merges=()):
    raw = RawSheet("xlsx", "清单", META, 1, HEADER, [(n, r) for n, r in enumerate(rows, start=2)], {}, list(merges))
    return parse_sheet(raw).rows


@pytest.mark.parametrize(
    ("cells", "values"),
    [
        ({"status": "已完成"}, {"status": "done"}),
        ({"status": " done "}, {"status": "done"}),
        ({"progress": 50.0}, {"progress": 50}),
        ({"progress": "60%"}, {"progress": 60}),
        ({"due": datetime(2025, 6, 30)}, {"due": date(2025, 6, 30)}),
        ({"due": "2025/6/30"}, {"due": date(2025, 6, 30)}),
        ({"due": "2025年6月30日"}, {"due": date(2025, 6, 30)}),
        ({"due": 45838}, {"due": date(2025, 6, 30)}),
        ({"due": "45838"}, {"due": date(2025, 6, 30)}),
        ({"value": 480}, {"value": 480.0}),
        ({"value": "1,200"}, {"value": 1200.0}),
        ({"owner": 12345.0}, {"owner": "12345"}),
        ({"note": "'=HYPERLINK(\"x\")"}, {"note": '=HYPERLINK("x")'}),
        ({"note": "  ", "owner": None}, {}),
    ],
)
def test_cells_become_values(cells, values):
    [row] = parse(grid_row(item="support.16.a", **cells))
    assert (row.values, row.problems) == (values, [])


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ({"status": "完成了"}, "第 2 行 J 列 状态“完成了”无效，您是不是要找：已完成；可选：未启动（not_started）、推进中（in_progress）、"
                               "已完成（done）、不适用（not_applicable）"),
        ({"progress": "150"}, "第 2 行 K 列 进度“150”无效：应为 0 到 100 的整数（百分比）"),
        ({"progress": 0.5}, "第 2 行 K 列 进度“0.5”无效：应为 0 到 100 的整数（百分比）"),
        ({"due": "明天"}, "第 2 行 N 列 完成时限“明天”无效；可写作 2025-06-30、2025/6/30 或 2025年6月30日"),
        ({"due": 2025}, "第 2 行 N 列 完成时限“2025”无效；可写作 2025-06-30、2025/6/30 或 2025年6月30日"),
        ({"value": "四百八"}, "第 2 行 Q 列 指标值“四百八”不是数字"),
        ({"value": True}, "第 2 行 Q 列 指标值“TRUE”无效"),
        ({"value": Unreadable(formula="=Q5/0", error="#DIV/0!")},
         "第 2 行 Q 列 “指标值”一格是公式 =Q5/0，计算出错（#DIV/0!）：请改正公式，或直接填写数字"),
        ({"note": Unreadable(formula="=请补充材料", error="#NAME?")},
         "第 2 行 T 列 “备注”一格以 = 开头（=请补充材料），表格软件把它当成了公式，计算出错（#NAME?）："
         "删去 =，或在前面加英文单引号 '"),
        ({"owner": Unreadable(formula="=-王老师", error="#NAME?")},
         "第 2 行 M 列 “责任人”一格以 - 开头（=-王老师），表格软件把它当成了公式，计算出错（#NAME?）："
         "删去 -，或在前面加英文单引号 '"),
        ({"note": Unreadable(formula="=A1")},
         "第 2 行 T 列 “备注”一格以 = 开头（=A1），表格软件把它当成了公式，文件中没有它的计算结果："
         "删去 =，或在前面加英文单引号 '"),
        ({"due": Unreadable(error="#N/A")},
         "第 2 行 N 列 “完成时限”一格是错误值 #N/A，是某个公式计算出错后留下的：请删去它，直接填写日期"),
        ({"note": "#NAME?"},  # a CSV saved from a sheet where the note had become a failed formula
         "第 2 行 T 列 “备注”一格是错误值 #NAME?，是某个公式计算出错后留下的：请删去它，直接填写内容"),
        ({"department": "Err:520"},  # LibreOffice's own error, in its CSV
         "第 2 行 L 列 “责任部门”一格是错误值 Err:520，是某个公式计算出错后留下的：请删去它，直接填写内容"),
        ({"item": None, "status": "已完成"}, "第 2 行 A 列 编号为空：这一行不知道是哪个检查项"),
    ],
)
def test_bad_cells_are_problems_located_by_row_and_column(cells, problem):
    [row] = parse(grid_row(**{"item": "support.16.a", **cells}))
    assert [str(p) for p in row.problems] == [problem]


def test_blank_rows_are_skipped():
    assert parse(grid_row(), grid_row(item="support.16.a"))[0].row == 3


def test_a_merge_down_one_column_gives_every_row_its_value():
    department = INDEX["department"] + 1
    rows = parse(grid_row(item="a.1.a", department="学生工作部"), grid_row(item="a.1.b"), grid_row(item="a.1.c"),
                 merges=[(2, department, 4, department)])
    assert [r.values for r in rows] == [{"department": "学生工作部"}] * 3


def test_a_merge_across_columns_is_a_problem_in_each_cell_it_covers():
    value, note = INDEX["value"] + 1, INDEX["note"] + 1
    [row] = parse(grid_row(item="support.16.a", value=480), merges=[(2, value, 2, note)])
    assert [p.column for p in row.problems] == ["Q", "S", "T"]  # 达标情况 (R) is never read
    assert row.problems[0].message.startswith("指标值位于跨列或连着表头的合并单元格 Q2:T2 中")


def test_merges_only_in_columns_not_read_are_harmless():
    grid = apply_merges(RawSheet("xlsx", "清单", META, 1, HEADER, [(2, grid_row(item="x"))], {}, [(2, 20, 3, 22)]),
                        {"item": 0})
    assert grid[2][0] == "x"


def test_csv_rows_carry_their_revision_and_must_belong_to_the_claimed_institution():
    good = [*grid_row(item="support.16.a", status="已完成"), "4114010108", "3"]
    raw = RawSheet("csv", "清单", META, 2, CSV_HEADER, [(3, good)])
    assert parse_sheet(raw).rows[0].revision == 3
    blank = [*grid_row(item="support.16.a"), "4114010108", ""]
    assert [str(p) for p in parse_sheet(RawSheet("csv", "清单", META, 2, CSV_HEADER, [(3, blank)])).rows[0].problems] \
        == ["第 3 行 W 列 版本为空（请在省厅（或负责导出清单的老师）发来的原清单上填写，不要改动表头、隐藏表和最后两列）"]
    other = [*grid_row(item="support.16.a"), 4114010112.0, "0"]
    with pytest.raises(InvalidInput) as caught:
        parse_sheet(RawSheet("csv", "清单", META, 2, CSV_HEADER, [(3, good), (4, other)]))
    assert caught.value.message == "文件声称是学校 4114010108 的清单，但第 4 行属于学校 4114010112"


TODAY = date(2025, 10, 15)
MONTHLY_HINT = "期次可写作 2025-10、2025/10 或 2025年10月（最近的期次：2025-09、2025-10）"


@pytest.mark.parametrize(
    ("item", "cell", "period"),
    [
        (STAFFING, None, "once"),
        (STAFFING, "once", "once"),
        (ANNUAL, "2025", "2025"),
        (ANNUAL, 2025, "2025"),
        (ANNUAL, 2025.0, "2025"),
        (ANNUAL, "2025年", "2025"),
        (ANNUAL, "2025年度", "2025"),
        (ANNUAL, "25年", "2025"),
        (ANNUAL, "2025-09", "2025"),  # a month of 2025 is in the year's period
        (MONTHLY, "2025-09", "2025-09"),
        (MONTHLY, "2025-9", "2025-09"),
        (MONTHLY, "2025/9", "2025-09"),
        (MONTHLY, "2025年9月", "2025-09"),
        (MONTHLY, "２０２５年９月份", "2025-09"),
        (MONTHLY, "25年9月", "2025-09"),  # LibreOffice's YY"年"M"月"
        (MONTHLY, "2025/9/1", "2025-09"),  # Excel read 2025-09 as a date when it opened the CSV
        (MONTHLY, datetime(2025, 9, 1), "2025-09"),
        (MONTHLY, 45901, "2025-09"),  # the same date cell, read as its serial number
    ],
)
def test_period_cells(item, cell, period):
    assert sheet_period(item, cell, TODAY) == period


@pytest.mark.parametrize(
    ("item", "cell", "message"),
    [
        (STAFFING, "2025", "期次“2025”无效：support.16.a 不是周期性事项，期次应为空"),
        (ANNUAL, None, "期次为空：evaluation.14.a 是周期性事项，须写明期次"),
        (ANNUAL, "2019", "期次“2019”无效：该项没有这一期（每年 12月31日前，自 2025-01-01 起）；"
                         "期次可写作 2025 或 2025年（最近的期次：2025）"),
        (MONTHLY, "2025-03", "期次“2025-03”无效：该项没有这一期（每月 最后一天前（7、8、9、10、11、12月），"
                             f"自 2025-07-01 起）；{MONTHLY_HINT}"),
        (MONTHLY, "2025", f"期次“2025”无效：该项按月填报，这段时间内有 6 期，须写明是哪一期；{MONTHLY_HINT}"),
        (MONTHLY, "Sep-25", f"期次“Sep-25”无效：该项按月填报，看不出是哪一期；{MONTHLY_HINT}"),
    ],
)
def test_bad_period_cells(item, cell, message):
    with pytest.raises(CellError) as caught:
        sheet_period(item, cell, TODAY)
    assert str(caught.value) == message


# ---------------------------------------------------------------- format 2: review, verdict, header block, confirmation


def test_sheet_row_carries_the_review_the_verdict_and_the_reason():
    returned = row_of(revision=4, recorded={"status": "done", "value": 620.0, "review": "returned",
                                            "review_reason": "缺少人员名单", "na_reason": None})
    cells = dict(zip([c.key for c in COLUMNS], returned.cells, strict=True))
    assert (cells["review"], cells["review_reason"], cells["met"]) == ("已退回", "缺少人员名单", "未达标")
    assert cells["confirm"] is None and returned.returned and returned.recorded
    assert returned.indicator == STAFFING.indicator  # the workbook writes 达标情况 as a formula of it
    blank = row_of()
    assert (blank.recorded, blank.returned) == (False, False)
    assert dict(zip([c.key for c in COLUMNS], blank.cells, strict=True))["met"] is None


def test_the_header_block_names_the_returned_rows_by_their_row_number():
    rows = [row_of(), row_of(recorded={"status": "done", "review": "returned"}), row_of()]
    author, phone, note = block_rows(rows)
    assert (author, phone) == ([AUTHOR, ""], [PHONE, ""])
    assert note[0].endswith("省厅退回 1 项（审核状态为“已退回”，第 7 行），请按审核意见修改。")
    assert "第" not in block_rows([row_of()])[2][0].split("。", 1)[1]


def grid_of(*rows):
    return [(number, list(cells)) for number, cells in enumerate(rows, start=1)]


@pytest.mark.parametrize(
    ("block", "fields"),
    [
        ([["标题"], [AUTHOR, "王老师", None], [PHONE, 13912345678.0], ["说明"]],
         {AUTHOR: "王老师", PHONE: "13912345678"}),
        ([["标题"], [f"{AUTHOR}：李老师"], [PHONE, None, " 0351-7010000 "], []], {AUTHOR: "李老师", PHONE: "0351-7010000"}),
        ([["标题"], [AUTHOR, None], [PHONE, ""], []], {}),
        ([], {}),  # format 1: the header is the first row
    ],
)
def test_the_grid_splits_at_the_header_and_the_block_above_gives_author_and_phone(block, fields):
    header_row, header, rows, found = split_grid(grid_of(*block, HEADER, grid_row(item="support.16.a")))
    assert (header_row, header, [n for n, _ in rows], found) == (len(block) + 1, HEADER, [len(block) + 2], fields)


def test_a_grid_without_a_header_row_is_refused():
    with pytest.raises(InvalidInput) as caught:
        split_grid(grid_of(*[["说明"]] * 10, HEADER))
    assert caught.value.message == "前 10 行中没有表头（以“编号”开头的一行）"


@pytest.mark.parametrize(("cell", "confirm"), [("是", True), (" 确认 ", True), ("√", True), (True, True),
                                               ("否", False), (False, False), ("", False), (None, False)])
def test_confirm_cells(cell, confirm):
    [row] = parse(grid_row(item="support.16.a", confirm=cell))
    assert (row.confirm, row.problems) == (confirm, [])


def test_a_confirm_cell_that_says_something_else_is_a_problem():
    [row] = parse(grid_row(item="support.16.a", confirm="好的"))
    assert [str(p) for p in row.problems] == ["第 2 行 U 列 确认报送“好的”无效：要报送填“是”，否则留空"]


def test_the_not_applicable_reason_has_its_own_column_and_read_only_columns_are_not_read():
    [row] = parse(grid_row(item="support.15.c", status="不适用", na_reason="省级统筹", review="已审核",
                           review_reason="=x", met="达标"))
    assert row.values == {"status": "not_applicable", "na_reason": "省级统筹"}


@pytest.mark.parametrize(
    ("found", "message", "hint"),
    [
        ("3", "文件格式版本“3”无法识别（本程序读取版本 1、2）", "请升级 jobpolicy 后再导入"),
        ("x", "文件格式版本“x”无法识别（本程序读取版本 1、2）", "请向省厅（或负责导出清单的老师）索取新的清单"),
    ],
)
def test_unknown_formats_are_refused_with_what_to_do(found, message, hint):
    with pytest.raises(InvalidInput) as caught:
        parse_csv_meta(["# jobpolicy-checklist", f"format={found}"])
    assert (caught.value.message, caught.value.hint) == (message, hint)


def test_format_1_is_still_read():
    pairs = dict(key_value.split("=", 1) for key_value in csv_meta_row(META)[1:])
    assert parse_csv_meta(["# jobpolicy-checklist", *(f"{k}={v}" for k, v in {**pairs, "format": "1"}.items())]) \
        == replace(META, fmt="1")


def test_a_due_date_cell_before_1906_is_a_number_typed_into_it_and_refused():
    from datetime import datetime

    from jobpolicy.domain.checklist_cells import READERS, CellError

    with pytest.raises(CellError) as error:
        READERS["due"](datetime(1905, 7, 17))  # 2025 typed into the exported date column
    assert str(error.value).startswith("完成时限“1905-07-17”像是在日期格中输入了数字 2025")
    assert READERS["due"](46000).isoformat() == "2025-12-09"  # a serial number is its date
    assert READERS["due"]("46000").isoformat() == "2025-12-09"  # also in a CSV


@pytest.mark.parametrize("text", ["2201-01-01", "9999-12-31"])
def test_a_due_date_beyond_the_date_range_is_refused(text):
    from jobpolicy.domain.checklist_cells import READERS, CellError

    with pytest.raises(CellError) as error:
        READERS["due"](text)
    assert str(error.value) == f"完成时限“{text}”超出可用范围：日期应在 1900-01-01 至 2200-12-31 之间"
