"""The one error hierarchy, the documented exit codes, and validation problems."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; also listed in docs/exit-codes.md."""

    OK = 0
    ERROR = 1
    USAGE = 2  # typer's own usage errors
    INVALID_DATA = 3  # catalog or import data invalid
    THRESHOLD = 4  # --fail-under / --fail-on-overdue not met
    DENIED = 5  # the database refused: this login may not do that (PostgreSQL privileges, row-level security)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in an input file, with where it is."""

    file: str
    line: int | None
    id: str | None
    message: str

    def as_dict(self) -> dict[str, object]:
        """The problem as JSON-ready data."""
        return {"file": self.file, "line": self.line, "id": self.id, "message": self.message}

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        ident = f" [{self.id}]" if self.id else ""
        return f"{where}{ident}: {self.message}"


class AppError(Exception):
    """Base of every error the CLI turns into a one-line message and an exit code."""

    exit_code: ExitCode = ExitCode.ERROR
    slug: str = "error"

    def __init__(self, message: str, *, hint: str | None = None, slug: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if slug:
            self.slug = slug


class CatalogError(AppError):
    """A policy catalog cannot be found or used."""

    slug = "catalog_error"


class CatalogInvalid(CatalogError):
    """A policy catalog file has problems; carries every one of them."""

    exit_code = ExitCode.INVALID_DATA
    slug = "catalog_invalid"

    def __init__(self, problems: list[Problem], *, hint: str | None = None) -> None:
        files = sorted({p.file for p in problems})
        super().__init__(f"政策清单有 {len(problems)} 处问题（{'、'.join(files)}）", hint=hint)
        self.problems = problems


class InvalidInput(AppError):
    """A value given on the command line or in an imported file is not acceptable."""

    exit_code = ExitCode.INVALID_DATA
    slug = "invalid_input"


class Ambiguous(InvalidInput):
    """A name, number or keyword fits several things; carries the first few to choose from, and how many more."""

    slug = "ambiguous"
    shown = 10  # candidates listed; a longer list is cut, saying how many more there are

    def __init__(self, message: str, candidates: list[str], *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.candidates = candidates[: self.shown]
        self.more = len(candidates) - len(self.candidates)


class NotFound(AppError):
    """A policy, item, institution or record that was asked for does not exist."""

    slug = "not_found"


class StorageError(AppError):
    """The database cannot be opened, read or written."""

    slug = "storage_error"


class SchemaMismatch(StorageError):
    """The database schema is not the one this version of jobpolicy expects."""

    slug = "schema_mismatch"


class AccessDenied(AppError):
    """The database refused a read or write this login is not allowed (PostgreSQL privileges or row security)."""

    exit_code = ExitCode.DENIED
    slug = "access_denied"


class AccessNotApplicable(AppError):
    """Access by login asked of an SQLite file, where the file itself is the boundary."""

    slug = "access_not_applicable"


class ClockBehind(AppError):
    """This computer's clock is behind the newest change stored: a write now would hide in the history."""

    slug = "clock_behind"


class ReportError(AppError):
    """A report cannot be written."""

    slug = "report_error"


class UnsafePath(AppError):
    """A file would be written through a link (or junction) planted in the chosen folder: refused, nothing written."""

    slug = "unsafe_path"


class ThresholdNotMet(AppError):
    """A --fail-under or --fail-on-overdue threshold was not met; not a crash."""

    exit_code = ExitCode.THRESHOLD
    slug = "threshold_not_met"


class UsageProblem(AppError):
    """The command line itself is wrong (a missing argument, an unknown option…); typer found it, exit 2."""

    exit_code = ExitCode.USAGE
    slug = "usage_error"


OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限，或文件正被 Excel、WPS 等程序打开",
    errno.EPERM: "没有权限，或文件正被 Excel、WPS 等程序打开",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EEXIST: "已经存在",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的",
    errno.ENAMETOOLONG: "路径太长",
    errno.EINVAL: "文件名无效",
}


def os_reason(exc: OSError) -> str:
    """Why the operating system refused, in Chinese (its own strerror is English on Linux and for C errors)."""
    return OS_REASONS.get(exc.errno, exc.strerror or str(exc))
