"""Returned packages (``services.evidence_package``): a zip is checked member by member before anything is
unpacked, unpacked counting real sizes, and its names read as their authors wrote them."""

from __future__ import annotations

import stat
import struct
import zipfile
from pathlib import Path

import pytest

from evidence_samples import PDF
from jobpolicy.errors import InvalidInput
from jobpolicy.services.evidence_package import member_name, unpack, workbook_in


def zip_of(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, data)
    return path


class GbkInfo(zipfile.ZipInfo):
    """A member named in GBK without the UTF-8 flag, as Windows' 发送到压缩文件夹 and most Chinese zip tools write."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gb18030"), self.flag_bits & ~0x800


def test_names_a_chinese_windows_zip_wrote_in_gbk_are_read_as_chinese(tmp_path):
    path = zip_of(tmp_path / "p.zip", [(GbkInfo("材料/人员名单.pdf"), PDF)])

    with zipfile.ZipFile(path) as archive:
        assert archive.infolist()[0].filename != "材料/人员名单.pdf"  # what zipfile alone would make of it
        assert [member_name(m) for m in archive.infolist()] == ["材料/人员名单.pdf"]
    unpack(path, tmp_path / "out")
    assert (tmp_path / "out" / "材料" / "人员名单.pdf").read_bytes() == PDF


def link(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(("member", "why"), [
    ("/etc/x.pdf", "是绝对路径"),
    ("C:/Windows/x.pdf", "是绝对路径"),
    ("材料/../../x.pdf", "的路径指向包外（含 ..）"),
    ("..\\x.pdf", "的路径指向包外（含 ..）"),
    (link("材料/名单.pdf"), "是符号链接"),
    ("材料/内层.7z", "是压缩包"),
    ("材料/页面.html", "的类型（.html）不接受"),
])
def test_an_unsafe_member_refuses_the_whole_zip_before_anything_is_unpacked(tmp_path, member, why):
    path = zip_of(tmp_path / "p.zip", [("材料/好的.pdf", PDF), (member, PDF)])
    target = tmp_path / "out"
    target.mkdir()

    with pytest.raises(InvalidInput, match=why):
        unpack(path, target)
    assert list(target.iterdir()) == []


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path):
    path = zip_of(tmp_path / "p.zip", [("炸弹.txt", b"0" * 5 * 1024 * 1024)])
    with pytest.raises(InvalidInput, match="压缩比异常"):
        unpack(path, tmp_path)


def test_a_member_that_lies_about_its_size_is_never_unpacked_beyond_it(tmp_path):
    path = zip_of(tmp_path / "p.zip", [("名单.pdf", PDF + b"0" * 1000)])
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = struct.pack("<I", 10)  # the directory claims 10 bytes
    path.write_bytes(bytes(data))

    with pytest.raises(InvalidInput):
        unpack(path, tmp_path / "out")
    assert not (tmp_path / "out" / "名单.pdf").exists() or (tmp_path / "out" / "名单.pdf").stat().st_size <= 10


def test_a_package_holds_exactly_one_checklist(tmp_path):
    (tmp_path / "空").mkdir()
    with pytest.raises(InvalidInput, match="没有 jobpolicy 导出的清单文件"):
        workbook_in(tmp_path / "空")
