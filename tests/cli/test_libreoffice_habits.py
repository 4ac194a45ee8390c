"""A workbook filled in LibreOffice set to Chinese, as an office fills it: its dates import, its formulas are explained.

The cells are typed through LibreOffice itself (``libreoffice_typing.py``, run by the system Python that has its
``uno`` module), in the zh-CN locale, so what is imported is what LibreOffice makes of typing: ``2026/12/31`` in a
cell formatted in Chinese becomes a date shown ``26年12月31日``; a note typed ``=请补充材料`` becomes a formula
whose saved result is the error ``#NAME?``. Without LibreOffice and python3-uno the tests skip, except under CI
(`.ci/run` installs both).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from codes import SHANXI
from jobpolicy.domain.checklist_sheet import COLUMNS, HEADER_ROW

TYPING = Path(__file__).with_name("libreoffice_typing.py")
LETTER = {c.key: openpyxl.utils.get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
PROVINCE = "省厅李处长"


def _has_uno(python: str) -> bool:
    return subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0


@pytest.fixture
def office() -> tuple[str, str]:
    """LibreOffice and a Python that can drive it."""
    soffice = shutil.which("soffice")
    python = next((p for p in ("/usr/bin/python3", shutil.which("python3")) if p and Path(p).exists()
                   and _has_uno(p)), None)
    if soffice is None or python is None:
        if os.environ.get("CI"):
            pytest.fail("CI must type into a workbook in LibreOffice, but soffice or python3-uno is missing")
        pytest.skip("typing in LibreOffice needs soffice and python3-uno: "
                    "apt-get install libreoffice-calc-nogui python3-uno (bash .ci/run)")
    return soffice, python


def type_in_libreoffice(office: tuple[str, str], path: Path, cells: dict[tuple[str, str], dict]) -> tuple[Path, dict]:
    """Type ``cells`` (by item and column key) and 填报人 into the workbook in LibreOffice; return the saved file and
    what each cell showed, by the same keys."""
    sheet = openpyxl.load_workbook(path)["清单"]
    rows = {sheet.cell(r, 1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    refs = {f"{LETTER[key]}{rows[item]}": (item, key) for item, key in cells}
    actions = {"B2": {"type": "王老师"}, **{ref: cells[where] for ref, where in refs.items()}}
    saved = path.parent / "libreoffice" / path.name
    saved.parent.mkdir()
    soffice, python = office
    done = subprocess.run([python, str(TYPING), soffice, str(path.parent / "lo-profile"), str(path), str(saved),
                           json.dumps(actions, ensure_ascii=False)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    return saved, {refs[ref]: text for ref, text in shown.items() if ref in refs}


def test_dates_typed_the_chinese_way_import(run_db, tmp_path, office):
    path = tmp_path / "山西大学.xlsx"
    run_db("checklist", "export", SHANXI, "--out", path)
    saved, shown = type_in_libreoffice(office, path, {
        ("support.16.a", "due"): {"type": "2026/12/31", "chinese_format": True},  # a date cell shown 26年12月31日
        ("support.16.a", "status"): {"type": "已完成\u3000"},  # a full-width space after it
        ("guidance.4.a", "due"): {"text": "26年12月31日"},  # the same, as text
        ("guidance.4.a", "status"): {"type": "推进中"},
        ("guidance.4.b", "due"): {"type": "2026/12/31"},  # typed into the exported date column
    })
    assert shown[("support.16.a", "due")] == "26年12月31日"
    assert shown[("guidance.4.a", "due")] == "26年12月31日"

    imported = run_db("checklist", "import", saved, "--by", PROVINCE, "--json")
    assert imported.exit_code == 0, imported.stdout
    rows = {row["item"]: {c["field"]: c["new"] for c in row["changes"]}
            for row in json.loads(imported.stdout)["files"][0]["rows"] if row["changes"]}
    assert rows == {"support.16.a": {"status": "done", "due": "2026-12-31"},
                    "guidance.4.a": {"status": "in_progress", "due": "2026-12-31"},
                    "guidance.4.b": {"due": "2026-12-31"}}


def test_a_note_libreoffice_made_a_formula_is_explained_and_nothing_is_imported(run_db, tmp_path, office):
    path = tmp_path / "山西大学.xlsx"
    run_db("checklist", "export", SHANXI, "--out", path)
    saved, shown = type_in_libreoffice(office, path, {
        ("support.16.a", "status"): {"type": "已完成"},
        ("support.16.a", "note"): {"type": "=请补充材料"},
        ("guidance.4.a", "value"): {"type": "=32/0"},
        ("guidance.4.b", "note"): {"type": "=A1+"},  # LibreOffice shows Err:520 and saves #N/A
    })
    assert shown == {("support.16.a", "status"): "已完成", ("support.16.a", "note"): "#NAME?",
                     ("guidance.4.a", "value"): "#DIV/0!", ("guidance.4.b", "note"): "Err:520"}

    imported = run_db("checklist", "import", saved, "--by", PROVINCE)
    assert imported.exit_code == 3
    sheet = openpyxl.load_workbook(path)["清单"]
    row = {sheet.cell(r, 1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    note, value, other = row["support.16.a"], row["guidance.4.a"], row["guidance.4.b"]
    assert (f"清单!第{note}行 support.16.a：错误（第 {note} 行 T 列 “备注”一格以 = 开头（=请补充材料），"
            "表格软件把它当成了公式，计算出错（#NAME?）：删去 =，或在前面加英文单引号 '）") in imported.stdout
    assert (f"清单!第{value}行 guidance.4.a：错误（第 {value} 行 Q 列 “指标值”一格是公式 =32/0，计算出错（#DIV/0!）："
            "请改正公式，或直接填写数字）") in imported.stdout
    assert f"第 {other} 行 T 列 “备注”一格以 = 开头（=A1+），表格软件把它当成了公式，计算出错（#N/A）" in imported.stdout
    shown = json.loads(run_db("record", "show", SHANXI, "support.16.a", "--json").stdout)
    assert not shown["lines"][0]["recorded"]  # the file changed nothing
