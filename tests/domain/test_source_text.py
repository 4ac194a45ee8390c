"""Policy source texts: Chinese numerals, numbered units, references, and the rule quotes are compared by."""

from pathlib import Path

import pytest

from jobpolicy.domain.source_text import (
    Divergence,
    UnitKind,
    comparable,
    divergence,
    is_verbatim,
    normalise_ref,
    numeral,
    numeral_value,
    parse_source,
)

OPINION = Path(__file__).parents[2] / "policies" / "sources" / "gse-2025-opinion.txt"

OFFICIAL_HEADINGS = {
    "一": "总体要求", "二": "优化培养供给体系", "三": "强化就业指导体系", "四": "健全求职招聘体系",
    "五": "完善帮扶援助体系", "六": "创新监测评价体系", "七": "巩固支持保障体系",
    "二（一）": "科学研判人才发展趋势及供需状况",
    "二（二）": "以促进供需适配为导向动态调整高等教育专业和资源结构布局",
    "二（三）": "完善招生计划、人才培养与就业联动机制",
    "三（四）": "强化生涯教育与就业指导", "三（五）": "加强就业教育引导", "三（六）": "健全就业实习与见习制度",
    "四（七）": "强化校园招聘和就业市场服务", "四（八）": "推进重点领域人才服务", "四（九）": "优化规范招聘安排和秩序",
    "四（十）": "发挥多元主体作用", "五（十一）": "健全困难帮扶机制", "五（十二）": "加强帮扶对象能力培训",
    "六（十三）": "加强就业形势研判和进展监测", "六（十四）": "推进就业评价改革",
    "七（十五）": "建强高校毕业生就业服务机构", "七（十六）": "打造专业化就业指导教师队伍",
    "七（十七）": "深化高校毕业生就业研究", "七（十八）": "推广数字化就业服务新模式",
    "七（十九）": "营造公平就业环境和良好氛围", "七（二十）": "强化组织实施",
}


@pytest.fixture(scope="module")
def opinion():
    return parse_source(OPINION.read_text(encoding="utf-8"))


# --- numerals -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (21, "二十一"), (90, "九十"),
     (99, "九十九")],
)
def test_numerals_both_ways(value, text):
    assert numeral(value) == text
    assert numeral_value(text) == value


@pytest.mark.parametrize("text", ["", "零", "一十一", "十十", "二二", "百", "十二十", "1"])
def test_numerals_not_written_the_usual_way_are_not_numerals(text):
    assert numeral_value(text) is None


@pytest.mark.parametrize("value", [0, 100, -1])
def test_numeral_out_of_range(value):
    with pytest.raises(ValueError):
        numeral(value)


# --- the real opinion -----------------------------------------------------------------------------------------


def test_the_opinion_has_seven_parts_and_twenty_items(opinion):
    assert [u.ref for u in opinion.of_kind(UnitKind.PART)] == ["一", "二", "三", "四", "五", "六", "七"]
    items = opinion.of_kind(UnitKind.ITEM)
    assert [u.number for u in items] == [f"（{numeral(n)}）" for n in range(1, 21)]


def test_every_unit_has_its_official_heading_in_document_order(opinion):
    assert {u.ref: u.heading for u in opinion.units} == OFFICIAL_HEADINGS
    assert [u.ref for u in opinion.units][:5] == ["一", "二", "二（一）", "二（二）", "二（三）"]


def test_units_know_their_line_in_the_file(opinion):
    lines = OPINION.read_text(encoding="utf-8").split("\n")
    for unit in opinion.units:
        assert lines[unit.line - 1].startswith(unit.number), unit.ref
    assert (opinion.unit("二").line, opinion.unit("五（十一）").line, opinion.unit("七（二十）").line) == (12, 40, 62)


def test_an_item_is_its_paragraph(opinion):
    item = opinion.unit("五（十一）")
    assert item.text.startswith("（十一）健全困难帮扶机制。为脱贫家庭、")
    assert item.text.endswith("开展困难职工家庭高校毕业生“阳光就业”行动。")
    assert "\n" not in item.text


def test_a_part_runs_from_its_title_over_its_items_to_the_next_part(opinion):
    part = opinion.unit("五")
    assert part.text.startswith("五、完善帮扶援助体系\n\n（十一）健全困难帮扶机制。")
    assert part.text.endswith("鼓励社会力量面向帮扶对象提供公益性就业能力培训。")
    assert "六、" not in part.text


def test_the_closing_dateline_is_no_unit_and_ends_the_last_one(opinion):
    last = opinion.units[-1]
    assert last.ref == "七（二十）" and last.text.endswith("重要情况及时按程序向党中央、国务院请示报告。")
    assert "新华社" not in opinion.unit("七").text
    assert all("新华社" not in u.heading and "相关报道" not in u.text for u in opinion.units)


def test_the_title_date_and_preamble_belong_to_no_unit(opinion):
    assert opinion.units[0].line == 8
    assert opinion.containing("现提出如下意见") == ()
    assert is_verbatim("现提出如下意见", opinion.text)


# --- small texts: numbering that restarts, notes, edge lines ---------------------------------------------------

RESTARTING = """某省关于做好高校毕业生就业工作的通知

一、加强指导
（一）开设课程。各高校开设就业指导课。
课程不少于38学时。
（二）开展咨询。提供个体咨询。
二、做好帮扶
（一）建立台账。一人一档。
（此件公开发布）
"""


def test_numbering_that_restarts_in_each_part_keeps_refs_unique():
    document = parse_source(RESTARTING)
    assert [u.ref for u in document.units] == ["一", "一（一）", "一（二）", "二", "二（一）"]
    assert document.unit("一（一）").text == "（一）开设课程。各高校开设就业指导课。\n课程不少于38学时。"
    assert document.unit("二（一）").heading == "建立台账"
    assert document.unit("二").text == "二、做好帮扶\n（一）建立台账。一人一档。"


def test_items_under_no_part_are_referred_to_by_their_number():
    document = parse_source("　　（一）第一项。内容。\n　　（二）第二项\n")
    assert [(u.ref, u.heading, u.line) for u in document.units] == [("（一）", "第一项", 1), ("（二）", "第二项", 2)]


@pytest.mark.parametrize(
    "line",
    ["一、二级学科专业目录由教育部发布。", "（新华社北京4月8日电）", "（2024年11月3日）", "（一十一）不是编号。", "百、标题",
     "1.5倍于上年。", "第三条规定的情形除外。", "第一章。", "2025年4月8日"],
)
def test_lines_that_are_not_units(line):
    assert parse_source(f"{line}\n").units == ()


def test_a_sentence_that_starts_like_a_part_is_body_text():
    document = parse_source("一、总体要求\n一、二级学科专业目录由教育部发布。\n")
    assert [(u.ref, u.text) for u in document.units] == [("一", "一、总体要求\n一、二级学科专业目录由教育部发布。")]


def test_windows_line_ends_and_a_half_width_item_number():
    document = parse_source("一、总体要求\r\n(一)科学研判。内容。\r\n")
    assert [(u.ref, u.number, u.heading, u.text) for u in document.units] == [
        ("一", "一", "总体要求", "一、总体要求\n(一)科学研判。内容。"),
        ("一（一）", "（一）", "科学研判", "(一)科学研判。内容。"),
    ]


# --- references ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("五（十一）", "五（十一）"), ("五、（十一）", "五（十一）"), ("五(十一)", "五（十一）"), ("五、(十一)", "五（十一）"),
     (" 五 （ 十一 ） ", "五（十一）"), ("五\u3000（十一）", "五（十一）"), ("二", "二"), ("二、", "二"),
     ("（十一）", "（十一）"), ("第五条", "第五条"), ("第二章第五条", "第五条"), ("第 五 条（二）", "第五条（二）"),
     ("第二章", "第二章"), ("二（一）1.", "二（一）1."), ("二(一)1．(2)", "二（一）1.（2）"), ("三1.", "三1.")],
)
def test_normalise_ref_accepts_what_people_write(written, canonical):
    assert normalise_ref(written) == canonical


@pytest.mark.parametrize("written", ["三（据摘要第二段）", "强化组织实施", "", "、", "五（）", "五（一十）", "5（11）", "第五十十条", "第二节"])
def test_normalise_ref_refuses_what_is_no_reference(written):
    assert normalise_ref(written) is None


def test_a_unit_is_found_by_any_form_of_its_ref(opinion):
    assert opinion.unit("五、(十一)") is opinion.unit("五（十一）")
    assert opinion.unit("五（十一）").heading == "健全困难帮扶机制"
    assert opinion.unit("三（十一）") is None  # the item exists, but not in part 三
    assert opinion.unit("（十一）") is None  # items of this text sit under parts
    assert opinion.unit("三（据摘要第二段）") is None


# --- the comparison rule -----------------------------------------------------------------------------------


def test_only_whitespace_and_line_breaks_are_ignored():
    assert comparable(" 健全困难\n帮扶\u3000机制\t") == "健全困难帮扶机制"
    assert is_verbatim("困难 帮扶\n机制", "健全困难帮扶机制。")


@pytest.mark.parametrize(
    ("passage", "text"),
    [('实施"宏志助航"项目', "实施“宏志助航”项目"), ("招生,就业", "招生，就业"), ("招生，就业", "招生。就业"),
     ("（一）", "(一)"), ("ＡＢ", "AB")],
)
def test_every_other_character_must_match(passage, text):
    assert not is_verbatim(passage, text)


def test_divergence_says_how_far_a_passage_matches_and_what_follows():
    text = "挖掘国家重大战略对高校毕业生的需求，提供服务。"
    assert divergence("挖掘国家重大战略等对高校毕业生的需求", text) == Divergence(
        matched="挖掘国家重大战略", quoted="等对高校毕业生的需求", found="对高校毕业生的需求，提供服务。")
    assert divergence("挖掘国家 重大战略", text) is None


def test_divergence_when_the_text_ends_or_nothing_matches():
    assert divergence("提供服务。还有", "提供服务。") == Divergence("提供服务。", "还有", "")
    assert divergence("无关", "提供服务。") == Divergence("", "无关", "")


def test_divergence_follows_the_occurrence_after_which_the_passage_picks_up_again():
    text = "实施就业优先战略。实施“宏志助航”就业能力培训项目。"
    assert divergence('实施"宏志助航"就业能力', text) == Divergence(
        matched="实施", quoted='"宏志助航"就业能力', found="“宏志助航”就业能力培训项目。")


@pytest.mark.parametrize(
    ("passage", "edit"),
    [("挖掘国家重大战略等对高校毕业生", "extra"), ("挖掘国家重大战对高校毕业生", "missing"),
     ("挖掘国家重大战术对高校毕业生", "changed"), ("挖掘国家重大战略，完全不同的话", None), ("挖掘国家重大战略对高校毕业生的需求。还有", None)],
)
def test_a_one_character_edit_is_named_when_the_passage_matches_again_after_it(passage, edit):
    assert divergence(passage, "挖掘国家重大战略对高校毕业生的需求。").edit == edit


# --- articles, chapters, clauses and sub-items (synthetic texts, written for these tests) ----------------------

ARTICLES = """某大学毕业生就业工作管理办法（合成示例，非真实文件）

第一章　总则
第一条　为做好毕业生就业工作，制定本办法。
第二条　学校成立就业工作领导小组。领导小组由校长任组长。
第二章　就业指导
第三条　学校开设就业指导课程，主要包括：
（一）职业生涯规划；
（二）求职技能训练。
第三条规定的课程纳入人才培养方案。
第四条　学校建立就业困难学生帮扶台账。
"""


def test_articles_are_units_numbered_through_the_document_with_chapters_as_parts():
    document = parse_source(ARTICLES)
    assert [(u.kind, u.ref, u.heading) for u in document.units] == [
        (UnitKind.PART, "第一章", "总则"),
        (UnitKind.ARTICLE, "第一条", "为做好毕业生就业工作，制定本办法"),
        (UnitKind.ARTICLE, "第二条", "学校成立就业工作领导小组"),
        (UnitKind.PART, "第二章", "就业指导"),
        (UnitKind.ARTICLE, "第三条", "学校开设就业指导课程，主要包括："),
        (UnitKind.CLAUSE, "第三条（一）", "职业生涯规划；"),
        (UnitKind.CLAUSE, "第三条（二）", "求职技能训练"),
        (UnitKind.ARTICLE, "第四条", "学校建立就业困难学生帮扶台账"),
    ]


def test_an_article_holds_its_clauses_and_the_lines_after_them():
    document = parse_source(ARTICLES)
    article = document.unit("第三条")
    assert article.text.endswith("第三条规定的课程纳入人才培养方案。")
    assert (article.line, article.last_line) == (7, 10)
    assert document.unit("第二章第三条") is article
    assert document.unit("第三条（二）").parent == "第三条"
    assert [u.ref for u in document.measure_units()] == ["第一条", "第二条", "第三条", "第四条"]


NESTED = """合成示例：四级编号
一、重点任务
（一）加强指导。具体要求如下：
1. 开设课程。不少于38学时。
（1）必修；
（2）计学分。
2．开展咨询。
二、保障措施
1、落实经费。
2、配齐人员。
"""


def test_sub_items_sit_in_their_item_and_go_by_their_parent_ref():
    document = parse_source(NESTED)
    assert [(u.ref, u.parent) for u in document.units] == [
        ("一", ""), ("一（一）", "一"), ("一（一）1.", "一（一）"), ("一（一）1.（1）", "一（一）1."),
        ("一（一）1.（2）", "一（一）1."), ("一（一）2.", "一（一）"), ("二", ""), ("二1.", "二"), ("二2.", "二"),
    ]
    assert document.unit("一（一）").text.endswith("2．开展咨询。")
    assert document.unit("一（一）1.").text == "1. 开设课程。不少于38学时。\n（1）必修；\n（2）计学分。"


def test_sub_items_under_no_item_stand_for_measures_and_the_others_go_with_theirs():
    document = parse_source(NESTED)
    assert [u.ref for u in document.measure_units()] == ["一（一）", "二1.", "二2."]
    assert [u.ref for u in document.containing("计学分")] == ["一（一）"]


def test_a_units_paragraphs_are_its_wording_without_its_number():
    document = parse_source("一、任务\n（一）\n加强指导。要开课。\n\n　　要咨询。\n第三条　学校开课。\n1．开课。\n")
    assert document.unit("一（一）").paragraphs == ("加强指导。要开课。", "要咨询。")
    assert document.unit("一（一）").heading == "加强指导"  # the number stood alone: the heading is the next line's
    assert document.unit("第三条").paragraphs == ("学校开课。", "1．开课。")
    assert document.unit("第三条1.").paragraphs == ("开课。",)


def test_a_closing_signature_and_date_end_the_last_unit():
    document = parse_source("一、任务\n（一）报送。按时报送。\n\n某省教育厅\n某省人力资源社会保障厅\n2025年3月1日\n")
    assert document.unit("一（一）").text == "（一）报送。按时报送。"
    assert document.unit("一").text == "一、任务\n（一）报送。按时报送。"


def test_a_last_line_with_a_date_in_a_sentence_is_wording_not_the_closing():
    document = parse_source("一、任务\n（一）报送。\n2025年3月1日前完成。\n")
    assert document.unit("一（一）").text == "（一）报送。\n2025年3月1日前完成。"


@pytest.mark.parametrize(("ending", "last"), [("（一）报送。\n各校要按时报送，不得延误\n", "各校要按时报送，不得延误"),
                                              ("（一）报送。\n（二）汇总\n", "（二）汇总")])
def test_only_a_short_line_without_punctuation_above_the_closing_date_is_taken_for_a_signature(ending, last):
    document = parse_source(f"一、任务\n{ending}2025年3月1日\n")
    assert document.units[-1].text.split("\n")[-1] == last
    assert "2025年3月1日" not in document.unit("一").text
