"""Reading catalog YAML: values keep their lines, dates stay text, duplicates and syntax errors are reported."""

import pytest

from jobpolicy.domain.catalog_yaml import LineList, LineMap, YamlSyntaxError, read_yaml


def test_mappings_and_sequences_remember_lines():
    doc, duplicates = read_yaml("a: 1\nb:\n  - x\n  - {c: 2}\n")
    assert isinstance(doc, LineMap) and isinstance(doc["b"], LineList)
    assert (doc.line, doc.line_of("a"), doc.line_of("b")) == (1, 1, 2)
    assert doc["b"].line_of(1) == 4
    assert duplicates == []


def test_dates_are_left_as_text_so_impossible_dates_can_be_reported():
    doc, _ = read_yaml("due: 2025-02-30\nok: 2025-02-28\n")
    assert doc == {"due": "2025-02-30", "ok": "2025-02-28"}


def test_duplicate_keys_are_reported_with_their_line():
    _, duplicates = read_yaml("a: 1\nb: 2\na: 3\n")
    assert duplicates == [(3, "a")]


def test_syntax_error_carries_line_and_column():
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml("a: 1\nb: [1, 2\nc: 3\n")
    assert caught.value.line == 3
    assert caught.value.message.startswith("YAML 语法错误（第 2 列）")


def test_a_stored_catalog_reads_the_same_on_the_fast_parser():
    """The database's catalogs (checked when loaded) are read with libyaml: the same tree, the same lines."""
    text = "a: 1\nb:\n  - x\n  - {c: 2025-02-30, d: yes}\na: 2\n"
    checked, duplicates = read_yaml(text)
    stored, stored_duplicates = read_yaml(text, stored=True)
    assert stored == checked == {"a": 2, "b": ["x", {"c": "2025-02-30", "d": True}]}
    assert (stored.key_lines, stored["b"].item_lines, stored["b"][1].line) == (
        checked.key_lines, checked["b"].item_lines, checked["b"][1].line) == ({"a": 5, "b": 2}, [3, 4], 4)
    assert stored_duplicates == duplicates == [(5, "a")]

