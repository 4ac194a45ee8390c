"""Institutions as the MOE list describes them, and the rule for their 10-digit codes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from jobpolicy.domain.matching import fold, nearest

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


class Described(Protocol):
    """What a listed or a stored institution both have: code, name, province and level."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def province(self) -> str: ...
    @property
    def level(self) -> str: ...


School = TypeVar("School", bound=Described)


def find_by_name(text: str, schools: Iterable[School]) -> list[School]:
    """The schools named ``text`` exactly; when none is, those whose name contains it (compared folded).

    An exact name wins over the longer names that contain it: 南开大学 is not also 南开大学滨海学院.
    """
    pool = list(schools)
    exact = [school for school in pool if fold(school.name) == fold(text)]
    return exact or names_containing(text, pool)


def names_containing(text: str, schools: Iterable[School]) -> list[School]:
    """The schools whose name contains ``text`` (compared folded); none for an empty text."""
    key = fold(text)
    return [school for school in schools if key and key in fold(school.name)]


def similar_names(text: str, schools: Iterable[Described], *, n: int = 3) -> list[str]:
    """The names closest to a name that matched none, for a "did you mean"."""
    return nearest(text, (school.name for school in schools), n=n, cutoff=0.6)


def candidate_line(school: Described) -> str:
    """One school as a candidate to choose from: ``4114010108 山西大学（山西省，本科）``."""
    return f"{school.code} {school.name}（{school.province or '省份未填'}，{school.level or '层次未填'}）"
