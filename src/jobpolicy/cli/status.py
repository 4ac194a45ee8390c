"""``jobpolicy status``: the three rates, overdue and stale counts, per section or per institution."""

from typing import Annotated

import typer

from jobpolicy.cli._context import engine, parse_date_option
from jobpolicy.cli._options import (
    SCHOOL_HELP,
    AsOfOption,
    AuthorityFilter,
    JsonOption,
    LevelFilter,
    PolicyOption,
    ProvinceFilter,
    scope_of,
)
from jobpolicy.cli._output import conclude, print_json, print_lines

OptionalCode = Annotated[
    str | None, typer.Argument(metavar="学校", help=f"{SCHOOL_HELP}；省略则每校一行。", show_default=False)
]
FailUnderOption = Annotated[
    str | None, typer.Option("--fail-under", metavar="数字", show_default=False,
                             help="落实率低于此百分比（0 到 100）时退出码为 4（供脚本检查）。")
]


def _percent(text: str | None) -> float | None:
    """``--fail-under`` as a number the way ``record set --value`` reads one (``80``, ``80%``), so that ``1_0``,
    ``nan`` and ``inf``, which Python would take, are refused as they are there."""
    if text is None:
        return None
    from jobpolicy.domain.values import parse_number

    number = parse_number(text)
    if number is None:
        raise typer.BadParameter(f"--fail-under 应为数字，不能是“{text}”")
    if not 0 <= number <= 100:
        raise typer.BadParameter(f"--fail-under 超出范围（0 到 100），不能是 {text}")
    return number


def status(
    ctx: typer.Context,
    code: OptionalCode = None,
    province: ProvinceFilter = None,
    level: LevelFilter = None,
    authority: AuthorityFilter = None,
    as_of: AsOfOption = None,
    fail_under: FailUnderOption = None,
    policy: PolicyOption = None,
    json_: JsonOption = False,
) -> None:
    """落实情况：填报率、落实率、达标率、当期逾期、累计逾期、逾期完成和待更新项数；指定学校时按体系列出，否则每校一行。

    当期逾期只计各检查项计入比率的一期，累计逾期含往期每一期（与 jobpolicy deadlines 所列相同）；逾期完成是在政策
    截止日期之后才完成的。截止日期早于开始跟踪日期的事项为启用前，不计入比率。表后说明达标率依据的指标数，其中
    多少是参考指标（政策原文没有规定的目标）。

    不指定学校时可按省份、本科/专科、主管部门筛选，表头写明筛选条件和学校数。

    示例：jobpolicy status --province 山西 --level 专科 --as-of 2025-06-30 --fail-under 80
    """
    from jobpolicy.render import status_views as views
    from jobpolicy.services.status import institution_status, overview_status, threshold_failure

    scope = scope_of(province, level, authority, one_school="学校" if code is not None else None)
    day, threshold = parse_date_option(as_of, "--as-of"), _percent(fail_under)
    if code is not None:
        result = institution_status(engine(ctx), code, as_of=day, policy_id=policy)
        to_json, to_text = views.institution_status_json, views.institution_status_text
    else:
        result = overview_status(engine(ctx), scope=scope, as_of=day, policy_id=policy)
        to_json, to_text = views.overview_status_json, views.overview_status_text
    failure = threshold_failure(result, threshold)
    if json_:
        print_json(to_json(result, fail_under=threshold, failure=failure))
    else:
        print_lines(to_text(result))
    conclude(failure, json_=json_)
