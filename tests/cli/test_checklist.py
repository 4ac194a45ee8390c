"""``jobpolicy checklist export | import``: result lines, summaries, exit codes, and the import seen elsewhere."""

import json
import shutil
from pathlib import Path

import openpyxl

from codes import SHANXI, TAIYUAN_TECH

IMPORTS = Path(__file__).parents[1] / "data" / "imports"


def changed_lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if not line.endswith("：无变化")]


def test_export_one_and_many(run_db, tmp_path):
    one = run_db("checklist", "export", SHANXI, "--out", tmp_path / "山西大学.xlsx")
    assert one.exit_code == 0
    assert one.stdout.splitlines() == [f"已导出: 山西大学（{SHANXI}）62 项 → {tmp_path / '山西大学.xlsx'}",
                                       "共 1 个Excel 工作簿，政策 gse-2025@2025.2"]
    many = run_db("checklist", "export", SHANXI, TAIYUAN_TECH, "--out", tmp_path / "省内", "--format", "csv", "--json")
    data = json.loads(many.stdout)
    assert (data["format"], [Path(f["path"]).name for f in data["files"]]) == (
        "csv", [f"{SHANXI}-山西大学.csv", f"{TAIYUAN_TECH}-太原理工大学.csv"])
    assert openpyxl.load_workbook(tmp_path / "山西大学.xlsx").sheetnames == ["清单", "_jobpolicy"]


def test_export_by_a_filter_writes_a_folder_and_says_where_in_one_line(run_db, tmp_path):
    default = run_db("checklist", "export", "--province", "山西", "--level", "专科")
    folder = tmp_path / "山西省-专科-清单"  # the tests run in tmp_path; the line gives the absolute path
    assert (default.exit_code, default.stdout.splitlines()) == (0, [
        f"已导出 1 个 Excel 工作簿（山西省 · 专科 · 1 所，政策 gse-2025@2025.2）到文件夹：{folder}"])
    assert [p.name for p in folder.iterdir()] == ["4114012388-长治职业技术学院.xlsx"]
    chosen = run_db("checklist", "export", "--province", "山西", "--out", "各校清单/第一批", "--format", "csv")
    assert chosen.stdout.splitlines() == [
        f"已导出 3 个 CSV 文件（山西省 · 3 所，政策 gse-2025@2025.2）到文件夹：{tmp_path / '各校清单' / '第一批'}"]
    assert len(list((tmp_path / "各校清单" / "第一批").glob("*.csv"))) == 3


def test_export_without_a_school_or_a_filter_says_both_ways(run_db):
    result = run_db("checklist", "export")
    assert (result.exit_code, result.stderr.splitlines()) == (3, [
        "错误: 没有给出学校标识码，也没有给出筛选条件",
        "提示: 例如 jobpolicy checklist export 4114010108，或按省份导出每校一个文件：jobpolicy checklist export --province 山西"])


def test_export_errors_are_one_line_and_a_hint(run_db, tmp_path):
    result = run_db("checklist", "export", SHANXI, TAIYUAN_TECH, "--out", tmp_path / "a.xlsx")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == ["错误: 导出 2 所学校时 --out 须是文件夹，不能是 .xlsx 文件",
                                          "提示: 例如 --out 清单/2025"]


def test_import_prints_a_line_per_row_and_a_summary(run_db):
    result = run_db("checklist", "import", IMPORTS / "good_office.xlsx", "--by", "李老师")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert changed_lines(result) == [
        "清单!第13行 guidance.4.a：更新（状态 已完成，进度 100，完成时限 2025-06-30，指标值 38，备注 -已纳入2025版培养方案）",
        "清单!第14行 guidance.4.b：更新（状态 推进中，进度 60，责任部门 学生工作部，完成时限 2025-12-31）",
        "清单!第15行 guidance.4.c：更新（状态 推进中，责任人 李老师，完成时限 2025-11-30）",
        "清单!第52行 support.15.c：更新（状态 不适用，不适用理由 经费由省级统筹，学校不单列）",
        "清单!第53行 support.16.a：更新（状态 已完成，责任部门 人事处，责任人 王老师，指标值 480，"
        "佐证材料 +https://jy.sxu.edu.cn/staff，佐证材料 +https://jy.sxu.edu.cn/staff-2025）",
        f"good_office.xlsx：山西大学（{SHANXI}） gse-2025@2025.2，共 62 行：更新 5，确认报送 0，无变化 57，冲突 0，"
        "错误 0。已导入 5 行并报送，批次 #1",
        "  填报人 王老师（山西大学）；导入人 李老师",
    ]
    assert len(result.stdout.splitlines()) == 64 and result.stderr == ""
    again = run_db("checklist", "import", IMPORTS / "good_office.xlsx")
    assert again.stdout.splitlines()[-2].endswith("更新 0，确认报送 0，无变化 62，冲突 0，错误 0。全部无变化，没有写入")


def test_an_import_shows_up_in_history_status_and_the_report(run_db, tmp_path):
    run_db("checklist", "import", IMPORTS / "good_office.xlsx", "--by", "李老师")
    history = run_db("record", "history", SHANXI, "support.16.a").stdout.splitlines()
    assert history[0].split("  ", 1)[1] == ("王老师（山西大学填报，李老师导入）  support.16.a 状态：（空） → 已完成  "
                                            "（导入批次 #1（good_office.xlsx））")
    events = json.loads(run_db("record", "history", SHANXI, "support.16.a", "--json").stdout)
    assert {(e["actor"], e["imported_by"]) for e in events} == {("王老师", "李老师")}
    diff = run_db("diff", SHANXI, "--since", "2000-01-01").stdout
    assert "王老师（山西大学填报，李老师导入）  （空） → 已完成  （导入批次 #1（good_office.xlsx））" in diff
    assert json.loads(run_db("status", SHANXI, "--json").stdout)["total"]["reported"] == 5
    run_db("report", "institution", SHANXI, "--out", tmp_path / "reports")
    page = next((tmp_path / "reports").rglob(f"{SHANXI}.html")).read_text(encoding="utf-8")
    assert "经费由省级统筹，学校不单列" in page
    assert "王老师（山西大学填报，李老师导入）" in page  # 本期变化: who filled it in, and who imported it
    review = run_db("review", "accept", SHANXI, "--by", "省厅李处长")  # the import was the school's 报送
    assert review.stdout == "已审核通过: 山西大学 5 条记录\n审核人：省厅李处长\n"


def test_rows_in_error_exit_3_with_every_reason(run_db):
    result = run_db("checklist", "import", IMPORTS / "bad_status.csv")
    assert result.exit_code == 3
    assert "bad_status!第14行 guidance.4.b：错误（第 14 行 N 列 完成时限“明天”无效；可写作 2025-06-30、2025/6/30 或 2025年6月30日）" \
        in result.stdout.splitlines()
    assert result.stdout.splitlines()[-3] == (
        f"bad_status.csv：山西大学（{SHANXI}） gse-2025@2025.2，共 62 行：更新 1，确认报送 0，无变化 59，冲突 0，错误 2。"
        "有错误，整个文件未导入，数据库没有改动")
    assert result.stderr.splitlines() == [
        "错误: bad_status.csv 未导入：有 2 行错误，没有改动任何数据",
        "提示: 按上面每一行的原因修改文件后重新导入；冲突可改用 --on-conflict skip 或 update"]
    assert json.loads(run_db("status", SHANXI, "--json").stdout)["total"]["reported"] == 0


def test_a_refused_file_exits_3(run_db):
    result = run_db("checklist", "import", IMPORTS / "bad_xml_bomb.xlsx")
    assert result.exit_code == 3
    assert result.stdout == ""  # one file refused whole: said once, on the 错误 line
    assert result.stderr.splitlines() == ["错误: bad_xml_bomb.xlsx：文件中含有 XML 实体定义（可能是“XML 炸弹”），已拒绝",
                                          "提示: 请在省厅（或负责导出清单的老师）发来的原清单上填写"]


def test_json_import_is_one_document_also_when_it_fails(run_db):
    result = run_db("checklist", "import", IMPORTS / "good_statuses.csv", IMPORTS / "bad_unknown_item.csv", "--json",
                    "--by", "省厅李处长")
    assert result.exit_code == 3 and result.stderr == ""
    data = json.loads(result.stdout)
    good, bad = data["files"]
    assert (good["written"], good["batch_id"], good["counts"]["updated"], good["encoding"]) == (True, 1, 4, "utf-8-sig")
    assert (bad["written"], bad["counts"]["error"]) == (False, 1)
    [error] = [row for row in bad["rows"] if row["outcome"] == "error"]
    assert (good["author"], good["imported_by"], good["submitted"], good["format"]) == ("王老师", "省厅李处长", True, "2")
    assert error["problems"] == [{"sheet": "bad_unknown_item", "row": 53, "column": "A",
                                  "message": "未知检查项“nope.1.a”"}]


def test_dry_run_and_conflicts(run_db, tmp_path):
    run_db("record", "set", SHANXI, "support.16.a", "--status", "推进中")
    run_db("checklist", "export", SHANXI, "--out", tmp_path / "a.xlsx")
    run_db("record", "set", SHANXI, "support.16.a", "--status", "已完成", "--by", "省厅")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = book["清单"]
    row = next(r for r in sheet.iter_rows(min_row=6) if r[0].value == "support.16.a")
    row[16].value = 480
    sheet["B2"] = "王老师"
    book.save(tmp_path / "a.xlsx")

    stop = run_db("checklist", "import", tmp_path / "a.xlsx")
    assert stop.exit_code == 3
    assert changed_lines(stop)[0] == ("清单!第53行 support.16.a：冲突（导出后记录已被修改：导出时版本 1，现为 2；"
                                      "本行要改 状态 已完成→推进中，指标值 480；整个文件未导入）")
    assert stop.stderr.splitlines()[0] == "错误: a.xlsx 未导入：有 1 行冲突（--on-conflict stop），没有改动任何数据"
    dry = run_db("checklist", "import", tmp_path / "a.xlsx", "--on-conflict", "update", "--dry-run")
    assert dry.exit_code == 0 and dry.stdout.splitlines()[-2].endswith("试运行：将导入 1 行并报送，实际未写入")
    skip = run_db("checklist", "import", tmp_path / "a.xlsx", "--on-conflict", "skip")
    assert skip.exit_code == 0 and "；已跳过此行）" in skip.stdout
    assert skip.stdout.splitlines()[-2].endswith("全部无变化，没有写入")


def test_a_file_without_its_author_says_what_to_do(run_db):
    result = run_db("checklist", "import", IMPORTS / "bad_no_author.xlsx")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "错误: bad_no_author.xlsx：清单第 2 行的“填报人”为空，不知道是谁报送的",
        "提示: 请学校填上填报人姓名后重新发送；或导入时加 --author 姓名，或加 --draft 作为草稿导入"]
    draft = run_db("checklist", "import", IMPORTS / "bad_no_author.xlsx", "--draft", "--by", "李老师")
    assert draft.exit_code == 0
    assert draft.stdout.splitlines()[-2:] == [
        f"bad_no_author.xlsx：山西大学（{SHANXI}） gse-2025@2025.2，共 62 行：更新 5，确认报送 0，无变化 57，冲突 0，"
        "错误 0。已导入 5 行（草稿，未报送），批次 #1",
        "  填报人 （未填写）；导入人 李老师"]


def test_an_indicator_that_misses_its_target_is_noted_on_its_row(run_db, tmp_path):
    run_db("checklist", "export", SHANXI, "--out", tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = book["清单"]
    row = next(r for r in sheet.iter_rows(min_row=6) if r[0].value == "guidance.4.a")
    row[9].value, row[16].value, sheet["B2"] = "已完成", 32, "王老师"
    book.save(tmp_path / "a.xlsx")
    result = run_db("checklist", "import", tmp_path / "a.xlsx")
    assert result.exit_code == 0
    assert changed_lines(result)[0] == (
        "清单!第13行 guidance.4.a：更新（状态 已完成，指标值 32；注意：guidance.4.a 标为已完成，但指标值 32 未达到目标"
        "（参考指标：职业发展与就业指导课学时 ≥ 38 学时））")


def test_bad_on_conflict_is_a_usage_error(run_db):
    assert run_db("checklist", "import", IMPORTS / "good_office.xlsx", "--on-conflict", "merge").exit_code == 2


def test_several_files_get_a_total(run_db, tmp_path):
    shutil.copy(IMPORTS / "good_statuses.csv", tmp_path / "a.csv")
    result = run_db("checklist", "import", tmp_path / "a.csv", IMPORTS / "bad_macro.xlsm", "--by", "李老师")
    assert result.exit_code == 3
    assert result.stdout.splitlines()[-1] == "共 2 个文件：1 个通过，1 个未导入"
    assert result.stderr.splitlines()[0] == "错误: bad_macro.xlsm：不接受带宏的工作簿，只接受 .xlsx 和 .csv"


def _rows_by_item(path: Path) -> dict[str, dict[str, object]]:
    sheet = openpyxl.load_workbook(path)["清单"]
    header, *rows = list(sheet.iter_rows(min_row=5, values_only=True))
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_export_shows_headings_and_labels_reference_indicators(run_db, tmp_path):
    run_db("checklist", "export", SHANXI, "--out", tmp_path / "山西大学.xlsx")
    rows = _rows_by_item(tmp_path / "山西大学.xlsx")
    assert (rows["supply.2.a"]["体系"], rows["supply.2.a"]["举措"]) == (
        "二、优化培养供给体系", "（二）以促进供需适配为导向动态调整高等教育专业和资源结构布局")
    assert (rows["support.16.a"]["体系"], rows["support.16.a"]["举措"]) == (
        "七、巩固支持保障体系", "（十六）打造专业化就业指导教师队伍")
    assert rows["support.16.a"]["指标及目标"] == (
        "参考指标：专职就业工作人员与应届毕业生之比 ≤ 500 名毕业生/每名专职人员"
        "（来源：教育部关于做好2013年全国普通高等学校毕业生就业工作的通知"
        "（教学〔2012〕11号，2012年））")
    assert rows["supply.2.a"]["指标及目标"] is None


def test_export_of_a_verified_catalog(run_numbered, tmp_path):
    run_numbered("checklist", "export", SHANXI, "--out", tmp_path / "清单.csv")
    run_numbered("checklist", "export", SHANXI, "--out", tmp_path / "清单.xlsx")
    rows = _rows_by_item(tmp_path / "清单.xlsx")
    assert [(r["体系"], r["举措"], r["指标及目标"]) for r in rows.values()] == [
        ("五、完善帮扶援助体系", "（十一）健全困难帮扶机制",
         "参考指标：联系服务率 ≥ 98 %（来源：山东省离校未就业高校毕业生实名服务做法（2021年））"),
        ("五、完善帮扶援助体系", "（十一）健全困难帮扶机制",
         "参考指标：每名困难毕业生推送岗位数 ≥ 5 个（来源：教育部关于做好2015届全国普通高等学校毕业生就业创业工作的通知"
         "（教学〔2014〕15号，2014年））"),
        ("七、巩固支持保障体系", "（二十五）建强高校毕业生就业服务机构", "指标：就业工作领导小组会议 ≥ 2 次/年"),
    ]
    csv_text = (tmp_path / "清单.csv").read_text(encoding="utf-8-sig")
    assert "（二十五）建强高校毕业生就业服务机构" in csv_text and "编号待核实" not in csv_text
