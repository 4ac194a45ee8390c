"""Institutions as the MOE list describes them, and the rule for their 10-digit codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

# 学校标识码: ten digits. Not narrower: some codes start with 42 or 36, and the province
# cannot be derived from the digits (see shared/data/institutions-2026.md).
CODE_RE = re.compile(r"[0-9]{10}")  # ASCII only: \d would accept full-width digits


def is_valid_code(code: str) -> bool:
    """Return whether ``code`` has the shape of a 学校标识码."""
    return bool(CODE_RE.fullmatch(code))


@dataclass(frozen=True, slots=True)
class ListedInstitution:
    """One row of the Ministry of Education's list of higher-education institutions."""

    code: str
    name: str
    authority: str
    province: str
    city: str
    level: str  # 本科 / 专科 / 成人
    remark: str
    year_of_list: int

    @property
    def is_regular(self) -> bool:
        """普通高等学校 (本科 or 专科), as opposed to 成人高校."""
        return self.level in ("本科", "专科")
