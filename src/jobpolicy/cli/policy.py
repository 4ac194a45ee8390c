"""``jobpolicy policy …``: list, show, validate, load and compare policy catalogs."""

from pathlib import Path
from typing import Annotated

import typer

from jobpolicy.cli._chinese import App
from jobpolicy.cli._context import author, engine, show_author
from jobpolicy.cli._options import ByOption, CatalogPathsArgument, JsonOption, PolicyIdArgument, PolicyOption
from jobpolicy.cli._output import print_json, print_lines, say, say_text

policy_app = App(help="政策清单：查看、查找检查项、从政策文件起草、校验、加载新版本、比较版本、省级方案的覆盖情况。",
                 no_args_is_help=True)

ShowSourceOption = Annotated[
    bool, typer.Option("--source", help="显示政策附带的原文全文（首行为出处），而不是清单结构。")
]
SourceFileOption = Annotated[
    Path | None,
    typer.Option("--source", help="政策原文文件（UTF-8）：用来核对没有写明 policy.source_text 的清单。",
                 show_default=False),
]


def list_policies(json_: JsonOption = False) -> None:
    """列出内置的政策清单及其版本。

    示例：jobpolicy policy list
    """
    from jobpolicy.render.catalog_views import policy_summary_json
    from jobpolicy.services.catalog import bundled_policies

    policies = bundled_policies()
    if json_:
        print_json([policy_summary_json(p) for p in policies])
        return
    for policy in policies:
        row = policy_summary_json(policy)
        say(f"{policy.key}  {policy.display_title}  （{row['measures']} 项举措，{row['items']} 个检查项）")


def show_policy(
    policy_id: PolicyIdArgument,
    source: ShowSourceOption = False,
    json_: JsonOption = False,
) -> None:
    """显示一项政策的结构：体系 → 举措 → 检查项（执行主体、周期、指标、依据），体系和举措用官方编号和标题。

    政策原文没有规定目标值的指标标为“参考指标”，并注明来源（此前的国家通知或地方做法）；加 --source 显示政策原文。

    示例：jobpolicy policy show gse-2025 --json
    """
    from jobpolicy.render.catalog_views import policy_json, policy_tree
    from jobpolicy.services.catalog import get_policy

    if source:
        _show_source(policy_id, json_)
        return
    policy = get_policy(policy_id)
    if json_:
        print_json(policy_json(policy))
    else:
        print_lines(policy_tree(policy))


def _show_source(policy_id: str, json_: bool) -> None:
    from jobpolicy.services.catalog import policy_source_text

    shipped = policy_source_text(policy_id)
    if json_:
        print_json({"policy": shipped.key, "file": shipped.file, "text": shipped.text})
    else:
        say_text(shipped.text)  # the text as shipped, line for line; a control character in it shown, not obeyed


def items(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(
        metavar="关键词",
        help="检查项编号、举措号（如 十一）、举措编号（如 guidance.4）或关键词（如 离校）；省略则列出全部。",
        show_default=False)] = None,
    policy: PolicyOption = None,
    json_: JsonOption = False,
) -> None:
    """按编号、举措号或关键词查找数据库所用政策版本中的检查项，列出编号、执行主体和内容。

    多个关键词用空格隔开并加引号，列出同时含有这些词的检查项。

    示例：jobpolicy policy items 离校
    """
    from jobpolicy.render.catalog_views import found_items_json, found_items_lines
    from jobpolicy.services.policies import find_policy_items

    found = find_policy_items(engine(ctx), text, policy_id=policy)
    if json_:
        print_json(found_items_json(found))
    else:
        print_lines(found_items_lines(found, text))


def validate_policies(
    paths: CatalogPathsArgument,
    source: SourceFileOption = None,
    json_: JsonOption = False,
) -> None:
    """校验政策清单文件，一次列出全部问题（文件、行号、编号、说明）；有问题时退出码为 3。

    清单写明了原文（policy.source_text）或用 --source 给出原文时，还与原文逐一核对。

    核对：引文是否为原文原话、编号是否存在、标题是否一致、原文各部分和条目是否都已覆盖或列为不纳入。

    示例：jobpolicy policy validate policies/gse-2025-2025.2.yaml
    """
    from jobpolicy.domain.catalog_todo import is_todo
    from jobpolicy.errors import ExitCode
    from jobpolicy.services.catalog import validate_policy_files

    results = validate_policy_files(paths, source=source)
    problems = [p for r in results for p in r.problems]
    if json_:
        print_json([{"path": r.path, "ok": not r.problems, "policy": r.policy.key if r.policy else None,
                     "mapping": r.mapping.key if r.mapping else None,
                     "problems": [p.as_dict() for p in r.problems]}
                    for r in results])
    else:
        for result in results:
            if result.problems:
                print_lines((str(p) for p in result.problems), err=True)
            else:
                say(f"通过: {result.path}（{result.name}）")
        if problems:
            todo = sum(map(is_todo, problems))
            among = f"（其中 {todo} 处待完成：起草的清单还要由人填写）" if todo else ""
            say(f"错误: 共 {len(problems)} 处问题{among}；请按上面的行号修改后重新校验", err=True)
    if problems:
        raise typer.Exit(int(ExitCode.INVALID_DATA))


def load_policy(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="清单", help="政策清单 YAML 文件（新版本须写明 previous_version），"
                                              "或内置政策版本如 gse-2025@2025.2。", show_default=False)],
    by: ByOption = None,
    json_: JsonOption = False,
) -> None:
    """加载政策清单或其新版本：记录连同历史迁移，措辞有变化的标为待重新评估，不删除记录。

    检查项的改名、拆分、合并由新版本的 replaces 写明。

    打印已沿用、待重新评估（逐项说明原因）、已迁移、保留未计入的记录数；同一版本再次加载不做任何改动。

    示例：jobpolicy policy load gse-2025@2025.2 --by 张老师
    """
    from jobpolicy.render.version_views import load_report_json, load_report_lines
    from jobpolicy.services.policies import load_policy_version

    who = author(by)
    report = load_policy_version(engine(ctx), path, actor=who.name)
    if json_:
        print_json(load_report_json(report))
    else:
        print_lines(load_report_lines(report))
    if report.loaded:
        show_author(who, "操作人", json_=json_)


def diff_policies(
    old: Annotated[
        str, typer.Argument(metavar="旧版本", help="清单文件，或内置政策如 gse-2025@2025.1。", show_default=False)
    ],
    new: Annotated[str, typer.Argument(metavar="新版本", help="清单文件，或内置政策。", show_default=False)],
    json_: JsonOption = False,
) -> None:
    """比较政策清单的两个版本：新增、删除、措辞变化（同一编号）和用 replaces 替代的检查项。

    示例：jobpolicy policy diff gse-2025@2025.1 policies/gse-2025-v2.yaml
    """
    from jobpolicy.render.version_views import diff_json, diff_lines
    from jobpolicy.services.policy_diff import diff_versions

    diff = diff_versions(old, new)
    if json_:
        print_json(diff_json(diff))
    else:
        print_lines(diff_lines(diff))


def draft_policy(
    path: Annotated[Path, typer.Argument(metavar="政策文件", help="政策原文：纯文本（UTF-8 或 GB18030）或 Word 文档"
                                                 "（.docx）。", show_default=False)],
    out: Annotated[Path | None, typer.Option("--out", metavar="文件", show_default=False,
                                             help="清单草稿写到哪里；默认与政策文件同名、扩展名 .yaml。")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="清单或原文文件已存在时覆盖（默认拒绝）。")] = False,
    json_: JsonOption = False,
) -> None:
    """从政策文件起草清单：按原文编号生成体系和举措（标题、引文、出处），原文以 UTF-8 存在清单旁的 sources/ 文件夹中。

    部分（一、或第一章）成为体系，条目（（一））、条（第一条）成为举措，小项（1.、（1））各起草一个检查项。

    没有编号的段落（导语、总体要求、结尾）记入 notes，不作为举措。

    执行主体、检查项、佐证材料、指标、时限等须由人填写，标为【待完成】。

    policy validate 逐处报告待完成的地方和行号；填完之前 policy load 拒绝加载。

    示例：jobpolicy policy draft 山西省实施方案.docx --out policies/sx-2025.yaml
    """
    from jobpolicy.services.drafting import draft_policy as draft

    result = draft(path, out=out, overwrite=overwrite)
    counts = result.draft
    if json_:
        print_json({"catalog": str(result.catalog), "source": str(result.source),
                    "source_written": result.source_written, "read_as": result.read_as,
                    "sections": counts.sections, "measures": counts.measures, "items": counts.items,
                    "notes": counts.notes, "todo": counts.placeholders})
        return
    say(f"已起草：{result.catalog}（{counts.sections} 个体系，{counts.measures} 项举措，"
        f"{counts.items} 个检查项；原文按 {result.read_as} 读取）")
    say(f"{'原文已写入' if result.source_written else '原文沿用（内容相同）'}：{result.source}")
    say(f"待完成：{counts.placeholders} 处，运行 jobpolicy policy validate {result.catalog} 逐处查看")


def coverage(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(metavar="省级方案", help="省级实施方案的政策编号，如 demo-province-2025。",
                                        show_default=False)],
    policy: Annotated[str, typer.Argument(metavar="政策", help="被对照的政策编号，如 gse-2025。", show_default=False)],
    json_: JsonOption = False,
) -> None:
    """逐项举措显示省级实施方案对政策的覆盖情况：已覆盖、部分覆盖、未覆盖，以及省级新增、更高要求和本省目标。

    两项政策都须已加载，且已加载二者当前版本之间的映射（写在省级清单中，或单独的映射文件）。

    示例：jobpolicy policy coverage demo-province-2025 gse-2025
    """
    from jobpolicy.render.coverage_views import coverage_json, coverage_lines
    from jobpolicy.services.coverage import policy_coverage

    result = policy_coverage(engine(ctx), plan, policy)
    if json_:
        print_json(coverage_json(result))
    else:
        print_lines(coverage_lines(result))


policy_app.command("list")(list_policies)
policy_app.command("show")(show_policy)
policy_app.command("items")(items)
policy_app.command("draft")(draft_policy)
policy_app.command("validate")(validate_policies)
policy_app.command("load")(load_policy)
policy_app.command("diff")(diff_policies)
policy_app.command("coverage")(coverage)
