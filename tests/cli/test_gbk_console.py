"""Output survives a Windows console in code page 936: real processes with PYTHONIOENCODING=gbk never crash.

A character GBK lacks (an emoji, a rare character, ✓) prints as an escape; JSON stays valid and loses nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from codes import SHANXI

NOTE = "已发通知😀，联系人王䶮老师 ✓"  # 😀, 䶮 and ✓ are not in GBK


def jobpolicy(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "JOBPOLICY_USER": "张老师"}
    env.pop("JOBPOLICY_DB", None)
    result = subprocess.run([sys.executable, "-m", "jobpolicy", *args], cwd=cwd, env=env, capture_output=True,
                            timeout=300)
    assert b"UnicodeEncodeError" not in result.stderr, result.stderr.decode("gbk", "replace")
    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    result.stdout.decode("gbk")  # strictly GBK: nothing else was written
    return result


def test_an_office_session(tmp_path):
    run = lambda *args: jobpolicy(tmp_path, *args)  # noqa: E731
    run("db", "init")
    run("institution", "add", SHANXI)
    written = run("record", "set", SHANXI, "support.16.a", "--status", "推进中", "--note", NOTE).stdout.decode("gbk")
    assert "已发通知\\U0001f600，联系人王\\u4dae老师 \\u2713" in written
    assert "已发通知\\U0001f600" in run("record", "show", SHANXI, "support.16.a").stdout.decode("gbk")
    shown = json.loads(run("record", "show", SHANXI, "support.16.a", "--json").stdout.decode("gbk"))
    assert NOTE in json.dumps(shown, ensure_ascii=False)  # valid JSON, nothing lost
    run("record", "history", SHANXI, "support.16.a")
    run("status")
    run("status", SHANXI)
    run("deadlines", "--ics", "日程.ics")
    run("report", "institution", SHANXI, "--out", "报告")
    run("checklist", "export", SHANXI, "--out", "清单.xlsx")
    run("checklist", "import", "清单.xlsx", "--author", "王老师", "--dry-run")
    run("checklist", "import", "清单.xlsx", "--author", "王老师")
    run("policy", "show", "gse-2025")
    run("--help")
    run("record", "set", "--help")


def test_errors_print_too(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    for args in (["institution", "add", "😀"], ["😀"], ["record", "set", "1", "2", "--note", "很", "😀"]):
        result = subprocess.run([sys.executable, "-m", "jobpolicy", "--db", str(tmp_path / "x.db"), *args],
                                cwd=tmp_path, env=env, capture_output=True, timeout=120)
        assert result.returncode in (1, 2, 3), result.stderr.decode("gbk", "replace")
        assert b"Traceback" not in result.stderr
        assert "错误: " in result.stderr.decode("gbk")


def test_the_demo(tmp_path):
    out = jobpolicy(tmp_path, "demo", "--dir", "演示").stdout.decode("gbk")
    assert "报告已写入：" in out
