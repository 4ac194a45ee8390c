"""--province, --level and --authority on every command that lists schools: each command covers exactly the schools
the filter selects, names the filter, says plainly when it selects none, and refuses a bad value in one line."""

import json
from pathlib import Path

import pytest

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH

PEKING = "4111010001"  # 北京大学: 北京市, 本科, 教育部
SHANXI_APPLIED = "4114012779"  # 山西应用科技学院: 山西省, 本科, 山西省教育厅 (民办)

FILTERS = {
    "province": (["--province", "山西"], {SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL, SHANXI_APPLIED}, "山西省"),
    "level": (["--level", "专科"], {CHANGZHI_VOCATIONAL}, "专科"),
    "authority": (["--authority", "教育部"], {PEKING}, "主管部门 教育部"),
    "all three": (["--province", "山西省", "--level", "本科", "--authority", "教育厅"], {SHANXI_APPLIED},
                  "山西省 · 本科 · 主管部门 山西省教育厅"),
}


@pytest.fixture(scope="module")
def schools(module_run_db):
    """Five schools: the fixture's three 山西 ones (provincial government), a private 山西 one (education
    department), and 北京大学 (教育部); each with a record. Made once per back end: every command here only reads
    the database (the files they write go to the test's own folder)."""
    for code in (PEKING, SHANXI_APPLIED):
        assert module_run_db("institution", "add", code).exit_code == 0
    for code in (SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL, PEKING, SHANXI_APPLIED):
        assert module_run_db("record", "set", code, "support.16.a", "--status", "推进中").exit_code == 0
    return module_run_db


def status(run, options, tmp_path):
    data = json.loads(run("status", *options, "--json").stdout)
    return {row["code"] for row in data["institutions"]}, run("status", *options).stdout.splitlines()[0]


def deadlines(run, options, tmp_path):
    data = json.loads(run("deadlines", *options, "--json").stdout)
    closing = [line for line in run("deadlines", *options).stdout.splitlines() if line.startswith("截至 ")]
    return {s["institution"]["code"] for s in data["schools"]}, closing[-1]  # the legend may follow it


def institution_list(run, options, tmp_path):
    data = json.loads(run("institution", "list", *options, "--json").stdout)
    return {row["code"] for row in data}, run("institution", "list", *options).stdout.splitlines()[-1]


def report_summary(run, options, tmp_path):
    result = run("report", "summary", *options, "--out", tmp_path / "报告")
    assert result.exit_code == 0, result.stderr
    pages = {page.stem for page in (tmp_path / "报告" / "institutions").iterdir()}
    heading = (tmp_path / "报告" / "index.html").read_text(encoding="utf-8").split("<h1>", 1)[1].split("</h1>")[0]
    return pages, heading


def checklist_export(run, options, tmp_path):
    data = json.loads(run("checklist", "export", *options, "--out", tmp_path / "清单", "--json").stdout)
    return {f["code"] for f in data["files"]}, data["scope"]["label"]


def export(run, options, tmp_path):
    result = run("export", "--format", "json", "--out", tmp_path / "导出.json", *options)
    assert result.exit_code == 0, result.stderr
    data = json.loads((tmp_path / "导出.json").read_text(encoding="utf-8"))
    codes = {row["code"] for row in data["institutions"]}
    assert {row["institution_code"] for row in data["records"]} == codes  # their records, and no other
    assert {row["institution_code"] for row in data["events"]} == codes
    return codes, result.stdout.splitlines()[0]


COMMANDS = {"status": status, "deadlines": deadlines, "institution list": institution_list,
            "report summary": report_summary, "checklist export": checklist_export, "export": export}
NAMED = {  # how each command names the filter, given its label and the number of schools
    "status": lambda label, n: f"gse-2025@2025.2  {label} · {n} 所  截至 ",
    "deadlines": lambda label, n: f"（{label} · {n} 所）：累计逾期 ",
    "institution list": lambda label, n: f"合计：{label} · {n} 所",
    "report summary": lambda label, n: "",  # below: the heading names the filter in words
    "checklist export": lambda label, n: label,
    "export": lambda label, n: f"已导出（{label}）: ",
}
HEADINGS = {"province": "山西省高校就业政策落实情况汇总", "level": "全部专科高校就业政策落实情况汇总",
            "authority": "全部高校就业政策落实情况汇总（主管部门：教育部）",
            "all three": "山西省本科高校就业政策落实情况汇总（主管部门：山西省教育厅）"}


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_covers_the_schools_of_each_filter_and_names_it(schools, tmp_path, command, name):
    options, codes, label = FILTERS[name]
    found, text = COMMANDS[command](schools, options, tmp_path)
    assert found == codes
    if command == "report summary":
        assert text == HEADINGS[name]
    else:
        assert NAMED[command](label, len(codes)) in text


COMMAND_WORDS = {"status": ["status"], "deadlines": ["deadlines"], "institution list": ["institution", "list"],
                 "report summary": ["report", "summary"], "checklist export": ["checklist", "export"],
                 "export": ["export", "--format", "csv", "--out", "导出"]}


@pytest.mark.parametrize("command", COMMAND_WORDS)
def test_a_filter_that_selects_no_school_says_so_and_writes_nothing(schools, tmp_path, command):
    result = schools(*COMMAND_WORDS[command], "--province", "北京", "--level", "专科")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "错误: 没有符合条件（北京市 · 专科）的学校（2026 年高校名单中有 23 所，尚未添加）",
        "提示: 运行 jobpolicy institution import --province 北京市 --level 专科 添加"]
    assert not any(Path().glob("*清单")) and not Path("导出").exists() and not Path("reports").exists()


@pytest.mark.parametrize("command", COMMAND_WORDS)
@pytest.mark.parametrize(("options", "stderr"), [
    (["--level", "成人"], ["错误: 办学层次“成人”无效", "提示: --level 可选：本科、专科"]),
    (["--province", "江"], ["错误: 省份“江”不唯一，可指 江苏省、江西省", "提示: 写全称，如 --province 江苏省"]),
    (["--province", ""], ["错误: --province 的省份为空", "提示: 不限省份时省去 --province；否则写明省份，如 --province 上海市"]),
    (["--province", "　"], ["错误: --province 的省份为空", "提示: 不限省份时省去 --province；否则写明省份，如 --province 上海市"]),
    (["--authority", "工信部"], ["错误: 主管部门“工信部”无法识别", "提示: 是不是 工业和信息化部？主管部门按教育部《全国高等学校名单》填写，"
                                "如 教育部、山西省教育厅；省政府主管的写省名，如 山西省；运行 jobpolicy institution list 可看到各校的主管部门"]),
])
def test_a_bad_filter_value_is_one_line_and_a_hint(schools, command, options, stderr):
    # an empty --province never means every province: that is what leaving it out says
    result = schools(*COMMAND_WORDS[command], *options)
    assert (result.exit_code, result.stderr.splitlines(), result.stdout) == (3, stderr, "")


@pytest.mark.parametrize(("command", "one_school", "named"), [
    (["status"], [SHANXI], "学校"),
    (["deadlines"], ["--institution", SHANXI], " --institution "),
    (["checklist", "export"], [SHANXI], "学校标识码"),
])
def test_a_filter_beside_one_school_is_a_usage_error(schools, command, one_school, named):
    result = schools(*command, *one_school, "--level", "本科", "--province", "山西")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-2] == f"错误: 指定{named}时不能再用 --province、--level"
