"""Reports: gather what each page shows (in bulk for the summary), build its context, write the folder.

本期变化 on a school's page, and the summary's comparison with an earlier date, cover the time since the previous
report in the same folder (unless ``--since`` says otherwise; without a previous report, 30 days). The folder keeps a
small state file, ``.jobpolicy-report.json`` (``services.report_state``), with the as-of date and window of each
school's page and of each summary (by its scope): the previous report is the one the reader has, so the folder, not
the database, remembers it. Running again for the same as-of date reuses the same window, so the output stays the
same apart from the generated-at line.

The state file also lists the files each run wrote (``services.report_ownership``): once every page of a run is in
place, the files its previous run wrote and it no longer does (a school out of a narrower scope, its measure and item
pages, evidence no page cites) are removed, so the folder, like a ``--zip``, holds the current report only. A file
the tool did not write and record is never removed, nor anything through a link. A state file of an older version,
without the list, removes nothing; the list is written from then on.

A summary also writes a page per measure and per item across all its schools (``render.measure_pages``), from the
checklist lines it has already read for the schools' pages: no query more, and written one page at a time; and, when
provincial plans are mapped onto its policy (or it is a plan's), a coverage page per plan (``render.coverage_page``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import chain
from pathlib import Path

from sqlalchemy import Engine

from jobpolicy import clock
from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.file_names import refuse_windows_unsafe, safe_file_name
from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope
from jobpolicy.domain.line_tally import SummaryTallies
from jobpolicy.domain.scoring import Completion
from jobpolicy.domain.standing import effective_start
from jobpolicy.errors import InvalidInput
from jobpolicy.render.coverage_page import coverage_page, coverage_page_name, target_notes
from jobpolicy.render.html import FileCopy, Page, write_site
from jobpolicy.render.institution_page import institution_page
from jobpolicy.render.measure_pages import LineIndex, measure_and_item_pages
from jobpolicy.render.province_views import Then
from jobpolicy.render.record_views import local_time
from jobpolicy.render.report_files import write_file
from jobpolicy.render.school_lines import InstitutionData
from jobpolicy.render.site import SUMMARY_PAGE, Common, institution_page_name
from jobpolicy.render.summary_page import summary_page
from jobpolicy.render.summary_workbook import summary_workbook
from jobpolicy.services._uow import one_snapshot, reading
from jobpolicy.services.as_of import end_of_day
from jobpolicy.services.coverage import current_coverages
from jobpolicy.services.deadlines import list_deadlines
from jobpolicy.services.diff import diff_many
from jobpolicy.services.history import checklist_lines
from jobpolicy.services.labels import DEMO_LABEL, LABEL_KEY
from jobpolicy.services.lookup import get_institution
from jobpolicy.services.mapped_states import read_counted_states, read_partial_states
from jobpolicy.services.report_evidence import evidence_copies
from jobpolicy.services.report_ownership import SUMMARY, institution_owner
from jobpolicy.services.report_state import load_state, settle, summary_key, window_of
from jobpolicy.services.scope import codes_within, schools_in
from jobpolicy.services.status import SectionStatus, institution_status, overview_of, overview_status
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.services.submission_sql import NONE, submissions
from jobpolicy.services.summary_tallies import SummaryCounts, summary_counts
from jobpolicy.services.tracking import tracking_start
from jobpolicy.services.window_changes import changes_between
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, Institution, Record

STALE_DAYS = 60


@dataclass(frozen=True)
class ReportResult:
    """Where the report was written: its first page, how many pages, and the zip and workbook when asked for."""

    index: Path
    pages: int
    archive: Path | None = None
    workbook: Path | None = None


def _sections_of(overview, row) -> list[SectionStatus]:
    return [SectionStatus(sid, title, row.sections.get(sid, Completion())) for sid, title in overview.sections]


@dataclass
class _Gathered:
    """Everything the pages of some institutions show, fetched in bulk."""

    policy: Policy
    statuses: dict  # code -> SectionStatusView
    institutions: dict
    lines: dict
    obligations: dict
    demo: bool
    starts: dict  # code -> the day its tracking started
    coverages: list  # how the plans mapped onto the policy cover it (services.coverage.current_coverages)


def _status(engine: Engine, code: str, *, as_of: date, policy_id: str | None) -> dict:
    """One institution's completion per section, by its code."""
    # Today's figures come from the record table; only a past date needs the event log rebuilt.
    one = institution_status(engine, code, as_of=None if as_of == clock.today() else as_of, policy_id=policy_id)
    return {code: SectionStatusView(one.sections, one.total)}


@dataclass
class _Basis:
    """What reading the checklist lines of a report's schools needs, read once: the policy, the schools, the day each
    started, the moment to rebuild (None: now), and each level and province's checklist (asked once, not per school)."""

    policy: Policy
    institutions: dict[str, Institution]
    starts: dict[str, date]
    as_of: date
    until: object
    checklists: dict[tuple[str, str], list] = field(default_factory=dict)

    def checklist(self, school: Institution, items: set[str] | None) -> list:
        key = (school.level, school.province)
        if key not in self.checklists:
            self.checklists[key] = self.policy.institution_items(level=school.level, province=school.province)
        found = self.checklists[key]
        return found if items is None else [item for item in found if item.id in items]


def _basis(session, policy: Policy, institutions: dict[str, Institution], as_of: date) -> _Basis:
    database_start = tracking_start(session)
    starts = {c: effective_start(school.tracking_start, database_start) for c, school in institutions.items()}
    return _Basis(policy, institutions, starts, as_of, _until(as_of))


def _read_lines(session, basis: _Basis, codes: list[str], items: set[str] | None = None,
                scope: InstitutionScope | None = None) -> dict[str, list]:
    """The checklist lines of the schools ``codes`` (of their ``items`` only, if given), from one query for their
    states (evidence included) and one for the partial evidence of mapped items; ``scope``, when given, selects
    the same schools as ``codes`` (all of the scope's) in SQL."""
    if scope is None:
        wanted = sorted(codes)
        where, events = [Record.institution_code.in_(wanted)], Event.institution_code.in_(wanted)
    else:
        covered = codes_within(scope, Record.institution_code)
        where, events = [] if covered is None else [covered], codes_within(scope, Event.institution_code)
    states = read_counted_states(session, basis.policy, where=where, until=basis.until, scope=events, evidence=True,
                                 items=items)
    partial = read_partial_states(session, basis.policy, where=where, until=basis.until, scope=events)
    by_code: dict[str, list] = {c: [] for c in codes}
    partial_by_code: dict[str, list] = {c: [] for c in codes}
    for found, grouped in ((states, by_code), (partial, partial_by_code)):
        for state in found:
            if state.institution_code in grouped and (items is None or state.item_id in items):
                grouped[state.institution_code].append(state)
    return {c: checklist_lines(basis.policy, basis.institutions[c], by_code[c], basis.as_of, basis.starts[c],
                               partial_by_code[c], items=basis.checklist(basis.institutions[c], items))
            for c in codes}


def _gather(engine: Engine, basis: _Basis, statuses: dict, codes: list[str], *, demo: bool, coverages: list,
            policy_id: str | None) -> _Gathered:
    """The lines, obligations and status of the schools ``codes``: a school's report, or a part of a summary's."""
    one = codes[0] if len(codes) == 1 else None
    deadlines = list_deadlines(engine, institution=one, codes=None if one else codes, within_days=30,
                               as_of=basis.as_of, before_start=True, detail=True, policy_id=policy_id)
    obligations: dict[str, list] = {}
    for obligation in [*deadlines.obligations, *deadlines.before_start]:
        obligations.setdefault(obligation.code, []).append(obligation)
    with reading(engine) as session:
        lines = _read_lines(session, basis, codes)
    return _Gathered(basis.policy, {c: statuses[c] for c in codes}, basis.institutions, lines, obligations, demo,
                     basis.starts, coverages)


def _institution_pages(engine: Engine, data: _Gathered, *, as_of: date, since: date | None, state: dict,
                       generated_at: str, summary: bool) -> Iterator[Page]:
    """Each school's page, built as it is written; its window is remembered in ``state``."""
    windows = {code: window_of(state.get(code), as_of, since)[0] for code in data.statuses}
    # One snapshot for every school's changes, not one per school.
    institutions = {code: data.institutions[code] for code in data.statuses}
    diffs = diff_many(engine, institutions, windows, until=as_of, policy_id=data.policy.id)
    for code, status in data.statuses.items():
        window, changes = windows[code], diffs.pop(code)
        context = institution_page(
            institution=data.institutions[code], policy=data.policy, as_of=as_of, start=data.starts[code],
            status=status,
            lines=data.lines[code], obligations=data.obligations.get(code, []), changes=changes,
            since=window, generated_at=generated_at, demo=data.demo, root="../",
            summary_href=f"../{SUMMARY_PAGE}" if summary else None, measure_links=summary,
            target_notes=target_notes(data.policy.id, data.coverages))
        state[code] = {"as_of": as_of.isoformat(), "since": window.isoformat()}
        yield Page(institution_page_name(code), "institution.html", context)


@dataclass(frozen=True)
class SectionStatusView:
    """An institution's completion per section and in total, as the page builder reads it."""

    sections: list[SectionStatus]
    total: Completion


def institution_report(engine: Engine, code: str, *, out_dir: Path, as_of: date | None = None,
                       since: date | None = None, policy_id: str | None = None) -> ReportResult:
    """Write one institution's page into ``out_dir/institutions/``.

    Raises:
        NotFound: unknown institution.
        ReportError: the folder cannot be written.
    """
    as_of = as_of or clock.today()
    with one_snapshot(engine):  # counts, lines and changes as of one moment, whoever writes meanwhile
        with reading(engine) as session:
            school = get_institution(session, code)
            code, policy = school.code, current_policy(session, policy_id)
            basis = _basis(session, policy, {code: school}, as_of)
            demo, coverages = _is_demo(session), current_coverages(session, policy)
        statuses = _status(engine, code, as_of=as_of, policy_id=policy_id)
        data = _gather(engine, basis, statuses, [code], demo=demo, coverages=coverages, policy_id=policy_id)
        state = load_state(out_dir)
        pages = _institution_pages(engine, data, as_of=as_of, since=since, state=state["institutions"],
                                   generated_at=_generated_at(), summary=False)
        site = write_site(out_dir, [], next(pages), files=evidence_copies(engine, data.lines[code]))
    settle(out_dir, state, institution_owner(code), site.written)
    return ReportResult(site.index, site.pages)


def summary_report(engine: Engine, *, out_dir: Path, scope: InstitutionScope = EVERYWHERE,
                   as_of: date | None = None, since: date | None = None, stale_days: int = STALE_DAYS,
                   archive: Path | None = None, workbook: Path | None = None,
                   policy_id: str | None = None) -> ReportResult:
    """Write the summary page (``index.html``) of the schools of a scope (default every stored school), every
    school's page, and a page per measure and per item across the schools, all linked from the summary.

    The summary page is counted in SQL (``services.status``, ``services.summary_tallies``); the schools' pages
    are built and written ``CHUNK`` schools at a time, then the measure and item pages one measure at a time, so
    the memory a report takes does not grow with the number of schools.

    Args:
        engine: the database.
        out_dir: the report folder.
        scope: which institutions (default every stored one).
        as_of: the day the report answers for (rebuilt from the event log when past); default today.
        since: the date to compare with (the end of that day): rates then and now, and what changed since; also
            the start of each school's 本期变化. Default: the previous summary of the same scope's as-of date in
            ``out_dir``, else 30 days before ``as_of``.
        stale_days: days without a change that make an institution stale.
        archive: also write the whole report into this zip (``.zip``), page by page as it is written.
        workbook: also write the summary's tables into this Excel workbook (``.xlsx``).
        policy_id: which policy, when several are loaded (a province's plan beside the opinion).

    Raises:
        InvalidInput: ``since`` after ``as_of``; a zip or workbook name Windows would refuse, or without its suffix.
        NotFound: a filter that matches no stored school.
        ReportError: the folder, the zip or the workbook cannot be written.
    """
    for path, suffix, option in ((archive, ".zip", "--zip"), (workbook, ".xlsx", "--xlsx")):
        if path is not None:
            _refuse_target(path, suffix, option)
    as_of = as_of or clock.today()
    if since is not None and since > as_of:
        raise InvalidInput(f"--since {since.isoformat()} 晚于数据截至日期 {as_of.isoformat()}",
                           hint="--since 应早于 --as-of（默认今天）")
    with one_snapshot(engine):  # every figure and page as of one moment, whoever writes meanwhile
        state = load_state(out_dir)
        key = summary_key(scope)
        window, why = window_of(state["summaries"].get(key), as_of, since)
        with reading(engine) as session:
            policy, listed = current_policy(session, policy_id), schools_in(session, scope)
            now, counts = _counted(session, policy, scope, as_of)
            overview, tallies = overview_of(policy, as_of, scope, listed, counts.sections), counts.tallies
            statuses = {row.code: SectionStatusView(_sections_of(overview, row), row.total)
                        for row in overview.institutions}
            basis = _basis(session, policy, {i.code: i for i in listed}, as_of)
            last_change = repo.last_change_by_institution(session=session, codes=list(statuses),
                                                          until=end_of_day(as_of))
            demo, coverages = _is_demo(session), current_coverages(session, policy)
        then = _compare(engine, policy, scope, as_of, window, why)
        common = Common(policy, as_of, _generated_at(), demo)
        schools = [InstitutionData(row=row, last_change=last_change.get(row.code),
                                   submission=now.get(row.code, NONE).state, reviews=now.get(row.code, NONE).counts)
                   for row in overview.institutions]
        context = summary_page(common=common, overview=overview, schools=schools, tallies=tallies, then=then,
                               scope=scope, stale_days=stale_days, coverages=coverages)
        if workbook is not None:  # first: a workbook left open in Excel fails before the pages are written
            obligations = _obligations(engine, scope=scope, as_of=as_of, policy_id=policy_id)
            write_file(workbook, summary_workbook(context, overview=overview, schools=schools, tallies=tallies,
                                                  obligations=obligations), option="--xlsx")
        pages = _school_parts(engine, basis, statuses, demo=demo, coverages=coverages, policy_id=policy_id,
                              since=since, state=state["institutions"], generated_at=common.generated_at)
        measures = _measure_pages(engine, basis, common, schools, scope=scope, tallies=tallies)
        coverage_pages = (Page(coverage_page_name(c), "coverage.html", coverage_page(common, c)) for c in coverages)
        site = write_site(out_dir, chain(pages, measures, coverage_pages), Page(SUMMARY_PAGE, "summary.html", context),
                          archive=archive)
    state["summaries"][key] = {"as_of": as_of.isoformat(), "since": window.isoformat(), "why": why}
    settle(out_dir, state, SUMMARY, site.written)
    return ReportResult(site.index, site.pages, site.archive, workbook.resolve() if workbook is not None else None)


CHUNK = 200  # schools whose lines, obligations and changes are read together, their pages written, then dropped


def _school_parts(engine: Engine, basis: _Basis, statuses: dict, *, demo: bool, coverages: list,
                  policy_id: str | None, since: date | None, state: dict,
                  generated_at: str) -> Iterator[Page | FileCopy]:
    """Every school's page, ``CHUNK`` schools at a time, each part's evidence copies before its pages (a file
    cited by several schools is copied once)."""
    copied: set[str] = set()
    codes = list(statuses)
    for at in range(0, len(codes), CHUNK):
        data = _gather(engine, basis, statuses, codes[at:at + CHUNK], demo=demo, coverages=coverages,
                       policy_id=policy_id)
        for name, content in evidence_copies(engine, chain.from_iterable(data.lines.values()), skip=copied):
            copied.add(name)
            yield FileCopy(name, content)
        yield from _institution_pages(engine, data, as_of=basis.as_of, since=since, state=state,
                                      generated_at=generated_at, summary=True)


def _measure_pages(engine: Engine, basis: _Basis, common: Common, schools: list[InstitutionData], *,
                   scope: InstitutionScope, tallies: SummaryTallies) -> Iterator[Page]:
    """Each measure's page and its items' pages, one measure at a time: the counted lines of its items at every
    school read in one query, its pages written, the lines dropped."""
    codes = [school.row.code for school in schools]
    for measure in basis.policy.measures():
        items = {item.id for item in measure.items if tallies.has(item.id)}
        if not items:
            continue
        with reading(engine) as session:
            lines = _read_lines(session, basis, codes, items, scope=scope)
        index = LineIndex([replace(school, lines=lines[school.row.code]) for school in schools])
        yield from measure_and_item_pages(common, index)


def _obligations(engine: Engine, *, scope: InstitutionScope, as_of: date, policy_id: str | None) -> dict:
    """Every obligation of the scope's schools by code (the workbook's overdue sheet)."""
    deadlines = list_deadlines(engine, scope=scope, within_days=30, as_of=as_of, before_start=True, detail=True,
                               policy_id=policy_id)
    found: dict[str, list] = {}
    for obligation in deadlines.obligations:
        found.setdefault(obligation.code, []).append(obligation)
    return found


def _is_demo(session) -> bool:
    return repo.get_setting(session=session, key=LABEL_KEY) == DEMO_LABEL


def _until(as_of: date) -> datetime | None:
    """The moment a past as-of date ends, up to which the event log is rebuilt; None for today or later, whose
    figures come from the record table."""
    return None if as_of >= clock.today() else end_of_day(as_of)


def _counted(session, policy: Policy, scope: InstitutionScope, as_of: date) -> tuple[dict, SummaryCounts]:
    """Each school's 报送 state on ``as_of``, then the page's counts from one pass over the lines: its rates per
    school and section, and its tables, which take the reporting schools apart."""
    until = _until(as_of)
    now = submissions(session, policy.id, until=until, scope=scope)
    counts = summary_counts(session, policy, scope=scope, on=as_of, as_of=None if until is None else as_of,
                            reporting={code for code, found in now.items() if found.state.reported})
    return now, counts


def _compare(engine: Engine, policy: Policy, scope: InstitutionScope, as_of: date, since: date, why: str) -> Then:
    """The figures at the end of ``since`` (one aggregation for the rates, one query for the 报送 states) and what
    changed from then to ``as_of`` (one query)."""
    then_status = overview_status(engine, scope=scope, as_of=since, policy_id=policy.id)
    until = _until(as_of)
    with reading(engine) as session:
        before = submissions(session, policy.id, until=end_of_day(since), scope=scope)
        changes = changes_between(session, policy.id, since=end_of_day(since), until=until, scope=scope)
    return Then(since, why, {row.code: row.total for row in then_status.institutions},
                {code: found.state for code, found in before.items()}, changes)


def _refuse_target(path: Path, suffix: str, option: str) -> None:
    """Refuse, before anything is written, a file name Windows would not accept or one without its suffix."""
    refuse_windows_unsafe(path, option=option)
    if path.suffix.lower() != suffix:
        raise InvalidInput(f"{option} 的文件名“{path.name}”应以 {suffix} 结尾",
                           hint=f"例如 {option} {safe_file_name(path.stem or '汇总', suffix)}")


def _generated_at() -> str:
    return f"生成于 {local_time(clock.now())}"
