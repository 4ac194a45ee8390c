"""Institutions the tests use, by 学校标识码 (all in 山西省, from the bundled 2026 MOE list)."""

SHANXI = "4114010108"  # 山西大学, 本科
TAIYUAN_TECH = "4114010112"  # 太原理工大学, 本科
CHANGZHI_VOCATIONAL = "4114012388"  # 长治职业技术学院, 专科

# The tests' schools are tracked from this day: before every date they describe, so nothing they check is 启用前
# unless a test sets a later start on purpose.
TRACKED_SINCE = "2024-01-01"
