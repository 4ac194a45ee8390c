"""Placeholders (【待完成】) in a catalog: each reported as 待完成 at its line, in place of what else is said there."""

from pathlib import Path

from jobpolicy.domain.catalog_loader import parse_catalog
from jobpolicy.domain.catalog_todo import is_placeholder, is_todo, placeholder

MINIMAL = (Path(__file__).parents[1] / "data" / "catalogs" / "good_minimal" / "demo.yaml").read_text(encoding="utf-8")


def with_lines(**lines: str) -> str:
    """The minimal catalog with some of its lines (by number) replaced."""
    rows = MINIMAL.splitlines()
    for key, line in lines.items():
        rows[int(key.removeprefix("line")) - 1] = line
    return "\n".join(rows) + "\n"


def test_a_placeholder_is_text_starting_with_the_mark():
    assert placeholder("执行主体") == "【待完成】执行主体"
    assert is_placeholder(" 【待完成】执行主体") and not is_placeholder("执行主体【待完成】") and not is_placeholder(3)


def test_each_placeholder_is_reported_at_its_line_with_its_item_and_what_to_write():
    text = with_lines(line24="            actor: 【待完成】执行主体", line26="            evidence: [课程表, 【待完成】佐证材料]")
    policy, problems = parse_catalog(text, "demo.yaml")
    assert policy is None
    assert [(p.line, p.id, p.message) for p in problems] == [
        (24, "guidance.1.a", "待完成：actor——执行主体"),
        (26, "guidance.1.a", "待完成：evidence 第 2 项——佐证材料"),
    ]
    assert all(is_todo(p) for p in problems)


def test_what_other_checks_say_about_a_placeholder_line_is_left_out_but_other_lines_still_count():
    # As a placeholder, the actor is no known actor and the date no date: only 待完成 is said there.
    text = with_lines(line7="  issued: 【待完成】成文日期", line24="            actor: 【待完成】执行主体",
                      line25="            title: ''")
    _, problems = parse_catalog(text, "demo.yaml")
    assert [(p.line, is_todo(p)) for p in problems] == [(7, True), (24, True), (25, False)]
    assert problems[0].id == "demo-2025"


def test_a_placeholder_policy_id_names_no_item():
    _, problems = parse_catalog(with_lines(line3="  id: 【待完成】政策编号"), "demo.yaml")
    assert [(p.line, p.id, p.message) for p in problems] == [(3, None, "待完成：policy.id——政策编号")]
