"""The fresh-process commands of issue 14, this checkout beside another (``--base``), each beside its floor.

``jobpolicy --help`` beside ``python -c "import typer"``; ``status CODE`` and ``report institution CODE`` beside
``python -c "import sqlmodel"``. Every command and floor runs once per round, interleaved, so the machine's load
weighs on all of them alike; the medians of wall seconds and of CPU seconds (user + system of the child, from
``wait4``) are printed with each ratio. CPU is what a change is judged by on a shared machine.

    python -m benchmarks.fresh_commands --db national.db --code 4141010078 --base /tmp/base/src --runs 10

``--base`` is the ``src`` folder of another checkout (``git archive COMMIT src | tar -x -C /tmp/base``), run through
``PYTHONPATH`` with this interpreter; both are byte-compiled first, as an installed copy is.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measure import compile_like_installed

FLOORS = {True: "import typer", False: "import sqlmodel"}  # is it --help? -> its floor


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process."""
    began = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    error = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if status:
        raise RuntimeError(f"{' '.join(argv)} failed: {error[-800:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database (file or URL) holding the school")
    parser.add_argument("--code", required=True, help="学校标识码 of the school")
    parser.add_argument("--base", type=Path, help="src folder of the checkout to compare with")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    compile_like_installed()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    out = tempfile.mkdtemp(prefix="fresh-report-")
    commands = {"--help": ["--help"], f"status {args.code}": ["--db", args.db, "status", args.code],
                "report institution": ["--db", args.db, "report", "institution", args.code, "--out", out]}
    cases = {"import typer": ([sys.executable, "-c", "import typer"], env),
             "import sqlmodel": ([sys.executable, "-c", "import sqlmodel"], env)}
    checkouts = {"new": env}
    if args.base:
        compileall.compile_dir(args.base, quiet=1)
        checkouts = {"base": {**env, "PYTHONPATH": str(args.base)}, **checkouts}
    for name, words in commands.items():
        for label, checkout in checkouts.items():
            cases[f"{name} ({label})"] = ([sys.executable, "-m", "jobpolicy", *words], checkout)
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, (words, case_env) in cases.items():
            found[name].append(_run(words, case_env))
    medians = {name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
               for name, runs in found.items()}
    print(f"{args.runs} runs each, interleaved; load average {os.getloadavg()[0]:.1f}")
    for name, (wall, cpu) in medians.items():
        floor = None if name.startswith("import") else FLOORS[name.startswith("--help")]
        ratio = (f"   ratio: wall {wall / medians[floor][0]:.2f}×, CPU {cpu / medians[floor][1]:.2f}×"
                 if floor else "")
        print(f"{name:32} wall {wall:6.3f} s  CPU {cpu:6.3f} s{ratio}")


if __name__ == "__main__":
    main(sys.argv[1:])
