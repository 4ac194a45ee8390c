"""What the derived words in tables, lists and reports mean, said once, in the words a reader needs.

Counts and rates are derived, never typed in (design.md §1): a reader meeting 落实率 or 待更新 cannot look them up
in the workbook. Every view that shows one of these terms explains it from here: the CLI with a 名词说明 block
after its output (``legend_lines``), the HTML reports with a 名词说明 section, 参考指标 beside the indicators.
"""

from __future__ import annotations

from collections.abc import Iterable

TERMS: dict[str, str] = {
    "填报率": "已填报（有任何记录）的检查项占适用检查项的比例。",
    "落实率": "已完成的检查项（按权重）占适用检查项的比例；标为不适用的检查项不计入。",
    "达标率": "已填的指标值中达到目标的比例。",
    "逾期": "已过政策规定的截止日期，仍未完成、也未标为不适用（学校自定的完成时限不影响是否逾期）。",
    "当期逾期": "计入比率的那一期已过截止日期，仍未完成。",
    "累计逾期": "含往期每一期已过截止日期仍未完成的项数（与 jobpolicy deadlines 所列相同）。",
    "逾期完成": "截止日期之后才完成（计入落实率）。",
    "启用前": "截止日期早于开始跟踪日期，不算逾期、不计入比率，仍可补填。",
    "待更新": "按周期填报的检查项标为已完成，但本期还没有添加佐证材料（往期的佐证不能证明本期）。",
    "待重新评估": "政策新版本改动了该项的措辞，原有记录已沿用；请按新的措辞核对，再填报一次状态。",
    "参考指标": "政策原文没有规定的目标值，取自此前的国家通知或地方做法，来源注明在指标之后。",
}
LEGEND_HEAD = "名词说明："


def explained(terms: Iterable[str]) -> list[tuple[str, str]]:
    """Each of ``terms`` with its meaning, once, in the order given (terms not in the glossary are left out)."""
    return [(term, TERMS[term]) for term in dict.fromkeys(terms) if term in TERMS]


def legend_lines(terms: Iterable[str]) -> list[str]:
    """A 名词说明 block for the CLI: a blank line, the head, a line per term; nothing when no term needs it."""
    notes = explained(terms)
    return ["", LEGEND_HEAD, *(f"  {term}：{meaning}" for term, meaning in notes)] if notes else []
