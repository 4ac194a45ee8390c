"""``jobpolicy whoami``, and every write saying whose name it was recorded under."""

import json
from pathlib import Path

import pytest

from codes import SHANXI
from jobpolicy.services import identity

IMPORTS = Path(__file__).parents[1] / "data" / "imports"
LOGIN_WARNING = "注意: 没有设置您的姓名，本次记为系统登录名“administrator”"


@pytest.fixture(autouse=True)
def login(monkeypatch):
    monkeypatch.setattr(identity.getpass, "getuser", lambda: "administrator")


def test_show_set_and_forget(run, tmp_path):
    settings = tmp_path / "config" / "jobpolicy" / "settings.toml"
    assert run("whoami").stdout.splitlines() == [
        "尚未设置姓名：修改记录时将记为系统登录名“administrator”",
        f"设置一次即可：jobpolicy whoami 您的姓名（保存在 {settings}）",
    ]
    result = run("whoami", "张老师")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"已保存姓名：张老师（{settings}）；以后的修改都记在此名下，单次可加 --by 另写\n"
    assert run("whoami").stdout == f"您的姓名：张老师（来自设置文件 {settings}）\n"
    assert json.loads(run("whoami", "--json").stdout) == {
        "name": "张老师", "source": "settings", "settings_file": str(settings)}
    assert run("whoami", "--forget").stdout.splitlines()[0] == f"已删除保存的姓名（{settings}）"
    assert not settings.exists()


def test_saving_while_the_environment_names_someone_else_warns(run, monkeypatch, tmp_path):
    monkeypatch.setenv("JOBPOLICY_USER", "李老师")
    result = run("whoami", "张老师")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == ["注意: 当前仍记为“李老师”：环境变量 JOBPOLICY_USER 优先于设置文件",
                                          "提示: 要使用保存的姓名，请删除环境变量 JOBPOLICY_USER"]
    assert run("whoami").stdout.splitlines() == ["您的姓名：李老师（来自环境变量 JOBPOLICY_USER）",
                                                 f"设置文件：{tmp_path / 'config' / 'jobpolicy' / 'settings.toml'}"]


def test_on_windows_the_settings_file_is_shown_as_a_windows_path(run, monkeypatch):
    monkeypatch.setattr(identity, "on_windows", lambda: True)
    monkeypatch.setenv("APPDATA", r"C:\Users\张老师\AppData\Roaming")
    assert run("whoami").stdout.splitlines()[1] == (
        r"设置一次即可：jobpolicy whoami 您的姓名（保存在 C:\Users\张老师\AppData\Roaming\jobpolicy\settings.toml）")


def test_bad_input(run):
    result = run("whoami", "张老师", "--forget")
    assert result.exit_code == 2 and "错误: 给出姓名时不能再用 --forget" in result.stderr.splitlines()
    result = run("whoami", " ")
    assert (result.exit_code, result.stderr.splitlines()[0]) == (3, "错误: 姓名“ ”无效：应为 1 到 40 个字，不含换行等控制字符")


def record(run_db, *extra):
    return run_db("record", "set", SHANXI, "support.16.a", "--status", "已完成", *extra)


def test_a_write_shows_its_author_and_warns_when_the_login_stood_in(run_db, tmp_path):
    result = record(run_db)
    assert result.stdout.splitlines()[-1] == "修改人：administrator"
    assert result.stderr.splitlines() == [
        LOGIN_WARNING,
        f"提示: 设置一次即可：jobpolicy whoami 您的姓名（保存在 {tmp_path / 'config' / 'jobpolicy' / 'settings.toml'}）"
        "；单次可加 --by 姓名",
    ]
    run_db("whoami", "张老师")
    result = run_db("record", "set", SHANXI, "support.16.b", "--status", "推进中")
    assert (result.stdout.splitlines()[-1], result.stderr) == ("修改人：张老师", "")
    assert "  张老师  support.16.b 状态：（空） → 推进中" in result.stdout
    result = run_db("record", "set", SHANXI, "support.16.c", "--status", "推进中", "--by", "王老师")
    assert result.stdout.splitlines()[-1] == "修改人：王老师"  # --by still wins, for this one command


def test_json_output_stays_one_document_and_the_warning_goes_to_stderr(run_db):
    result = record(run_db, "--json")
    assert {e["actor"] for e in json.loads(result.stdout)["events"]} == {"administrator"}
    assert result.stderr.splitlines()[0] == LOGIN_WARNING


def test_nothing_changed_names_no_author(run_db):
    record(run_db, "--by", "张老师")
    result = record(run_db)
    assert (result.stdout, result.stderr) == ("无变化: 山西大学 support.16.a（值与已记录的相同）\n", "")


@pytest.mark.parametrize(("args", "line"), [
    (["review", "submit", SHANXI], "报送人：administrator"),
    (["review", "accept", SHANXI], "审核人：administrator"),
    (["review", "return", SHANXI, "support.16.a", "--reason", "缺少名单"], "审核人：administrator"),
    (["policy", "load", Path(__file__).parents[1] / "data" / "catalogs" / "good_numbered" / "numbered.yaml"],
     "操作人：administrator"),
])
def test_every_write_that_takes_by_goes_through_the_one_rule(run_db, args, line):
    record(run_db, "--by", "张老师")
    if args[0] == "review" and args[1] != "submit":
        run_db("review", "submit", SHANXI, "--by", "张老师")
    result = run_db(*args)
    assert result.exit_code == 0, result.stderr
    assert line in result.stdout.splitlines()
    assert LOGIN_WARNING in result.stderr.splitlines()


def test_an_import_names_its_importer_once_and_warns_too(run_db):
    result = run_db("checklist", "import", IMPORTS / "good_office.xlsx")
    assert result.stdout.splitlines()[-1] == "  填报人 王老师（山西大学）；导入人 administrator"
    assert result.stderr.splitlines()[0] == LOGIN_WARNING
