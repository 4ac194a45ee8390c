"""Catalogs that validate structurally but would overflow, hang or not fit the database: each refused with its
line, item and what is allowed; files that cannot be read to an end are refused before they are read."""

import os
import time

import pytest

from jobpolicy.domain.catalog_files import MAX_BYTES
from jobpolicy.domain.catalog_loader import parse_catalog, read_catalog


@pytest.fixture
def minimal(catalogs) -> str:
    return (catalogs / "good_minimal" / "demo.yaml").read_text(encoding="utf-8")


def with_item(text: str, extra: str) -> str:
    """good_minimal with ``extra`` added to its only item (guidance.1.a, whose keys start at line 23)."""
    return text + "".join(f"            {line}\n" for line in extra.splitlines())


def problems(text: str) -> list[tuple[int | None, str | None, str]]:
    policy, found = parse_catalog(text, "demo.yaml")
    assert policy is None
    return [(p.line, p.id, p.message) for p in found]


ID = "guidance.1.a"
RANGE = "超出范围（应在 1900-01-01 至 2200-12-31 之间）"


@pytest.mark.parametrize(("extra", "expected"), [
    ("cadence:\n  rrule: FREQ=SECONDLY\n  start: 2025-01-01",
     (28, ID, "周期规则“FREQ=SECONDLY”的频率 FREQ 只能是 YEARLY、MONTHLY、WEEKLY、DAILY")),
    ("cadence:\n  rrule: FREQ=YEARLY;INTERVAL=0\n  start: 2025-01-01",
     (28, ID, "周期规则“FREQ=YEARLY;INTERVAL=0”的 INTERVAL 应为 1 到 12 之间的整数")),
    ("cadence:\n  rrule: FREQ=YEARLY;COUNT=999999999\n  start: 2025-01-01",
     (28, ID, "周期规则“FREQ=YEARLY;COUNT=999999999”的 COUNT 应为 1 到 1000 之间的整数")),
    ("cadence:\n  rrule: FREQ=YEARLY;UNTIL=99991231\n  start: 2025-01-01",
     (28, ID, "周期规则“FREQ=YEARLY;UNTIL=99991231”的 UNTIL 应为 1900 至 2200 年间的日期（如 UNTIL=20301231）")),
    ("cadence:\n  rrule: FREQ=YEARLY\n  start: 0001-01-01", (29, ID, f"start 日期“0001-01-01”{RANGE}")),
    ("due: 9999-12-31", (27, ID, f"due 日期“9999-12-31”{RANGE}")),
    ("weight: .nan", (27, ID, "权重 weight“nan”应为不超过 1000 的正数")),
    ("weight: .inf", (27, ID, "权重 weight“inf”应为不超过 1000 的正数")),
    ("weight: 1.0e+308", (27, ID, "权重 weight“1e+308”应为不超过 1000 的正数")),
    ("weight: -1", (27, ID, "权重 weight“-1”应为正数")),
    ("indicator:\n  name: 配比\n  unit: '%'\n  target: .nan\n  comparator: '>='",
     (30, ID, "指标目标值 target“nan”不是有限的数")),
    ("indicator:\n  name: 配比\n  unit: '%'\n  target: -.inf\n  comparator: '>='",
     (30, ID, "指标目标值 target“-inf”不是有限的数")),
    ("indicator:\n  name: 配比\n  unit: '%'\n  target: 1.0e+308\n  comparator: '>='",
     (30, ID, "指标目标值 target“1e+308”超出范围（绝对值应不超过 1,000,000,000,000）")),
    ("weight: " + "9" * 5000, (27, None, "YAML 语法错误（第 21 列）：数字超过 30 位")),
])
def test_values_that_would_overflow_or_run_away_are_refused_with_their_line(minimal, extra, expected):
    assert problems(with_item(minimal, extra)) == [expected]


def test_deep_nesting_is_refused_before_the_stack_runs_out(minimal):
    assert problems(minimal + "x: " + "[" * 5000 + "]" * 5000 + "\n") == [
        (27, None, "YAML 语法错误（第 53 列）：嵌套超过 50 层")]


@pytest.mark.parametrize(("key", "shown"), [("[1, 2]", "列表或映射"), ("{a: 1}", "列表或映射"), ("1", "1"),
                                            ("true", "true"), ("null", "null")])
def test_a_key_that_is_not_text_is_refused(minimal, key, shown):
    text = minimal.replace("  source: 示例来源\n", f"  source: 示例来源\n  ? {key}\n  : x\n")
    assert problems(text) == [(10, None, f"YAML 语法错误（第 5 列）：字段名应为文本，而不是“{shown}”")]


def test_ids_longer_than_their_database_columns_are_refused(minimal):
    text = minimal.replace("demo-2025", "d" * 65).replace('version: "1"', f'version: "{"1" * 33}"')
    text = text.replace("guidance.1.a", "guidance.1." + "a" * 54)
    assert problems(text) == [
        (3, None, "id 长 65 个字符，最多 64 个"),
        (4, None, "version 长 33 个字符，最多 32 个"),
        (23, "guidance.1." + "a" * 53 + "…", "编号长 65 个字符，最多 64 个"),
    ]


def test_a_policy_date_out_of_range_is_refused(minimal):
    assert problems(minimal.replace("issued: 2025-01-01", "issued: 0001-01-01")) == [
        (7, None, f"issued 日期“0001-01-01”{RANGE}")]


def test_many_rules_that_never_match_cost_one_search(minimal):
    items = "".join(f"""          - id: guidance.1.{chr(98 + i)}
            actor: university
            title: 事项{i}
            evidence: [材料]
            cadence:
              rrule: FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30;INTERVAL={i + 1}
              start: 2025-01-01
""" for i in range(12))
    started = time.monotonic()
    found = problems(minimal + items)
    assert [message for _, _, message in found if "不会产生任何日期" in message] == [
        "周期规则“FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30;INTERVAL=1”从 2025-01-01 起不会产生任何日期（检查月份和日期）"]
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("kind", ["device", "fifo", "folder", "huge"])
def test_files_that_cannot_be_read_to_an_end_are_refused_unread(tmp_path, kind):
    path = tmp_path / "demo.yaml"
    if kind == "device":
        path = tmp_path / "zero.yaml"
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        with path.open("wb") as handle:
            handle.truncate(MAX_BYTES + 1)
    policy, found = read_catalog(path)
    expected = "文件太大（超过 8 MB）" if kind == "huge" else "文件不是普通文件（是文件夹、设备或管道）"
    assert policy is None and [(p.line, p.message) for p in found] == [(None, expected)]
