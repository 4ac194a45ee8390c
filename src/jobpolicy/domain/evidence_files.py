"""Which evidence files an office may send: the types offices really use, each checked by its first bytes.

A file's extension says what it claims to be; its first bytes (its "magic") say what it is, where that is cheap to
tell. A report offers each file as a download: a page named ``.pdf`` that is really HTML or a program is refused
here, so nothing in a report folder can be run by opening it. ZIP archives are not evidence: a zip inside a
returned package is refused (the package itself is the only zip unpacked), which keeps one rule for size and type.
"""

from __future__ import annotations

from pathlib import PurePath

from jobpolicy.domain.limits import MAX_EVIDENCE_BYTES, megabytes

OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # old Office and WPS files (doc, xls, ppt, wps, et, dps)
ZIP = (b"PK\x03\x04",)  # Office Open XML (docx, xlsx, pptx) and OFD
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")

# extension → what it is, and the prefixes its first bytes may start with (None: text, checked for NUL bytes).
KINDS: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("PDF", (b"%PDF-",)),
    ".jpg": ("图片", (b"\xff\xd8\xff",)), ".jpeg": ("图片", (b"\xff\xd8\xff",)),
    ".png": ("图片", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("图片", (b"GIF87a", b"GIF89a")),
    ".bmp": ("图片", (b"BM",)),
    ".tif": ("图片", (b"II*\x00", b"MM\x00*")), ".tiff": ("图片", (b"II*\x00", b"MM\x00*")),
    ".webp": ("图片", (b"RIFF",)), ".heic": ("图片", ()),
    ".doc": ("Word 文档", OLE), ".docx": ("Word 文档", ZIP),
    ".xls": ("Excel 表格", OLE), ".xlsx": ("Excel 表格", ZIP), ".csv": ("CSV 表格", None),
    ".wps": ("WPS 文字", OLE + ZIP), ".et": ("WPS 表格", OLE + ZIP), ".dps": ("WPS 演示", OLE + ZIP),
    ".ppt": ("PowerPoint 演示", OLE), ".pptx": ("PowerPoint 演示", ZIP),
    ".txt": ("文本", None), ".ofd": ("OFD 版式文件", ZIP),
}
ALLOWED = "PDF、图片（jpg png gif bmp tif webp heic）、Word、Excel、CSV、WPS、PowerPoint、txt、OFD"
TYPE_HINT = f"只接受 {ALLOWED}；其他文件请转为 PDF 后再作佐证"
SIZE_HINT = f"每个文件不超过 {megabytes(MAX_EVIDENCE_BYTES)}：扫描件可降低分辨率，或拆成几个文件"
HEAD_BYTES = 4096  # enough for every check below


def type_problem(name: str, head: bytes) -> str | None:
    """Why a file named ``name`` whose first bytes are ``head`` (up to HEAD_BYTES) is not acceptable evidence, or
    None. The message says what the file is, in Chinese, without the file's name (callers add it)."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in KINDS:
        return f"不接受“{suffix or '无扩展名'}”类型的文件"
    what, magics = KINDS[suffix]
    if magics is None:
        return None if b"\x00" not in head else f"扩展名是 {suffix}，内容却不是文本"
    if suffix == ".pdf" and b"%PDF-" in head[:1024]:  # some scanners write a few bytes before the header
        return None
    if suffix == ".webp" and head[8:12] != b"WEBP":
        return f"扩展名是 {suffix}，内容却不是{what}"
    if suffix == ".heic":
        return None if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS else f"扩展名是 {suffix}，内容却不是{what}"
    if not head.startswith(magics):
        return f"扩展名是 {suffix}，内容却不是{what}（文件可能已损坏，或被改了扩展名）"
    return None


def size_problem(size: int) -> str | None:
    """Why a file of ``size`` bytes is too large (or empty) for evidence, or None."""
    if size == 0:
        return "是空文件"
    if size > MAX_EVIDENCE_BYTES:
        return f"有 {megabytes(size)}，超过每个文件 {megabytes(MAX_EVIDENCE_BYTES)} 的上限"
    return None
