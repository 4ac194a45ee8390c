"""Catalog use cases: find bundled policies and their source texts, validate catalog files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.catalog_loader import load_policy_file, read_catalog, read_source
from jobpolicy.domain.mapping import Mapping
from jobpolicy.domain.mapping_checks import parse_mapping
from jobpolicy.domain.source_text import SourceFile
from jobpolicy.errors import CatalogInvalid, InvalidInput, NotFound, Problem
from jobpolicy.reference import bundled_policy_dir
from jobpolicy.services.mappings import is_mapping_path, read_mapping_file


def version_key(version: str) -> tuple:
    """Natural order of versions: 2025.10 after 2025.9."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", version))


def bundled_policies() -> list[Policy]:
    """Return every bundled policy version, sorted by id and version.

    Raises:
        CatalogInvalid: a bundled file is broken (a packaging bug, reported with every problem).
    """
    paths = sorted(bundled_policy_dir().glob("*.yaml"))
    policies = [load_policy_file(path) for path in paths]
    return sorted(policies, key=lambda p: (p.id, version_key(p.version)))


def newest_bundled() -> list[Policy]:
    """The newest bundled version of each policy, sorted by id."""
    newest: dict[str, Policy] = {}
    for policy in bundled_policies():  # sorted by version, so the last one wins
        newest[policy.id] = policy
    return list(newest.values())


def get_policy(policy_id: str, version: str | None = None) -> Policy:
    """Return a bundled policy: the given version, or the newest.

    Accepts ``gse-2025`` or ``gse-2025@2025.1``.

    Raises:
        NotFound: no bundled policy has that id (and version).
    """
    if "@" in policy_id and version is None:
        policy_id, version = policy_id.split("@", 1)
    candidates = [p for p in bundled_policies() if p.id == policy_id]
    if version is not None:
        candidates = [p for p in candidates if p.version == version]
    if not candidates:
        known = "、".join(sorted({p.key for p in bundled_policies()})) or "无"
        wanted = policy_id if version is None else f"{policy_id}@{version}"
        raise NotFound(f"没有政策“{wanted}”", hint=f"可用的政策：{known}；运行 jobpolicy policy list 查看")
    return candidates[-1]


def looks_like_path(text: str) -> bool:
    """Whether a user meant a file rather than a policy name: a folder or drive in it (``/`` or ``\\``, ``C:``),
    or a .yaml/.yml suffix; judged the Windows way on every system, so ``C:\\政策\\新版.yaml`` is a path here too."""
    windows = PureWindowsPath(text)
    return bool(windows.drive) or len(windows.parts) > 1 or windows.suffix.lower() in (".yaml", ".yml")


def catalog_file(spec: str | Path) -> Path:
    """The catalog file a user named: an existing file, or a bundled policy version such as ``gse-2025@2025.2``.

    Raises:
        NotFound: a path (it has a folder or a .yaml/.yml suffix) that does not exist, or a name that is no bundled
            policy.
        InvalidInput: the path is a folder, a device or a pipe.
    """
    path = Path(spec)
    if path.is_file():
        return path
    text = str(spec)
    if path.exists():
        raise InvalidInput(f"清单 {text} 不是普通文件（是文件夹、设备或管道）", hint="给出一个 .yaml 清单文件")
    if looks_like_path(text):
        newest = "、".join(p.key for p in newest_bundled()) or "gse-2025@2025.2"
        raise NotFound(f"清单文件 {text} 不存在", hint=f"检查路径，或给出内置政策，如 {newest}")
    return Path(str(get_policy(text).path))


@dataclass(frozen=True)
class PolicyText:
    """The official text a bundled policy ships with."""

    key: str  # id@version of the policy
    file: str  # as the catalog names it, relative to the catalog file
    text: str


def policy_source_text(policy_id: str) -> PolicyText:
    """Return the official text of a bundled policy (the given version, or the newest).

    Raises:
        NotFound: no such policy, or its catalog names no source text.
    """
    policy = get_policy(policy_id)
    path = policy.source_path()
    if path is None or policy.source_text is None:
        raise NotFound(f"政策 {policy.key} 没有附带原文",
                       hint="清单须在 policy.source_text.file 中写明原文文件（放在 policies/sources/ 下）")
    # Loading the policy checked the file: it exists and is UTF-8.
    return PolicyText(policy.key, policy.source_text.file, path.read_text(encoding="utf-8-sig"))


@dataclass(frozen=True)
class FileCheck:
    """The result of validating one catalog file."""

    path: str
    policy: Policy | None
    problems: list[Problem]
    mapping: Mapping | None = None  # the catalog's mapping block, or the mapping file's mapping

    @property
    def name(self) -> str:
        """What the file holds, for the line saying it passed: ``gse-2025@2025.2``, or ``A@1 → B@2``."""
        if self.policy is not None:
            return self.policy.key
        return self.mapping.key if self.mapping is not None else ""


def _catalog_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not found:
                raise InvalidInput(f"目录 {path} 中没有 .yaml 清单文件", hint="给出清单文件或包含它们的目录")
            files.extend(found)
        else:
            files.append(path)
    return files


def _previous_of(policy_id: object, version: object, known: list[Policy]) -> Policy | None:
    return next((p for p in known if p.id == policy_id and p.version == version), None)


def validate_policy_files(paths: list[Path], *, source: Path | None = None) -> list[FileCheck]:
    """Validate catalog files (or folders of them), reporting every problem of every file.

    A file that names a ``previous_version`` has its ``replaces`` checked against that version when it
    is among the files given or the bundled catalogs; a mapping (a catalog's ``mapping`` block, or a mapping
    file of its own) is checked against the policy versions among them. A file that names its source text
    (``policy.source_text.file``) is checked against it.

    Args:
        paths: files or directories.
        source: an official text to check the quotes, refs, headings and coverage of the files that name
            none of their own.

    Returns:
        One result per file, in the order given.

    Raises:
        InvalidInput: a folder holds no catalog, or ``source`` cannot be read.
    """
    files = _catalog_files(paths)
    given = _given_source(source)
    mapping_files = [path for path in files if is_mapping_path(path)]
    first_pass = {path: read_catalog(path, source=given) for path in files if path not in mapping_files}
    known = [policy for policy, _ in first_pass.values() if policy] + _bundled_or_empty()
    results = []
    for path in files:
        if path in mapping_files:
            results.append(FileCheck(str(path), None, *reversed(read_mapping_file(path, known=known))))
            continue
        policy, problems = first_pass[path]
        if policy is not None and policy.previous_version:
            previous = _previous_of(policy.id, policy.previous_version, known)
            policy, problems = read_catalog(path, previous=previous, source=given)
        mapping = None
        if policy is not None:  # the catalog read, so its text is UTF-8 and within bounds
            mapping, problems = parse_mapping(path.read_text(encoding="utf-8"), str(path), known=known, host=policy)
        results.append(FileCheck(str(path), None if problems else policy, problems, mapping))
    return results


def _given_source(path: Path | None) -> SourceFile | None:
    # Read once for every file; a text that cannot be read is a mistake in the command, not in a catalog.
    if path is None:
        return None
    source = read_source(path)
    if source.error:
        raise InvalidInput(source.error, hint="检查 --source 给出的原文文件（UTF-8 纯文本）")
    return source


def _bundled_or_empty() -> list[Policy]:
    # A broken bundled catalog must not hide the problems of the files the user asked about.
    try:
        return bundled_policies()
    except CatalogInvalid:
        return []
