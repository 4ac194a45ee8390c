"""Access on a shared PostgreSQL database, enforced by the database: real login roles, through jobpolicy's services
and through a raw psycopg connection as the login (what psql or any other client would do).

An office reads and writes only its schools' rows, submits but never accepts or returns, never updates or deletes
an event; a reviewer accepts and returns only in its province and never changes what an office recorded; only the
administrator loads catalogs. Every event names the login that wrote it, at the server's time.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
import time_machine
from psycopg import errors
from sqlalchemy import text

from codes import SHANXI, TAIYUAN_TECH
from conftest import NUMBERED
from jobpolicy.errors import AccessDenied, AccessNotApplicable, InvalidInput, NotFound
from jobpolicy.services.access import grant, list_access, revoke
from jobpolicy.services.history import record_history
from jobpolicy.services.institutions import list_institutions
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.review import accept, return_item, submit
from jobpolicy.storage.db import make_engine
from roles import PEKING, schema_of

pytestmark = pytest.mark.postgres
ITEM = "support.16.a"


@pytest.fixture
def office(province, logins):
    """山西大学's office login, granted by the administrator."""
    name = logins.make("office")
    grant(province, name, institutions=["山西大学"])
    return name


@pytest.fixture
def reviewer(province, logins):
    """山西's reviewer login."""
    name = logins.make("reviewer")
    grant(province, name, province="山西")
    return name


@pytest.fixture
def recorded(province, office, logins):
    """山西大学 and 太原理工大学 each have a record; 山西大学's was recorded and submitted by its office."""
    set_record(province, TAIYUAN_TECH, ITEM, RawChange(status="in_progress", note="太原理工的备注"), actor="王老师")
    own = logins.engine(office)
    set_record(own, SHANXI, ITEM, RawChange(status="done"), actor="张老师")
    submit(own, SHANXI, actor="张老师")
    return own


def count(connection: psycopg.Connection, query: str) -> int:
    return connection.execute(query).fetchone()[0]


def test_an_office_sees_only_its_school(province, office, recorded, logins):
    assert [i.code for i in list_institutions(recorded)] == [SHANXI]
    with logins.connect(office) as raw:
        assert count(raw, "SELECT count(*) FROM institution") == 1
        assert count(raw, f"SELECT count(*) FROM record WHERE institution_code = '{TAIYUAN_TECH}'") == 0
        assert count(raw, f"SELECT count(*) FROM event WHERE institution_code = '{TAIYUAN_TECH}'") == 0
        assert count(raw, f"SELECT count(*) FROM event WHERE institution_code = '{SHANXI}'") == 2
    with province.connect() as connection:  # the administrator sees both schools' events
        assert connection.execute(text("SELECT count(*) FROM event")).scalar_one() == 4


def test_an_office_cannot_change_another_schools_rows(province, office, recorded, logins):
    with pytest.raises(NotFound, match=f"学校 {TAIYUAN_TECH} 不在登录名 {office} 可访问的范围内"):
        set_record(recorded, TAIYUAN_TECH, ITEM, RawChange(status="done"), actor="张老师")
    with logins.connect(office) as raw:
        changed = raw.execute(f"UPDATE record SET note = 'forged' WHERE institution_code = '{TAIYUAN_TECH}'")
        assert changed.rowcount == 0  # the row is not there for this login
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            raw.execute("INSERT INTO record (institution_code, policy_id, item_id, period, status, review, reassess,"
                        " revision, status_at, updated_at, updated_by) VALUES "
                        f"('{TAIYUAN_TECH}', 'gse-2025', 'supply.1.a', 'once', 'done', 'draft', false, 0, now(),"
                        " now(), 'x')")
    with province.connect() as connection:
        assert connection.execute(text(f"SELECT note FROM record WHERE institution_code = '{TAIYUAN_TECH}'")
                                  ).scalar_one() == "太原理工的备注"


@pytest.mark.parametrize("statement", ["UPDATE event SET new = 'forged'", "DELETE FROM event", "TRUNCATE event"])
def test_an_office_can_never_update_or_delete_an_event(province, office, recorded, logins, statement):
    with logins.connect(office) as raw, pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
        raw.execute(statement)
    with province.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM event WHERE new = 'forged'")).scalar_one() == 0
        assert connection.execute(text("SELECT count(*) FROM event")).scalar_one() == 4


@pytest.mark.parametrize("statement", ["UPDATE event SET new = 'forged'", "DELETE FROM event", "TRUNCATE event"])
def test_not_even_the_administrator_can_update_or_delete_an_event(province, recorded, statement):
    with pytest.raises(Exception, match="event log is append-only"), province.begin() as connection:
        connection.execute(text(statement))


def test_an_office_submits_but_cannot_accept_or_return_its_own_submission(province, office, recorded, logins):
    with pytest.raises(AccessDenied, match=f"登录名 {office} 无权这样修改这条记录"):
        accept(recorded, SHANXI, [], actor="张老师")
    with pytest.raises(AccessDenied):
        return_item(recorded, SHANXI, ITEM, "自己退回", actor="张老师")
    with logins.connect(office) as raw, pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
        raw.execute("UPDATE record SET review = 'accepted'")
    with province.connect() as connection:
        assert connection.execute(text(f"SELECT review FROM record WHERE institution_code = '{SHANXI}'")
                                  ).scalar_one() == "submitted"


def test_a_reviewer_accepts_and_returns_in_its_province(province, reviewer, recorded, logins):
    own = logins.engine(reviewer)

    assert len(accept(own, SHANXI, [], actor="李处长").records) == 1
    return_item(own, SHANXI, ITEM, "佐证不足", actor="李处长")

    history = record_history(province, SHANXI, ITEM)
    assert [(e.field, e.new, e.actor, e.login) for e in history.events][-3:] == [
        ("review", "accepted", "李处长", reviewer), ("review", "returned", "李处长", reviewer),
        ("review_reason", "佐证不足", "李处长", reviewer)]


def test_a_reviewer_cannot_act_outside_its_province(province, recorded, logins):
    beijing = logins.make("reviewer")
    grant(province, beijing, province="北京")
    own = logins.engine(beijing)

    with pytest.raises(NotFound, match=f"学校 {SHANXI} 不在登录名 {beijing} 可访问的范围内"):
        accept(own, SHANXI, [], actor="赵处长")
    assert [i.code for i in list_institutions(own)] == [PEKING]
    with logins.connect(beijing) as raw:
        assert raw.execute("UPDATE record SET review = 'accepted'").rowcount == 0
    with province.connect() as connection:
        assert connection.execute(text(f"SELECT review FROM record WHERE institution_code = '{SHANXI}'")
                                  ).scalar_one() == "submitted"


def test_a_reviewer_cannot_change_what_an_office_recorded(province, reviewer, recorded, logins):
    with pytest.raises(AccessDenied, match=f"登录名 {reviewer} 无权"):
        set_record(logins.engine(reviewer), SHANXI, ITEM, RawChange(status="in_progress"), actor="李处长")
    with logins.connect(reviewer) as raw:
        for column in ("status = 'in_progress'", "note = 'forged'", "value = 1"):
            with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
                raw.execute(f"UPDATE record SET {column}")
        with pytest.raises(errors.InsufficientPrivilege):
            raw.execute("INSERT INTO event (record_id, institution_code, policy_id, item_id, period, field, actor,"
                        " at, source, change_id) SELECT id, institution_code, policy_id, item_id, period, 'status',"
                        " 'x', now(), 'x', 'x' FROM record")


@pytest.mark.parametrize("kind", ["office", "reviewer"])
def test_only_the_administrator_loads_a_catalog(province, office, reviewer, logins, kind):
    login = office if kind == "office" else reviewer
    with pytest.raises(AccessDenied, match=f"登录名 {login} 无权加载或修改政策清单"):
        load_policy_version(logins.engine(login), NUMBERED, actor="某人")
    with logins.connect(login) as raw, pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
        raw.execute("UPDATE catalog_item SET weight = 100")
    with logins.connect(login) as raw, pytest.raises(errors.InsufficientPrivilege):
        raw.execute("ALTER TABLE record ADD COLUMN forged text")


def test_each_event_names_the_login_and_the_server_time_whatever_the_client_says(province, office, logins):
    own = logins.engine(office)
    before = datetime.now(UTC)
    with time_machine.travel(datetime(2020, 1, 1, tzinfo=UTC), tick=False):  # the office PC's clock is years behind
        set_record(own, SHANXI, ITEM, RawChange(status="done"), actor="张老师")

    event = record_history(province, SHANXI, ITEM).events[-1]
    assert (event.actor, event.login) == ("张老师", office)
    assert before - timedelta(seconds=5) <= event.at <= datetime.now(UTC) + timedelta(seconds=5)
    with province.connect() as connection:
        status_at = connection.execute(text(f"SELECT status_at FROM record WHERE institution_code = '{SHANXI}'")
                                       ).scalar_one()
    assert status_at.replace(tzinfo=UTC) == event.at


def test_the_server_stamps_the_administrators_events_too(province, postgres_url):
    plain = make_engine(postgres_url.replace("%20-cjobpolicy.client_clock%3Don", ""))  # as deployed: no switch
    try:
        with time_machine.travel(datetime(2020, 1, 1, tzinfo=UTC), tick=False):
            set_record(plain, SHANXI, ITEM, RawChange(status="done"), actor="管理员")
    finally:
        plain.dispose()
    event = record_history(province, SHANXI, ITEM).events[-1]
    assert event.at.year >= 2026 and event.login == "jobpolicy"


def test_a_login_cannot_forge_its_name_or_time_in_plain_sql(province, office, recorded, logins):
    with logins.connect(office) as raw:
        raw.execute("INSERT INTO event (record_id, institution_code, policy_id, item_id, period, field, new, actor,"
                    " login, at, source, change_id) SELECT id, institution_code, policy_id, item_id, period, 'note',"
                    " 'x', '省教育厅', 'jobpolicy', '2001-01-01', 'psql', 'x' FROM record")
        login, at = raw.execute("SELECT login, at FROM event ORDER BY id DESC LIMIT 1").fetchone()
    assert login == office and at.year >= 2026


def _lookalikes(schema: str) -> list[str]:
    """Functions and an operator that would forge the stamps if the triggers found them by ``search_path``."""
    made = [("now()", "timestamptz", "timestamptz '2001-01-01'"),
            ("timezone(text, timestamptz)", "timestamp", "timestamp '2001-01-01'"),
            ("current_setting(text, boolean)", "text", "'on'"),
            ("jobpolicy_is_admin()", "boolean", "true"), ("always(text, text)", "boolean", "true")]
    return [*(f"CREATE FUNCTION {schema}.{name} RETURNS {kind} LANGUAGE sql AS $$ SELECT {value} $$"
              for name, kind, value in made),
            f"CREATE OPERATOR {schema}.= (LEFTARG = text, RIGHTARG = text, FUNCTION = {schema}.always)"]


def test_a_login_cannot_forge_the_time_with_functions_of_its_own_first_on_its_search_path(province, office,
                                                                                             recorded, logins):
    own = f"t_own_{uuid.uuid4().hex[:10]}"
    with province.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {own}; GRANT USAGE, CREATE ON SCHEMA {own} TO {office}"))
    try:
        with logins.connect(office) as raw:
            for statement in _lookalikes(own):
                raw.execute(statement)
            raw.execute(f'SET search_path = {own}, pg_catalog, "{schema_of(province)}"')
            raw.execute("SET jobpolicy.client_clock = on")
            raw.execute("INSERT INTO event (record_id, institution_code, policy_id, item_id, period, field, new,"
                        " actor, at, source, change_id) SELECT id, institution_code, policy_id, item_id, period,"
                        " 'note', 'x', '张老师', '2001-01-01', 'psql', 'x' FROM record")
            raw.execute("UPDATE record SET status = 'in_progress', updated_at = '2001-01-01', "
                        "status_at = '2001-01-01'")
            event_at = raw.execute("SELECT at FROM event ORDER BY id DESC LIMIT 1").fetchone()[0]
            updated_at, status_at = raw.execute("SELECT updated_at, status_at FROM record").fetchone()
    finally:
        with province.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {own} CASCADE"))
    assert event_at.year >= 2026 and updated_at.year >= 2026 and status_at.year >= 2026


def test_grant_list_and_revoke(province, office, reviewer, logins):
    grant(province, office, institutions=[TAIYUAN_TECH])

    listed = {a.login: a for a in list_access(province)}
    assert listed[office].schools == [(SHANXI, "山西大学"), (TAIYUAN_TECH, "太原理工大学")]
    assert listed[reviewer].province == "山西省"
    assert listed["jobpolicy"].kind == "admin"
    assert [a.login for a in list_access(logins.engine(office))] == [office]  # an office sees only itself

    assert revoke(province, office).kind == "office"
    assert office not in {a.login for a in list_access(province)}
    with logins.connect(office) as raw, pytest.raises((errors.InsufficientPrivilege, errors.UndefinedTable)):
        raw.execute("SELECT count(*) FROM record")  # not even the schema is there for it any more


def test_an_administrator_login_reaches_everything(province, recorded, logins):
    name = logins.make("admin")
    grant(province, name, admin=True)
    own = logins.engine(name)

    assert {i.code for i in list_institutions(own)} == {SHANXI, TAIYUAN_TECH, PEKING}
    accept(own, SHANXI, [], actor="管理员")
    assert load_policy_version(own, NUMBERED, actor="管理员") is not None


def test_grant_creates_a_login_with_a_password_that_cannot_break_out(province, logins):
    name = logins.make("x") + "_new"
    logins.remember(name)
    password = "it's'; DROP ROLE jobpolicy; --"

    grant(province, name, institutions=[SHANXI], password=password)

    with psycopg.connect(host=province.url.host, port=province.url.port, dbname=province.url.database, user=name,
                         password=password, options=f"-csearch_path={schema_of(province)}") as raw:
        assert raw.execute("SELECT count(*) FROM institution").fetchone()[0] == 1


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({}, InvalidInput, "请给出一种身份"),
    ({"institutions": [SHANXI], "admin": True}, InvalidInput, "请给出一种身份"),
    ({"province": "火星"}, InvalidInput, "省份"),
    ({"institutions": ["清华大学"]}, NotFound, "已添加的学校中没有"),
])
def test_grant_refusals(province, logins, kwargs, error, message):
    with pytest.raises(error, match=message):
        grant(province, logins.make("office"), **kwargs)


def test_a_login_that_does_not_exist_is_named(province):
    with pytest.raises(NotFound, match="数据库中没有登录名 t_nobody_here"):
        grant(province, "t_nobody_here", institutions=[SHANXI])


def test_a_login_keeps_one_kind(province, office):
    with pytest.raises(InvalidInput, match=f"{office} 已是学校账号"):
        grant(province, office, province="山西")


def test_only_the_administrator_grants(province, office, logins):
    other = logins.make("office")
    with pytest.raises(AccessDenied):
        grant(logins.engine(office), other, institutions=[SHANXI])


def test_on_sqlite_the_file_is_the_boundary(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(AccessNotApplicable, match="文件本身就是访问边界"):
        list_access(engine)
    assert not (tmp_path / "x.db").exists()


def test_an_office_stores_evidence_files_and_reads_only_those_its_records_cite(province, office, logins, tmp_path):
    other = logins.make("office")
    grant(province, other, institutions=[TAIYUAN_TECH])
    paper = tmp_path / "就业工作方案.pdf"
    paper.write_bytes(b"%PDF-1.4 the same file both schools attach")
    set_record(logins.engine(office), SHANXI, ITEM, RawChange(evidence=(str(paper),)), actor="张老师")

    with logins.connect(other) as raw:
        assert count(raw, "SELECT count(*) FROM evidence_blob") == 0  # stored, but not cited by its records
    set_record(logins.engine(other), TAIYUAN_TECH, ITEM, RawChange(evidence=(str(paper),)), actor="王老师")
    with logins.connect(other) as raw:
        assert count(raw, "SELECT count(*) FROM evidence_blob") == 1  # the one stored copy, now cited by it too
    set_record(logins.engine(office), SHANXI, ITEM, RawChange(withdraw=(paper.name,)), actor="张老师")
    with province.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM evidence WHERE withdrawn_at IS NOT NULL")
                                  ).scalar_one() == 1


def test_policies_find_a_rows_school_and_record_by_index_not_by_scanning(province):
    # ``x IN (SELECT …)`` in a policy is checked, for a row written on its own (each row of an executemany), by
    # scanning what the subquery reads until the row's value turns up: 50 ms an evidence row at 300 schools before
    # migration 0008. Policies read a login's schools into an array once per statement, and a record by its id.
    with province.connect() as connection:
        policies = connection.execute(text(
            "SELECT tablename || '.' || policyname, coalesce(qual, '') || ' ' || coalesce(with_check, '') "
            "FROM pg_policies WHERE schemaname = current_schema()")).all()

    assert len(policies) > 20
    assert [name for name, text_ in policies if " IN ( SELECT" in text_] == []
