"""Reading a catalog, mapping or official-text file: a regular file of bounded size, as text, or why not."""

from __future__ import annotations

import stat
from pathlib import Path

from jobpolicy.errors import os_reason

MAX_BYTES = 8 * 1024 * 1024  # a catalog or its official text; the bundled catalog is 60 KB


def read_limited(path: Path, encoding: str) -> tuple[str, str] | tuple[None, str]:
    """The text of a regular file of at most MAX_BYTES, or None and why not, in Chinese, to follow the file's
    name (``不存在``)."""
    data, why = read_limited_bytes(path)
    if data is None:
        return None, why
    try:
        return data.decode(encoding), ""
    except UnicodeDecodeError:
        return None, "不是 UTF-8 编码；请用 UTF-8 保存"


def read_limited_bytes(path: Path) -> tuple[bytes, str] | tuple[None, str]:
    """The bytes of a regular file of at most MAX_BYTES, or None and why not (see ``read_limited``).

    A device (/dev/zero), a pipe or a folder is refused before it is opened: reading it could never end.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None, "不是普通文件（是文件夹、设备或管道）"
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None, "不存在"
    except OSError as exc:
        return None, f"无法读取（{os_reason(exc)}）"
    if len(data) > MAX_BYTES:
        return None, f"太大（超过 {MAX_BYTES // 1024 // 1024} MB）"
    return data, ""
