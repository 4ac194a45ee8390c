"""Text and JSON views of who is acting: the author line of a write, the warning when no name is set, whoami."""

from __future__ import annotations

from typing import Any

SET_ONCE = "jobpolicy whoami 您的姓名"


def author_line(identity: Any, role: str) -> str:
    """``修改人：张老师``: the name a write was recorded under, with the role it acted in."""
    return f"{role}：{identity.name}"


def login_warning_lines(identity: Any) -> list[str]:
    """When no name was set and the OS login stood in: what was recorded, and how to set a name once."""
    if not identity.from_login:
        return []
    return [f"注意: 没有设置您的姓名，本次记为系统登录名“{identity.name}”",
            f"提示: 设置一次即可：{SET_ONCE}（保存在 {identity.settings}）；单次可加 --by 姓名"]


def whoami_lines(identity: Any) -> list[str]:
    """What ``jobpolicy whoami`` says: the name in use and where it comes from, or how to set one."""
    if identity.from_login:
        return [f"尚未设置姓名：修改记录时将记为系统登录名“{identity.name}”",
                f"设置一次即可：{SET_ONCE}（保存在 {identity.settings}）"]
    where = [] if str(identity.source) == "settings" else [f"设置文件：{identity.settings}"]
    return [f"您的姓名：{identity.name}（来自{identity.origin}）", *where]


def saved_lines(identity: Any, name: str) -> list[str]:
    """What ``jobpolicy whoami NAME`` says: the name saved and where."""
    return [f"已保存姓名：{name}（{identity.settings}）；以后的修改都记在此名下，单次可加 --by 另写"]


def overridden_lines(identity: Any, name: str) -> list[str]:
    """A warning when the name just saved is not the one in use: JOBPOLICY_USER names someone else."""
    if identity.name == name:
        return []
    return [f"注意: 当前仍记为“{identity.name}”：{identity.origin} 优先于设置文件",
            "提示: 要使用保存的姓名，请删除环境变量 JOBPOLICY_USER"]


def forgotten_lines(identity: Any, removed: bool) -> list[str]:
    """What ``jobpolicy whoami --forget`` says, then who acts now."""
    first = f"已删除保存的姓名（{identity.settings}）" if removed else "没有保存的姓名"
    return [first, *whoami_lines(identity)]


def whoami_json(identity: Any) -> dict[str, Any]:
    """Who is acting, as JSON: ``name``, ``source`` (option, env, settings, login) and ``settings_file``."""
    return {"name": identity.name, "source": str(identity.source), "settings_file": str(identity.settings)}
