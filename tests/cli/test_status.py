"""``jobpolicy status``: per section for one institution, one line per institution otherwise, --fail-under."""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH, TRACKED_SINCE

JUNE = datetime(2025, 6, 1, 2, tzinfo=UTC)  # 10:00 in Beijing
# Every status table is followed by what its columns mean (domain/glossary.py), word for word.
RATE_LEGEND = [
    "",
    "名词说明：",
    "  填报率：已填报（有任何记录）的检查项占适用检查项的比例。",
    "  落实率：已完成的检查项（按权重）占适用检查项的比例；标为不适用的检查项不计入。",
    "  达标率：已填的指标值中达到目标的比例。",
    "  当期逾期：计入比率的那一期已过截止日期，仍未完成。",
    "  累计逾期：含往期每一期已过截止日期仍未完成的项数（与 jobpolicy deadlines 所列相同）。",
    "  逾期完成：截止日期之后才完成（计入落实率）。",
    "  待更新：按周期填报的检查项标为已完成，但本期还没有添加佐证材料（往期的佐证不能证明本期）。",
]


@pytest.fixture(scope="module")
def recorded(module_run_db):
    """山西大学 has two items done (one 不适用); the other two institutions nothing. Recorded once per back end:
    the tests that take it only run status."""
    with time_machine.travel(JUNE, tick=False):
        module_run_db("record", "set", SHANXI, "support.16.a", "--status", "已完成", "--value", "480")
        module_run_db("record", "set", SHANXI, "guidance.4.a", "--status", "已完成", "--value", "36")
        module_run_db("record", "set", SHANXI, "supply.2.a", "--status", "不适用", "--reason", "无新设专业")
    return module_run_db


def test_one_institution_per_section(recorded):
    result = recorded("status", SHANXI, "--as-of", "2025-06-01")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"山西大学（4114010108）  gse-2025@2025.2  截至 2025-06-01  自 {TRACKED_SINCE} 起跟踪",
        "",
        "体系                  填报率  落实率  达标率  当期逾期  累计逾期  逾期完成  待更新",
        "二、优化培养供给体系   14.3%    0.0%       —         0         0         0       0",  # 1 of 7 reported (不适用), weight 6
        "三、强化就业指导体系    6.2%   11.8%    0.0%         0         0         0       0",  # 1 of 16; weight 2 of 17 done
        "四、健全求职招聘体系    0.0%    0.0%       —         0         0         0       0",
        "五、完善帮扶援助体系    0.0%    0.0%       —         0         0         0       0",
        "六、创新监测评价体系    0.0%    0.0%       —         0         0         0       0",
        "七、巩固支持保障体系    5.6%    5.3%  100.0%         0         0         0       0",  # 1 of 18; weight 1 of 19 done
        "合计                    4.8%    4.8%   50.0%         0         0         0       0",  # 3 of 62; weight 3 of 63 done
        "",
        "达标率：达标 1 / 已填指标 2 项（均为参考指标）",
        *RATE_LEGEND,
    ]


def test_an_old_catalog_marks_its_unverified_headings_and_widens_the_column(run_2025_1):
    result = run_2025_1("status", SHANXI, "--as-of", "2025-06-01")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"山西大学（4114010108）  gse-2025@2025.1  截至 2025-06-01  自 {TRACKED_SINCE} 起跟踪",
        "",
        "体系                                填报率  落实率  达标率  当期逾期  累计逾期  逾期完成  待更新",
        "二、优化培养供给体系                  0.0%    0.0%       —         0         0         0       0",
        "三、强化就业指导体系（编号待核实）    0.0%    0.0%       —         0         0         0       0",
        "四、健全求职招聘体系（编号待核实）    0.0%    0.0%       —         0         0         0       0",
        "五、完善帮扶援助体系（编号待核实）    0.0%    0.0%       —         0         0         0       0",
        "六、创新监测评价体系（编号待核实）    0.0%    0.0%       —         0         0         0       0",
        "七、巩固支持保障体系（编号待核实）    0.0%    0.0%       —         0         0         0       0",
        "强化组织实施（编号待核实）            0.0%    0.0%       —         0         0         0       0",  # a section without a number
        "合计                                  0.0%    0.0%       —         0         0         0       0",
        "",
        "达标率：达标 0 / 已填指标 0 项",
        *RATE_LEGEND,
    ]


def test_every_institution_one_line_each(recorded):
    with time_machine.travel(JUNE, tick=False):
        result = recorded("status", "--province", "山西")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "gse-2025@2025.2  山西省 · 3 所  截至 2025-06-01",
        "",
        "学校标识码  学校              填报率  落实率  达标率  当期逾期  累计逾期  逾期完成  待更新",
        f"{SHANXI}  山西大学            4.8%    4.8%   50.0%         0         0         0       0",
        f"{TAIYUAN_TECH}  太原理工大学        0.0%    0.0%       —         0         0         0       0",
        f"{CHANGZHI_VOCATIONAL}  长治职业技术学院    0.0%    0.0%       —         0         0         0       0",
        "            合计（3 所）        1.6%    1.6%   50.0%         0         0         0       0",  # 3 of 62+62+61; 3 of 63+64+63
        "",
        "达标率：达标 1 / 已填指标 2 项（均为参考指标）",
        *RATE_LEGEND,
    ]


def test_as_of_answers_from_the_event_log(recorded):
    before = recorded("status", SHANXI, "--as-of", "2025-05-31", "--json")
    assert json.loads(before.stdout)["total"]["reported"] == 0
    assert json.loads(recorded("status", SHANXI, "--as-of", "2025年6月1日", "--json").stdout)["total"]["reported"] == 3


def test_json_for_one_institution(recorded):
    data = json.loads(recorded("status", SHANXI, "--as-of", "2025-06-01", "--json").stdout)
    assert list(data) == ["institution", "policy", "as_of", "tracking_start", "sections", "total", "fail_under"]
    assert (data["institution"]["code"], data["policy"], data["as_of"], data["tracking_start"], data["fail_under"]) == (
        SHANXI, "gse-2025@2025.2", "2025-06-01", TRACKED_SINCE, None)
    assert [s["id"] for s in data["sections"]] == ["supply", "guidance", "recruitment", "assistance", "evaluation",
                                                   "support"]
    assert data["total"] == {
        "applicable": 62, "reported": 3, "done": 2, "not_applicable": 1, "weight": 63.0, "done_weight": 3.0,
        "indicators_reported": 2, "indicators_met": 1, "overdue_current": 0, "overdue_cumulative": 0, "done_late": 0,
        "before_start": 0, "stale": 0, "indicators_reference": 2, "via_mapping": 0,
        "reported_pct": pytest.approx(300 / 62), "done_pct": pytest.approx(300 / 63), "met_pct": 50.0,
        "display": {"reported": "4.8%", "done": "4.8%", "met": "50.0%",
                    "met_basis": "达标 1 / 已填指标 2 项（均为参考指标）"},
    }
    guidance = data["sections"][1]
    assert (guidance["title"], guidance["heading"], guidance["met_pct"], data["sections"][2]["met_pct"]) == (
        "强化就业指导体系", "三、强化就业指导体系", 0.0, None)


def test_json_for_every_institution(recorded):
    data = json.loads(recorded("status", "--as-of", "2025-06-01", "--json").stdout)
    assert list(data) == ["policy", "as_of", "province", "scope", "sections", "institutions", "total", "fail_under"]
    assert data["province"] is None
    assert data["scope"] == {"province": None, "level": None, "authority": None, "label": "全部学校"}
    assert data["sections"][0] == {"id": "supply", "title": "优化培养供给体系", "heading": "二、优化培养供给体系"}
    assert [i["code"] for i in data["institutions"]] == [SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL]
    first = data["institutions"][0]
    assert list(first) == ["code", "name", "province", "level", "total", "sections"]
    assert list(first["sections"]) == [s["id"] for s in data["sections"]]
    assert first["sections"]["support"]["display"]["met"] == "100.0%"
    assert data["total"]["applicable"] == 62 + 62 + 61  # 长治职业技术学院 (专科) has no guidance.4.f


def test_fail_under_exits_4_after_printing_the_table(recorded):
    result = recorded("status", SHANXI, "--as-of", "2025-06-01", "--fail-under", "80")
    assert result.exit_code == 4
    assert result.stdout.splitlines()[-3 - len(RATE_LEGEND)].startswith("合计")
    assert result.stderr.splitlines() == [
        "错误: 山西大学的落实率 4.8%，低于 --fail-under 要求的 80%",
        f"提示: 运行 jobpolicy record show {SHANXI} 查看未完成和逾期的检查项",
    ]


def test_fail_under_for_every_institution_uses_the_overall_rate(recorded):
    result = recorded("status", "--as-of", "2025-06-01", "--fail-under", "1.7")
    assert result.exit_code == 4
    assert result.stderr.splitlines() == [
        "错误: 全部 3 所学校的总体落实率 1.6%，低于 --fail-under 要求的 1.7%",
        "提示: 运行 jobpolicy status 学校标识码 查看某校各体系的情况",
    ]
    assert recorded("status", "--as-of", "2025-06-01", "--fail-under", "1.6").exit_code == 0  # 3/190 shown as 1.6%


def test_fail_under_in_json_mode_is_one_document(recorded):
    result = recorded("status", SHANXI, "--as-of", "2025-06-01", "--fail-under", "80", "--json")
    assert result.exit_code == 4
    assert json.loads(result.stdout)["fail_under"] == {
        "threshold": 80.0, "met": False, "message": "山西大学的落实率 4.8%，低于 --fail-under 要求的 80%"}
    passed = recorded("status", SHANXI, "--as-of", "2025-06-01", "--fail-under", "4", "--json")
    assert passed.exit_code == 0
    assert json.loads(passed.stdout)["fail_under"] == {"threshold": 4.0, "met": True, "message": None}


@pytest.mark.parametrize(
    ("args", "code", "lines"),
    [
        (["--as-of", "2025-13-01"], 3, ["错误: --as-of 的日期“2025-13-01”无效：没有这一天",
                                        "提示: 可写作 2025-06-30、2025/6/30 或 2025年6月30日"]),
        (["--province", "火星"], 3, None),
        (["4111010001"], 1, ["错误: 学校 4111010001 尚未添加", "提示: 先运行 jobpolicy institution add 4111010001"]),
    ],
)
def test_bad_input(run_db, args, code, lines):
    result = run_db("status", *args)
    assert result.exit_code == code
    if lines:
        assert result.stderr.splitlines() == lines
    else:
        assert result.stderr.splitlines()[0] == "错误: 省份“火星”无法识别"


@pytest.mark.parametrize("args", [["--fail-under", "101"], ["--fail-under", "-1"], [SHANXI, "--province", "山西"]])
def test_usage_errors_exit_2(run_db, args):
    assert run_db("status", *args).exit_code == 2


@pytest.mark.parametrize("typed", ["1_0", "nan", "inf", "1e308"])
def test_fail_under_is_read_as_other_numbers_are_so_1_0_is_no_ten(run_db, typed):
    result = run_db("status", "--fail-under", typed)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] in (f"错误: --fail-under 应为数字，不能是“{typed}”",
                                             f"错误: --fail-under 超出范围（0 到 100），不能是 {typed}")
    assert result.stdout == ""  # refused before the status is worked out


def test_fail_under_takes_a_percent_sign(run_db):
    assert run_db("status", "--fail-under", "0%").exit_code == 0


def test_no_institutions_yet(run, tmp_path):
    db = str(tmp_path / "empty.db")
    assert run("--db", db, "db", "init").exit_code == 0
    result = run("--db", db, "status")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "还没有添加学校：运行 jobpolicy institution import 或 jobpolicy institution add"


def test_a_verified_catalog_shows_official_headings_and_what_the_met_rate_rests_on(run_numbered):
    with time_machine.travel(JUNE, tick=False):
        run_numbered("record", "set", SHANXI, "assistance.11.a", "--period", "2025", "--status", "推进中",
                     "--value", "99")  # 参考指标, met
        run_numbered("record", "set", SHANXI, "support.25.a", "--status", "推进中", "--value", "1")  # the policy's
        result = run_numbered("status", SHANXI)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"山西大学（4114010108）  numbered-2025@1  截至 2025-06-01  自 {TRACKED_SINCE} 起跟踪",
        "",
        "体系                  填报率  落实率  达标率  当期逾期  累计逾期  逾期完成  待更新",
        "五、完善帮扶援助体系   50.0%    0.0%  100.0%         0         0         0       0",
        "七、巩固支持保障体系  100.0%    0.0%    0.0%         0         0         0       0",
        "合计                   66.7%    0.0%   50.0%         0         0         0       0",
        "",
        "达标率：达标 1 / 已填指标 2 项（政策原文规定的 1 项，参考指标 1 项）",
        *RATE_LEGEND,
    ]
