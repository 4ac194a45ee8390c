"""File names jobpolicy writes are valid on Windows, judged with Windows (ntpath) path semantics."""

import ntpath
from pathlib import PureWindowsPath

import pytest

from jobpolicy.domain.file_names import LIMIT, safe_file_name, windows_name_problem

NAMES = [
    ("4114010108-山西大学", ".xlsx", "4114010108-山西大学.xlsx"),
    ('学院: "新"校区?', ".csv", '学院_ _新_校区_.csv'),
    ("a/b\\c|d*e<f>g", ".ics", "a_b_c_d_e_f_g.ics"),
    ("名称以句点结尾。.", ".xlsx", "名称以句点结尾。.xlsx"),
    ("trailing dots...", "", "trailing dots"),
    ("  spaces  ", ".html", "spaces.html"),
    ("CON", ".xlsx", "_CON.xlsx"),
    ("nul", ".html", "_nul.html"),
    ("Com1", ".ics", "_Com1.ics"),
    ("LPT9.backup", ".csv", "_LPT9.backup.csv"),
    ("aux ", ".txt", "_aux.txt"),
    ("COM¹", "", "_COM¹"),
    ("CONSOLE", ".xlsx", "CONSOLE.xlsx"),
    ("", ".xlsx", "_.xlsx"),
    ("...", "", "_"),
    ("tab\there", ".csv", "tab_here.csv"),
]


@pytest.mark.parametrize(("stem", "suffix", "expected"), NAMES)
def test_safe_file_name(stem, suffix, expected):
    name = safe_file_name(stem, suffix)
    assert name == expected
    assert windows_name_problem(name) is None
    path = PureWindowsPath("C:\\清单", name)
    assert path.name == name and ntpath.basename(str(path)) == name and path.parent == PureWindowsPath("C:\\清单")
    assert not path.is_reserved()


def test_a_long_name_is_cut_but_keeps_its_suffix():
    name = safe_file_name("4114010108-" + "很长的学校名称" * 30, ".xlsx")
    assert len(name) == LIMIT and name.endswith(".xlsx") and name.startswith("4114010108-很长的学校名称")
    assert windows_name_problem(name) is None


@pytest.mark.parametrize(("name", "problem"), [
    ("日程.ics", None),
    ("日程?.ics", "文件名不能含有 ?"),
    ("a:b<c.ics", "文件名不能含有 : <"),
    ("日程.ics.", "文件名不能以空格或句点结尾"),
    ("日程 ", "文件名不能以空格或句点结尾"),
    ("CON.ics", "CON 是 Windows 的保留名称，不能用作文件名"),
    ("prn", "prn 是 Windows 的保留名称，不能用作文件名"),
    ("", "文件名为空"),
    ("x" * (LIMIT + 1), f"文件名太长（{LIMIT + 1} 个字符，最多 {LIMIT} 个）"),
])
def test_windows_name_problem(name, problem):
    assert windows_name_problem(name) == problem
    if problem is None:
        assert not PureWindowsPath(name).is_reserved()


def test_a_name_a_user_gave_is_refused_with_a_usable_one_suggested():
    from jobpolicy.domain.file_names import refuse_windows_unsafe
    from jobpolicy.errors import InvalidInput

    refuse_windows_unsafe(PureWindowsPath(r"C:\日程\山西大学.ics"), option="--ics")
    with pytest.raises(InvalidInput) as caught:
        refuse_windows_unsafe(PureWindowsPath(r"C:\日程\6:30前.ics"), option="--ics")
    assert (caught.value.message, caught.value.hint) == (
        "--ics 的文件名“6:30前.ics”不可用：文件名不能含有 :", "换一个文件名，如 6_30前.ics")


@pytest.mark.parametrize(("error", "reason"), [
    (PermissionError(13, "Permission denied"), "没有权限，或文件正被 Excel、WPS 等程序打开"),
    (FileNotFoundError(2, "No such file or directory"), "文件或文件夹不存在"),
    (IsADirectoryError(21, "Is a directory"), "这是一个文件夹，不是文件"),
    (OSError(999, "Something else"), "Something else"),
])
def test_the_operating_systems_reason_in_chinese(error, reason):
    from jobpolicy.errors import os_reason

    assert os_reason(error) == reason
