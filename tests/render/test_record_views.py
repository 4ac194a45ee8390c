"""Plain views of records: what a reader sees of evidence and of the values in the event log."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from jobpolicy.render.record_views import evidence_line, file_size, label_value

FILE = SimpleNamespace(kind="file", name="名单.pdf", ref="/srv/材料/名单.pdf", size=125_000, sha256="ab" * 32,
                       added_at=datetime(2025, 6, 30, 16, 30, tzinfo=UTC), added_by="张老师")
LINK = SimpleNamespace(kind="url", name="https://jy.sxu.edu.cn/a", ref="https://jy.sxu.edu.cn/a", size=None,
                       sha256=None, added_at=datetime(2025, 6, 30, 2, tzinfo=UTC), added_by="")


@pytest.mark.parametrize(("size", "shown"), [(0, "0 字节"), (1023, "1023 字节"), (1024, "1.0 KB"),
                                             (125_000, "122 KB"), (3_500_000, "3.3 MB"), (5 * 1024**4, "5120 GB")])
def test_file_sizes(size, shown):
    assert file_size(size) == shown


def test_evidence_lines_name_size_and_day_in_beijing_and_the_digest_only_in_detail():
    assert evidence_line(FILE) == "佐证：名单.pdf（122 KB，2025-07-01 张老师添加）"  # 16:30 UTC is the next day in China
    assert evidence_line(FILE, detail=True) == \
        f"佐证：名单.pdf（122 KB，2025-07-01 张老师添加，位置 /srv/材料/名单.pdf，sha256 {'ab' * 32}）"
    assert evidence_line(LINK, detail=True) == "佐证：https://jy.sxu.edu.cn/a（2025-06-30 添加）"


def test_an_evidence_event_is_read_as_the_file_name():
    assert label_value("evidence", "名单.pdf sha256:1a2b3c4d5e6f") == "名单.pdf"
    assert label_value("evidence", "https://jy.sxu.edu.cn/a") == "https://jy.sxu.edu.cn/a"
