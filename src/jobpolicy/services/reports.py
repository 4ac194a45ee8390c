"""Reports: gather what each page shows (in bulk for the summary), build its context, write the folder.

本期变化 covers the time since the previous report of the same institution in the same folder: the folder keeps
a small state file with each page's as-of date and window. Running again for the same as-of date reuses the same
window, so the output stays the same apart from the generated-at line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine

from jobpolicy import clock
from jobpolicy.domain.file_names import refuse_windows_unsafe, safe_file_name
from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope
from jobpolicy.domain.scoring import Completion
from jobpolicy.domain.standing import effective_start
from jobpolicy.errors import InvalidInput
from jobpolicy.render.html import Page, write_site
from jobpolicy.render.institution_page import institution_page
from jobpolicy.render.record_views import local_time
from jobpolicy.render.report_files import write_file
from jobpolicy.render.summary_page import InstitutionData, summary_page
from jobpolicy.render.summary_workbook import summary_workbook
from jobpolicy.services._uow import reading
from jobpolicy.services.as_of import end_of_day, read_states
from jobpolicy.services.database import DEMO_LABEL, LABEL_KEY
from jobpolicy.services.deadlines import list_deadlines
from jobpolicy.services.diff import diff_records
from jobpolicy.services.history import checklist_lines
from jobpolicy.services.lookup import get_institution
from jobpolicy.services.policies import current_policy
from jobpolicy.services.scope import codes_within, schools_in
from jobpolicy.services.status import SectionStatus, institution_status, overview_status
from jobpolicy.services.tracking import tracking_start
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, Record

STATE_FILE = ".jobpolicy-report.json"
STATE_FORMAT = 1
DEFAULT_WINDOW_DAYS = 30
STALE_DAYS = 60


@dataclass(frozen=True)
class ReportResult:
    """Where the report was written: its first page, how many pages, and the zip and workbook when asked for."""

    index: Path
    pages: int
    archive: Path | None = None
    workbook: Path | None = None


def _page_name(code: str) -> str:
    return f"institutions/{safe_file_name(code, '.html')}"


def _load_state(out_dir: Path) -> dict:
    try:
        data = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("institutions", {}) if data.get("format") == STATE_FORMAT else {}


def _save_state(out_dir: Path, state: dict) -> None:
    text = json.dumps({"format": STATE_FORMAT, "institutions": state}, ensure_ascii=False, indent=1, sort_keys=True)
    (out_dir / STATE_FILE).write_text(text + "\n", encoding="utf-8")


def _window(state: dict, code: str, as_of: date, since: date | None) -> date:
    """Start of 本期变化: ``--since``; else the previous report's as-of date; else 30 days back."""
    if since is not None:
        return since
    previous = state.get(code)
    if previous and previous["as_of"] == as_of.isoformat():
        return date.fromisoformat(previous["since"])  # same report again: same window
    if previous and previous["as_of"] < as_of.isoformat():
        return date.fromisoformat(previous["as_of"])
    return as_of - timedelta(days=DEFAULT_WINDOW_DAYS)


def _sections_of(overview, row) -> list[SectionStatus]:
    return [SectionStatus(sid, title, row.sections.get(sid, Completion())) for sid, title in overview.sections]


@dataclass
class _Gathered:
    """Everything the pages of some institutions show, fetched in bulk."""

    policy: object
    statuses: dict  # code -> SectionStatusView
    institutions: dict
    lines: dict
    obligations: dict
    last_change: dict
    demo: bool
    starts: dict  # code -> the day its tracking started


def _statuses(engine: Engine, *, scope: InstitutionScope, code: str | None, as_of: date):
    """Completion per section for one institution, or for those of a scope from one aggregation."""
    # Today's figures come from the record table; only a past date needs the event log rebuilt.
    as_of = None if as_of == clock.today() else as_of
    if code is not None:
        one = institution_status(engine, code, as_of=as_of)
        return None, {code: SectionStatusView(one.sections, one.total)}
    overview = overview_status(engine, scope=scope, as_of=as_of)
    return overview, {row.code: SectionStatusView(_sections_of(overview, row), row.total)
                      for row in overview.institutions}


def _gather(engine: Engine, statuses: dict, *, code: str | None, scope: InstitutionScope, as_of: date) -> _Gathered:
    deadlines = list_deadlines(engine, institution=code, scope=scope, within_days=30, as_of=as_of, before_start=True,
                               detail=True)
    obligations: dict[str, list] = {}
    for obligation in [*deadlines.obligations, *deadlines.before_start]:
        obligations.setdefault(obligation.code, []).append(obligation)
    until = None if as_of >= clock.today() else end_of_day(as_of)
    with reading(engine) as session:
        policy = current_policy(session)
        codes = list(statuses)
        if code is not None:
            institutions = {code: repo.get_institution(session=session, code=code)}
        else:  # one query for every institution of the report, not one each
            institutions = {i.code: i for i in schools_in(session, scope)}
        covered = codes_within(scope, Record.institution_code, code=code)
        where = [Record.policy_id == policy.id, *([] if covered is None else [covered])]
        events = codes_within(scope, Event.institution_code, code=code)
        states = read_states(session, where=where, until=until, scope=events, evidence=True)
        database_start = tracking_start(session)
        starts = {c: effective_start(institutions[c].tracking_start, database_start) for c in codes}
        last_change = repo.last_change_by_institution(session=session, codes=codes, until=end_of_day(as_of))
        demo = repo.get_setting(session=session, key=LABEL_KEY) == DEMO_LABEL
    by_code: dict[str, list] = {c: [] for c in codes}
    for state in states:
        if state.institution_code in by_code:
            by_code[state.institution_code].append(state)
    lines = {c: checklist_lines(policy, institutions[c], by_code[c], as_of, starts[c]) for c in codes}
    return _Gathered(policy, statuses, institutions, lines, obligations, last_change, demo, starts)


def _institution_pages(engine: Engine, data: _Gathered, *, as_of: date, since: date | None, state: dict,
                       generated_at: str, summary_href: str | None) -> Iterator[Page]:
    """Each institution's page, built only when the writer asks for it: one page in memory at a time."""
    for code, status in data.statuses.items():
        window = _window(state, code, as_of, since)
        changes = diff_records(engine, code, since=window, until=as_of)
        context = institution_page(
            institution=data.institutions[code], policy=data.policy, as_of=as_of, start=data.starts[code],
            status=status,
            lines=data.lines[code], obligations=data.obligations.get(code, []), changes=changes,
            since=window, generated_at=generated_at, demo=data.demo, root="../", summary_href=summary_href)
        state[code] = {"as_of": as_of.isoformat(), "since": window.isoformat()}
        yield Page(_page_name(code), "institution.html", context)


@dataclass(frozen=True)
class SectionStatusView:
    """An institution's completion per section and in total, as the page builder reads it."""

    sections: list[SectionStatus]
    total: Completion


def institution_report(engine: Engine, code: str, *, out_dir: Path, as_of: date | None = None,
                       since: date | None = None) -> ReportResult:
    """Write one institution's page into ``out_dir/institutions/``.

    Raises:
        NotFound: unknown institution.
        ReportError: the folder cannot be written.
    """
    as_of = as_of or clock.today()
    with reading(engine) as session:
        code = get_institution(session, code).code
    _, statuses = _statuses(engine, scope=EVERYWHERE, code=code, as_of=as_of)
    data = _gather(engine, statuses, code=code, scope=EVERYWHERE, as_of=as_of)
    state = _load_state(out_dir)
    pages = _institution_pages(engine, data, as_of=as_of, since=since, state=state,
                               generated_at=_generated_at(), summary_href=None)
    site = write_site(out_dir, [], next(pages))
    _save_state(out_dir, state)
    return ReportResult(site.index, site.pages)


def summary_report(engine: Engine, *, out_dir: Path, scope: InstitutionScope = EVERYWHERE,
                   as_of: date | None = None, stale_days: int = STALE_DAYS, archive: Path | None = None,
                   workbook: Path | None = None) -> ReportResult:
    """Write the summary page (``index.html``) of the schools of a scope (default every stored school) and every
    institution's page, linked from it.

    Args:
        engine: the database.
        out_dir: the report folder.
        scope: which institutions (default every stored one).
        as_of: the day the report answers for (rebuilt from the event log when past); default today.
        stale_days: days without a change that make an institution stale.
        archive: also write the whole report into this zip (``.zip``), page by page as it is written.
        workbook: also write the summary's tables into this Excel workbook (``.xlsx``).

    Raises:
        InvalidInput: a zip or workbook name Windows would refuse, or without its suffix.
        NotFound: a filter that matches no stored school.
        ReportError: the folder, the zip or the workbook cannot be written.
    """
    for path, suffix, option in ((archive, ".zip", "--zip"), (workbook, ".xlsx", "--xlsx")):
        if path is not None:
            _refuse_target(path, suffix, option)
    as_of = as_of or clock.today()
    overview, statuses = _statuses(engine, scope=scope, code=None, as_of=as_of)
    data = _gather(engine, statuses, code=None, scope=scope, as_of=as_of)
    state = _load_state(out_dir)
    generated_at = _generated_at()
    pages = _institution_pages(engine, data, as_of=as_of, since=None, state=state, generated_at=generated_at,
                               summary_href="../index.html")
    schools = [
        InstitutionData(row=row, institution=data.institutions[row.code], href=_page_name(row.code),
                        lines=data.lines[row.code], last_change=data.last_change.get(row.code))
        for row in overview.institutions
    ]
    context = summary_page(policy=data.policy, overview=overview, schools=schools, scope=scope,
                           as_of=as_of, stale_days=stale_days, generated_at=generated_at, demo=data.demo)
    if workbook is not None:  # first: a workbook left open in Excel fails before the pages are written
        write_file(workbook, summary_workbook(context, overview=overview, schools=schools,
                                              obligations=data.obligations), option="--xlsx")
    site = write_site(out_dir, pages, Page("index.html", "summary.html", context), archive=archive)
    _save_state(out_dir, state)
    return ReportResult(site.index, site.pages, site.archive, workbook.resolve() if workbook is not None else None)


def _refuse_target(path: Path, suffix: str, option: str) -> None:
    """Refuse, before anything is written, a file name Windows would not accept or one without its suffix."""
    refuse_windows_unsafe(path, option=option)
    if path.suffix.lower() != suffix:
        raise InvalidInput(f"{option} 的文件名“{path.name}”应以 {suffix} 结尾",
                           hint=f"例如 {option} {safe_file_name(path.stem or '汇总', suffix)}")


def _generated_at() -> str:
    return f"生成于 {local_time(clock.now())}"
