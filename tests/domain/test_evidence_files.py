"""Which evidence files are accepted: the types offices send, each checked by its first bytes, within the sizes."""

import pytest

from evidence_samples import DOCX, HTML, JPG, PDF, PNG
from jobpolicy.domain.evidence_files import size_problem, type_problem
from jobpolicy.domain.limits import MAX_EVIDENCE_BYTES

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8


@pytest.mark.parametrize(("name", "head"), [
    ("人才培养方案.pdf", PDF), ("扫描件.PDF", b"\r\n" + PDF), ("照片.jpg", JPG), ("照片.JPEG", JPG), ("截图.png", PNG),
    ("动图.gif", b"GIF89a..."), ("图.bmp", b"BM...."), ("扫描.tif", b"II*\x00...."), ("扫描.tiff", b"MM\x00*...."),
    ("照片.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 "), ("手机照片.heic", b"\x00\x00\x00\x18ftypheic\x00\x00"),
    ("纪要.doc", OLE), ("纪要.docx", DOCX), ("台账.xls", OLE), ("台账.xlsx", DOCX), ("台账.csv", "学院,人数\n".encode()),
    ("纪要.wps", OLE), ("台账.et", OLE), ("汇报.dps", OLE), ("汇报.ppt", OLE), ("汇报.pptx", DOCX),
    ("说明.txt", "说明".encode("gb18030")), ("公文.ofd", DOCX),
])
def test_the_types_offices_send_are_accepted(name, head):
    assert type_problem(name, head) is None


@pytest.mark.parametrize(("name", "head", "why"), [
    ("页面.html", HTML, "不接受“.html”类型的文件"),
    ("图.svg", b"<svg onload=alert(1)>", "不接受“.svg”类型的文件"),
    ("程序.exe", b"MZ\x90\x00", "不接受“.exe”类型的文件"),
    ("材料.zip", b"PK\x03\x04", "不接受“.zip”类型的文件"),
    ("宏.docm", DOCX, "不接受“.docm”类型的文件"),
    ("无扩展名", PDF, "不接受“无扩展名”类型的文件"),
    ("伪装.pdf", HTML, "扩展名是 .pdf，内容却不是PDF"),
    ("伪装.jpg", PNG, "扩展名是 .jpg，内容却不是图片"),
    ("伪装.docx", OLE, "扩展名是 .docx，内容却不是Word 文档"),
    ("伪装.webp", b"RIFF\x10\x00\x00\x00AVI ", "扩展名是 .webp，内容却不是图片"),
    ("伪装.heic", PNG, "扩展名是 .heic，内容却不是图片"),
    ("伪装.txt", b"MZ\x90\x00\x03\x00", "扩展名是 .txt，内容却不是文本"),
])
def test_other_types_and_disguised_files_are_refused(name, head, why):
    assert why in type_problem(name, head)


@pytest.mark.parametrize(("size", "why"), [(0, "是空文件"), (MAX_EVIDENCE_BYTES + 1, "超过每个文件 20 MB 的上限")])
def test_empty_and_oversized_files_are_refused(size, why):
    assert why in size_problem(size)
    assert size_problem(1) is None and size_problem(MAX_EVIDENCE_BYTES) is None
