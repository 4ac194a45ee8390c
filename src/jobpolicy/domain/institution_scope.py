"""Which schools a command covers: a province, a level (本科/专科) and a 主管部门, as provinces split them.

One value, ``InstitutionScope``, parsed here from what a user types (``parse_scope``) and named here in the words
every header, title, file name and hint uses. The SQL condition it stands for is ``services.scope``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from jobpolicy.errors import InvalidInput

LEVELS = ("本科", "专科")
SEPARATOR = " · "


@dataclass(frozen=True, slots=True)
class InstitutionScope:
    """The schools of a province, a level and a 主管部门 (each optional), spelled as the MOE list spells them."""

    province: str | None = None  # 山西省
    level: str | None = None  # 本科 / 专科
    authority: str | None = None  # 山西省教育厅, 教育部; 山西省 for schools its provincial government runs

    @property
    def everything(self) -> bool:
        """Whether no filter is set: every stored school."""
        return self.province is None and self.level is None and self.authority is None

    @property
    def parts(self) -> list[str]:
        """The filters set, in words: ``["山西省", "专科", "主管部门 山西省教育厅"]``."""
        authority = f"主管部门 {self.authority}" if self.authority is not None else None
        return [part for part in (self.province, self.level, authority) if part is not None]

    @property
    def label(self) -> str:
        """The filter in words, ``山西省 · 专科``; ``全部学校`` without one."""
        return SEPARATOR.join(self.parts) if self.parts else "全部学校"

    def counted(self, schools: int) -> str:
        """The filter and how many schools it covers, for headers: ``山西省 · 专科 · 12 所``, ``全部 3 所学校``."""
        return f"全部 {schools} 所学校" if self.everything else f"{self.label}{SEPARATOR}{schools} 所"

    @property
    def file_stem(self) -> str:
        """The filter as a file or folder name stem: ``山西省-专科-山西省教育厅``; ``全部学校`` without one."""
        values = [v for v in (self.province, self.level, self.authority) if v is not None]
        return "-".join(values) if values else "全部学校"

    def matches(self, school: Any) -> bool:
        """Whether a school (anything with ``province``, ``level`` and ``authority``, such as a row of the bundled
        list) is in the scope. Stored schools are selected in SQL instead (``services.scope.scope_condition``)."""
        wanted = ((self.province, school.province), (self.level, school.level), (self.authority, school.authority))
        return all(value is None or value == actual for value, actual in wanted)

    def as_dict(self) -> dict[str, Any]:
        """The filter as JSON-ready data, with its label."""
        return {"province": self.province, "level": self.level, "authority": self.authority, "label": self.label}


EVERYWHERE = InstitutionScope()


def _quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value


def _clean(text: str) -> str:
    # Full-width letters and spaces typed with a Chinese input method count as the plain ones.
    return unicodedata.normalize("NFKC", text).strip()


def _pick(text: str, choices: Iterable[str], *, what: str, option: str, prefix_only: bool,
          examples: str) -> str:
    """The one choice ``text`` names: equal to it, else the only one it begins (``prefix_only``) or is part of.

    Raises:
        InvalidInput: no choice, or several, match.
    """
    value, options = _clean(text), sorted(set(choices))
    if not value:  # never "all": that is what leaving the option out means
        example = f"，如 {option} {_quoted(options[0])}" if options else ""
        raise InvalidInput(f"{option} 的{what}为空", hint=f"不限{what}时省去 {option}；否则写明{what}{example}")
    if value in options:
        return value
    found = [c for c in options if (c.startswith(value) if prefix_only else value in c)] if value else []
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        shown = "、".join(found[:8]) + ("等" if len(found) > 8 else "")
        raise InvalidInput(f"{what}“{text}”不唯一，可指 {shown}", hint=f"写全称，如 {option} {_quoted(found[0])}")
    near = get_close_matches(value, options, n=3, cutoff=0.5)
    hint = f"是不是 {'、'.join(near)}？" if near else ""
    raise InvalidInput(f"{what}“{text}”无法识别", hint=hint + examples)


def parse_level(text: str) -> str:
    """``本科`` or ``专科``.

    Raises:
        InvalidInput: anything else.
    """
    value = _clean(text)
    if value not in LEVELS:
        raise InvalidInput(f"办学层次“{text}”无效", hint=f"--level 可选：{'、'.join(LEVELS)}")
    return value


def parse_province(text: str, provinces: Iterable[str]) -> str:
    """The full name of the province ``text`` names (``山西`` or ``山西省``) among ``provinces``.

    Raises:
        InvalidInput: none or several match.
    """
    names = sorted(set(provinces))
    return _pick(text, names, what="省份", option="--province", prefix_only=True, examples="可选：" + "、".join(names))


def parse_authority(text: str, authorities: Iterable[str], *, nearby: Iterable[str] = ()) -> str:
    """The 主管部门 ``text`` names among ``authorities``: equal, or the only one it is part of; a part is first
    looked for among ``nearby`` (those of the province asked about), so ``教育厅`` with 山西 is 山西省教育厅.

    Raises:
        InvalidInput: none or several match.
    """
    every, local = set(authorities), set(nearby)
    value = _clean(text)
    if value not in every and value and len([a for a in local if value in a]) == 1:
        return next(a for a in local if value in a)
    examples = ("主管部门按教育部《全国高等学校名单》填写，如 教育部、山西省教育厅；省政府主管的写省名，如 山西省；"
                "运行 jobpolicy institution list 可看到各校的主管部门")
    return _pick(text, every, what="主管部门", option="--authority", prefix_only=False, examples=examples)


def parse_scope(*, province: str | None = None, level: str | None = None, authority: str | None = None,
                authorities: Mapping[str, Iterable[str]]) -> InstitutionScope:
    """The scope the three options give, each checked against the names the MOE list uses.

    Args:
        province: ``山西`` or ``山西省``; None for every province.
        level: ``本科`` or ``专科``; None for both.
        authority: a 主管部门, in full or a part only it contains (``山西省教育厅``; ``教育厅`` is several, unless
            the province narrows it to one).
        authorities: the 主管部门 of each province's schools, by province: the names to match against.

    Raises:
        InvalidInput: a value that names no province, level or 主管部门, or several; the hint says what is accepted.
    """
    wanted = parse_province(province, authorities) if province is not None else None
    every = {name for names in authorities.values() for name in names}
    return InstitutionScope(
        province=wanted,
        level=parse_level(level) if level is not None else None,
        authority=parse_authority(authority, every, nearby=authorities.get(wanted, ())) if authority is not None
        else None,
    )
