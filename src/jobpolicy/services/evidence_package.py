"""A returned package: a school's workbook with the evidence files its 佐证材料 cells name, as a zip or a folder.

A folder is read where it is. A zip is checked member by member before anything is unpacked, then unpacked into a
temporary folder with every member's size counted as it is written (a zip may lie about its sizes), and removed
afterwards. Refused, with one line naming the member: a path that climbs out (``../x``) or starts at a root or a
drive (``/x``, ``C:\\x``), a symbolic link, an encrypted member, a member over the per-file limit, more files or
bytes than a package may hold, a member that unpacks far better than documents do (a zip bomb), a zip inside the
zip (the rule: one level; the package is the only archive unpacked), and a type offices do not send. Nothing is
stored from a refused package: the import has not begun.

Windows' own “发送到压缩文件夹” and most Chinese zip tools write names in GBK without saying so; such names are
read as GBK, so ``人员名单.pdf`` stays itself instead of becoming mojibake.
"""

from __future__ import annotations

import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from jobpolicy.domain.evidence_files import KINDS, TYPE_HINT
from jobpolicy.domain.limits import (
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_RATIO,
    MAX_PACKAGE_BYTES,
    MAX_PACKAGE_FILES,
    megabytes,
)
from jobpolicy.errors import InvalidInput
from jobpolicy.services.sheet_files import SUFFIXES, is_checklist_file

ARCHIVES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".cab", ".arj", ".iso")
JUNK = ("thumbs.db", "desktop.ini", ".ds_store")  # what Windows and macOS leave in folders; never evidence
UTF8_FLAG = 0x800
HINT = "把清单和它“佐证材料”列中写到的文件放在一个文件夹里（不含其他压缩包），压缩成 .zip 后重新导入"
CHUNK = 1 << 20


def _refuse(message: str, hint: str = HINT) -> InvalidInput:
    return InvalidInput(message, hint=hint)


@contextmanager
def opened(path: Path) -> Iterator[Path]:
    """The checklist file of ``path``: itself, the one in a folder, or the one in a zip, unpacked for the duration.

    Raises:
        InvalidInput: an unsafe or oversized zip, or a folder or zip holding no checklist or several.
    """
    if path.is_dir():
        yield workbook_in(path)
    elif path.suffix.lower() == ".zip" and path.is_file():
        with tempfile.TemporaryDirectory(prefix="jobpolicy-package-") as folder:
            unpack(path, Path(folder))
            yield workbook_in(Path(folder))
    else:
        yield path


def workbook_in(folder: Path) -> Path:
    """The one checklist exported by jobpolicy in ``folder``, or in its only subfolder (a zipped folder).

    Raises:
        InvalidInput: none, or several.
    """
    found = [p for p in sorted(folder.iterdir()) if p.suffix.lower() in SUFFIXES and is_checklist_file(p)]
    subfolders = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("__MACOSX")]
    if not found and len(subfolders) == 1:
        return workbook_in(subfolders[0])
    if len(found) != 1:
        names = "、".join(p.name for p in found)
        why = "没有 jobpolicy 导出的清单文件" if not found else f"有 {len(found)} 个清单文件（{names}）"
        raise _refuse(f"{folder.name} 中{why}", hint="每个文件夹或 .zip 只放一所学校的一个清单，以及它的佐证材料")
    return found[0]


def member_name(member: zipfile.ZipInfo) -> str:
    """A member's name as its author wrote it: GBK when the zip does not say UTF-8 (zipfile reads it as cp437)."""
    if member.flag_bits & UTF8_FLAG:
        return member.filename
    try:
        return member.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return member.filename


def member_problem(name: str, member: zipfile.ZipInfo) -> str | None:
    """Why one member makes the package unacceptable, or None (checked before anything is unpacked)."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (parts and parts[0].endswith(":")):
        return "是绝对路径"
    if ".." in parts:
        return "的路径指向包外（含 ..）"
    if stat.S_ISLNK(member.external_attr >> 16):
        return "是符号链接"
    if member.flag_bits & 0x1:
        return "已加密，无法读取"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in ARCHIVES:
        return "是压缩包：包中不能再套压缩包，请解压后把文件直接放入"
    if suffix not in KINDS and suffix not in SUFFIXES:
        return f"的类型（{suffix or '无扩展名'}）不接受；{TYPE_HINT}"
    if member.file_size > MAX_EVIDENCE_BYTES:
        return f"有 {megabytes(member.file_size)}，超过每个文件 {megabytes(MAX_EVIDENCE_BYTES)} 的上限"
    if member.file_size > CHUNK and member.file_size > MAX_EVIDENCE_RATIO * max(member.compress_size, 1):
        return "压缩比异常（可能是“zip 炸弹”）"
    return None


def _members(archive: zipfile.ZipFile) -> list[tuple[str, zipfile.ZipInfo]]:
    """The members to unpack, each checked; the package checked as a whole.

    Raises:
        InvalidInput: the first member that is not acceptable, or too many files or bytes in all.
    """
    chosen = []
    for member in archive.infolist():
        name = member_name(member)
        if member.is_dir() or PurePosixPath(name).name.lower() in JUNK or name.startswith("__MACOSX/"):
            continue
        if (why := member_problem(name, member)) is not None:
            raise _refuse(f"包中的“{name}”{why}，整个包未导入")
        chosen.append((name, member))
    total = sum(m.file_size for _, m in chosen)
    if len(chosen) > MAX_PACKAGE_FILES or total > MAX_PACKAGE_BYTES:
        raise _refuse(f"包中有 {len(chosen)} 个文件、共 {megabytes(total)}，超过上限（{MAX_PACKAGE_FILES} 个、"
                      f"{megabytes(MAX_PACKAGE_BYTES)}），整个包未导入", hint="分几次报送，或压缩扫描件的分辨率")
    return chosen


def unpack(path: Path, folder: Path) -> None:
    """Unpack the zip at ``path`` into ``folder``, refusing anything unsafe (see the module's docstring).

    Raises:
        InvalidInput: the zip or one of its members is not acceptable.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            for name, member in _members(archive):
                target = folder.joinpath(*PurePosixPath(name.replace("\\", "/")).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                _copy(archive, member, target, name)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise _refuse(f"{path.name} 不是有效的 .zip 文件（{type(exc).__name__}）") from None


def _copy(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, name: str) -> None:
    """Write one member, counting what it really unpacks to: more than it declared is a lie, and refused."""
    written = 0
    with archive.open(member) as source, target.open("wb") as out:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            written += len(chunk)
            if written > member.file_size or written > MAX_EVIDENCE_BYTES:
                raise _refuse(f"包中的“{name}”解压后比它声明的大小（{member.file_size} 字节）更大，整个包未导入")
            out.write(chunk)
