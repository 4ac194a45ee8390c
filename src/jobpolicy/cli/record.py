"""``jobpolicy record …``: change one record, show current or past state, show full history."""

from typing import Annotated

import typer

from jobpolicy.cli._chinese import App
from jobpolicy.cli._context import author, engine, parse_date_option, show_author
from jobpolicy.cli._options import (
    ITEM_HELP,
    AsOfOption,
    ByOption,
    CodeArgument,
    ItemArgument,
    JsonOption,
    PeriodOption,
    PolicyOption,
)
from jobpolicy.cli._output import print_json, print_lines, say

record_app = App(help="填报：修改一条记录，查看当前或过去的状态和全部变更。", no_args_is_help=True)


def _opt(name: str, text: str, metavar: str | None = None) -> object:
    return typer.Option(name, help=text, show_default=False, metavar=metavar)


def set_(
    ctx: typer.Context,
    code: CodeArgument,
    item: ItemArgument,
    status: Annotated[
        str | None, _opt("--status", "状态：未启动、推进中、已完成、不适用（或 not_started 等）。")
    ] = None,
    progress: Annotated[str | None, _opt("--progress", "进度，0–100 的整数。")] = None,
    owner: Annotated[str | None, _opt("--owner", "责任人。")] = None,
    department: Annotated[str | None, _opt("--department", "责任部门。")] = None,
    due: Annotated[str | None, _opt("--due", "完成时限：本校计划完成的日期，如 2025-06-30、2025/6/30、2025年6月30日；"
                                        "政策规定的截止日期不变，逾期仍按截止日期判断。", "日期")] = None,
    value: Annotated[str | None, _opt("--value", "指标值（数字）。")] = None,
    evidence: Annotated[
        list[str] | None,
        _opt("--evidence", "佐证材料：网页链接（http:// 或 https://）或本机文件（存入佐证材料库，报告中可下载；"
                           "接受 PDF、图片、Word、Excel、WPS、演示文稿、.txt、OFD，每个不超过 20 MB），可多次给出。",
             "链接或文件"),
    ] = None,
    withdraw: Annotated[
        list[str] | None,
        _opt("--withdraw-evidence", "撤回佐证材料（按文件名或链接）：不再计入当前记录，历史和以往日期的报告中仍保留，"
                                    "文件不删除；可多次给出。", "文件名"),
    ] = None,
    note: Annotated[str | None, _opt("--note", "备注。")] = None,
    reason: Annotated[str | None, _opt("--reason", "标为“不适用”的理由。")] = None,
    period: PeriodOption = None,
    policy: PolicyOption = None,
    by: ByOption = None,
    json_: JsonOption = False,
) -> None:
    """修改一所学校一个检查项的记录；每项改动都记入变更历史。

    示例：jobpolicy record set 4114010108 support.16.a --status 已完成 --value 480 --by 张老师
    """
    from jobpolicy.render.record_views import TARGET_HINT, event_json, event_line, warning_lines
    from jobpolicy.services.recording import RawChange, set_record

    raw = RawChange(status=status, progress=progress, owner=owner, department=department, due=due, value=value,
                    note=note, na_reason=reason, evidence=tuple(evidence or ()), withdraw=tuple(withdraw or ()))
    who = author(by)
    result = set_record(engine(ctx), code, item, raw, actor=who.name, period=period, policy_id=policy)
    if json_:
        print_json({"item": result.item.id, "period": result.period, "events": [event_json(e) for e in result.events],
                    "warnings": result.warnings})
    elif not result.changed:
        say(f"无变化: {result.institution.name} {result.item.id}（值与已记录的相同）")
    else:
        say(f"已记录: {result.institution.name} {result.item.id}（{len(result.events)} 项变更）")
        print_lines(f"  {event_line(e)}" for e in result.events)
    if result.changed:
        show_author(who, "修改人", json_=json_)
    if not json_:
        print_lines(warning_lines(result.warnings, TARGET_HINT), err=True)


def show(
    ctx: typer.Context,
    code: CodeArgument,
    item: Annotated[
        str | None, typer.Argument(metavar="检查项", help=f"{ITEM_HELP}，显示所有符合的项；省略则显示全部。",
                                   show_default=False)
    ] = None,
    as_of: AsOfOption = None,
    detail: Annotated[bool, _opt("--detail", "同时显示佐证文件的存放位置和 sha256 校验值（核对文件是否被改动）。")
                      ] = False,
    policy: PolicyOption = None,
    json_: JsonOption = False,
) -> None:
    """显示一所学校的清单和每项的当前状态（或 --as-of 某日的状态），按举措分组，指标注明是否为参考指标。

    每项列出政策规定的截止日期和本校的完成时限（计划），并标出逾期、逾期完成（截止日期之后才完成）和启用前
    （截止日期早于开始跟踪日期，不算逾期、不计入比率，仍可补填）。

    示例：jobpolicy record show 4114010108 --as-of 2025-06-30
    """
    from jobpolicy.render.record_views import records_json, records_text
    from jobpolicy.services.history import show_records

    view = show_records(engine(ctx), code, item_id=item, as_of=parse_date_option(as_of, "--as-of"), policy_id=policy)
    if json_:
        print_json(records_json(view))
    else:
        print_lines(records_text(view, detail=detail))


def history(
    ctx: typer.Context,
    code: CodeArgument,
    item: ItemArgument,
    period: Annotated[str | None, _opt("--period", "只看某一期次。")] = None,
    as_of: AsOfOption = None,
    policy: PolicyOption = None,
    json_: JsonOption = False,
) -> None:
    """显示一个检查项的全部变更：何时、何人、从什么改为什么、来自哪个命令或导入批次。

    学校清单导入的变更写作“填报人（学校填报，导入人导入）”。

    示例：jobpolicy record history 4114010108 support.16.a
    """
    from jobpolicy.render.record_views import event_json, event_line
    from jobpolicy.services.history import record_history

    result = record_history(engine(ctx), code, item, period=period, as_of=parse_date_option(as_of, "--as-of"),
                            policy_id=policy)
    if json_:
        print_json([event_json(e, result.batches) for e in result.events])
    elif not result.events:
        say(f"{result.institution.name} {result.item_id} 还没有任何记录")
    else:
        print_lines(event_line(e, result.batches, result.institution.name) for e in result.events)


record_app.command("set")(set_)
record_app.command("show")(show)
record_app.command("history")(history)
