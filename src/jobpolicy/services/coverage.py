"""Coverage: how a loaded plan covers a loaded policy, through the mapping stored between them."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.coverage import Coverage, coverage
from jobpolicy.domain.mapping import Mapping
from jobpolicy.errors import NotFound
from jobpolicy.services._uow import reading
from jobpolicy.services.mappings import current_mappings, stored_mappings
from jobpolicy.services.stored_catalogs import current_policy

LOAD_HINT = "在省级清单中写 mapping，或用 jobpolicy policy load 映射文件 加载映射"


def policy_coverage(engine: Engine, plan_id: str, policy_id: str) -> Coverage:
    """How ``plan_id`` (a province's plan) covers ``policy_id`` (e.g. gse-2025), measure by measure.

    Both are read in their current versions; the mapping stored between those versions is used, read from the plan's
    items whichever way it was written.

    Raises:
        NotFound: either policy is not loaded, or no mapping between their current versions is.
    """
    with reading(engine) as session:
        plan, policy = current_policy(session, plan_id), current_policy(session, policy_id)
        mapping = mapping_between(session, plan, policy)
    return coverage(plan, policy, mapping.between(plan.id, policy.id) or ())


def mapping_between(session: Session, plan: Policy, policy: Policy) -> Mapping:
    """The stored mapping between the current versions of two policies.

    Raises:
        NotFound: none is stored; or only one between other versions, which it names.
    """
    found = [m for m in stored_mappings(session, plan.id) if m.between(plan.id, policy.id) is not None]
    for mapping in found:
        if {mapping.source.key, mapping.target.key} == {plan.key, policy.key}:
            return mapping
    if found:
        names = "、".join(m.key for m in found)
        raise NotFound(f"{plan.key} 与 {policy.key} 之间没有映射；已加载的映射针对其他版本：{names}",
                       hint="为当前版本重新写映射并加载")
    raise NotFound(f"{plan.key} 与 {policy.key} 之间没有映射", hint=LOAD_HINT)


def current_coverages(session: Session, policy: Policy) -> list[Coverage]:
    """How each plan mapped onto ``policy`` covers its target, or how ``policy`` (a plan) covers the policies it maps
    onto: every stored mapping involving it whose two ends are the current versions."""
    found = []
    for mapping in current_mappings(session, policy.id):
        plan, target = (current_policy(session, end.id) for end in (mapping.source, mapping.target))
        found.append(coverage(plan, target, mapping.links))
    return found
