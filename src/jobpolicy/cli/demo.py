"""``jobpolicy demo``: a demo database of real institutions with labelled sample data, and its reports."""

from pathlib import Path
from typing import Annotated

import typer

from jobpolicy.cli._output import print_report_location, say


def demo(
    directory: Annotated[
        Path, typer.Option("--dir", metavar="文件夹", help="演示目录（数据库和报告都放在这里）。")
    ] = Path("jobpolicy-demo"),
) -> None:
    """生成演示数据库和报告（山西十二所真实高校、一年的示例记录，均标注“演示数据”），并给出打开的路径。

    示例：jobpolicy demo --dir jobpolicy-demo
    """
    from jobpolicy.services.demo import run_demo

    result = run_demo(directory)
    say(f"演示数据库: {result.database}（{len(result.institutions)} 所山西高校，数据均为演示数据）")
    print_report_location(result.report)
