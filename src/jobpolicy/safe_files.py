"""Every file jobpolicy writes goes through here: a temporary in the same folder, flushed to disk, renamed over the
target; never through a link out of the folder the user chose.

Why each part:

- **Temporary, fsync, rename.** ``os.replace`` within one folder is atomic on POSIX and NTFS, so a reader (or the
  next run) sees the old file or the new one, whole: a SIGKILL, a full disk or a power cut mid-write never leaves a
  truncated page, workbook or calendar where a good one was. The data is fsync'd before the rename (and, on POSIX,
  the folder after it) so that a power cut cannot leave the new name on an empty file.
- **No links.** An office PC's shared folder may hold a symbolic link (or, on Windows, a junction) planted by someone
  else: ``reports/institutions -> C:/Windows/...``. Inside the folder the user named, no part of the path to a file
  we write may be a link, nor may the file itself; we refuse with one line instead of following it. The folder the
  user named is theirs to choose, link or not.
- **Removal by the same rules.** A report removes the pages its previous run wrote (``remove_files``): only plain
  files inside the folder, never through a link, never a link itself.
- **Recognisable leftovers.** A process killed between creating and renaming its temporary leaves it behind. Its name
  says so (``.jobpolicy-<name>.<pid>.<random>.tmp``); the next write into the folder removes those of processes that
  are gone, and folder checks ignore them, so a killed run never blocks a folder.

This module is a leaf like ``clock``: every layer but the pure domain may use it (an evidence store too).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from jobpolicy.errors import UnsafePath

TEMP_PREFIX = ".jobpolicy-"
TEMP_SUFFIX = ".tmp"
LEFTOVER = re.compile(rf"{re.escape(TEMP_PREFIX)}.*\.(?P<pid>\d+)\.[^.]+{re.escape(TEMP_SUFFIX)}")
STALE_SECONDS = 24 * 3600  # where we cannot ask whether a process lives (Windows), a day-old temporary is left over
# Windows: the reparse points that lead elsewhere. Others are left alone: OneDrive's cloud placeholders (where an
# office's Desktop and Documents often live) are reparse points too, and must stay writable.
IO_REPARSE_TAG_MOUNT_POINT = 0xA0000003  # a junction
IO_REPARSE_TAG_SYMLINK = 0xA000000C


def is_link(path: Path) -> bool:
    """Whether ``path`` itself is a symbolic link or a Windows junction (never followed)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISLNK(info.st_mode) or getattr(info, "st_reparse_tag", 0) in (IO_REPARSE_TAG_MOUNT_POINT,
                                                                                 IO_REPARSE_TAG_SYMLINK)


def refuse_links(target: Path, *, within: Path | None = None, option: str = "--out") -> None:
    """Refuse ``target`` if it, or a folder between ``within`` and it, is a link (``within`` itself may be one).

    Without ``within`` only the target itself is checked (its folder is the one the user named).

    Raises:
        UnsafePath: naming the link and where it points.
    """
    parts = [target]
    if within is not None:
        try:
            inner = target.relative_to(within)
        except ValueError:
            raise UnsafePath(f"{target} 不在所选目录 {within} 之内，不会写入", hint=f"换一个 {option}") from None
        parts = [within.joinpath(*inner.parts[:n]) for n in range(1, len(inner.parts) + 1)]
    for part in parts:
        if is_link(part):
            raise UnsafePath(f"{part} 是一个链接（指向 {_points_to(part)}），为安全起见不会经由它写入",
                             hint=f"删除该链接，或换一个 {option}")


def _points_to(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "别处"


def make_folder(folder: Path, *, within: Path | None = None, option: str = "--out") -> bool:
    """Create ``folder`` (and its parents) unless it exists; refuse links below ``within``. Whether it was created.

    Raises:
        UnsafePath: a link on the way (see ``refuse_links``); OSError: it cannot be created.
    """
    if within is not None and folder != within:
        refuse_links(folder, within=within, option=option)
    if folder.is_dir():
        return False
    folder.mkdir(parents=True, exist_ok=True)
    return True


def is_leftover(path: Path) -> bool:
    """Whether ``path`` is the temporary of a write that never finished (its name says so)."""
    return LEFTOVER.fullmatch(path.name) is not None


def clean_leftovers(folder: Path) -> None:
    """Remove the temporaries a killed run left in ``folder``: those of processes no longer running."""
    try:
        names = [entry for entry in os.scandir(folder) if entry.name.startswith(TEMP_PREFIX)]
    except OSError:
        return
    for entry in names:
        match = LEFTOVER.fullmatch(entry.name)
        if match and entry.is_file(follow_symlinks=False) and _gone(int(match["pid"]), entry):
            Path(entry.path).unlink(missing_ok=True)


def _gone(pid: int, entry: os.DirEntry) -> bool:
    if pid == os.getpid():
        return False
    if os.name == "posix":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
        return False
    try:
        return time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
    except OSError:
        return False


class Staged:
    """A temporary beside ``target``, open for writing, put in place by ``commit`` or dropped by ``discard``.

    For writers that finish elsewhere than where they start (a zip filled page by page); otherwise use
    ``replacing``. ``within`` is the folder the user chose (see ``refuse_links``).

    Raises:
        UnsafePath: ``target`` or a folder on the way is a link; OSError: the temporary cannot be made.
    """

    def __init__(self, target: Path, *, within: Path | None = None, option: str = "--out", text: bool = False,
                 encoding: str = "utf-8", newline: str | None = None, clean: bool = True,
                 private: bool = False) -> None:
        refuse_links(target, within=within, option=option)
        if clean:  # a writer of many files in one folder cleans it once, not once a file
            clean_leftovers(target.parent)
        self.target, self.within, self.option = target, within, option
        # mkstemp opens with O_CREAT | O_EXCL, so a link planted under the temporary's name is never followed.
        fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.name[:60]}.{os.getpid()}.", suffix=TEMP_SUFFIX,
                                    dir=target.parent)
        self.temporary = Path(name)
        try:
            _set_mode(fd, private=private)
            self.handle: IO = (os.fdopen(fd, "w", encoding=encoding, newline=newline) if text
                               else os.fdopen(fd, "wb"))
        except BaseException:
            os.close(fd)
            self.temporary.unlink(missing_ok=True)
            raise

    def commit(self) -> None:
        """Flush the data to disk and rename it over the target (refusing a link planted meanwhile)."""
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            refuse_links(self.target, within=self.within, option=self.option)
            os.replace(self.temporary, self.target)
            sync_folder(self.target.parent)
        finally:
            self.discard()

    def discard(self) -> None:
        """Drop the temporary; the target stays as it was."""
        self.handle.close()
        self.temporary.unlink(missing_ok=True)


@contextmanager
def replacing(target: Path, *, within: Path | None = None, option: str = "--out", text: bool = False,
              encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO]:
    """Open a temporary beside ``target`` for writing; when the block ends normally, put it in place whole.

    On an exception the temporary is removed and ``target`` is left as it was.

    Raises:
        UnsafePath: ``target`` or a folder on the way is a link; OSError: it cannot be written.
    """
    with replacing_all([target], within=within, option=option, text=text, encoding=encoding,
                       newline=newline) as (handle,):
        yield handle


@contextmanager
def replacing_all(targets: Sequence[Path], *, within: Path | None = None, option: str = "--out", text: bool = False,
                  encoding: str = "utf-8", newline: str | None = None) -> Iterator[list[IO]]:
    """``replacing`` for several files at once: all of them are put in place only if every one was written."""
    for target in targets:
        refuse_links(target, within=within, option=option)
    staged: list[Staged] = []
    try:
        for target in targets:
            staged.append(Staged(target, within=within, option=option, text=text, encoding=encoding,
                                 newline=newline))
        yield [stage.handle for stage in staged]
        for stage in staged:
            stage.commit()
    finally:
        for stage in staged:
            stage.discard()


def _set_mode(fd: int, *, private: bool) -> None:
    """mkstemp makes a file only its owner can read; give it the rights any new file gets (the umask's), unless it
    is to stay private (a database backup). POSIX only: Windows files take their folder's access list."""
    if not hasattr(os, "fchmod"):
        return
    mask = os.umask(0)
    os.umask(mask)
    os.fchmod(fd, 0o600 if private else 0o666 & ~mask)


def sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no handle on a folder to flush, and NTFS journals renames."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the data itself is already on disk
    finally:
        os.close(fd)


def write_bytes(target: Path, data: bytes, *, within: Path | None = None, option: str = "--out",
                clean: bool = True) -> None:
    """Put ``data`` at ``target`` whole, or leave ``target`` as it was (see ``Staged``)."""
    staged = Staged(target, within=within, option=option, clean=clean)
    try:
        staged.handle.write(data)
        staged.commit()
    finally:
        staged.discard()


def write_text(target: Path, text: str, *, within: Path | None = None, option: str = "--out",
               clean: bool = True) -> None:
    """``write_bytes`` for UTF-8 text, written as given (no newline translation)."""
    write_bytes(target, text.encode("utf-8"), within=within, option=option, clean=clean)


def remove_files(folder: Path, names: Iterable[str]) -> int:
    """Remove the files ``names`` (paths inside ``folder``, ``/``-separated) that are still plain files; how many.

    A folder inside ``folder`` that this leaves empty goes too. Skipped, not refused (what was written is already in
    place; only leftovers stay): a name that leads out of ``folder``, a name that is a link or passes through one,
    anything not a regular file, a file that cannot be removed (open elsewhere on Windows).
    """
    removed = 0
    for name in names:
        inner = PurePosixPath(name)
        if not name or inner.is_absolute() or ".." in inner.parts or ":" in name or "\\" in name:
            continue
        target = folder.joinpath(*inner.parts)
        steps = [folder.joinpath(*inner.parts[:n]) for n in range(1, len(inner.parts) + 1)]
        try:
            if any(is_link(step) for step in steps) or not stat.S_ISREG(os.lstat(target).st_mode):
                continue
            target.unlink()
        except OSError:
            continue
        removed += 1
        for step in reversed(steps[:-1]):  # a folder emptied by it (evidence/<prefix>/) goes too
            try:
                step.rmdir()
            except OSError:
                break
    return removed
