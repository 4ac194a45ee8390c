"""Who is acting: the one rule that names the author of a change, and the per-user settings file that keeps a name.

Precedence: ``--by`` > the ``JOBPOLICY_USER`` environment variable > the name saved with ``jobpolicy whoami NAME``
> the operating-system login. The settings file is ``%APPDATA%\\jobpolicy\\settings.toml`` on Windows and
``$XDG_CONFIG_HOME/jobpolicy/settings.toml`` (default ``~/.config/jobpolicy/settings.toml``) elsewhere; jobpolicy
writes it, as TOML with one key, ``user``.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from jobpolicy.errors import AppError, InvalidInput, os_reason

ENV_VAR = "JOBPOLICY_USER"
USER_KEY = "user"
MAX_NAME = 40
FIX_HINT = "运行 jobpolicy whoami 您的姓名 重新保存（会覆盖该文件），或删除该文件"


class Source(StrEnum):
    """Where the acting name came from, strongest first."""

    OPTION = "option"
    ENV = "env"
    SETTINGS = "settings"
    LOGIN = "login"


@dataclass(frozen=True)
class Identity:
    """The name changes are recorded under, where it came from, and the settings file a name is saved in."""

    name: str
    source: Source
    settings: PurePath

    @property
    def from_login(self) -> bool:
        """Whether no name was set and the operating-system login stands in for one."""
        return self.source is Source.LOGIN

    @property
    def origin(self) -> str:
        """Where the name came from, in Chinese."""
        return {Source.OPTION: "--by 选项", Source.ENV: f"环境变量 {ENV_VAR}",
                Source.SETTINGS: f"设置文件 {self.settings}", Source.LOGIN: "系统登录名"}[self.source]


def on_windows() -> bool:
    """Whether this runs on Windows (a function, so tests can pretend)."""
    return os.name == "nt"


def settings_file(env: Mapping[str, str] | None = None, *, windows: bool | None = None) -> PurePath:
    """The per-user settings file, as the platform writes paths (backslashes and a drive on Windows).

    Windows: ``%APPDATA%\\jobpolicy\\settings.toml`` (APPDATA is the roaming profile folder, writable without
    administrator rights); else ``$XDG_CONFIG_HOME/jobpolicy/settings.toml``, by default under ``~/.config``.
    """
    env = os.environ if env is None else env
    windows = on_windows() if windows is None else windows
    if windows:
        home = PureWindowsPath(env.get("USERPROFILE") or str(Path.home()))
        return PureWindowsPath(env.get("APPDATA") or home / "AppData" / "Roaming") / "jobpolicy" / "settings.toml"
    xdg = env.get("XDG_CONFIG_HOME", "")
    base = PurePosixPath(xdg) if PurePosixPath(xdg).is_absolute() else PurePosixPath(
        env.get("HOME") or str(Path.home())) / ".config"
    return base / "jobpolicy" / "settings.toml"


def _clean(name: str | None) -> str | None:
    text = unicodedata.normalize("NFKC", name).strip() if name else ""
    return text or None


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name at all (a service account, a container)
        return "unknown"


def acting_user(by: str | None = None, *, env: Mapping[str, str] | None = None) -> Identity:
    """The one rule for who is acting: ``--by``, else JOBPOLICY_USER, else the saved name, else the OS login.

    Raises:
        InvalidInput: the settings file exists but cannot be understood (it is not read when a stronger
            source names the user).
        AppError: the settings file cannot be read.
    """
    env = os.environ if env is None else env
    path = settings_file(env)
    for source, given in ((Source.OPTION, by), (Source.ENV, env.get(ENV_VAR))):
        if (name := _clean(given)) is not None:
            return Identity(name, source, path)
    saved = _read(Path(path)).get(USER_KEY)
    if saved is not None:
        return Identity(_check_name(saved, path), Source.SETTINGS, path)
    return Identity(_login(), Source.LOGIN, path)


def _check_name(value: object, path: PurePath | None = None) -> str:
    where = f"设置文件 {path} 中的" if path is not None else ""
    name = _clean(value) if isinstance(value, str) else None
    if name is None or len(name) > MAX_NAME or any(unicodedata.category(c).startswith("C") for c in name):
        shown = json.dumps(value, ensure_ascii=False)[1:-1] if isinstance(value, str) else str(value)
        raise InvalidInput(f"{where}姓名“{shown}”无效：应为 1 到 {MAX_NAME} 个字，不含换行等控制字符",
                           hint=FIX_HINT if path is not None else "例如 jobpolicy whoami 张老师")
    return name


def _read(path: Path) -> dict[str, object]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # Notepad may have added a byte-order mark
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise InvalidInput(f"设置文件 {path} 不是 UTF-8 编码", hint=FIX_HINT) from None
    except OSError as exc:
        raise AppError(f"无法读取设置文件 {path}（{os_reason(exc)}）", hint=FIX_HINT) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib explains in English; only the place it names is of use here
        line = re.search(r"line (\d+)", str(exc))
        where = f"第 {line.group(1)} 行" if line else "末尾"
        raise InvalidInput(f"设置文件 {path} 的{where}格式有误，应为一行 user = \"您的姓名\"", hint=FIX_HINT) from None


def _write(path: Path, data: Mapping[str, object]) -> None:
    # Only scalar keys: the file holds what jobpolicy writes. JSON's string escapes are valid TOML basic strings.
    lines = ["# jobpolicy 个人设置（由 jobpolicy whoami 写入）"]
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in data.items()
              if isinstance(value, str | int | float | bool)]
    temporary = path.with_name(f"{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        raise AppError(f"无法写入设置文件 {path}（{os_reason(exc)}）",
                       hint=f"检查该文件夹的权限；也可以改用环境变量：setx {ENV_VAR} 您的姓名") from None


def save_name(name: str) -> tuple[str, Identity]:
    """Save the user's name in the settings file, once for every later command; return it, and who now acts
    (still JOBPOLICY_USER's name, when that is set).

    Raises:
        InvalidInput: an empty or over-long name, or one with control characters.
        AppError: the settings file cannot be written.
    """
    clean = _check_name(name)
    path = Path(settings_file())
    try:
        kept = _read(path)
    except InvalidInput:  # a damaged file: saving a name is how its error message says to repair it
        kept = {}
    _write(path, {**kept, USER_KEY: clean})
    return clean, acting_user()


def forget_name() -> tuple[bool, Identity]:
    """Remove the saved name (the file too, when nothing else is in it); return whether there was one, and who
    acts now."""
    path = Path(settings_file())
    data = _read(path)
    if USER_KEY not in data:
        return False, acting_user()
    rest = {key: value for key, value in data.items() if key != USER_KEY}
    if rest:
        _write(path, rest)
    else:
        path.unlink(missing_ok=True)
    return True, acting_user()
