"""Drafting a catalog skeleton from a policy text: sections, measures, quotes, notes and placeholders."""

import re
from pathlib import Path

import pytest

from jobpolicy.domain.catalog_doc import CatalogDoc
from jobpolicy.domain.catalog_draft import draft_catalog
from jobpolicy.domain.catalog_loader import load_policy_file, parse_catalog
from jobpolicy.domain.catalog_todo import TODO, is_todo
from jobpolicy.domain.catalog_yaml import read_yaml
from jobpolicy.domain.source_checks import check_headings, check_quotes, check_refs
from jobpolicy.domain.source_text import SourceFile, numeral, parse_source

ROOT = Path(__file__).parents[2]
OPINION = ROOT / "policies" / "sources" / "gse-2025-opinion.txt"
DRAFTS = ROOT / "tests" / "data" / "drafts"


def drafted(path: Path):
    """The parsed text, the draft and its YAML tree."""
    document = parse_source(path.read_text(encoding="utf-8"))
    draft = draft_catalog(document, source_file=f"sources/{path.stem}.txt", origin=path.name)
    root, duplicates = read_yaml(draft.text)
    assert duplicates == []
    return document, draft, root


def fill_in(text: str) -> str:
    """What a person does with the draft, at its least: fill every placeholder, drop the optional ones."""
    text = re.sub(r"(?m)^(  id: ).*【待完成】.*$", r"\1drafted-2025", text)
    text = re.sub(r"(?m)^(\s+actor: ).*【待完成】.*$", r"\1ministry", text)
    text = re.sub(r"(?m)^(\s+title: ).*【待完成】.*$", r"\1检查项", text)
    text = re.sub(r"(?m)^(\s+- ).*【待完成】.*$", r"\1材料", text)
    text = re.sub(r"(?m)^(  issued: ).*【待完成】.*$", r"\g<1>2025-01-01", text)
    text = re.sub(r"(?m)^\s+(indicator|cadence): .*【待完成】.*\n", "", text)
    return re.sub(r"(?m)^(\s+\w+: ).*【待完成】.*$", r"\1已填写", text)  # issuer, source


def problems(text: str, source: Path):
    return parse_catalog(text, "draft.yaml", source=SourceFile(str(source), parse_source(source.read_text())))[1]


@pytest.fixture(scope="module")
def opinion():
    return drafted(OPINION)


# --- the opinion ------------------------------------------------------------------------------------------------


def test_the_opinion_gives_parts_two_to_seven_and_exactly_the_twenty_items(opinion):
    _, draft, root = opinion
    assert [s["number"] for s in root["sections"]] == ["二", "三", "四", "五", "六", "七"]
    measures = [m for s in root["sections"] for m in s["measures"]]
    assert [m["number"] for m in measures] == [f"（{numeral(n)}）" for n in range(1, 21)]
    assert (draft.sections, draft.measures, draft.items) == (6, 20, 20)


def test_the_opinion_draft_has_the_official_headings_of_the_bundled_catalog(opinion):
    _, _, root = opinion
    bundled = load_policy_file(ROOT / "policies" / "gse-2025-2025.2.yaml")
    official = {m.number: m.title for s in bundled.sections for m in s.measures}
    drafted_titles = {m["number"]: m["title"] for s in root["sections"] for m in s["measures"]}
    assert drafted_titles == official
    assert {s["number"]: s["title"] for s in root["sections"]} == {s.number: s.title for s in bundled.sections}
    assert {m["basis"]["ref"] for s in root["sections"] for m in s["measures"]} == {
        m.basis.ref for s in bundled.sections for m in s.measures}


def test_each_measure_quotes_its_whole_paragraph_verified(opinion):
    document, _, root = opinion
    measure = root["sections"][3]["measures"][0]
    assert (measure["id"], measure["verified"], measure["basis"]["ref"]) == ("part5.11", True, "五（十一）")
    assert measure["basis"]["quote"] == document.unit("五（十一）").text.removeprefix("（十一）")
    assert measure["basis"]["quote"].startswith("健全困难帮扶机制。为脱贫家庭")


def test_the_opinion_drafts_quotes_refs_and_headings_pass_the_checks_against_the_text(opinion):
    document, draft, _ = opinion
    root, _ = read_yaml(draft.text)
    doc = CatalogDoc("draft.yaml", root, source=SourceFile(str(OPINION), document))
    assert check_quotes(doc) == check_refs(doc) == check_headings(doc) == []


def test_filled_in_the_draft_passes_every_check_including_coverage(opinion):
    _, draft, _ = opinion
    assert problems(fill_in(draft.text), OPINION) == []


def test_the_metadata_comes_from_the_source_title_and_date_lines(opinion):
    _, _, root = opinion
    policy = root["policy"]
    assert policy["title"] == "中共中央办公厅 国务院办公厅关于加快构建普通高等学校毕业生高质量就业服务体系的意见"
    assert (policy["issuer"], policy["issued"], policy["version"]) == ("中共中央办公厅 国务院办公厅", "2024-11-03", "1")
    assert policy["source"].startswith("《人民日报》2025年4月9日第1版")
    assert policy["source_text"]["file"] == "sources/gse-2025-opinion.txt"


def test_unnumbered_paragraphs_are_notes_and_a_part_without_items_is_out_of_scope(opinion):
    _, draft, root = opinion
    notes = root["policy"]["notes"].splitlines()
    assert notes[1].startswith("【正文前】普通高等学校（以下简称高校）毕业生是党和国家宝贵的人才资源。")
    assert notes[2].startswith("【一、总体要求】坚持以习近平新时代中国特色社会主义思想为指导")
    assert notes[3:] == ["【正文后】（新华社北京4月8日电）", "【正文后】（相关报道见第二版）"]
    assert draft.notes == 4
    assert [e["ref"] for e in root["policy"]["source_text"]["out_of_scope"]] == ["一"]
    assert not any(s.get("number") == "一" for s in root["sections"])


# --- placeholders -----------------------------------------------------------------------------------------------


def test_what_a_person_decides_is_a_placeholder_on_every_item(opinion):
    _, draft, root = opinion
    item = root["sections"][0]["measures"][0]["items"][0]
    assert item["id"] == "part2.1.a"
    for key in ("actor", "title", "indicator", "cadence"):
        assert item[key].startswith(TODO), key
    assert item["evidence"][0].startswith(TODO)
    assert root["policy"]["id"].startswith(TODO)
    assert draft.placeholders == 1 + 20 * 5


def test_every_placeholder_is_reported_as_to_do_at_its_line_and_nothing_else_is(opinion):
    _, draft, _ = opinion
    found = problems(draft.text, OPINION)
    marked = [n for n, line in enumerate(draft.text.splitlines(), start=1) if TODO in line and not line.startswith("#")]
    assert [p.line for p in found] == marked
    assert all(is_todo(p) for p in found)
    assert found[1].message.startswith("待完成：actor——执行主体：university（高校）")
    assert found[1].id == "part2.1.a"
    assert found[0].message == "待完成：policy.id——政策编号：小写字母、数字和连字符，如 sx-2025-plan"


# --- other shapes (synthetic texts) ------------------------------------------------------------------------------


def test_a_document_numbered_with_articles_gives_one_measure_per_article():
    document, draft, root = drafted(DRAFTS / "articles.txt")
    assert [(s["id"], s["number"], s["title"]) for s in root["sections"]] == [
        ("chapter1", "第一章", "总则"), ("chapter2", "第二章", "就业指导"), ("chapter3", "第三章", "附则")]
    measures = [m for s in root["sections"] for m in s["measures"]]
    assert [(m["id"], m["number"], m["basis"]["ref"]) for m in measures] == [
        ("chapter1.1", "第一条", "第一条"), ("chapter1.2", "第二条", "第二条"), ("chapter2.3", "第三条", "第三条"),
        ("chapter2.4", "第四条", "第四条"), ("chapter3.5", "第五条", "第五条")]
    assert measures[2]["title"] == "学校开设就业指导课程"
    assert (root["policy"]["issued"], root["policy"]["title"]) == ("2025-03-01", "某大学毕业生就业工作管理办法（合成示例）")
    assert problems(fill_in(draft.text), DRAFTS / "articles.txt") == []


def test_an_articles_clauses_each_propose_an_item_with_its_words_as_basis():
    _, _, root = drafted(DRAFTS / "articles.txt")
    article = root["sections"][1]["measures"][0]
    assert article["basis"]["quote"] == ["学校开设就业指导课程。课程包括：", "（一）职业生涯规划；", "（二）求职技能训练。"]
    items = article["items"]
    assert [i["id"] for i in items] == ["chapter2.3.a", "chapter2.3.b"]
    assert items[0]["title"] == "【待完成】检查项（原文：职业生涯规划）：写成可以核查的一句话"
    assert items[1]["basis"] == {"kind": "opinion", "quote": "求职技能训练。"}


def test_articles_under_no_chapter_go_in_one_section_whose_title_is_left_to_fill_in():
    _, draft, root = drafted(DRAFTS / "articles-no-chapters.txt")
    (section,) = root["sections"]
    assert section["id"] == "main" and "number" not in section and section["title"].startswith(TODO)
    assert [m["number"] for m in section["measures"]] == ["第一条", "第二条", "第三条"]
    assert root["policy"]["issued"] == "2025-04-08"  # 二〇二五年四月八日
    assert problems(fill_in(draft.text), DRAFTS / "articles-no-chapters.txt") == []


def test_numbering_that_restarts_in_each_part_gives_unique_ids_and_refs_with_their_part():
    _, draft, root = drafted(DRAFTS / "restarting.txt")
    measures = [m for s in root["sections"] for m in s["measures"]]
    assert [(m["id"], m["number"], m["basis"]["ref"]) for m in measures] == [
        ("part2.1", "（一）", "二（一）"), ("part2.2", "（二）", "二（二）"), ("part3.3", "（一）", "三（一）"),
        ("part3.4", "（二）", "三（二）")]
    assert [e["ref"] for e in root["policy"]["source_text"]["out_of_scope"]] == ["一"]
    assert root["policy"]["notes"].splitlines()[1:] == [
        "【正文前】各高校：", "【正文前】为做好今年毕业生就业工作，现就有关事项通知如下。", "【一、总体目标】全省高校毕业去向落实率保持稳定。"]
    assert problems(fill_in(draft.text), DRAFTS / "restarting.txt") == []


def test_sub_items_propose_items_and_stand_for_measures_where_a_part_has_no_items():
    _, draft, root = drafted(DRAFTS / "nested.txt")
    first, second = root["sections"]
    (guidance,) = first["measures"]
    assert [i["basis"]["quote"] for i in guidance["items"]] == [
        ["开设课程。课程不少于38学时。", "（1）列入必修；", "（2）计入学分。"], "开展咨询。每校至少配备2名咨询师。"]
    assert [(m["number"], m["title"], m["basis"]["ref"]) for m in second["measures"]] == [
        ("1.", "落实经费", "二1."), ("2.", "配齐人员", "二2.")]
    assert problems(fill_in(draft.text), DRAFTS / "nested.txt") == []
