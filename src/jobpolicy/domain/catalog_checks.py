"""Catalog validation: one check per concern, each returning every problem it finds with its line.

The checks run on the raw YAML tree (``LineMap``/``LineList``) before any model is built, so that a file
with many mistakes is reported in one go. Each check tolerates a malformed tree: it skips what another
check already reports (a section that is not a mapping, a missing key).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from typing import Any

from dateutil.rrule import rrulestr

from jobpolicy.domain.catalog import COMPARATORS, LEVELS, Actor, BasisKind
from jobpolicy.domain.catalog_bounds import BOUNDS_CHECKS
from jobpolicy.domain.catalog_build import DATE_RE, parse_date
from jobpolicy.domain.catalog_doc import CatalogDoc, Node
from jobpolicy.domain.catalog_todo import check_placeholders
from jobpolicy.domain.catalog_yaml import LineList, LineMap
from jobpolicy.domain.limits import DATE_RANGE, LATEST, in_range
from jobpolicy.domain.periods import bounds_problem
from jobpolicy.domain.source_checks import SOURCE_CHECKS
from jobpolicy.errors import Problem

SUPPORTED_FORMATS = (1,)
POLICY_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SECTION_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

# kind -> key -> (required, type). Types: text, int, bool, date, number, texts, map, list.
SCHEMA: dict[str, dict[str, tuple[bool, str]]] = {
    "root": {
        "format": (True, "int"), "policy": (True, "map"), "sections": (True, "list"),
        "mapping": (False, "map"),  # how its items relate to another catalog's (domain.mapping_checks)
    },
    "policy": {
        "id": (True, "text"), "version": (True, "text"), "title": (True, "text"),
        "short_title": (False, "text"), "issuer": (True, "text"), "issued": (True, "date"),
        "published": (False, "date"), "source": (True, "text"), "scope": (False, "text"),
        "previous_version": (False, "text"), "applies_to": (False, "map"), "notes": (False, "text"),
        "source_text": (False, "map"),
    },
    "source_text": {"file": (True, "text"), "out_of_scope": (False, "list")},
    "out_of_scope": {"ref": (True, "text"), "reason": (True, "text")},
    "section": {
        "id": (True, "text"), "number": (False, "text"), "title": (True, "text"),
        "verified": (False, "bool"), "measures": (True, "list"),
    },
    "measure": {
        "id": (True, "text"), "number": (False, "text"), "title": (True, "text"),
        "verified": (False, "bool"), "basis": (True, "map"), "items": (True, "list"),
    },
    "measure.basis": {"quote": (True, "quotes"), "ref": (True, "text")},
    "item": {
        "id": (True, "text"), "actor": (True, "text"), "title": (True, "text"),
        "evidence": (False, "texts"), "basis": (False, "map"), "indicator": (False, "map"),
        "due": (False, "date"), "cadence": (False, "map"), "weight": (False, "number"),
        "applies_to": (False, "map"), "replaces": (False, "texts"),
    },
    # Which of these a basis needs depends on its kind (check_bases).
    "item.basis": {
        "kind": (False, "text"), "source": (False, "text"), "year": (False, "int"), "number": (False, "text"),
        "quote": (False, "quotes"), "ref": (False, "text"),
    },
    "indicator": {
        "name": (True, "text"), "unit": (True, "text"), "target": (True, "number"),
        "comparator": (True, "text"), "basis": (False, "map"),
    },
    "cadence": {"rrule": (True, "text"), "start": (True, "date")},
    "applies_to": {"levels": (False, "texts"), "provinces": (False, "texts")},
}

TYPE_NAMES = {
    "text": "文本", "int": "整数", "bool": "true 或 false", "date": "日期（YYYY-MM-DD）",
    "number": "数字", "texts": "文本列表", "map": "键值映射", "list": "列表",
    "quotes": "文本或文本列表",
}


def _has_type(value: Any, kind: str) -> bool:
    if kind in ("text", "date"):
        return isinstance(value, str) and value.strip() != ""
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return True  # checked by check_numbers, with a better message
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "texts":
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    if kind == "quotes":
        return _has_type(value, "text") or (bool(value) and _has_type(value, "texts"))
    if kind == "map":
        return isinstance(value, dict)
    return isinstance(value, list)


def _check_mapping(doc: CatalogDoc, data: Any, kind: str, ident: str | None, where: str) -> list[Problem]:
    """Unknown keys, missing required keys and wrong types of one mapping."""
    if not isinstance(data, LineMap):
        return []
    schema = SCHEMA[kind]
    problems = []
    for key in data:
        if key not in schema:
            allowed = "、".join(schema)
            problems.append(doc.problem(data.line_of(key), ident, f"{where}有未知字段“{key}”（允许：{allowed}）"))
        elif data[key] is not None and not _has_type(data[key], schema[key][1]):
            expected = TYPE_NAMES[schema[key][1]]
            problems.append(doc.problem(data.line_of(key), ident, f"{where}字段“{key}”应为{expected}"))
        elif data[key] is None and schema[key][0]:
            problems.append(doc.problem(data.line_of(key), ident, f"{where}字段“{key}”不能为空"))
    for key, (required, _) in schema.items():
        if required and key not in data:
            problems.append(doc.problem(data.line, ident, f"{where}缺少必填字段“{key}”"))
    return problems


def check_structure(doc: CatalogDoc) -> list[Problem]:
    """Unknown keys, missing keys and wrong value types at every level."""
    if not isinstance(doc.root, LineMap):
        return [doc.problem(1, None, "文件内容应为一个键值映射（format、policy、sections）")]
    problems = _check_mapping(doc, doc.root, "root", None, "文件顶层")
    policy = doc.policy
    problems += _check_mapping(doc, policy, "policy", None, "policy ")
    if policy is not None:
        problems += _check_mapping(doc, policy.get("applies_to"), "applies_to", None, "policy.applies_to ")
        problems += _check_source_text_structure(doc, policy.get("source_text"))
    for name, key in (("sections", "section"), ("measures", "measure"), ("items", "item")):
        problems += _check_list_elements(doc, name, key)
    for node in doc.nodes():
        label = {"section": "体系", "measure": "举措", "item": "检查项"}[node.kind]
        problems += _check_mapping(doc, node.data, node.kind, node.id, f"{label}")
        for sub, kind in _SUBMAPS[node.kind]:
            problems += _check_mapping(doc, node.data.get(sub), kind, node.id, f"{label}的 {sub} ")
        indicator = node.data.get("indicator") if node.kind == "item" else None
        if isinstance(indicator, LineMap):
            problems += _check_mapping(doc, indicator.get("basis"), "item.basis", node.id, "检查项的 indicator.basis ")
    return problems


def _check_source_text_structure(doc: CatalogDoc, source: Any) -> list[Problem]:
    problems = _check_mapping(doc, source, "source_text", None, "policy.source_text ")
    entries = source.get("out_of_scope") if isinstance(source, LineMap) else None
    if isinstance(entries, LineList):
        for index, entry in enumerate(entries):
            if not isinstance(entry, LineMap):
                problems.append(doc.problem(entries.line_of(index), None,
                                            "out_of_scope 的每一项应为键值映射（ref、reason）"))
            problems += _check_mapping(doc, entry, "out_of_scope", None, "policy.source_text.out_of_scope ")
    return problems


_SUBMAPS = {
    "section": (),
    "measure": (("basis", "measure.basis"),),
    "item": (("basis", "item.basis"), ("indicator", "indicator"), ("cadence", "cadence"),
             ("applies_to", "applies_to")),
}


def _check_list_elements(doc: CatalogDoc, key: str, kind: str) -> list[Problem]:
    """Report list elements that are not mappings (e.g. a bare string under ``items``)."""
    parents = {"sections": [doc.root], "measures": [n.data for n in doc.sections()],
               "items": [n.data for n in doc.measures()]}[key]
    problems = []
    for parent in parents:
        children = parent.get(key) if isinstance(parent, LineMap) else None
        if isinstance(children, LineList):
            for index, child in enumerate(children):
                if not isinstance(child, LineMap):
                    problems.append(doc.problem(children.line_of(index), None,
                                                f"{key} 的每一项应为键值映射（{kind}）"))
    return problems


def check_format(doc: CatalogDoc) -> list[Problem]:
    """The catalog format version is one this code reads."""
    if not isinstance(doc.root, LineMap):
        return []
    value = doc.root.get("format")
    if isinstance(value, int) and value not in SUPPORTED_FORMATS:
        supported = "、".join(map(str, SUPPORTED_FORMATS))
        return [doc.problem(doc.root.line_of("format"), None,
                            f"不支持的清单格式版本 {value}（本程序支持：{supported}）；请升级 jobpolicy")]
    return []


def check_duplicate_keys(doc: CatalogDoc) -> list[Problem]:
    """A key written twice in one mapping (YAML would silently keep the last)."""
    return [doc.problem(line, None, f"字段“{key}”在同一层重复出现") for line, key in doc.duplicate_keys]


def check_ids(doc: CatalogDoc) -> list[Problem]:
    """Well-formed ids, each under its parent, none used twice."""
    problems = []
    policy = doc.policy
    if policy is not None and isinstance(policy.get("id"), str) and not POLICY_ID_RE.match(policy["id"]):
        problems.append(doc.problem(policy.line_of("id"), policy["id"],
                                    "政策编号只能包含小写字母、数字和连字符（如 gse-2025）"))
    seen: dict[str, int] = {}
    for node in doc.nodes():
        ident = node.id
        if ident is None:
            continue
        line = node.data.line_of("id")
        if ident in seen:
            problems.append(doc.problem(line, ident, f"编号重复：“{ident}”已在第 {seen[ident]} 行使用"))
        else:
            seen[ident] = line
        message = _id_shape_problem(node)
        if message:
            problems.append(doc.problem(line, ident, message))
    return problems


def _id_shape_problem(node: Node) -> str | None:
    ident = node.id or ""
    if node.kind == "section":
        ok = SECTION_ID_RE.match(ident)
        return None if ok else "体系编号应为小写英文单词（如 supply）"
    parent_id = node.parent.id if node.parent else None
    if parent_id is None:
        return None
    pattern = r"\d+" if node.kind == "measure" else r"[a-z]+"
    if not ident.startswith(parent_id + "."):
        kind = "体系" if node.kind == "measure" else "举措"
        return f"编号“{ident}”不在{kind}“{parent_id}”之下，应以“{parent_id}.”开头"
    if not re.fullmatch(pattern, ident[len(parent_id) + 1 :]):
        example = f"{parent_id}.1" if node.kind == "measure" else f"{parent_id}.a"
        return f"编号格式不对，应为“{example}”这样的形式"
    return None


def check_not_empty(doc: CatalogDoc) -> list[Problem]:
    """Every section has a measure, every measure an item."""
    problems = []
    if isinstance(doc.root, LineMap) and doc.root.get("sections") == []:
        problems.append(doc.problem(doc.root.line_of("sections"), None, "sections 不能为空"))
    for node in doc.nodes():
        key = {"section": "measures", "measure": "items"}.get(node.kind)
        if key and isinstance(node.data.get(key), list) and not node.data[key]:
            what = "举措" if key == "measures" else "检查项"
            kind = "体系" if node.kind == "section" else "举措"
            problems.append(doc.problem(node.data.line_of(key), node.id, f"{kind}没有任何{what}"))
    return problems


def check_actors(doc: CatalogDoc) -> list[Problem]:
    """Known actors; a university item says what evidence shows it done."""
    allowed = "、".join(a.value for a in Actor)
    problems = []
    for node in doc.items():
        actor = node.data.get("actor")
        if isinstance(actor, str) and actor not in {a.value for a in Actor}:
            problems.append(doc.problem(node.data.line_of("actor"), node.id,
                                        f"未知的执行主体“{actor}”（可选：{allowed}）"))
        if actor == Actor.UNIVERSITY and not node.data.get("evidence"):
            problems.append(doc.problem(node.data.line, node.id,
                                        "高校检查项缺少佐证要求 evidence（写明什么材料能证明已完成）"))
    return problems


def _date_fields(doc: CatalogDoc) -> Iterator[tuple[LineMap, str, str | None]]:
    policy = doc.policy
    if policy is not None:
        yield from ((policy, key, None) for key in ("issued", "published"))
    for node in doc.items():
        yield node.data, "due", node.id
        cadence = node.data.get("cadence")
        if isinstance(cadence, LineMap):
            yield cadence, "start", node.id


def check_dates(doc: CatalogDoc) -> list[Problem]:
    """Dates are real calendar dates written as YYYY-MM-DD, within ``limits.EARLIEST``..``LATEST``; an item has
    due or cadence, not both."""
    problems = []
    for data, key, ident in _date_fields(doc):
        value = data.get(key)
        day = parse_date(value) if isinstance(value, str) else None
        if isinstance(value, str) and day is None:
            reason = "不存在" if DATE_RE.match(value) else "格式应为 YYYY-MM-DD"
            problems.append(doc.problem(data.line_of(key), ident, f"{key} 日期“{value}”{reason}"))
        elif day is not None and not in_range(day):
            problems.append(doc.problem(data.line_of(key), ident,
                                        f"{key} 日期“{value}”超出范围（应在 {DATE_RANGE} 之间）"))
    for node in doc.items():
        if node.data.get("due") is not None and node.data.get("cadence") is not None:
            problems.append(doc.problem(node.data.line_of("cadence"), node.id,
                                        "不能同时设置一次性截止日期 due 和周期 cadence"))
    return problems


def check_rrules(doc: CatalogDoc) -> list[Problem]:
    """Every cadence RRULE is one dateutil accepts, without DTSTART (the start key carries it), within the bounds
    of ``limits``, and gives a date.

    Finding that a rule gives no date costs dateutil a search up to the year 9999 (seconds for a weekly rule), so
    once one rule is found empty the others are not searched: the file is refused anyway.
    """
    problems = []
    search = True
    for node in doc.items():
        cadence = node.data.get("cadence")
        rule = cadence.get("rrule") if isinstance(cadence, LineMap) else None
        if not isinstance(rule, str):
            continue
        start = parse_date(cadence.get("start")) if isinstance(cadence.get("start"), str) else None
        message = rrule_problem(rule, start if start and in_range(start) else date(2025, 1, 1), search=search)
        if message:
            problems.append(doc.problem(cadence.line_of("rrule"), node.id, message))
            search = search and NO_DATES not in message
    return problems


NO_DATES = "不会产生任何日期"


def rrule_problem(rule: str, start: date, *, search: bool = True) -> str | None:
    """Return why an RRULE string is unusable from ``start`` on, or None; ``search`` False skips looking for
    its first date (the one costly step)."""
    text = rule.strip()
    if "DTSTART" in text.upper():
        return "周期规则 rrule 中不要写 DTSTART，请用 cadence.start"
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if "FREQ=" not in text.upper():
        return f"周期规则“{rule}”缺少 FREQ（如 FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31）"
    if (bounds := bounds_problem(text)) is not None:
        return f"周期规则“{rule}”{bounds}"
    try:
        parsed = rrulestr(text, dtstart=datetime.combine(start, time()))
    except (ValueError, TypeError) as exc:
        return f"周期规则“{rule}”无法解析（{exc}）"
    # dateutil accepts rules such as BYMONTH=13 or February 30th that never occur.
    first = parsed.after(datetime.combine(start, time()), inc=True) if search else datetime.combine(start, time())
    if first is None or first.date() > LATEST:
        return f"周期规则“{rule}”从 {start.isoformat()} 起{NO_DATES}（检查月份和日期）"
    return None


_KIND_NEEDS = {
    # kind -> keys a basis of that kind must have; None is a catalog written before kinds existed
    None: ("source", "year"),
    BasisKind.OPINION.value: ("quote",),
    BasisKind.NOTICE.value: ("source", "year"),
    BasisKind.PRACTICE.value: ("source", "year"),
}


def check_bases(doc: CatalogDoc) -> list[Problem]:
    """A basis names a known kind and has what that kind needs: a quote, or the source and its year."""
    allowed = "、".join(k.value for k in BasisKind)
    problems = []
    for node, basis, where in doc.item_bases():
        ident = node.id
        kind = basis.get("kind")
        if kind is not None and kind not in _KIND_NEEDS:
            problems.append(doc.problem(basis.line_of("kind"), ident,
                                        f"{where} 的来源类型“{kind}”无效（可选：{allowed}）"))
            continue
        for key in _KIND_NEEDS.get(kind, ()):
            if key not in basis:
                what = f"来源类型为 {kind} 的" if kind else ""
                problems.append(doc.problem(basis.line, ident, f"{where} 缺少{what}必填字段“{key}”"))
        if kind != BasisKind.OPINION.value and "ref" in basis:
            problems.append(doc.problem(basis.line_of("ref"), ident,
                                        f"{where} 的 ref 只用于来源类型 opinion（政策原文中的位置）"))
    return problems


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_numbers(doc: CatalogDoc) -> list[Problem]:
    """Indicator targets are numbers with a known comparator; weights are positive numbers."""
    problems = []
    for node in doc.items():
        indicator = node.data.get("indicator")
        if isinstance(indicator, LineMap):
            target = indicator.get("target")
            if "target" in indicator and not _is_number(target):
                problems.append(doc.problem(indicator.line_of("target"), node.id,
                                            f"指标目标值 target“{target}”不是数字"))
            comparator = indicator.get("comparator")
            if isinstance(comparator, str) and comparator not in COMPARATORS:
                allowed = "、".join(COMPARATORS)
                problems.append(doc.problem(indicator.line_of("comparator"), node.id,
                                            f"比较符“{comparator}”无效（可选：{allowed}）"))
        if "weight" in node.data:
            weight = node.data["weight"]
            if not _is_number(weight) or weight <= 0:
                problems.append(doc.problem(node.data.line_of("weight"), node.id,
                                            f"权重 weight“{weight}”应为正数"))
    return problems


def check_applicability(doc: CatalogDoc) -> list[Problem]:
    """Levels named in applies_to exist."""
    problems = []
    targets = [(doc.policy, None)] + [(n.data, n.id) for n in doc.items()]
    for data, ident in targets:
        rules = data.get("applies_to") if isinstance(data, LineMap) else None
        levels = rules.get("levels") if isinstance(rules, LineMap) else None
        if not isinstance(levels, LineList):
            continue
        for index, level in enumerate(levels):
            if isinstance(level, str) and level not in LEVELS:
                problems.append(doc.problem(levels.line_of(index), ident,
                                            f"适用层次“{level}”无效（可选：{'、'.join(LEVELS)}）"))
    return problems


def check_replaces(doc: CatalogDoc) -> list[Problem]:
    """``replaces`` names well-formed items of the previous version, which the policy names."""
    policy = doc.policy
    has_previous = policy is not None and isinstance(policy.get("previous_version"), str)
    known = {item.id for item in doc.previous.items()} if doc.previous else None
    problems = []
    for node in doc.items():
        replaces = node.data.get("replaces")
        if not isinstance(replaces, LineList):
            continue
        if not has_previous:
            problems.append(doc.problem(node.data.line_of("replaces"), node.id,
                                        "使用 replaces 时须在 policy 中写明上一版本 previous_version"))
        for index, old in enumerate(replaces):
            if not isinstance(old, str):
                continue
            line = replaces.line_of(index)
            if not re.fullmatch(r"[a-z][a-z0-9_]*\.\d+\.[a-z]+", old):
                problems.append(doc.problem(line, node.id, f"replaces 中的“{old}”不是检查项编号（如 supply.1.a）"))
            elif known is not None and old not in known:
                version = doc.previous.version if doc.previous else ""
                problems.append(doc.problem(line, node.id, f"replaces 指向的“{old}”在上一版本 {version} 中不存在"))
    return problems


CHECKS: tuple[Callable[[CatalogDoc], list[Problem]], ...] = (
    check_structure,
    check_format,
    check_duplicate_keys,
    check_ids,
    check_not_empty,
    check_actors,
    check_dates,
    check_rrules,
    check_numbers,
    check_applicability,
    check_replaces,
    check_bases,
    *BOUNDS_CHECKS,
)


def run_checks(doc: CatalogDoc) -> list[Problem]:
    """Run every check, and the checks against the source text when the document has one.

    Returns all problems sorted by line, then id. At one place, catalog problems come by message and then the
    source problems in the order of the text: sorting those by message would put 七（二十） before 三（四）.

    A line that holds a placeholder of a draft (``catalog_todo``) is reported as 待完成 only: what the other checks
    would say about it (an actor that is no actor) is no news to whoever has still to fill it in.
    """
    todo = check_placeholders(doc)
    unfilled = {p.line for p in todo}
    problems = sorted((p for check in CHECKS for p in check(doc)), key=lambda p: (p.line or 0, p.id or "", p.message))
    problems += [p for check in SOURCE_CHECKS for p in check(doc)]
    problems = [p for p in problems if p.line not in unfilled] + todo
    return sorted(problems, key=lambda p: (p.line or 0, p.id or ""))  # stable: keeps the order above at one place
