"""Printing helpers: a report's location as a path to paste into Explorer and a readable, valid file:// link."""

from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import unquote, urlparse

import pytest

from jobpolicy.cli._output import carries_everything, file_link


@pytest.mark.parametrize(("path", "link"), [
    (PureWindowsPath(r"C:\政策\报告\index.html"), "file:///C:/政策/报告/index.html"),
    (PureWindowsPath(r"D:\就业 中心\#1\index.html"), "file:///D:/就业%20中心/%231/index.html"),
    (PureWindowsPath(r"\\服务器\共享\报告\index.html"), "file://服务器/共享/报告/index.html"),
    (PurePosixPath("/home/张老师/reports/index.html"), "file:///home/张老师/reports/index.html"),
])
def test_file_link_keeps_chinese_readable_and_the_rest_encoded(path, link):
    assert file_link(path) == link
    assert unquote(file_link(path)) == unquote(path.as_uri())  # the same link as the fully encoded one
    assert " " not in file_link(path) and urlparse(file_link(path)).scheme == "file"


@pytest.mark.parametrize(("encoding", "ok"), [("utf-8", True), ("UTF8", True), ("utf-16-le", True), ("gb18030", True),
                                              ("gbk", False), ("cp936", False), ("cp1252", False), ("ascii", False),
                                              (None, False), ("no-such-codec", False)])
def test_which_encodings_carry_every_character(encoding, ok):
    assert carries_everything(encoding) is ok
