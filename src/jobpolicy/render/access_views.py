"""Text and JSON views of logins' access on a shared PostgreSQL database (``jobpolicy access …``)."""

from __future__ import annotations

from typing import Any

KIND_NAMES = {"office": "学校账号", "reviewer": "审核账号", "admin": "管理员"}


def reach(access: Any) -> str:
    """What a login reaches, in words: its schools, its province's schools, or everything."""
    if access.kind == "admin":
        return "全部学校；可加载政策清单、添加学校、分配权限、升级数据库"
    if access.kind == "reviewer":
        return f"{access.province}的学校：审核通过或退回"
    if access.kind == "office":
        return "、".join(f"{name}（{code}）" if name else code for code, name in access.schools) + "：填报、报送"
    return "无"


def access_line(access: Any) -> str:
    """``office_sxu  学校账号  山西大学（4114010108）：填报、报送``; a login that cannot log in says so."""
    gone = "" if access.can_login else "（该登录名已不存在或不能登录）"
    return f"{access.login}  {KIND_NAMES.get(access.kind, '无权限')}  {reach(access)}{gone}"


def granted_lines(result: Any) -> list[str]:
    """What ``access grant`` did."""
    created = [f"已创建登录名 {result.access.login}"] if result.created else []
    if not result.added and result.access.kind != "admin":
        return [*created, f"{result.access.login} 已有这些权限，未作改动", access_line(result.access)]
    return [*created, f"已授权: {access_line(result.access)}"]


def revoked_lines(access: Any) -> list[str]:
    """What ``access revoke`` did."""
    return [f"已收回 {access.login} 的全部权限（原为{KIND_NAMES.get(access.kind, '无')}：{reach(access)}）",
            "登录名本身保留；不再使用时可由数据库管理员删除（DROP ROLE）"]


def access_json(accesses: list[Any]) -> list[dict[str, Any]]:
    """``access list --json``: one object per login."""
    return [{"login": a.login, "kind": a.kind, "institutions": [code for code, _ in a.schools],
             "province": a.province, "can_login": a.can_login} for a in accesses]
