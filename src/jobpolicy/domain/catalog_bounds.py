"""Catalog checks that keep every value within what arithmetic and the database hold (see ``limits``): finite
numbers of sane size, ids no longer than their columns. Dates out of range are check_dates' concern."""

from __future__ import annotations

import math
from typing import Any

from jobpolicy.domain.catalog_doc import CatalogDoc
from jobpolicy.domain.catalog_yaml import LineMap
from jobpolicy.domain.limits import ID_LENGTHS, MAX_WEIGHT, number_problem
from jobpolicy.errors import Problem


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_number_bounds(doc: CatalogDoc) -> list[Problem]:
    """Targets are finite and of sane size; weights finite and at most ``MAX_WEIGHT`` (check_numbers reports a
    value that is no number, or a weight not above zero)."""
    problems = []
    for node in doc.items():
        indicator = node.data.get("indicator")
        target = indicator.get("target") if isinstance(indicator, LineMap) else None
        if _is_number(target) and (why := number_problem(target)):
            problems.append(doc.problem(indicator.line_of("target"), node.id, f"指标目标值 target“{target}”{why}"))
        weight = node.data.get("weight")
        if _is_number(weight) and (math.isnan(weight) or weight > MAX_WEIGHT):
            problems.append(doc.problem(node.data.line_of("weight"), node.id,
                                        f"权重 weight“{weight}”应为不超过 {MAX_WEIGHT:g} 的正数"))
    return problems


def check_id_lengths(doc: CatalogDoc) -> list[Problem]:
    """No id or version is longer than the database column that keeps it."""
    problems = []
    policy = doc.policy
    for key in ("id", "version", "previous_version"):
        value = policy.get(key) if policy is not None else None
        most = ID_LENGTHS["policy" if key == "id" else "version"]
        if isinstance(value, str) and len(value) > most:
            problems.append(doc.problem(policy.line_of(key), None, f"{key} 长 {len(value)} 个字符，最多 {most} 个"))
    for node in doc.nodes():
        most = ID_LENGTHS[node.kind]
        if node.id is not None and len(node.id) > most:
            problems.append(doc.problem(node.data.line_of("id"), node.id[:most] + "…",
                                        f"编号长 {len(node.id)} 个字符，最多 {most} 个"))
    return problems


BOUNDS_CHECKS = (check_number_bounds, check_id_lengths)
