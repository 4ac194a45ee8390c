"""Where a report's files go: a folder, a zip of the whole report, a single file; each written safely.

A zip is built under a temporary name and moved into place only when every page is in it, so a failed run leaves
the previous zip as it was. Its entries sit in one folder named after the zip (what Windows' 全部解压缩 makes
anyway); Python's ``zipfile`` marks every non-ASCII name as UTF-8 (flag bit 11), which Windows Explorer, 7-Zip and
macOS honour, so Chinese names unpack as they were written.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from jobpolicy import clock, safe_files
from jobpolicy.clock import CHINA
from jobpolicy.errors import ReportError, os_reason

README_NAME = "说明.txt"
README_TEXT = ("先把压缩包全部解压（在 Windows 中右键 → 全部解压缩），再用浏览器打开其中的 index.html。\r\n"
               "每个页面都自带样式，可以单独发送或打印；页面之间的链接（各校页面、返回汇总）只在解压后的整个文件夹中可用。\r\n")


class Writer(Protocol):
    """Somewhere pages are written to."""

    def open(self) -> None: ...

    def write(self, name: str, text: str | bytes) -> None: ...

    def finish(self, complete: bool) -> None: ...


@contextmanager
def writing(writers: Sequence[Writer]) -> Iterator[None]:
    """Open every writer, and finish each one: complete only when the block ran to its end."""
    opened: list[Writer] = []
    complete = False
    try:
        for writer in writers:
            writer.open()
            opened.append(writer)
        yield
        complete = True
    finally:
        for writer in opened:
            writer.finish(complete)


class FolderWriter:
    """Pages into a folder, each through ``safe_files`` (whole or not at all, never through a planted link); a
    ``.gitignore`` only in a folder it created (generated reports are not source)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.folders: set[Path] = set()

    def _failed(self, exc: OSError) -> ReportError:
        return ReportError(f"无法写入报告目录 {self.out_dir}（{os_reason(exc)}）",
                           hint="检查目录权限或换一个 --out 目录")

    def open(self) -> None:
        try:
            if safe_files.make_folder(self.out_dir):
                safe_files.write_text(self.out_dir / ".gitignore", "*\n", within=self.out_dir)
        except OSError as exc:
            raise self._failed(exc) from exc

    def write(self, name: str, text: str | bytes) -> None:
        target = self.out_dir / name
        first = target.parent not in self.folders
        try:
            if first:
                safe_files.make_folder(target.parent, within=self.out_dir)
                self.folders.add(target.parent)
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            safe_files.write_bytes(target, data, within=self.out_dir, clean=first)
        except OSError as exc:
            raise self._failed(exc) from exc

    def finish(self, complete: bool) -> None:
        """Nothing to do: every page is already in place."""


class ZipWriter:
    """Pages into one zip, under a folder named after it, with a short 说明.txt on how to open it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.root = path.stem
        self.archive: zipfile.ZipFile | None = None
        self.staged: safe_files.Staged | None = None
        self.stamp = clock.now().astimezone(CHINA).timetuple()[:6]

    def _failed(self, exc: OSError) -> ReportError:
        return ReportError(f"无法写入压缩包 {self.path}（{os_reason(exc)}）", hint="检查 --zip 路径和写入权限")

    def open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.staged = safe_files.Staged(self.path, option="--zip")
            self.archive = zipfile.ZipFile(self.staged.handle, "w", compression=zipfile.ZIP_DEFLATED)
        except OSError as exc:
            if self.staged is not None:
                self.staged.discard()
            raise self._failed(exc) from exc
        # UTF-8 with a BOM: Notepad on any Windows version reads it as Chinese, not as GBK mojibake.
        self.write(README_NAME, "\ufeff" + README_TEXT)

    def write(self, name: str, text: str | bytes) -> None:
        info = zipfile.ZipInfo(f"{self.root}/{name}", date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16  # rw-r--r-- when unpacked on Linux or macOS
        try:
            self.archive.writestr(info, text if isinstance(text, bytes) else text.encode("utf-8"))
        except OSError as exc:
            raise self._failed(exc) from exc

    def finish(self, complete: bool) -> None:
        """Put the zip in place when every page is in it; else drop it, leaving the previous zip as it was."""
        try:
            self.archive.close()
            if complete:
                self.staged.commit()
        except OSError as exc:
            raise self._failed(exc) from exc
        finally:
            self.staged.discard()


def write_file(target: Path, data: bytes, *, option: str, within: Path | None = None) -> None:
    """Write ``data`` under a temporary name, then move it into place: a failure never leaves half a file, and a
    link planted as ``target`` (or, below the chosen folder ``within``, on the way to it) is refused, not followed.

    Raises:
        ReportError: the file cannot be written (named with the ``option`` that gave it).
        UnsafePath: ``target`` is a link.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        safe_files.write_bytes(target, data, within=within, option=option)
    except OSError as exc:
        raise ReportError(f"无法写入 {target}（{os_reason(exc)}）",
                          hint=f"检查 {option} 路径和写入权限；文件正被 Excel 或 WPS 打开时先关闭它") from exc
