"""The demo: a database of real 山西 institutions with a year of clearly labelled sample records, and its reports.

Everything it writes goes through the same ``apply_change`` as real edits, with past timestamps, so the demo's
history, as-of views and reports behave exactly as real data would. It is seeded: the same day gives the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.institution_scope import InstitutionScope
from jobpolicy.domain.periods import ONCE, occurrences, period_label
from jobpolicy.domain.status import Review
from jobpolicy.errors import StorageError
from jobpolicy.reference import institution_list
from jobpolicy.services._uow import writing
from jobpolicy.services.change_log import Provenance
from jobpolicy.services.database import init_database
from jobpolicy.services.institutions import add_institution
from jobpolicy.services.labels import DEMO_LABEL, LABEL_KEY
from jobpolicy.services.recording import Change, apply_change, describe_evidence
from jobpolicy.services.review import change_review
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.storage import repo
from jobpolicy.storage.db import make_engine, resolve_url
from jobpolicy.storage.models import Institution

SOURCE = "演示数据生成"
PROVINCE = "山西省"
DEPARTMENTS = ("招生就业处", "教务处", "学生工作部", "人事处", "财务处", "宣传部")
RETURN_REASON = f"{DEMO_LABEL}：佐证材料不完整，请补充盖章文件"
OWNERS = ("张老师", "王老师", "李老师", "赵老师", "刘老师", "陈老师")
# Plausible indicator values around each target: (low, high, decimals)
VALUE_RANGES = {"<=": (0.75, 1.3), ">=": (0.7, 1.4)}


@dataclass(frozen=True)
class DemoResult:
    """What the demo made."""

    database: Path
    institutions: list[str]
    report: Path


def demo_codes(count: int = 12) -> list[str]:
    """A dozen real 山西 普通高校: the first seven 本科 and five 专科 of the bundled list."""
    shanxi = [i for i in institution_list().values() if i.province == PROVINCE and i.is_regular]
    undergraduate = [i.code for i in shanxi if i.level == "本科"][:7]
    vocational = [i.code for i in shanxi if i.level == "专科"][: count - 7]
    return undergraduate + vocational


def _moment(day: date, rng: random.Random) -> datetime:
    """Office hours in Beijing on ``day``, as UTC."""
    return datetime.combine(day, time(rng.randint(1, 9), rng.randint(0, 59)), tzinfo=UTC)


def _value(item: Item, rng: random.Random) -> float | None:
    if item.indicator is None:
        return None
    low, high = VALUE_RANGES.get(item.indicator.comparator, (0.8, 1.2))
    return round(item.indicator.target * rng.uniform(low, high), 1)


def _periods(item: Item, start: date, today: date) -> list[tuple[str, date | None]]:
    if item.cadence is None:
        return [(ONCE, item.due)]
    dues = occurrences(item.cadence, start, today + timedelta(days=200))
    return [(period_label(item.cadence, due), due) for due in dues][-3:]


def _record_item(session: Session, school: Institution, policy: Policy, item: Item, diligence: float,
                 start: date, today: date, rng: random.Random) -> None:
    """Write the plausible history of one item: started, maybe finished with evidence and an indicator value."""
    for period, due in _periods(item, start, today):
        if rng.random() > diligence + 0.15:
            continue
        begun = start + timedelta(days=rng.randint(0, max((today - start).days - 60, 1)))
        if due is not None and begun > due:
            begun = due - timedelta(days=rng.randint(10, 40))
        owner = f"{DEMO_LABEL}·{rng.choice(OWNERS)}"
        how = Provenance(actor=owner, at=_moment(max(begun, start), rng), source=SOURCE)
        values: dict[str, object] = {"status": "in_progress", "owner": owner, "progress": rng.choice((20, 30, 50)),
                                     "department": rng.choice(DEPARTMENTS), "note": f"{DEMO_LABEL}：示例记录"}
        if due is None and rng.random() < 0.25:
            values["due"] = begun + timedelta(days=rng.randint(30, 120))  # an office's own plan date (完成时限)
        apply_change(session, institution=school, policy=policy, item=item, period=period,
                     change=Change(values), how=how)
        finish = begun + timedelta(days=rng.randint(15, 120))
        past_due = due is not None and due < today
        if finish < today and (rng.random() < diligence or (past_due and rng.random() < 0.8)):
            done = {"status": "done", "progress": 100}
            value = _value(item, rng)
            if value is not None:
                done["value"] = value
            link = f"https://demo.example.com/{school.code}/{item.id}/{period}"
            apply_change(session, institution=school, policy=policy, item=item, period=period,
                         change=Change(done, (describe_evidence(link),)),
                         how=Provenance(actor=owner, at=_moment(min(finish, today), rng), source=SOURCE))


def history_start(today: date) -> date:
    """The first day of the demo's seeded history: a year before ``today``; its schools are tracked from then."""
    return today - timedelta(days=365)


def _populate(engine: Engine, codes: list[str], today: date) -> None:
    rng = random.Random(f"jobpolicy-demo-{today.isoformat()}")
    start = history_start(today)
    with writing(engine) as session:
        policy = current_policy(session)
        for index, code in enumerate(codes):
            school = repo.get_institution(session=session, code=code)
            diligence = 0.35 + 0.6 * ((index * 7) % len(codes)) / len(codes)
            for item in policy.institution_items(level=school.level, province=school.province):
                _record_item(session, school, policy, item, diligence, start, today, rng)
        _review(session, codes[:4], today, rng)


def _review(session: Session, codes: list[str], today: date, rng: random.Random) -> None:
    """The first schools submitted last week; the province accepted most and returned one item, and has not yet
    looked at the last school's submission."""
    submitted_at = _moment(today - timedelta(days=7), rng)
    reviewed_at = _moment(today - timedelta(days=2), rng)
    for code in codes:
        records = [r for r in repo.records_of(session=session, institution_code=code) if r.status == "done"]
        office = Provenance(actor=f"{DEMO_LABEL}·{OWNERS[0]}", at=submitted_at, source=SOURCE)
        province = Provenance(actor=f"{DEMO_LABEL}·省教育厅审核员", at=reviewed_at, source=SOURCE)
        events = change_review(records, Review.SUBMITTED, None, office)
        returned = records[:1] if code == codes[0] else []  # the first school gets one item returned
        accepted = [] if code == codes[-1] else records[len(returned):]  # the last one is still waiting
        events += change_review(returned, Review.RETURNED, RETURN_REASON, province)
        events += change_review(accepted, Review.ACCEPTED, None, province)
        repo.add(session=session, rows=[*records, *events])


def build_demo(directory: Path, *, today: date) -> tuple[Engine, list[str]]:
    """Create ``directory/jobpolicy.db`` afresh with the demo data; return its engine and the institutions.

    Raises:
        StorageError: the folder holds a database that is not a demo database (it is never overwritten).
    """
    database = directory / "jobpolicy.db"
    if database.exists():
        _remove_previous_demo(database)
    directory.mkdir(parents=True, exist_ok=True)
    engine = make_engine(resolve_url(str(database)))
    init_database(engine)
    with writing(engine) as session:
        repo.put_setting(session=session, key=LABEL_KEY, value=DEMO_LABEL)
    codes = demo_codes()
    for code in codes:
        # Tracked from the start of the seeded history, so its pages do not count a year of overdue work from
        # before the schools were there.
        add_institution(engine, code, start=history_start(today))
    _populate(engine, codes, today)
    return engine, codes


def _remove_previous_demo(database: Path) -> None:
    engine = make_engine(resolve_url(str(database)))
    try:
        with Session(engine) as session:
            label = repo.get_setting(session=session, key=LABEL_KEY)
    except DBAPIError:  # not one of our databases at all (no setting table, not SQLite)
        label = None
    finally:
        engine.dispose()
    if label != DEMO_LABEL:
        raise StorageError(f"{database} 不是演示数据库，不会覆盖",
                           hint="换一个目录：jobpolicy demo --dir 新目录")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def run_demo(directory: Path, *, today: date | None = None) -> DemoResult:
    """Build the demo database in ``directory`` and write its 山西 summary report to ``directory/reports``.

    Raises:
        StorageError: ``directory`` holds a database that is not a demo database.
    """
    from jobpolicy import clock
    from jobpolicy.services.reports import summary_report

    today = today or clock.today()
    engine, codes = build_demo(directory, today=today)
    try:
        report = summary_report(engine, out_dir=directory / "reports", scope=InstitutionScope(province=PROVINCE),
                                as_of=today)
    finally:
        engine.dispose()
    return DemoResult(directory / "jobpolicy.db", codes, report.index)
