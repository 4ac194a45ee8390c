"""The writers of many rows (``storage.bulk``) on both back ends: ids in the order given, values through their column
types, and, on PostgreSQL, where a few thousand rows go in one statement, every row still judged as one written on
its own (lengths, foreign keys, row security, the server's stamps)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import exc, select, text
from sqlmodel import Session

from codes import SHANXI, TAIYUAN_TECH
from jobpolicy.errors import AccessDenied
from jobpolicy.services._uow import writing
from jobpolicy.services.access import grant
from jobpolicy.storage import bulk, repo
from jobpolicy.storage.db import make_engine
from jobpolicy.storage.models import Event, Evidence, Record

AT = datetime(2026, 3, 2, 16, 0, tzinfo=timezone(timedelta(hours=8)))  # 08:00 UTC


def record_row(code: str, item: str, **values) -> dict:
    return {"institution_code": code, "policy_id": "gse-2025", "item_id": item, "period": "once",
            "status": "in_progress", "revision": 1, "status_at": AT, "updated_at": AT, "updated_by": "王老师", **values}


def event_row(record_id: int, code: str, field: str, new: str) -> dict:
    return {"record_id": record_id, "institution_code": code, "policy_id": "gse-2025", "item_id": "x",
            "period": "once", "field": field, "old": None, "new": new, "actor": "王老师", "at": AT,
            "source": "test", "change_id": "c" * 32}


def test_new_records_get_their_ids_in_the_order_given_and_their_values_through_their_types(engine):
    items = ["support.16.a", "guidance.6.a", "supply.1.a"]
    with writing(engine) as session:
        ids = bulk.insert_records(session=session, rows=[
            record_row(SHANXI, items[0], value=90), record_row(SHANXI, items[1], value=87.5),
            record_row(TAIYUAN_TECH, items[2], value=None)])
    with Session(engine) as session:
        found = {r.id: r for r in session.execute(select(Record)).scalars()}
    assert [found[i].item_id for i in ids] == items
    assert [found[i].value for i in ids] == [90.0, 87.5, None]  # an int beside a float in one column
    assert {found[i].updated_at for i in ids} == {datetime(2026, 3, 2, 8, 0, tzinfo=UTC)}
    assert {(found[i].review, found[i].reassess) for i in ids} == {("draft", False)}  # the model's defaults


def test_many_new_records_each_get_their_own_id_across_statements(engine):
    # more rows than one statement takes (SQLite: 500 a statement, matched back by their key, not their order)
    periods = [str(2000 + n) for n in range(1201)][::-1]
    with writing(engine) as session:
        ids = bulk.insert_records(session=session, rows=[record_row(SHANXI, "support.16.a", period=period)
                                                         for period in periods])
    with Session(engine) as session:
        found = dict(session.execute(select(Record.id, Record.period)).all())
    assert len(set(ids)) == len(periods)
    assert [found[i] for i in ids] == periods


def test_events_and_evidence_are_appended_and_records_updated(engine):
    with writing(engine) as session:
        first, second = bulk.insert_records(session=session, rows=[record_row(SHANXI, "support.16.a"),
                                                                   record_row(SHANXI, "guidance.6.a")])
        bulk.insert_events(session=session, rows=[event_row(first, SHANXI, "status", "in_progress"),
                                                  event_row(second, SHANXI, "value", "3")])
        bulk.insert_evidence(session=session, rows=[
            {"record_id": second, "kind": "url", "ref": "https://example.edu.cn/a", "name": "a", "added_at": AT,
             "added_by": "王老师"}])
        later = AT + timedelta(days=1)
        bulk.update_records(session=session, rows=[
            {"b_id": second, "b_item": "guidance.6.b", "b_reassess": True, "b_reason": "版本 1→2",
             "b_at": later, "b_by": "基准"},
            {"b_id": first, "b_item": "support.16.a", "b_reassess": False, "b_reason": None, "b_at": later,
             "b_by": "基准"}])
    with Session(engine) as session:
        events = session.execute(select(Event.record_id, Event.field, Event.new).order_by(Event.id)).all()
        evidence = session.execute(select(Evidence.record_id, Evidence.ref, Evidence.stored)).all()
        records = session.execute(select(Record.id, Record.item_id, Record.reassess, Record.reassess_reason,
                                         Record.revision, Record.updated_by).order_by(Record.id)).all()
    assert events == [(first, "status", "in_progress"), (second, "value", "3")]
    assert evidence == [(second, "https://example.edu.cn/a", False)]
    assert records == [(first, "support.16.a", False, None, 2, "基准"),
                       (second, "guidance.6.b", True, "版本 1→2", 2, "基准")]


def test_a_schools_records_and_evidence_are_read_as_plain_rows_of_every_column_through_their_types(engine):
    with writing(engine) as session:
        [record_id] = bulk.insert_records(session=session, rows=[record_row(SHANXI, "support.16.a", value=90)])
        bulk.insert_evidence(session=session, rows=[
            {"record_id": record_id, "kind": "url", "ref": "https://example.edu.cn/a", "name": "a", "added_at": AT,
             "added_by": "王老师"}])
    with writing(engine) as session:
        [record], [proof] = bulk.school_records(session=session, institution_code=SHANXI, policy_id="gse-2025")
    assert isinstance(record, repo.PlainRow) and isinstance(proof, repo.PlainRow)  # nothing tracks their fields
    assert repo.values_of(record, omit=()).keys() == {c.name for c in Record.__table__.columns}
    assert (record.id, record.value, record.updated_at) == (record_id, 90.0, datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    assert (proof.record_id, proof.ref, proof.withdrawn_at) == (record_id, "https://example.edu.cn/a", None)


def test_a_new_plain_row_has_every_column_its_defaults_filling_those_not_given():
    event = repo.plain_row(Event, event_row(7, SHANXI, "status", "done"))
    assert repo.values_of(event, omit=()) == {**event_row(7, SHANXI, "status", "done"), "id": None, "login": "", "batch_id": None}


def test_a_value_too_long_fails_the_write_instead_of_being_cut_short(engine):
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite keeps no length")
    with pytest.raises(exc.DataError, match="too long"), writing(engine) as session:
        bulk.insert_records(session=session, rows=[record_row(SHANXI, "support.16.a", period="p" * 17)])


def test_an_event_of_a_record_that_does_not_exist_fails_the_write(engine):
    with pytest.raises(exc.IntegrityError), writing(engine) as session:
        bulk.insert_events(session=session, rows=[event_row(999_999, SHANXI, "status", "done")])


@pytest.mark.postgres
def test_row_security_and_the_server_stamps_judge_every_row_of_a_statement(province, logins):
    office = logins.make("office")
    grant(province, office, institutions=["山西大学"])
    with writing(province) as session:
        theirs, = bulk.insert_records(session=session, rows=[record_row(TAIYUAN_TECH, "support.16.a")])
    own = logins.engine(office)
    with writing(own) as session:
        mine, = bulk.insert_records(session=session, rows=[record_row(SHANXI, "support.16.a")])
        bulk.insert_events(session=session, rows=[event_row(mine, SHANXI, "status", "in_progress")])
    with pytest.raises(AccessDenied, match=f"登录名 {office} 无权"), writing(own) as session:
        bulk.insert_events(session=session, rows=[event_row(mine, SHANXI, "status", "done"),
                                                  event_row(theirs, TAIYUAN_TECH, "status", "done")])
    with province.connect() as connection:
        written = connection.execute(text("SELECT login, at FROM event")).all()
    assert [login for login, _ in written] == [office]  # the refused statement wrote neither row
    assert written[0].at != AT.astimezone(UTC).replace(tzinfo=None)  # the server's time, not the one sent


@pytest.mark.postgres
def test_events_and_updates_carry_the_servers_login_and_time_unless_an_administrators_session_keeps_its_clock(
        province, postgres_url):
    plain = make_engine(postgres_url.replace("%20-cjobpolicy.client_clock%3Don", ""))  # as deployed: no switch
    sent = AT.astimezone(UTC).replace(tzinfo=None)
    moved = {"b_item": "support.16.b", "b_reassess": True, "b_reason": "x", "b_at": AT, "b_by": "管理员"}
    try:
        with writing(province) as session:  # the tests' switch: the administrator's times are kept
            mine, theirs = bulk.insert_records(session=session, rows=[record_row(SHANXI, "support.16.a"),
                                                                      record_row(TAIYUAN_TECH, "support.16.a")])
            bulk.insert_events(session=session, rows=[event_row(mine, SHANXI, "status", "in_progress")])
            bulk.update_records(session=session, rows=[{**moved, "b_id": theirs}])
        with writing(plain) as session:
            bulk.insert_events(session=session, rows=[event_row(mine, SHANXI, "status", "done")])
            bulk.update_records(session=session, rows=[{**moved, "b_id": mine}])
            login, now = session.execute(text("SELECT session_user, now() AT TIME ZONE 'UTC'")).one()
    finally:
        plain.dispose()
    with province.connect() as connection:
        events = connection.execute(text("SELECT new, login, at FROM event ORDER BY id")).all()
        records = connection.execute(text("SELECT item_id, updated_at, status_at FROM record ORDER BY id")).all()
    assert events == [("in_progress", login, sent), ("done", login, now)]
    assert records == [("support.16.b", now, sent), ("support.16.b", sent, sent)]  # status_at moves with the status
