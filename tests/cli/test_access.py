"""``jobpolicy access …`` and what a login is refused, as people see it: one 错误 line and a 提示, exit 5 when the
database refuses; real PostgreSQL roles, and psql itself as an office's login."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from codes import SHANXI, TAIYUAN_TECH
from conftest import NUMBERED
from jobpolicy.cli import app
from jobpolicy.errors import ExitCode
from roles import PASSWORD, schema_of

ITEM = "support.16.a"
DENIED_HINT = "提示: 运行 jobpolicy access list 查看本账号的权限；需要更多权限请联系省级管理员"
SQLITE_LINES = [
    "错误: SQLite 数据库文件不分账号：能打开这个文件的人就能读写其中全部学校的记录，文件本身就是访问边界",
    "提示: 一个文件只给一所学校的就业部门或一位省级操作员使用；多所学校共用一个数据库请部署 PostgreSQL"
    "（见 docs/deploy-postgresql.md）",
]


def run(url: str, *args: str, input: str | None = None):
    return CliRunner().invoke(app, ["--db", url, *args], input=input)


@pytest.mark.parametrize("command", [("list",), ("revoke", "office_sxu"),
                                     ("grant", "office_sxu", "--institution", SHANXI),
                                     ("grant", "office_sxu", "--institution", SHANXI, "--create")])
def test_on_sqlite_access_says_the_file_is_the_boundary(tmp_path, command):
    result = run(str(tmp_path / "school.db"), "access", *command)

    assert (result.exit_code, result.stderr.splitlines()) == (ExitCode.ERROR, SQLITE_LINES)
    assert not (tmp_path / "school.db").exists()


def test_on_sqlite_access_says_so_in_json_too(tmp_path):
    result = run(str(tmp_path / "school.db"), "access", "list", "--json")

    assert result.exit_code == ExitCode.ERROR
    assert json.loads(result.stdout)["error"]["code"] == "access_not_applicable"


pg = pytest.mark.postgres


def admin_url(province) -> str:
    return province.url.render_as_string(hide_password=False)


@pytest.fixture
def office(province, logins):
    """山西大学's office, granted through the command."""
    name = logins.make("office")
    assert run(admin_url(province), "access", "grant", name, "--institution", "山西大学").exit_code == 0
    return name


@pg
def test_grant_create_asks_for_the_password_and_the_new_login_works(province, logins):
    name = logins.make("x") + "_new"
    logins.remember(name)

    result = run(admin_url(province), "access", "grant", name, "--institution", SHANXI, "--institution", "太原理工",
                 "--create", input="s3cret\ns3cret\n")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2:] == [
        f"已创建登录名 {name}", f"已授权: {name}  学校账号  山西大学（{SHANXI}）、太原理工大学（{TAIYUAN_TECH}）：填报、报送"]
    assert "s3cret" not in result.stdout
    url = logins.url(name).replace(PASSWORD, "s3cret")
    mine = run(url, "access", "list")
    assert mine.stdout.splitlines() == [
        f"{name}  学校账号  山西大学（{SHANXI}）、太原理工大学（{TAIYUAN_TECH}）：填报、报送"]


@pg
def test_list_and_revoke(province, office):
    listed = run(admin_url(province), "access", "list").stdout.splitlines()
    assert listed == ["jobpolicy  管理员  全部学校；可加载政策清单、添加学校、分配权限、升级数据库",
                      f"{office}  学校账号  山西大学（{SHANXI}）：填报、报送"]

    result = run(admin_url(province), "access", "revoke", office)

    assert result.stdout.splitlines() == [
        f"已收回 {office} 的全部权限（原为学校账号：山西大学（{SHANXI}）：填报、报送）",
        "登录名本身保留；不再使用时可由数据库管理员删除（DROP ROLE）"]
    again = run(admin_url(province), "access", "revoke", office)
    assert (again.exit_code, again.stderr.splitlines()[0]) == (ExitCode.ERROR, f"错误: {office} 没有任何访问权限")


@pg
def test_an_office_accepting_its_own_submission_is_refused_in_one_line(province, office, logins):
    url = logins.url(office)
    assert run(url, "record", "set", SHANXI, ITEM, "--status", "done", "--by", "张老师").exit_code == 0
    assert run(url, "review", "submit", SHANXI, "--by", "张老师").exit_code == 0

    result = run(url, "review", "accept", SHANXI, "--by", "张老师")

    assert (result.exit_code, result.stderr.splitlines()) == (ExitCode.DENIED, [
        f"错误: 数据库拒绝了这次操作：登录名 {office} 无权这样修改这条记录（学校账号只能填报、报送本校的记录，"
        "审核账号只能通过或退回本省学校的记录）", DENIED_HINT])


@pg
def test_an_office_naming_another_school_is_told_it_is_out_of_reach(province, office, logins):
    result = run(logins.url(office), "record", "set", TAIYUAN_TECH, ITEM, "--status", "done", "--by", "张老师")

    assert (result.exit_code, result.stderr.splitlines()) == (ExitCode.ERROR, [
        f"错误: 学校 {TAIYUAN_TECH} 不在登录名 {office} 可访问的范围内（或尚未添加）",
        "提示: 运行 jobpolicy access list 查看本账号可访问的学校；需要时请省级管理员授权"])


@pg
@pytest.mark.parametrize(("command", "what"), [
    (("policy", "load", str(NUMBERED)), "加载或修改政策清单（只有管理员可以）"),
    (("institution", "add", "4111010001"), "添加或修改学校信息（只有管理员可以）"),
    (("access", "grant", "someone", "--institution", SHANXI), "分配访问权限（只有管理员可以）"),
])
def test_an_office_is_refused_what_only_the_administrator_does(province, office, logins, command, what):
    result = run(logins.url(office), *command)

    assert (result.exit_code, result.stderr.splitlines()) == (ExitCode.DENIED, [
        f"错误: 数据库拒绝了这次操作：登录名 {office} 无权{what}", DENIED_HINT])


@pg
def test_psql_as_the_office_cannot_change_history_or_another_school(province, office, logins):
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql is not installed")
    url = province.url
    env = {**os.environ, "PGPASSWORD": PASSWORD, "PGOPTIONS": f"-csearch_path={schema_of(province)}"}
    assert run(logins.url(office), "record", "set", SHANXI, ITEM, "--status", "done", "--by", "张老师").exit_code == 0

    def psql_as_office(sql: str) -> subprocess.CompletedProcess:
        return subprocess.run([psql, "-h", url.host, "-p", str(url.port), "-U", office, "-d", url.database,
                               "-v", "ON_ERROR_STOP=1", "-tAc", sql], env=env, capture_output=True, text=True,
                              check=False)

    for sql in ("UPDATE event SET new = 'forged'", "DELETE FROM event"):
        done = psql_as_office(sql)
        assert done.returncode != 0 and "permission denied for table event" in done.stderr
    assert psql_as_office("SELECT count(*) FROM event").stdout.strip() == "1"
    assert psql_as_office(f"SELECT count(*) FROM institution WHERE code = '{TAIYUAN_TECH}'").stdout.strip() == "0"
    assert psql_as_office(f"UPDATE record SET note = 'x' WHERE institution_code = '{TAIYUAN_TECH}'"
                          ).stdout.strip() == "UPDATE 0"


@pg
def test_history_shows_the_login_beside_the_display_name(province, office, logins):
    assert run(logins.url(office), "record", "set", SHANXI, ITEM, "--status", "done", "--by", "张老师").exit_code == 0

    events = json.loads(run(admin_url(province), "record", "history", SHANXI, ITEM, "--json").stdout)

    assert [(e["actor"], e["login"]) for e in events] == [("张老师", office)]
