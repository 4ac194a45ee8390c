"""Text and JSON views of an institution search over the bundled MOE list."""

from __future__ import annotations

from typing import Any

from jobpolicy.domain.matching import did_you_mean


def search_lines(result: Any, text: str) -> list[str]:
    """One line per school found (code, name, place, level, whether added), then the count; or the nearest names."""
    if not result.hits:
        near = did_you_mean(result.near)
        return [f"教育部名单中没有名称含“{text.strip()}”的学校" + (f"；{near}" if near else "")]
    lines = [f"{s.code}  {s.name}  {s.province}{s.city}  {s.level}" + ("  （已添加）" if hit.added else "")
             for hit in result.hits for s in [hit.school]]
    added = sum(hit.added for hit in result.hits)
    return [*lines, f"共 {len(result.hits)} 所，其中已添加 {added} 所；添加：jobpolicy institution add 学校标识码"]


def search_json(result: Any) -> dict[str, Any]:
    """The search as JSON: the schools found, each with ``added``, and the nearest names when none was found."""
    schools = [{"code": h.school.code, "name": h.school.name, "province": h.school.province, "city": h.school.city,
                "level": h.school.level, "added": h.added} for h in result.hits]
    return {"schools": schools, "near": result.near}
