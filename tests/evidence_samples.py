"""Small files of each kind an office sends as evidence, by their real first bytes, for the tests of every layer."""

from __future__ import annotations

from pathlib import Path

PDF = "%PDF-1.4\n% 就业工作人员名单\n".encode()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 16
DOCX = b"PK\x03\x04" + b"\x00" * 26
HTML = b"<!doctype html><script>alert(1)</script>"


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/name`` (folders made as needed) and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
