"""Validate a mapping between catalogs, in a catalog's ``mapping`` block or a mapping file, and build it.

Like the catalog checks, every problem is reported at once with file, line and id: unknown keys, a policy or version
not named or not known, an item id neither policy has, an unknown relation, a link written twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.catalog_yaml import LineList, LineMap, YamlSyntaxError, read_yaml
from jobpolicy.domain.mapping import ItemLink, Mapping, PolicyRef, Relation, relation_choices
from jobpolicy.errors import Problem

FILE_KEYS = ("format", "mapping")
BLOCK_KEYS = ("from", "to", "items")
REF_KEYS = ("policy", "version")
LINK_KEYS = ("item", "to", "relation", "note")


class _Checker:
    """Collects the problems of one mapping as it reads it."""

    def __init__(self, file: str, known: Iterable[Policy], *, trusted: bool = False):
        self.file = file
        self.trusted = trusted  # checked when it was stored: policies it names need not be at hand
        self.problems: list[Problem] = []
        self.known: dict[tuple[str, str], Policy] = {(p.id, p.version): p for p in known}

    def add(self, line: int | None, ident: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, ident, message))

    def keys(self, data: LineMap, allowed: tuple[str, ...], required: tuple[str, ...], where: str,
             ident: str | None = None) -> None:
        for key in data:
            if key not in allowed:
                self.add(data.line_of(key), ident, f"{where}有未知字段“{key}”（允许：{'、'.join(allowed)}）")
        for key in required:
            if data.get(key) in (None, ""):
                self.add(data.line_of(key), ident, f"{where}缺少必填字段“{key}”")

    def policy(self, data: Any, side: str, line: int) -> tuple[PolicyRef, Policy | None] | None:
        """The policy version one side names, and the catalog of it when known."""
        where = f"mapping.{side} "
        if not isinstance(data, LineMap):
            self.add(line, None, f"{where}应为键值映射（policy、version：两项政策都须写明版本）")
            return None
        policy_id, version = data.get("policy"), data.get("version")
        self.keys(data, REF_KEYS, REF_KEYS, where, policy_id if isinstance(policy_id, str) else None)
        if version is not None and not isinstance(version, str):
            self.add(data.line_of("version"), policy_id if isinstance(policy_id, str) else None,
                     f"{where}version 应为文本：加引号，如 version: \"{version}\"")
            return None
        if not isinstance(policy_id, str) or not policy_id or not version:
            return None
        ref = PolicyRef(policy_id, version)
        versions = sorted(v for (pid, v) in self.known if pid == policy_id)
        if not versions and not self.trusted:
            self.add(data.line_of("policy"), policy_id,
                     f"{where}政策“{policy_id}”未知：既不在所给文件中，也未内置或加载")
        elif version not in versions and not self.trusted:
            self.add(data.line_of("version"), policy_id,
                     f"{where}政策 {policy_id} 没有版本“{version}”（已知版本：{'、'.join(versions)}）")
        return ref, self.known.get((policy_id, version))


def check_mapping_block(block: Any, file: str, *, line: int, host: Policy | None, known: Iterable[Policy],
                        trusted: bool = False) -> tuple[Mapping | None, list[Problem]]:
    """Check one ``mapping`` block and build it.

    Args:
        block: the raw block.
        file: names the file in problems.
        line: the line of the block's key, for problems of the block as a whole.
        host: the catalog the block sits in (its ``from`` is that catalog); None for a mapping file.
        known: the policy versions the block may name (given files, bundled, or loaded).
        trusted: the block was checked when it was stored; build it without the policies it names.

    Returns:
        The mapping (None when there are problems) and the problems, sorted by line.
    """
    checker = _Checker(file, [*known, *([host] if host else [])], trusted=trusted)
    if not isinstance(block, LineMap):
        checker.add(line, None, "mapping 应为键值映射（to、items；映射文件还要 from）")
        return None, checker.problems
    required = ("to", "items") if host else BLOCK_KEYS
    checker.keys(block, BLOCK_KEYS, required, "mapping ")
    source = _source(checker, block, host)
    target = checker.policy(block.get("to"), "to", block.line_of("to")) if "to" in block else None
    if source and target and source[0].id == target[0].id:
        checker.add(block.line_of("to"), target[0].id, "mapping.to 与 from 是同一项政策；映射须在两项政策之间")
    links = _links(checker, block.get("items"), block.line_of("items"),
                   source[1] if source else None, target[1] if target else None)
    problems = sorted(checker.problems, key=lambda p: (p.line or 0, p.id or ""))
    if problems or source is None or target is None:
        return None, problems
    return Mapping(source[0], target[0], tuple(links), file), []


def check_mapping_file(root: Any, file: str, *, known: Iterable[Policy],
                       trusted: bool = False) -> tuple[Mapping | None, list[Problem]]:
    """Check a mapping file of its own (``format`` and ``mapping`` with ``from``, ``to``, ``items``) and build it."""
    if not isinstance(root, LineMap):
        return None, [Problem(file, 1, None, "文件内容应为一个键值映射（format、mapping）")]
    checker = _Checker(file, ())
    checker.keys(root, FILE_KEYS, FILE_KEYS, "文件顶层")
    if "format" in root and root["format"] != 1:
        checker.add(root.line_of("format"), None, f"不支持的格式版本“{root['format']}”（本程序支持：1）")
    if "mapping" not in root:
        return None, checker.problems
    mapping, problems = check_mapping_block(root["mapping"], file, line=root.line_of("mapping"), host=None,
                                            known=known, trusted=trusted)
    problems = sorted(checker.problems + problems, key=lambda p: (p.line or 0, p.id or ""))
    return (None if problems else mapping), problems


def _source(checker: _Checker, block: LineMap, host: Policy | None) -> tuple[PolicyRef, Policy | None] | None:
    if host is None:
        return checker.policy(block.get("from"), "from", block.line_of("from")) if "from" in block else None
    own = (PolicyRef(host.id, host.version), host)
    given = block.get("from")
    if given is not None:
        found = checker.policy(given, "from", block.line_of("from"))
        if found is not None and found[0] != own[0]:
            checker.add(block.line_of("from"), found[0].id,
                        f"清单中的 mapping.from 须是清单本身（{host.key}），或省略不写")
    return own


def _links(checker: _Checker, entries: Any, line: int, source: Policy | None,
           target: Policy | None) -> list[ItemLink]:
    if not isinstance(entries, LineList) or not entries:
        if entries is not None:
            checker.add(line, None, "mapping.items 应为非空列表（每项写 item、to、relation）")
        return []
    links: list[ItemLink] = []
    seen: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, LineMap):
            checker.add(entries.line_of(index), None, "mapping.items 的每一项应为键值映射（item、to、relation）")
            continue
        link = _link(checker, entry, source, target)
        if link is None:
            continue
        pair = (link.source, link.target)
        if pair in seen:
            checker.add(entry.line, link.source, f"{link.source} → {link.target} 的关系已在第 {seen[pair]} 行写过")
            continue
        seen[pair] = entry.line
        links.append(link)
    return links


def _link(checker: _Checker, entry: LineMap, source: Policy | None, target: Policy | None) -> ItemLink | None:
    item, other, relation = entry.get("item"), entry.get("to"), entry.get("relation")
    ident = item if isinstance(item, str) else None
    checker.keys(entry, LINK_KEYS, ("item", "to", "relation"), "映射项", ident)
    ok = isinstance(item, str) and isinstance(other, str) and isinstance(relation, str)
    for value, policy, key in ((item, source, "item"), (other, target, "to")):
        if isinstance(value, str) and policy is not None and policy.item(value) is None:
            checker.add(entry.line_of(key), value, f"检查项“{value}”不在政策 {policy.key} 中")
            ok = False
    if isinstance(relation, str) and relation not in set(Relation):
        checker.add(entry.line_of("relation"), ident, f"关系“{relation}”无效（可选：{relation_choices()}）")
        ok = False
    if not ok:
        return None
    return ItemLink(item, other, Relation(relation), entry.line)


def is_mapping_file(root: Any) -> bool:
    """Whether a parsed file is a mapping file of its own rather than a catalog."""
    return isinstance(root, LineMap) and "mapping" in root and "sections" not in root and "policy" not in root


def parse_mapping(text: str, file: str, *, known: Iterable[Policy], host: Policy | None = None,
                  checked: bool = False) -> tuple[Mapping | None, list[Problem]]:
    """The mapping a catalog (``host``, already checked) or a mapping file holds; (None, []) when it holds none.

    ``checked``: the text was checked when it was stored, so the policies it names need not be in ``known``.
    """
    try:
        root, duplicates = read_yaml(text)
    except YamlSyntaxError as exc:
        return None, [Problem(file, exc.line, None, exc.message)]
    twice = [Problem(file, line, None, f"字段“{key}”在同一层重复出现") for line, key in duplicates]
    if host is None:
        mapping, problems = check_mapping_file(root, file, known=known, trusted=checked)
    elif isinstance(root, LineMap) and "mapping" in root:
        mapping, problems = check_mapping_block(root["mapping"], file, line=root.line_of("mapping"), host=host,
                                                known=known, trusted=checked)
    else:
        return None, []
    problems = sorted(twice + problems, key=lambda p: (p.line or 0, p.id or ""))
    return (None if problems else mapping), problems
