"""The batched write of judged changes (``change_writes``, what checklist import uses) leaves the same records,
evidence and events as ``apply_change`` (what ``record set`` uses), one change at a time, apart from ids."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from codes import SHANXI, TAIYUAN_TECH
from evidence_samples import PDF, write
from jobpolicy.domain.status import Review
from jobpolicy.services._uow import writing
from jobpolicy.services.change_log import Provenance
from jobpolicy.services.change_writes import write_judged
from jobpolicy.services.lookup import get_institution, resolve_item
from jobpolicy.services.recording import RawChange, apply_change, judge_change, new_record, parse_change
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, Evidence, Record

STAFFING = "support.16.a"  # one-off, with an indicator
GUIDANCE = "guidance.6.a"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def steps(tmp_path):
    """Varied changes, one step after another: (item, what was typed, review it puts the record in, extra)."""
    pdf = write(tmp_path, "名单.pdf", PDF)
    return [
        (STAFFING, RawChange(status="推进中", value="480", owner="王老师"), Review.DRAFT, None),
        (GUIDANCE, RawChange(status="已完成", evidence=("https://example.edu.cn/a",)), Review.SUBMITTED, None),
        (STAFFING, RawChange(value="520", note="核对中", evidence=(str(pdf),)), Review.SUBMITTED, None),
        (STAFFING, RawChange(owner=" ", due="2026-06-30"), Review.DRAFT, "returned"),
        (GUIDANCE, RawChange(status="已完成"), Review.DRAFT, "reassess"),
        (GUIDANCE, RawChange(status="不适用", na_reason="合并办公", withdraw=("https://example.edu.cn/a",)),
         Review.SUBMITTED, None),
        (STAFFING, RawChange(value="520"), Review.DRAFT, None),  # nothing changes: nothing is written
    ]


def prepare(engine, code, item_id, extra):
    """Put the record in the state a step starts from (returned by the province, or flagged for re-assessment)."""
    if extra is None:
        return
    with Session(engine) as session, session.begin():
        record = session.exec(select(Record).where(Record.institution_code == code, Record.item_id == item_id)).one()
        if extra == "returned":
            record.review, record.review_reason = "returned", "请补充名单"
        else:
            record.reassess, record.reassess_reason = True, "版本 1→2：表述修改"


def one_at_a_time(engine, code, item_id, change, how, review):
    with writing(engine) as session:
        school, policy = get_institution(session, code), current_policy(session, None)
        apply_change(session, institution=school, policy=policy, item=resolve_item(policy, school, item_id),
                     period="once", change=change, how=how, review=review)


def batched(engine, code, item_id, change, how, review):
    with writing(engine) as session:
        policy = current_policy(session, None)
        record = next((r for r in repo.records_of(session=session, institution_code=code, policy_id=policy.id,
                                                  item_id=item_id)), None)
        cited = repo.evidence_of(session=session, record_ids=[record.id]) if record is not None else []
        repo.detach(session=session, rows=[*([record] if record else []), *cited])
        created = record is None
        if created:
            record = new_record(institution_code=code, policy_id=policy.id, item_id=item_id, period="once",
                                change=change, how=how)
        judged = judge_change(record, change, how, review=review, created=created,
                              cited=[e for e in cited if e.withdrawn_at is None])
        write_judged(session, [judged])


def table(engine, model, code, *, omit):
    """Rows of one school, as comparable tuples: without ids and the school, in the order they were written."""
    school = Event.institution_code if model is Event else Record.institution_code
    query = select(model).where(school == code)
    if model is Evidence:
        query = query.join(Record, Record.id == Evidence.record_id)
    with Session(engine) as session:
        rows = session.exec(query).all()
        rows = sorted(rows, key=lambda row: row.id)
        skip = {"id", "record_id", "institution_code", "change_id", *omit}
        return [{k: v for k, v in row.model_dump().items() if k not in skip} for row in rows]


def test_batched_writes_equal_one_change_at_a_time(engine, tmp_path):
    for step, (item_id, raw, review, extra) in enumerate(steps(tmp_path)):
        at = START + timedelta(hours=step)
        for code, write_with in ((SHANXI, one_at_a_time), (TAIYUAN_TECH, batched)):
            prepare(engine, code, item_id, extra)
            how = Provenance(actor="张老师", at=at, source="测试")
            write_with(engine, code, item_id, parse_change(raw), how, review)
    server_stamped = () if engine.dialect.name == "sqlite" else ("at", "login")  # PostgreSQL stamps events
    for model, omit in ((Record, ()), (Evidence, ()), (Event, server_stamped)):
        single, many = table(engine, model, SHANXI, omit=omit), table(engine, model, TAIYUAN_TECH, omit=omit)
        assert single == many, model.__name__
        assert single  # the steps wrote rows of every table
    with Session(engine) as session:
        events = session.exec(select(Event).where(Event.institution_code == TAIYUAN_TECH)).all()
    assert len({e.change_id for e in events}) == 6  # one change id per step that changed something
