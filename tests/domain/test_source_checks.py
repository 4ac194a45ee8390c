"""Checks against the policy's official text, one fixture per concern, each with a small source text beside it.

The source text (tests/data/catalogs/*/source.txt) has parts 一 二 三 and items 二（一） 二（二） 三（三).
"""

from pathlib import Path

import pytest

from jobpolicy.domain.catalog_loader import parse_catalog, read_catalog, read_source

NOT_COVERED = "，也未列入 policy.source_text.out_of_scope（写明 ref 和不纳入的理由 reason）"


def problems_of(path: Path, **options) -> list[tuple[int | None, str | None, str]]:
    policy, problems = read_catalog(path, **options)
    assert policy is None
    return [(p.line, p.id, p.message) for p in problems]


def test_good_source_has_no_problem(catalogs):
    policy, problems = read_catalog(catalogs / "good_source" / "demo.yaml")
    assert problems == []
    assert policy.source_path() == catalogs / "good_source" / "source.txt"


def test_quotes_that_are_not_the_texts_own_words(catalogs):
    assert problems_of(catalogs / "bad_quotes" / "demo.yaml") == [
        (26, "guidance.1", "basis.quote「强化生涯教育与就业指…」不是原文 二（一） 的原话：与原文一致到「…化生涯教育与就业指导」为止，"
                           "其后引文为「，完善课程标准」，原文为「。完善课程标准，推动…」（第一个不同的字：引文「，」U+FF0C，原文「。」U+3002）"),
        (39, "guidance.1.a", "indicator.basis.quote「打造一批国家级规划教…」不是原文 二（一） 的原话：与原文一致到「打造一批国家」为止，"
                             "其后引文为「级规划教材」，原文为「规划教材。」（引文多了「级」）"),
        (46, "guidance.2", "basis.quote 第 2 段「实施\"宏志助航\"就业…」不是原文 二（二） 的原话：与原文一致到「实施」为止，"
                           "其后引文为「\"宏志助航\"就业能力…」，原文为「“宏志助航”就业能力…」（第一个不同的字：引文「\"」U+0022，原文「“」U+201C）"),
        (54, "guidance.2.a", "basis.quote「为帮扶对象提供服务和…」不在原文 二（二） 中，而在 三（三） 中；请改正 ref"),
        (61, "guidance.2.b", "basis.quote「落实离校未就业毕业生…」不是原文 三（三） 的原话：与原文一致到「…校未就业毕业生实名就」为止，"
                             "其后引文为「帮扶要求」，原文为「业帮扶要求。」（引文少了「业」）"),
        (67, "guidance.2.c", "basis.quote「完善课程的标准」不是原文 二（二） 的原话，也不是原文其他地方的原话：与原文 二（一） 一致到「完善课程」为止，"
                             "其后引文为「的标准」，原文为「标准，推动高校将其列…」（引文多了「的」）"),
        (77, "assistance.1", "basis.quote 第 1 段「健全困难帮扶机制。为…」不是原文 三（三） 的原话：与原文一致到「…生实名就业帮扶要求。」为止，"
                             "其后引文为「此外」，原文到此结束"),
        (78, "assistance.1", "basis.quote 第 2 段「无从谈起」不是原文 三（三） 的原话：从第一个字「无」起就对不上"),
    ]


def test_refs_that_name_no_unit(catalogs):
    assert problems_of(catalogs / "bad_refs" / "demo.yaml") == [
        (12, None, f"原文条目 二（一）「强化生涯教育与就业指导」（原文第 14 行）没有举措以它为 basis.ref{NOT_COVERED}"),
        (12, None, f"原文条目 二（二）「加强就业教育引导」（原文第 16 行）没有举措以它为 basis.ref{NOT_COVERED}"),
        (12, None, f"原文条目 三（三）「健全困难帮扶机制」（原文第 20 行）没有举措以它为 basis.ref{NOT_COVERED}"),
        (16, None, "out_of_scope 的 ref「八」在原文中不存在"),
        (28, "guidance.1", "basis.ref「二（据摘要第二段）」不是原文的编号（部分写作 一，条目写作 二（一））；引文在 二（一） 中"),
        (35, "guidance.1.a", "basis.ref「四（一）」在原文中不存在；引文在 二（一） 中"),
        # with no unit to look in, the quote is still checked against the whole text
        (41, "guidance.2", "basis.quote「加强就业教育引导，实…」不是原文的原话：与原文 二（二） 一致到「加强就业教育引导」为止，"
                           "其后引文为「，实施“宏志助航”就…」，原文为「。实施“宏志助航”就…」（第一个不同的字：引文「，」U+FF0C，原文「。」U+3002）"),
        (42, "guidance.2", "basis.ref「二（五）」在原文中不存在"),
        (56, "assistance.1", "basis.ref「（三）」在原文中不存在；是否指 三（三）？"),
    ]


def test_numbers_and_titles_that_do_not_match_the_text(catalogs):
    assert problems_of(catalogs / "bad_headings" / "demo.yaml") == [
        (22, "guidance", "体系标题「强化就业指导」与原文第二部分的标题「强化就业指导体系」不一致"),
        (25, "guidance.1", "举措编号「（二）」与 basis.ref 所指条目 二（一） 的编号「（一）」不一致"),
        (36, "guidance.2", "举措标题「加强就业教育」与原文 二（二） 的标题「加强就业教育引导」不一致（已核实的举措，标题须与原文一字不差）"),
        (45, "assistance", "体系编号「四」在原文中没有对应的部分"),
        (49, "assistance.1", "举措已核实并写了编号「（三）」，但 basis.ref「三」指向的是部分而不是条目或条"),
    ]


def test_every_unit_is_covered_or_out_of_scope_but_not_both(catalogs):
    assert problems_of(catalogs / "bad_coverage" / "demo.yaml") == [
        (12, None, f"原文条目 二（二）「加强就业教育引导」（原文第 16 行）没有举措以它为 basis.ref{NOT_COVERED}"),
        (12, None, f"原文部分 三「完善帮扶援助体系」（原文第 18 行）没有体系以它为编号（number: 三）{NOT_COVERED}"),
        (12, None, f"原文条目 三（三）「健全困难帮扶机制」（原文第 20 行）没有举措以它为 basis.ref{NOT_COVERED}"),
        (16, None, "原文 二（一） 已由举措 guidance.1 覆盖，不应再列入 out_of_scope"),
    ]


@pytest.mark.parametrize(
    ("catalog", "message"),
    [("missing", "原文文件 {dir}/nope.txt 不存在"),
     ("not_utf8", "原文文件 {dir}/gbk.txt 不是 UTF-8 编码；请用 UTF-8 保存"),
     ("no_units", "原文文件 {dir}/plain.txt 中找不到编号的部分（一、…）、条目（（一）…）或条（第一条…）；请检查是否选错了文件")],
)
def test_the_source_file_must_be_readable_utf8_with_numbered_units(catalogs, catalog, message):
    folder = catalogs / "bad_source_file"
    # line 11 is `file:`; no quote or ref is checked against a text that cannot be used
    assert problems_of(folder / f"{catalog}.yaml") == [(11, None, message.format(dir=folder))]


# --- where the source text comes from -------------------------------------------------------------------------


def test_parse_catalog_reads_nothing_from_disk(catalogs):
    text = (catalogs / "bad_source_file" / "missing.yaml").read_text(encoding="utf-8")
    policy, problems = parse_catalog(text, "gse-2025@stored")
    assert problems == [] and policy.source_text.file == "nope.txt"


def test_parse_catalog_checks_against_a_source_it_is_given(catalogs):
    text = (catalogs / "bad_quotes" / "demo.yaml").read_text(encoding="utf-8")
    assert parse_catalog(text, "stored")[1] == []
    source = read_source(catalogs / "bad_quotes" / "source.txt")
    assert len(parse_catalog(text, "stored", source=source)[1]) == 8


def test_a_catalog_without_source_text_is_checked_against_the_one_given(catalogs):
    path = catalogs / "good_minimal" / "demo.yaml"
    assert read_catalog(path)[1] == []
    source = read_source(catalogs / "good_source" / "source.txt")
    assert problems_of(path, source=source) == [
        (None, None, f"原文部分 一「总体要求」（原文第 8 行）没有体系以它为编号（number: 一）{NOT_COVERED}"),
        (None, None, f"原文部分 二「强化就业指导体系」（原文第 12 行）没有体系以它为编号（number: 二）{NOT_COVERED}"),
        (None, None, f"原文条目 二（一）「强化生涯教育与就业指导」（原文第 14 行）没有举措以它为 basis.ref{NOT_COVERED}"),
        (None, None, f"原文条目 二（二）「加强就业教育引导」（原文第 16 行）没有举措以它为 basis.ref{NOT_COVERED}"),
        (None, None, f"原文条目 三（三）「健全困难帮扶机制」（原文第 20 行）没有举措以它为 basis.ref{NOT_COVERED}"),
        (13, "guidance", "体系标题「强化就业指导体系」与原文第三部分的标题「完善帮扶援助体系」不一致"),
        (20, "guidance.1", "basis.quote「强化生涯教育与就业指…」不在原文 三 中，而在 二（一） 中；请改正 ref"),
    ]


def test_a_catalog_that_names_its_source_is_checked_against_that_one(catalogs):
    elsewhere = read_source(catalogs / "bad_source_file" / "plain.txt")
    assert read_catalog(catalogs / "good_source" / "demo.yaml", source=elsewhere)[1] == []


def test_read_source_keeps_the_reason_it_failed(tmp_path):
    assert read_source(tmp_path / "nope.txt").error == f"原文文件 {tmp_path / 'nope.txt'} 不存在"
    (tmp_path / "bom.txt").write_bytes("\ufeff一、总体要求\n".encode())
    assert read_source(tmp_path / "bom.txt").document.units[0].text == "一、总体要求"
