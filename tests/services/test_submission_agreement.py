"""The 报送 rule, said twice: ``domain.submission`` in Python and ``submission_sql`` in SQL agree, now and on any past
day, on SQLite and PostgreSQL; and what changed between two days is counted record by record as the history says.

Each example adds an institution of its own and runs a random history of the upward workflow through the services
(``record set``, ``review submit``, ``review accept``, ``review return``) at random moments. The expected answer is
computed here from that history alone: a small model of what each step does to a record's status and review state,
folded up to the end of the day asked about, judged by the domain rule.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from jobpolicy.clock import CHINA
from jobpolicy.domain.catalog_loader import load_policy_file
from jobpolicy.domain.submission import Submission, review_counts
from jobpolicy.errors import InvalidInput
from jobpolicy.services.as_of import end_of_day
from jobpolicy.services.institutions import add_institution
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.review import accept, return_item, submit
from jobpolicy.services.submission_sql import NONE, submissions
from jobpolicy.services.window_changes import ChangeCounts, changes_between

PATH = Path(__file__).parents[1] / "data" / "catalogs" / "good_standing" / "standing.yaml"
POLICY = load_policy_file(PATH)
LINES = [("guidance.1.a", "once"), ("guidance.1.b", "once"), ("guidance.1.c", "2025"), ("guidance.1.c", "2026")]
STATUSES = ("not_started", "in_progress", "done", "not_applicable")
NOW = datetime(2027, 1, 1, 2, tzinfo=UTC)  # after every moment written
FIRST, LAST = date(2025, 1, 1), date(2026, 6, 30)
codes = (f"98{n:08d}" for n in itertools.count(1))


@dataclass(frozen=True)
class Step:
    """One step of the workflow at a moment in China: ``set`` a status, ``submit``, ``accept`` or ``return``."""

    day: date
    minute: int
    kind: str
    line: int  # which of LINES (set), or whose item (accept one, return)
    status: str
    everything: bool  # accept: all submitted records rather than one item's

    @property
    def moment(self) -> datetime:
        return datetime.combine(self.day, time(self.minute // 60, self.minute % 60), tzinfo=CHINA).astimezone(UTC)


steps = st.builds(Step, day=st.dates(FIRST, LAST), minute=st.integers(0, 1439),
                  kind=st.sampled_from(["set", "set", "submit", "accept", "return"]),
                  line=st.integers(0, len(LINES) - 1), status=st.sampled_from(STATUSES), everything=st.booleans())


def run(engine, code: str, history: list[Step]) -> None:
    """Carry out the history through the services; a step they refuse (nothing to send, accept or return) is
    skipped, as the model skips it."""
    for step in history:
        item, period = LINES[step.line]
        with time_machine.travel(step.moment, tick=False):
            try:
                if step.kind == "set":
                    reason = "本校无此情况" if step.status == "not_applicable" else None
                    set_record(engine, code, item, RawChange(status=step.status, na_reason=reason), actor="学校",
                               period=period, policy_id=POLICY.id)
                elif step.kind == "submit":
                    submit(engine, code, actor="学校", policy_id=POLICY.id)
                elif step.kind == "accept":
                    accept(engine, code, [] if step.everything else [item], actor="省厅", policy_id=POLICY.id)
                else:
                    return_item(engine, code, item, "请补充材料", actor="省厅", policy_id=POLICY.id)
            except InvalidInput:
                pass


def model(history: list[Step], until: datetime) -> dict[tuple[str, str], tuple[str, str]]:
    """Each record's (status, review) at ``until``, from what each step does to it."""
    records: dict[tuple[str, str], tuple[str, str]] = {}
    for step in history:
        if step.moment >= until:
            break
        item = LINES[step.line][0]
        if step.kind == "set":
            key = LINES[step.line]
            if key not in records or records[key][0] != step.status:  # the same status again writes nothing
                records[key] = (step.status, "draft")
        elif step.kind == "submit":  # drafts go; returned records wait until changed
            records = {k: (s, "submitted" if r == "draft" else r) for k, (s, r) in records.items()}
        elif step.kind == "accept":
            chosen = [k for k, (_, r) in records.items() if r == "submitted" and (step.everything or k[0] == item)]
            records.update({k: (records[k][0], "accepted") for k in chosen})
        else:
            chosen = [k for k, (_, r) in records.items() if r in ("submitted", "accepted") and k[0] == item]
            records.update({k: (records[k][0], "returned") for k in chosen})
    return records


def sql_state(engine, code: str, until: datetime | None):
    with Session(engine) as session:
        return submissions(session, POLICY.id, until=until, code=code).get(code, NONE)


def expected_changes(before: dict, after: dict) -> ChangeCounts:
    counts = {"added": 0, "status_changed": 0, "done": 0, "reopened": 0, "submitted": 0, "accepted": 0,
              "returned": 0}
    for key, (status, review) in after.items():
        old_status, old_review = before.get(key, (None, "draft"))
        counts["added"] += key not in before
        counts["status_changed"] += old_status != status
        counts["done"] += status == "done" and old_status != "done"
        counts["reopened"] += old_status == "done" and status != "done"
        for name in ("submitted", "accepted", "returned"):
            counts[name] += review == name and old_review != name
    return ChangeCounts(**counts)


def check(engine, code: str, history: list[Step], day: date, later: date) -> None:
    then = model(history, end_of_day(day))
    found = sql_state(engine, code, end_of_day(day))
    assert found.counts == review_counts(review for _, review in then.values())
    assert found.state is found.counts.state  # the SQL CASE and the domain function, on the same counts
    with Session(engine) as session:
        changed = changes_between(session, POLICY.id, since=end_of_day(day), until=end_of_day(later),
                                  code=code).get(code, ChangeCounts())
    assert changed == expected_changes(then, model(history, end_of_day(later)))


@settings(max_examples=40, deadline=None, database=None,
          # One database for all examples is the point: each example adds an institution of its own.
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=st.lists(steps, min_size=3, max_size=14), asked=st.lists(st.tuples(st.dates(FIRST, LAST), st.dates(FIRST, LAST)),
                                                           min_size=1, max_size=3))
def test_sql_and_python_judge_every_school_alike(standing_engine, history, asked):
    engine, code = standing_engine, next(codes)
    add_institution(engine, code, name=f"示例学院{code}", province="山西省", level="本科", start=FIRST)
    history = sorted(history, key=lambda s: s.moment)
    run(engine, code, history)
    with time_machine.travel(NOW, tick=False):
        for first, second in asked:
            check(engine, code, history, min(first, second), max(first, second))
        now = model(history, NOW)
        assert sql_state(engine, code, None).counts == review_counts(review for _, review in now.values())
        assert sql_state(engine, code, None).state is review_counts(r for _, r in now.values()).state


def test_the_examples_meet_every_state(standing_engine):
    """The cases above are not vacuous: one fixed history passes through all four states."""
    engine, code = standing_engine, next(codes)
    add_institution(engine, code, name="示例学院", province="山西省", level="本科", start=FIRST)
    day = date(2025, 3, 1)
    history = [Step(day, 600, "set", 0, "done", False), Step(day.replace(day=2), 600, "set", 1, "in_progress", False),
               Step(day.replace(day=3), 600, "submit", 0, "", False),
               Step(day.replace(day=4), 600, "accept", 0, "", True),
               Step(day.replace(day=5), 600, "return", 1, "", False),
               Step(day.replace(day=6), 600, "set", 1, "done", False),
               Step(day.replace(day=7), 600, "set", 0, "in_progress", False),
               Step(day.replace(day=8), 600, "submit", 0, "", False),
               Step(day.replace(day=9), 600, "return", 0, "", False)]  # a returned while b waits for review
    run(engine, code, history)
    with time_machine.travel(NOW, tick=False):
        states = [sql_state(engine, code, end_of_day(date(2025, 3, d))).state for d in range(1, 10)]
        assert states == [Submission.NOT_SUBMITTED, Submission.NOT_SUBMITTED, Submission.PENDING,
                          Submission.ACCEPTED, Submission.RETURNED, Submission.ACCEPTED,
                          Submission.NOT_SUBMITTED,  # a changed too: both drafts, nothing sent stands
                          Submission.PENDING, Submission.RETURNED]
        for d in range(1, 10):
            check(engine, code, history, date(2025, 3, d), date(2025, 3, 9))
        # 3 March to 6 March: one record accepted (a), one returned then changed, so a draft again (b).
        check(engine, code, history, date(2025, 3, 3), date(2025, 3, 6))
        with Session(engine) as session:
            changed = changes_between(session, POLICY.id, since=end_of_day(date(2025, 3, 3)),
                                      until=end_of_day(date(2025, 3, 6)), code=code)
        assert changed[code] == ChangeCounts(status_changed=1, done=1, accepted=1)
