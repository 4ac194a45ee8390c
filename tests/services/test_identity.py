"""Who is acting: one rule (--by > JOBPOLICY_USER > the saved name > the OS login) and the per-user settings file."""

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from jobpolicy.errors import InvalidInput
from jobpolicy.services import identity
from jobpolicy.services.identity import Source, acting_user, forget_name, save_name, settings_file


@pytest.fixture
def settings(tmp_path) -> Path:
    """The settings file the tests' environment points at (conftest sets XDG_CONFIG_HOME)."""
    return tmp_path / "config" / "jobpolicy" / "settings.toml"


@pytest.fixture
def login(monkeypatch):
    monkeypatch.setattr(identity.getpass, "getuser", lambda: "administrator")


def test_precedence_by_then_environment_then_settings_then_login(monkeypatch, settings, login):
    assert (acting_user().name, acting_user().source) == ("administrator", Source.LOGIN)
    assert acting_user().from_login
    save_name("张老师")
    assert (acting_user().name, acting_user().source) == ("张老师", Source.SETTINGS)
    monkeypatch.setenv("JOBPOLICY_USER", "李老师")
    assert (acting_user().name, acting_user().source) == ("李老师", Source.ENV)
    assert (acting_user("王老师").name, acting_user("王老师").source) == ("王老师", Source.OPTION)
    assert acting_user("  ").name == "李老师"  # a blank --by names no one


def test_a_stronger_source_is_used_without_reading_a_damaged_settings_file(monkeypatch, settings):
    settings.parent.mkdir(parents=True)
    settings.write_text("user = [", encoding="utf-8")
    assert acting_user("王老师").name == "王老师"
    with pytest.raises(InvalidInput, match="格式有误"):
        acting_user()


def test_the_settings_file_on_windows_is_under_appdata():
    env = {"APPDATA": r"C:\Users\张老师\AppData\Roaming", "USERPROFILE": r"C:\Users\张老师"}
    path = settings_file(env, windows=True)
    assert path == PureWindowsPath(r"C:\Users\张老师\AppData\Roaming\jobpolicy\settings.toml")
    assert str(path) == r"C:\Users\张老师\AppData\Roaming\jobpolicy\settings.toml"  # printed the Windows way
    assert str(settings_file({"USERPROFILE": r"D:\用户\张"}, windows=True)) == (
        r"D:\用户\张\AppData\Roaming\jobpolicy\settings.toml")


def test_the_settings_file_elsewhere_follows_xdg():
    assert settings_file({"XDG_CONFIG_HOME": "/etc/xdg/u", "HOME": "/home/z"}, windows=False) == PurePosixPath(
        "/etc/xdg/u/jobpolicy/settings.toml")
    for env in ({"HOME": "/home/z"}, {"XDG_CONFIG_HOME": "relative", "HOME": "/home/z"}):  # relative: ignored
        assert settings_file(env, windows=False) == PurePosixPath("/home/z/.config/jobpolicy/settings.toml")


def test_acting_user_reads_the_file_windows_names(monkeypatch, tmp_path):
    monkeypatch.setattr(identity, "on_windows", lambda: True)
    monkeypatch.setenv("APPDATA", r"C:\Users\张老师\AppData\Roaming")
    assert str(acting_user().settings) == r"C:\Users\张老师\AppData\Roaming\jobpolicy\settings.toml"


def test_save_writes_toml_and_forget_removes_it(settings, login):
    saved, now = save_name("  张老师 ")
    assert (saved, now.name, now.settings) == ("张老师", "张老师", settings)
    assert settings.read_text(encoding="utf-8").splitlines()[1:] == ['user = "张老师"']
    assert save_name('王"老\\师')[0] == '王"老\\师' and acting_user().name == '王"老\\师'  # escaped as TOML wants
    assert forget_name() == (True, acting_user()) and not settings.exists()
    assert forget_name()[0] is False


def test_other_keys_of_the_file_are_kept(settings):
    settings.parent.mkdir(parents=True)
    settings.write_text('theme = "dark"\nuser = "张老师"\n', encoding="utf-8")
    save_name("李老师")
    assert 'theme = "dark"' in settings.read_text(encoding="utf-8")
    forget_name()
    assert settings.read_text(encoding="utf-8").splitlines()[1:] == ['theme = "dark"']


def test_a_file_saved_by_notepad_is_read(settings):
    settings.parent.mkdir(parents=True)
    settings.write_bytes('\ufeffuser = "张老师"\r\n'.encode())  # UTF-8 with a byte-order mark, Windows line ends
    assert acting_user().name == "张老师"
    settings.write_bytes('user = "张老师"\n'.encode("gbk"))  # saved as ANSI on a Chinese Windows
    with pytest.raises(InvalidInput, match="不是 UTF-8 编码"):
        acting_user()


def test_saving_repairs_a_damaged_file(settings):
    settings.parent.mkdir(parents=True)
    settings.write_text("user = [", encoding="utf-8")
    assert save_name("张老师")[1].name == "张老师"


@pytest.mark.parametrize("name", ["", "   ", "a\nb", "长" * 41])
def test_a_bad_name_is_refused_and_nothing_is_written(settings, name):
    with pytest.raises(InvalidInput, match="无效：应为 1 到 40 个字"):
        save_name(name)
    assert not settings.exists()


def test_a_bad_saved_value_is_explained(settings):
    settings.parent.mkdir(parents=True)
    settings.write_text("user = 3\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        acting_user()
    assert caught.value.message == f"设置文件 {settings} 中的姓名“3”无效：应为 1 到 40 个字，不含换行等控制字符"
