"""``jobpolicy policy …``: list, show and validate policy catalogs."""

from __future__ import annotations

import typer

from jobpolicy.cli._options import CatalogPathsArgument, JsonOption, PolicyIdArgument
from jobpolicy.cli._output import print_json, print_lines

policy_app = typer.Typer(help="政策清单：查看、校验。", no_args_is_help=True)


def list_policies(json_: JsonOption = False) -> None:
    """列出内置的政策清单及其版本。

    Example: jobpolicy policy list
    """
    from jobpolicy.render.catalog_views import policy_summary_json
    from jobpolicy.services.catalog import bundled_policies

    policies = bundled_policies()
    if json_:
        print_json([policy_summary_json(p) for p in policies])
        return
    for policy in policies:
        row = policy_summary_json(policy)
        typer.echo(f"{policy.key}  {policy.display_title}  （{row['measures']} 项举措，{row['items']} 个检查项）")


def show_policy(policy_id: PolicyIdArgument, json_: JsonOption = False) -> None:
    """显示一项政策的结构：体系 → 举措 → 检查项（执行主体、周期、指标）。

    Example: jobpolicy policy show gse-2025 --json
    """
    from jobpolicy.render.catalog_views import policy_json, policy_tree
    from jobpolicy.services.catalog import get_policy

    policy = get_policy(policy_id)
    if json_:
        print_json(policy_json(policy))
    else:
        print_lines(policy_tree(policy))


def validate_policies(paths: CatalogPathsArgument, json_: JsonOption = False) -> None:
    """校验政策清单文件，一次列出全部问题（文件、行号、编号、说明）；有问题时退出码为 3。

    Example: jobpolicy policy validate policies/gse-2025.yaml
    """
    from jobpolicy.errors import ExitCode
    from jobpolicy.services.catalog import validate_policy_files

    results = validate_policy_files(paths)
    problems = [p for r in results for p in r.problems]
    if json_:
        print_json([{"path": r.path, "ok": not r.problems, "policy": r.policy.key if r.policy else None,
                     "problems": [p.as_dict() for p in r.problems]}
                    for r in results])
    else:
        for result in results:
            if result.problems:
                print_lines((str(p) for p in result.problems), err=True)
            else:
                typer.echo(f"通过: {result.path}（{result.policy.key}）")
        if problems:
            typer.echo(f"错误: 共 {len(problems)} 处问题；请按上面的行号修改后重新校验", err=True)
    if problems:
        raise typer.Exit(int(ExitCode.INVALID_DATA))


policy_app.command("list")(list_policies)
policy_app.command("show")(show_policy)
policy_app.command("validate")(validate_policies)
