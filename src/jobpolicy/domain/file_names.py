"""File names jobpolicy writes, made valid on Windows: one rule for every exported sheet, page and calendar."""

from __future__ import annotations

import re
from pathlib import PurePath

from jobpolicy.errors import InvalidInput

# Characters Windows refuses in a file name, and the control characters.
FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"{stem}{n}" for stem in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
LIMIT = 100  # characters: leaves room for the folder under Windows' 260-character path limit (Excel's is 218)


def windows_name_problem(name: str) -> str | None:
    """Why Windows would refuse ``name`` as a file name, in Chinese; None when it is fine."""
    if not name.strip(" ."):
        return "文件名为空"
    found = sorted(set(FORBIDDEN.findall(name)))
    if found:
        shown = " ".join(c if c.isprintable() else "控制字符" for c in found)
        return f"文件名不能含有 {shown}"
    if name[-1] in " .":
        return "文件名不能以空格或句点结尾"
    if name.split(".", 1)[0].rstrip(" ").upper() in RESERVED:
        return f"{name.split('.', 1)[0]} 是 Windows 的保留名称，不能用作文件名"
    if len(name) > LIMIT:
        return f"文件名太长（{len(name)} 个字符，最多 {LIMIT} 个）"
    return None


def safe_file_name(stem: str, suffix: str = "", *, limit: int = LIMIT) -> str:
    """A file name from ``stem`` and ``suffix`` (like ``.xlsx``) that Windows accepts, changed as little as possible.

    Forbidden characters become ``_``; trailing dots and spaces go; a reserved device name (CON, NUL, COM1…, with
    or without an extension, in any case) gets a leading ``_``; a long stem is cut so that the name has at most
    ``limit`` characters, keeping the suffix.
    """
    suffix = FORBIDDEN.sub("_", suffix).rstrip(" .")
    stem = FORBIDDEN.sub("_", stem).strip()
    stem = stem[: max(1, limit - len(suffix))].rstrip(" .") or "_"
    if stem.split(".", 1)[0].rstrip(" ").upper() in RESERVED:
        stem = f"_{stem}"[: max(1, limit - len(suffix))]
    return f"{stem}{suffix}"


def refuse_windows_unsafe(path: PurePath, *, option: str) -> None:
    """Refuse a file name a user gave that Windows would not accept, before anything is written.

    Raises:
        InvalidInput: the last part of ``path`` is not a valid Windows file name.
    """
    problem = windows_name_problem(path.name)
    if problem is not None:
        raise InvalidInput(f"{option} 的文件名“{path.name}”不可用：{problem}",
                           hint=f"换一个文件名，如 {safe_file_name(path.stem, path.suffix)}")
