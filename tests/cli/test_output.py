"""Printing helpers: a report's location as a path to paste into Explorer and a readable, valid file:// link; JSON
indented for a person at a terminal, on one line for a script."""

import io
import json
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import unquote, urlparse

import pytest

from jobpolicy.cli import _output
from jobpolicy.cli._output import carries_everything, file_link, print_json


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


class _Terminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


DOCUMENT = {"学校": "山西大学", "rates": [{"done": 62.5}, {"done": None}]}


def test_json_is_indented_for_a_person_at_a_terminal(monkeypatch):
    monkeypatch.setattr(_output.sys, "stdout", _Terminal())
    print_json(DOCUMENT)
    text = _output.sys.stdout.getvalue()
    assert text.startswith('{\n  "学校": "山西大学",\n  "rates": [\n')
    assert json.loads(text) == DOCUMENT


def test_json_is_one_line_when_piped_so_the_c_encoder_writes_it(monkeypatch):
    monkeypatch.setattr(_output.sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    calls = []
    real = json.dumps
    monkeypatch.setattr(_output.json, "dumps", lambda data, **kw: calls.append(kw) or real(data, **kw))
    print_json(DOCUMENT)
    _output.sys.stdout.flush()
    text = _output.sys.stdout.buffer.getvalue().decode("utf-8")
    assert text == '{"学校": "山西大学", "rates": [{"done": 62.5}, {"done": null}]}\n'
    assert calls[0]["indent"] is None  # an indent makes json fall back to its pure-Python encoder
