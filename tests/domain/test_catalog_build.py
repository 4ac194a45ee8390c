"""A stored catalog, checked when it was loaded, is built again from its YAML alone."""

from jobpolicy.domain.catalog_build import parse_checked


def test_stored_text_that_is_no_longer_yaml_is_one_problem_with_its_line():
    policy, problems = parse_checked("policy:\n  id: [gse\n", "gse-2025@2025.1")
    assert policy is None
    assert [(p.file, p.line) for p in problems] == [("gse-2025@2025.1", 3)]
    assert problems[0].message.startswith("YAML 语法错误")
