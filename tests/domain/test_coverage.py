"""How a plan covers a policy: measure by measure through the mapping, what it adds, where it sets its own targets."""

from pathlib import Path

from jobpolicy.domain.catalog_loader import load_policy_file
from jobpolicy.domain.coverage import Cover, coverage
from jobpolicy.domain.mapping_checks import parse_mapping
from jobpolicy.reference import bundled_policy_dir

PLAN_FILE = Path(__file__).parent.parent / "data" / "mappings" / "good_inline" / "plan.yaml"
PLAN = load_policy_file(PLAN_FILE)
OPINION = load_policy_file(bundled_policy_dir() / "gse-2025-2025.2.yaml")
MAPPING, _ = parse_mapping(PLAN_FILE.read_text(encoding="utf-8"), str(PLAN_FILE), known=[OPINION], host=PLAN)


def result(links=MAPPING.links):
    return coverage(PLAN, OPINION, links)


def measure(found, measure_id):
    return next(m for m in found.measures if m.measure.id == measure_id)


def test_an_item_asked_in_full_is_covered_in_part_only_partly_and_without_a_link_not():
    items = {i.item.id: i.state for i in measure(result(), "guidance.4").items}

    assert items["guidance.4.a"] is Cover.COVERED  # guide.1.a superset
    assert items["guidance.4.b"] is Cover.PARTLY  # guide.1.b subset
    assert items["guidance.4.g"] is Cover.PARTLY  # guide.1.c intersect
    assert items["guidance.4.c"] is Cover.NOT_COVERED


def test_a_measure_is_covered_only_when_every_item_is():
    found = result()
    one_item = [link for link in MAPPING.links if link.source == "service.1.b"]
    only = coverage(PLAN, OPINION, one_item)

    assert measure(found, "guidance.4").state is Cover.PARTLY
    assert measure(found, "supply.1").state is Cover.NOT_COVERED
    assert (found.count(Cover.COVERED), found.count(Cover.PARTLY), found.count(Cover.NOT_COVERED)) == (0, 3, 17)
    assert measure(only, "evaluation.14").state is Cover.PARTLY  # 14.a of four items


def test_every_item_of_a_measure_covered_makes_it_covered():
    from jobpolicy.domain.mapping import ItemLink, Relation

    links = [ItemLink("service.1.c", item.id, Relation.EQUAL) for item in OPINION.measure_of("support.17.a").items]

    assert measure(coverage(PLAN, OPINION, links), "support.17").state is Cover.COVERED


def test_what_the_plan_adds_new_items_and_higher_requirements():
    additions = {a.item.id: (a.label, a.beyond) for a in result().additions}

    # service.1.a and service.1.b are equal to the opinion's items: the same work, with the plan's own target
    assert additions == {"guide.1.a": ("更高要求", ("guidance.4.a",)), "service.1.c": ("新增", ()),
                         "service.1.d": ("新增", ())}


def test_the_plans_own_targets_and_deadlines_are_listed_with_the_opinions():
    targets = [(t.plan_item.id, t.policy_item.id, t.what, t.plan, t.policy) for t in result().targets]

    assert ("service.1.a", "support.16.a", "指标", "≤ 400 名毕业生/每名专职人员",
            "≤ 500 名毕业生/每名专职人员") in targets
    assert ("service.1.b", "evaluation.14.a", "截止", "每年 11月30日前，自 2025-01-01 起",
            "每年 12月31日前，自 2025-01-01 起") in targets
    assert not any(t[0] == "guide.1.b" for t in targets)  # a subset sets no target for the whole item
