"""Loading a new policy version: records carried, flagged, moved (with history), split, merged, left; none dropped."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlmodel import Session, select

from codes import SHANXI, TAIYUAN_TECH
from jobpolicy.domain.catalog import Actor, Cadence, Item
from jobpolicy.errors import CatalogError, CatalogInvalid
from jobpolicy.services.history import record_history, show_records
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.record_migration import Flagged, Moved, RecordRef, period_note
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.storage.models import Event, Evidence, PolicyVersion, Record

DEMO = "demo-2025"
RECORDED = datetime(2025, 6, 2, 2, 0, tzinfo=UTC)
LOADED = datetime(2025, 9, 1, 2, 0, tzinfo=UTC)


def load(engine, path, actor="李老师"):
    with time_machine.travel(LOADED, tick=False):
        return load_policy_version(engine, path, actor=actor)


def record(engine, code, item, period=None, **fields):
    with time_machine.travel(RECORDED, tick=False):
        return set_record(engine, code, item, RawChange(**fields), actor="张老师", period=period, policy_id=DEMO).record


def snapshot(engine):
    """Every record and every event as plain tuples."""
    with Session(engine) as session:
        records = {r.id: (r.institution_code, r.item_id, r.period, r.status, r.revision, r.reassess)
                   for r in session.exec(select(Record).where(Record.policy_id == DEMO))}
        events = {e.id: (e.record_id, e.item_id, e.field, e.old, e.new, e.at)
                  for e in session.exec(select(Event).order_by(Event.id))}
        evidence = {e.id: (e.record_id, e.ref) for e in session.exec(select(Evidence))}
    return records, events, evidence


def left_behind(engine, item):
    """Store a record of 山西大学 for ``item`` as if an earlier version had left it there; return its id."""
    with Session(engine) as session, session.begin():
        earlier = Record(institution_code=SHANXI, policy_id=DEMO, item_id=item, period="once",
                         status="in_progress", status_at=RECORDED, updated_at=RECORDED)
        session.add(earlier)
        session.flush()
        return earlier.id


def get(engine, record_id):
    with Session(engine) as session:
        return session.get(Record, record_id)


def current_versions(engine):
    with Session(engine) as session:
        rows = session.exec(select(PolicyVersion).where(PolicyVersion.is_current)).all()
        return sorted(f"{v.policy_id}@{v.version}" for v in rows)


@pytest.fixture
def versions(catalogs):
    return catalogs / "good_versions"


@pytest.fixture
def split(catalogs):
    return catalogs / "good_split"


@pytest.fixture
def demo_v1(engine, versions):
    """demo v1 loaded, with records of guidance.1.a, 1.b and 1.c for 山西大学."""
    report = load(engine, versions / "demo-v1.yaml")
    assert (report.loaded, report.previous_key) == (True, None)
    return {
        "a": record(engine, SHANXI, "guidance.1.a", status="推进中", value="36"),
        "b": record(engine, SHANXI, "guidance.1.b", status="已完成", owner="王老师",
                    evidence=("https://jy.sxu.edu.cn/base",)),
        "c": record(engine, SHANXI, "guidance.1.c", period="2025", status="已完成"),
    }


def test_the_first_version_of_a_policy_moves_nothing(engine, versions):
    report = load(engine, versions / "demo-v1.yaml")
    assert (report.policy_key, report.loaded, report.previous_key) == ("demo-2025@1", True, None)
    assert report.carried == report.flagged == report.moved == report.left == []
    assert current_versions(engine) == ["demo-2025@1", "gse-2025@2025.2"]


def test_new_version_carries_flags_and_moves(engine, versions, demo_v1):
    report = load(engine, versions / "demo-v2.yaml")
    assert (report.policy_key, report.loaded, report.previous_key) == ("demo-2025@2", True, "demo-2025@1")
    assert report.carried == [RecordRef(SHANXI, "guidance.1.c", "2025")]
    assert report.flagged == [
        Flagged(RecordRef(SHANXI, "guidance.1.a", "once"),
                "版本 1→2：指标由“课程学时 ≥ 36 学时”改为“课程学时 ≥ 38 学时”"),
        Flagged(RecordRef(SHANXI, "guidance.1.e", "once"),
                "版本 1→2：guidance.1.b 改为 guidance.1.e；标题由“建设就业实习基地”改为“建设就业实习与见习基地”；"
                "佐证材料由“实习基地协议”改为“实习基地协议、见习基地名单”"),
    ]
    assert report.moved == [Moved(SHANXI, "guidance.1.b", "guidance.1.e", "once")]
    assert report.left == []
    assert current_versions(engine) == ["demo-2025@2", "gse-2025@2025.2"]


def test_flagged_records_keep_their_work_and_show_the_reason(engine, versions, demo_v1):
    load(engine, versions / "demo-v2.yaml")
    reworded = get(engine, demo_v1["a"].id)
    assert (reworded.item_id, reworded.status, reworded.value, reworded.reassess) == (
        "guidance.1.a", "in_progress", 36.0, True)
    assert reworded.reassess_reason == "版本 1→2：指标由“课程学时 ≥ 36 学时”改为“课程学时 ≥ 38 学时”"
    assert (reworded.revision, reworded.updated_by, reworded.updated_at) == (2, "李老师", LOADED)
    view = show_records(engine, SHANXI, item_id="guidance.1.a", policy_id=DEMO, as_of=date(2025, 9, 30))
    assert [(line.state.reassess, line.state.reassess_reason) for line in view.lines] == [
        (True, reworded.reassess_reason)]


def test_carried_record_is_untouched(engine, versions, demo_v1):
    before = get(engine, demo_v1["c"].id)
    load(engine, versions / "demo-v2.yaml")
    after = get(engine, demo_v1["c"].id)
    assert (after.revision, after.updated_at, after.reassess) == (before.revision, before.updated_at, False)


def test_moved_record_keeps_its_id_status_evidence_and_history(engine, versions, demo_v1):
    moved_id = demo_v1["b"].id
    load(engine, versions / "demo-v2.yaml")
    moved = get(engine, moved_id)
    assert (moved.item_id, moved.status, moved.owner, moved.review) == ("guidance.1.e", "done", "王老师", "draft")
    history = record_history(engine, SHANXI, "guidance.1.e", policy_id=DEMO)
    assert [(e.item_id, e.field, e.old, e.new, e.actor, e.source) for e in history.events] == [
        ("guidance.1.b", "status", None, "done", "张老师", "命令 record set"),
        ("guidance.1.b", "owner", None, "王老师", "张老师", "命令 record set"),
        ("guidance.1.b", "evidence", None, "https://jy.sxu.edu.cn/base", "张老师", "命令 record set"),
        ("guidance.1.e", "item_id", "guidance.1.b", "guidance.1.e", "李老师", "政策版本 demo-2025@2"),
        ("guidance.1.e", "reassess", "false", "true", "李老师", "政策版本 demo-2025@2"),
        ("guidance.1.e", "reassess_reason", None, moved.reassess_reason, "李老师", "政策版本 demo-2025@2"),
    ]
    assert {e.record_id for e in history.events} == {moved_id}
    assert len({e.change_id for e in history.events if e.source.startswith("政策版本")}) == 1
    [line] = show_records(engine, SHANXI, item_id="guidance.1.e", policy_id=DEMO).lines
    assert [e.ref for e in line.state.evidence] == ["https://jy.sxu.edu.cn/base"]


def test_moved_record_shows_under_its_new_item_for_dates_before_the_move(engine, versions, demo_v1):
    load(engine, versions / "demo-v2.yaml")
    [line] = show_records(engine, SHANXI, item_id="guidance.1.e", policy_id=DEMO, as_of=date(2025, 7, 1)).lines
    assert (line.state.status, line.state.owner, line.state.reassess) == ("done", "王老师", False)


def test_nothing_is_deleted_and_events_only_grow(engine, versions, demo_v1):
    records, events, evidence = snapshot(engine)
    load(engine, versions / "demo-v2.yaml")
    records_after, events_after, evidence_after = snapshot(engine)
    assert records_after.keys() == records.keys()
    assert {i: r[3] for i, r in records_after.items()} == {i: r[3] for i, r in records.items()}  # statuses
    assert {i: events_after[i] for i in events} == events  # every earlier event is still there, unchanged
    assert len(events_after) == len(events) + 5  # a: reassess ×2; b: item_id + reassess ×2
    assert evidence_after == evidence


def test_split_merge_and_removal(engine, split):
    load(engine, split / "demo-v1.yaml")
    ids = {
        "a": record(engine, SHANXI, "guidance.1.a", status="已完成", owner="王老师",
                    evidence=("https://jy.sxu.edu.cn/guide",)).id,
        # recorded before guidance.1.b, so that replaces order, not record order, decides which one moves
        "c": record(engine, SHANXI, "guidance.1.c", status="已完成").id,
        "b": record(engine, SHANXI, "guidance.1.b", status="推进中").id,
        "d": record(engine, SHANXI, "guidance.1.d", status="推进中").id,
        "k": record(engine, SHANXI, "guidance.1.k", status="已完成").id,
        "m": record(engine, SHANXI, "guidance.1.m", status="已完成").id,
        "tc": record(engine, TAIYUAN_TECH, "guidance.1.c", status="推进中").id,
        "tk": record(engine, TAIYUAN_TECH, "guidance.1.k", status="已完成").id,
    }
    records_before, events_before, _ = snapshot(engine)

    report = load(engine, split / "demo-v2.yaml")

    split_reason = ("版本 1→2：guidance.1.a 拆分为 guidance.1.e、guidance.1.f；标题由“开展就业指导”改为“{}”；"
                    "佐证材料由“工作方案”改为“{}”")
    merge_g = "guidance.1.b、guidance.1.c 合并为 guidance.1.g"
    merge_d = "guidance.1.d、guidance.1.k 合并为 guidance.1.d"
    assert report.carried == []
    assert report.flagged == [
        Flagged(RecordRef(SHANXI, "guidance.1.d", "once"),
                f"版本 1→2：{merge_d}；guidance.1.k 的记录仍保留在原编号下（本项已有记录），请核对后补入本项"),
        Flagged(RecordRef(TAIYUAN_TECH, "guidance.1.d", "once"),
                f"版本 1→2：{merge_d}；标题由“开展个体咨询”改为“开展生涯咨询”"),
        Flagged(RecordRef(SHANXI, "guidance.1.e", "once"), split_reason.format("开设就业指导课程", "工作方案、课程表")),
        Flagged(RecordRef(SHANXI, "guidance.1.f", "once"), split_reason.format("举办就业指导讲座", "讲座通知")),
        Flagged(RecordRef(SHANXI, "guidance.1.g", "once"),
                f"版本 1→2：{merge_g}；标题由“建设实习基地”改为“建设实习与见习基地”；"
                "佐证材料由“实习基地协议”改为“实习基地协议、见习基地名单”；"
                "guidance.1.c 的记录仍保留在原编号下（本项已有记录），请核对后补入本项"),
        Flagged(RecordRef(TAIYUAN_TECH, "guidance.1.g", "once"),
                f"版本 1→2：{merge_g}；标题由“建设见习基地”改为“建设实习与见习基地”；"
                "佐证材料由“见习基地名单”改为“实习基地协议、见习基地名单”"),
    ]
    assert report.moved == [
        Moved(TAIYUAN_TECH, "guidance.1.k", "guidance.1.d", "once"),
        Moved(SHANXI, "guidance.1.a", "guidance.1.e", "once"),
        Moved(SHANXI, "guidance.1.a", "guidance.1.f", "once", copied=True),
        Moved(SHANXI, "guidance.1.b", "guidance.1.g", "once"),
        Moved(TAIYUAN_TECH, "guidance.1.c", "guidance.1.g", "once"),  # the first merged item it has moves
    ]
    assert report.left == [RecordRef(SHANXI, "guidance.1.c", "once"), RecordRef(SHANXI, "guidance.1.k", "once"),
                           RecordRef(SHANXI, "guidance.1.m", "once")]

    records_after, events_after, _ = snapshot(engine)
    assert records_before.keys() < records_after.keys()  # nothing deleted; one copy added
    assert {i: events_after[i] for i in events_before} == events_before
    assert [records_after[i][1] for i in ids.values()] == [
        "guidance.1.e", "guidance.1.c", "guidance.1.g", "guidance.1.d", "guidance.1.k", "guidance.1.m",
        "guidance.1.g", "guidance.1.d"]
    for key in ("c", "k", "m"):  # left: untouched, no new events
        assert records_after[ids[key]] == records_before[ids[key]]
        assert not [e for i, e in events_after.items() if i not in events_before and e[0] == ids[key]]


def test_a_split_copy_is_a_new_record_that_says_where_it_came_from(engine, split):
    load(engine, split / "demo-v1.yaml")
    original = record(engine, SHANXI, "guidance.1.a", status="已完成", owner="王老师", note="每学期一次",
                      evidence=("https://jy.sxu.edu.cn/guide",))
    load(engine, split / "demo-v2.yaml")
    history = record_history(engine, SHANXI, "guidance.1.f", policy_id=DEMO)
    [copy_id] = {e.record_id for e in history.events}
    assert copy_id != original.id
    copy = get(engine, copy_id)
    assert (copy.status, copy.owner, copy.note, copy.review, copy.reassess, copy.revision) == (
        "done", "王老师", "每学期一次", "draft", True, 1)
    assert [(e.field, e.old, e.new) for e in history.events] == [
        ("item_id", "guidance.1.a", "guidance.1.f"),
        ("status", None, "done"),
        ("owner", None, "王老师"),
        ("note", None, "每学期一次"),
        ("evidence", None, "https://jy.sxu.edu.cn/guide"),
        ("reassess", "false", "true"),
        ("reassess_reason", None, copy.reassess_reason),
    ]
    assert {(e.actor, e.source, e.at) for e in history.events} == {("李老师", "政策版本 demo-2025@2", LOADED)}
    [line] = show_records(engine, SHANXI, item_id="guidance.1.f", policy_id=DEMO).lines
    assert [(e.ref, e.added_by) for e in line.state.evidence] == [("https://jy.sxu.edu.cn/guide", "张老师")]
    # The original moved to the first item of the split, with its own history.
    first = record_history(engine, SHANXI, "guidance.1.e", policy_id=DEMO)
    assert {e.record_id for e in first.events} == {original.id}


def test_a_kept_item_absorbs_a_merged_one_when_it_has_no_record(engine, split):
    load(engine, split / "demo-v1.yaml")
    absorbed = record(engine, SHANXI, "guidance.1.k", status="已完成")
    report = load(engine, split / "demo-v2.yaml")
    assert report.moved == [Moved(SHANXI, "guidance.1.k", "guidance.1.d", "once")]
    assert get(engine, absorbed.id).item_id == "guidance.1.d"


def test_a_copy_never_overwrites_a_record_already_there(engine, split):
    load(engine, split / "demo-v1.yaml")
    source = record(engine, SHANXI, "guidance.1.a", status="已完成")
    earlier_id = left_behind(engine, "guidance.1.f")  # v2 brings guidance.1.f back
    report = load(engine, split / "demo-v2.yaml")
    assert report.moved == [Moved(SHANXI, "guidance.1.a", "guidance.1.e", "once")]  # no copy
    assert report.flagged[-1] == Flagged(
        RecordRef(SHANXI, "guidance.1.f", "once"),
        "版本 1→2：本项不在版本 1 中，重新列入后请核对此前的记录；"
        "guidance.1.a 的记录未复制到本项（本项已有记录），请核对")
    assert get(engine, earlier_id).status == "in_progress"
    assert get(engine, source.id).item_id == "guidance.1.e"


def test_loading_the_same_version_twice_is_a_no_op(engine, versions, demo_v1):
    load(engine, versions / "demo-v2.yaml")
    before = snapshot(engine)
    again = load(engine, versions / "demo-v2.yaml")
    assert (again.policy_key, again.loaded, again.previous_key) == ("demo-2025@2", False, None)
    assert again.carried == again.flagged == again.moved == again.left == []
    older = load(engine, versions / "demo-v1.yaml")  # an earlier version, already loaded: also nothing
    assert older.loaded is False
    assert snapshot(engine) == before
    assert current_versions(engine) == ["demo-2025@2", "gse-2025@2025.2"]


def test_same_version_with_different_content_is_refused(engine, versions, tmp_path):
    load(engine, versions / "demo-v1.yaml")
    changed = tmp_path / "demo-v1.yaml"
    changed.write_text((versions / "demo-v1.yaml").read_text(encoding="utf-8").replace("必修课", "选修课"),
                       encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load(engine, changed)
    assert type(caught.value) is CatalogError and caught.value.exit_code == 1
    assert caught.value.message == "政策 demo-2025@1 已加载过，但文件内容不同"
    assert caught.value.hint == "修改清单后请提高 version 版本号，并写明 previous_version"


def test_a_bad_file_is_invalid_with_every_problem_and_nothing_is_stored(engine, catalogs):
    before = current_versions(engine)
    with pytest.raises(CatalogInvalid) as caught:
        load(engine, catalogs / "bad_keys" / "demo.yaml")
    assert caught.value.exit_code == 3
    assert len(caught.value.problems) == 7
    assert current_versions(engine) == before


def test_previous_version_and_replaces_are_checked_against_the_database(engine, versions, catalogs):
    load(engine, versions / "demo-v1.yaml")
    path = catalogs / "bad_replaces" / "demo-v3.yaml"
    with pytest.raises(CatalogInvalid) as caught:
        load(engine, path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: previous_version 为“2”，但数据库中政策 demo-2025 的当前版本是“1”",
        f"{path}:22 [guidance.1.a]: replaces 指向的“guidance.1.z”在上一版本 1 中不存在",
    ]
    assert caught.value.exit_code == 3
    assert caught.value.hint == "按上面列出的问题修改清单后重新加载"
    assert current_versions(engine) == ["demo-2025@1", "gse-2025@2025.2"]


def test_a_new_version_must_name_the_version_it_supersedes(engine, versions, tmp_path):
    load(engine, versions / "demo-v1.yaml")
    path = tmp_path / "demo-v9.yaml"
    path.write_text((versions / "demo-v1.yaml").read_text(encoding="utf-8").replace('version: "1"', 'version: "9"'),
                    encoding="utf-8")
    with pytest.raises(CatalogInvalid) as caught:
        load(engine, path)
    assert [p.message for p in caught.value.problems] == [
        '数据库中已加载政策 demo-2025 的版本 1；新版本须在 policy 中写明 previous_version: "1"']


def test_a_reason_still_open_is_kept_when_the_wording_changes_again(engine, versions, demo_v1, tmp_path):
    load(engine, versions / "demo-v2.yaml")
    v3 = tmp_path / "demo-v3.yaml"
    text = (versions / "demo-v2.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2"', 'version: "3"').replace('previous_version: "1"', 'previous_version: "2"')
    text = text.replace("            replaces: [guidance.1.b]\n", "")  # replaces names items of the version before
    v3.write_text(text.replace("target: 38", "target: 40"), encoding="utf-8")
    report = load(engine, v3)
    assert report.moved == [] and [f.record.item for f in report.flagged] == ["guidance.1.a"]
    assert get(engine, demo_v1["a"].id).reassess_reason == (
        "版本 1→2：指标由“课程学时 ≥ 36 学时”改为“课程学时 ≥ 38 学时”；"
        "版本 2→3：指标由“课程学时 ≥ 38 学时”改为“课程学时 ≥ 40 学时”")
    # guidance.1.e still waits for its 1→2 re-assessment, but nothing changed in 2→3: carried, reason as it was.
    assert report.carried == [RecordRef(SHANXI, "guidance.1.c", "2025"), RecordRef(SHANXI, "guidance.1.e", "once")]


YEARLY = Cadence("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", date(2025, 1, 1))


@pytest.mark.parametrize(
    ("cadence", "period", "note"),
    [
        (None, "once", None),
        (YEARLY, "2025", None),
        (None, "2025", "期次“2025”不符合新版本的周期（一次性事项），请核对期次"),
        (YEARLY, "once", "期次“once”不符合新版本的周期（每年 12月31日前，自 2025-01-01 起），请核对期次"),
        (YEARLY, "2025-09", "期次“2025-09”不符合新版本的周期（每年 12月31日前，自 2025-01-01 起），请核对期次"),
    ],
)
def test_a_period_the_new_cadence_does_not_have_is_a_reason_to_reassess(cadence, period, note):
    item = Item(id="guidance.1.a", actor=Actor.UNIVERSITY, title="发布报告", evidence=("链接",), cadence=cadence)
    assert period_note(item, period) == note


# Renumbering: an id of the old version may name another requirement in the new one.


@pytest.fixture
def reuse(catalogs):
    return catalogs / "good_reuse"


def new_events(before, after):
    """The events a load added, as (record id, item, field, old, new), in the order written."""
    assert {i: after[i] for i in before} == before  # every earlier event is still there, unchanged
    return [e[:5] for i, e in sorted(after.items()) if i not in before]


def test_a_reused_id_passes_to_the_item_that_took_over_the_requirement(engine, reuse):
    load(engine, reuse / "demo-v1.yaml")
    course = record(engine, SHANXI, "guidance.1.a", status="推进中", owner="王老师").id
    rules = record(engine, SHANXI, "guidance.4.a", status="已完成", evidence=("https://jy.sxu.edu.cn/rules",)).id
    talks = record(engine, SHANXI, "guidance.1.b", status="已完成").id
    other = record(engine, TAIYUAN_TECH, "guidance.1.a", status="推进中").id
    records, events, evidence = snapshot(engine)

    report = load(engine, reuse / "demo-v2.yaml")

    reason = "版本 1→2：guidance.4.a 改为 guidance.6.a；佐证材料由“管理办法文件”改为“管理办法文件、实习见习台账”"
    assert report.carried == [RecordRef(SHANXI, "guidance.1.b", "once")]
    assert report.flagged == [Flagged(RecordRef(SHANXI, "guidance.6.a", "once"), reason)]
    assert report.moved == [Moved(SHANXI, "guidance.1.a", "guidance.4.a", "once"),
                            Moved(TAIYUAN_TECH, "guidance.1.a", "guidance.4.a", "once"),
                            Moved(SHANXI, "guidance.4.a", "guidance.6.a", "once")]
    assert report.left == []
    records_after, events_after, evidence_after = snapshot(engine)
    assert records_after == {
        course: (SHANXI, "guidance.4.a", "once", "in_progress", 2, False),
        rules: (SHANXI, "guidance.6.a", "once", "done", 2, True),
        talks: records[talks],
        other: (TAIYUAN_TECH, "guidance.4.a", "once", "in_progress", 2, False),
    }
    assert new_events(events, events_after) == [
        # First the records whose target is empty, then those whose target has just been vacated.
        (rules, "guidance.6.a", "item_id", "guidance.4.a", "guidance.6.a"),
        (other, "guidance.4.a", "item_id", "guidance.1.a", "guidance.4.a"),
        (course, "guidance.4.a", "item_id", "guidance.1.a", "guidance.4.a"),
        (rules, "guidance.6.a", "reassess", "false", "true"),
        (rules, "guidance.6.a", "reassess_reason", None, reason),
    ]
    assert evidence_after == evidence


def test_a_renumbered_record_keeps_its_whole_history(engine, reuse):
    load(engine, reuse / "demo-v1.yaml")
    course = record(engine, SHANXI, "guidance.1.a", status="推进中", owner="王老师").id
    rules = record(engine, SHANXI, "guidance.4.a", status="已完成", evidence=("https://jy.sxu.edu.cn/rules",)).id
    load(engine, reuse / "demo-v2.yaml")
    history = record_history(engine, SHANXI, "guidance.4.a", policy_id=DEMO)
    assert [(e.record_id, e.item_id, e.field, e.old, e.new) for e in history.events] == [
        (course, "guidance.1.a", "status", None, "in_progress"),
        (course, "guidance.1.a", "owner", None, "王老师"),
        (course, "guidance.4.a", "item_id", "guidance.1.a", "guidance.4.a"),
    ]
    history = record_history(engine, SHANXI, "guidance.6.a", policy_id=DEMO)
    assert {e.record_id for e in history.events} == {rules}
    assert [e.field for e in history.events] == ["status", "evidence", "item_id", "reassess", "reassess_reason"]
    # Before the load, guidance.4.a showed the internship rules; now its past is the course's.
    [line] = show_records(engine, SHANXI, item_id="guidance.4.a", policy_id=DEMO, as_of=date(2025, 7, 1)).lines
    assert (line.state.status, line.state.owner, line.state.evidence) == ("in_progress", "王老师", [])


def test_a_chain_of_renumbered_items_moves_every_record(engine, reuse):
    load(engine, reuse / "demo-v1.yaml")
    ids = {item: record(engine, SHANXI, f"guidance.{item}", status="已完成").id
           for item in ("1.a", "1.b", "4.a", "4.b", "4.c")}
    lone = record(engine, TAIYUAN_TECH, "guidance.4.b", status="推进中").id
    records, events, _ = snapshot(engine)

    report = load(engine, reuse / "demo-v2-chain.yaml")

    assert (report.carried, report.flagged, report.left) == ([RecordRef(SHANXI, "guidance.1.b", "once")], [], [])
    assert report.moved == [Moved(SHANXI, "guidance.1.a", "guidance.4.a", "once"),
                            Moved(SHANXI, "guidance.4.a", "guidance.4.b", "once"),
                            Moved(SHANXI, "guidance.4.b", "guidance.4.c", "once"),
                            Moved(TAIYUAN_TECH, "guidance.4.b", "guidance.4.c", "once"),
                            Moved(SHANXI, "guidance.4.c", "guidance.6.a", "once")]
    records_after, events_after, _ = snapshot(engine)
    assert {old: records_after[i][1:4] for old, i in ids.items()} == {
        "1.a": ("guidance.4.a", "once", "done"), "1.b": ("guidance.1.b", "once", "done"),
        "4.a": ("guidance.4.b", "once", "done"), "4.b": ("guidance.4.c", "once", "done"),
        "4.c": ("guidance.6.a", "once", "done")}
    assert records_after[lone][1] == "guidance.4.c"
    assert records_after[ids["1.b"]] == records[ids["1.b"]]
    # The end of the chain moves first, so that each record finds its target already empty.
    assert new_events(events, events_after) == [
        (ids["4.c"], "guidance.6.a", "item_id", "guidance.4.c", "guidance.6.a"),
        (lone, "guidance.4.c", "item_id", "guidance.4.b", "guidance.4.c"),  # an empty target: the first wave
        (ids["4.b"], "guidance.4.c", "item_id", "guidance.4.b", "guidance.4.c"),
        (ids["4.a"], "guidance.4.b", "item_id", "guidance.4.a", "guidance.4.b"),
        (ids["1.a"], "guidance.4.a", "item_id", "guidance.1.a", "guidance.4.a"),
    ]


def test_swaps_and_rotations_leave_no_trace_of_their_temporary_id(engine, reuse):
    load(engine, reuse / "demo-v1.yaml")
    ids = {item: record(engine, SHANXI, f"guidance.{item}", status="推进中").id
           for item in ("1.a", "1.b", "4.a", "4.b", "4.c")}
    lone = record(engine, TAIYUAN_TECH, "guidance.4.a", status="已完成").id
    _, events, _ = snapshot(engine)

    report = load(engine, reuse / "demo-v2-cycles.yaml")

    assert (report.carried, report.flagged, report.left) == ([], [], [])
    assert report.moved == [Moved(SHANXI, "guidance.4.c", "guidance.1.a", "once"),  # rotation
                            Moved(SHANXI, "guidance.1.a", "guidance.1.b", "once"),
                            Moved(SHANXI, "guidance.4.b", "guidance.4.a", "once"),  # swap
                            Moved(SHANXI, "guidance.4.a", "guidance.4.b", "once"),
                            Moved(TAIYUAN_TECH, "guidance.4.a", "guidance.4.b", "once"),  # no cycle there
                            Moved(SHANXI, "guidance.1.b", "guidance.4.c", "once")]
    records_after, events_after, _ = snapshot(engine)
    moves = {"1.a": "1.b", "1.b": "4.c", "4.c": "1.a", "4.a": "4.b", "4.b": "4.a"}
    assert {old: records_after[i][1] for old, i in ids.items()} == {old: f"guidance.{new}" for old, new in moves.items()}
    assert records_after[lone][1] == "guidance.4.b"
    # One event per move, from the old id to the new one, though one record of each cycle stepped aside first.
    assert sorted(new_events(events, events_after)) == sorted(
        [(ids[old], f"guidance.{new}", "item_id", f"guidance.{old}", f"guidance.{new}") for old, new in moves.items()]
        + [(lone, "guidance.4.b", "item_id", "guidance.4.a", "guidance.4.b")])


def test_an_id_nobody_else_takes_keeps_its_records_and_the_incoming_one_is_left(engine, reuse):
    load(engine, reuse / "demo-v1.yaml")
    course = record(engine, SHANXI, "guidance.1.a", status="推进中").id
    rules = record(engine, SHANXI, "guidance.4.a", status="已完成").id
    other = record(engine, TAIYUAN_TECH, "guidance.1.a", status="推进中").id
    records, events, _ = snapshot(engine)

    report = load(engine, reuse / "demo-v2-kept.yaml")

    merge = "版本 1→2：guidance.4.a、guidance.1.a 合并为 guidance.4.a"
    kept = (f"{merge}；标题由“制定实习见习管理办法”改为“开设职业发展与就业指导必修课”；"
            "佐证材料由“管理办法文件”改为“人才培养方案、课程表”；"
            "guidance.1.a 的记录仍保留在原编号下（本项已有记录），请核对后补入本项")
    assert report.flagged == [Flagged(RecordRef(SHANXI, "guidance.4.a", "once"), kept),
                              Flagged(RecordRef(TAIYUAN_TECH, "guidance.4.a", "once"), merge)]
    assert report.moved == [Moved(TAIYUAN_TECH, "guidance.1.a", "guidance.4.a", "once")]
    assert report.left == [RecordRef(SHANXI, "guidance.1.a", "once")]
    records_after, events_after, _ = snapshot(engine)
    assert records_after == {
        course: records[course],  # left: untouched
        rules: (SHANXI, "guidance.4.a", "once", "done", 2, True),
        other: (TAIYUAN_TECH, "guidance.4.a", "once", "in_progress", 2, True),
    }
    assert new_events(events, events_after) == [
        (other, "guidance.4.a", "item_id", "guidance.1.a", "guidance.4.a"),
        (rules, "guidance.4.a", "reassess", "false", "true"),
        (rules, "guidance.4.a", "reassess_reason", None, kept),
        (other, "guidance.4.a", "reassess", "false", "true"),
        (other, "guidance.4.a", "reassess_reason", None, merge),
    ]


def test_a_split_copies_into_a_slot_its_record_just_left(engine, reuse):
    load(engine, reuse / "demo-v1.yaml")
    rules = record(engine, SHANXI, "guidance.4.a", status="已完成", owner="王老师").id
    base = record(engine, SHANXI, "guidance.4.b", status="推进中").id
    advice = record(engine, SHANXI, "guidance.4.c", status="推进中").id
    records, events, _ = snapshot(engine)

    report = load(engine, reuse / "demo-v2-split.yaml")

    split = "版本 1→2：guidance.4.a 拆分为 guidance.4.b、guidance.4.c；标题由“制定实习见习管理办法”改为“{}”"
    assert report.moved == [Moved(SHANXI, "guidance.4.a", "guidance.4.b", "once"),
                            Moved(SHANXI, "guidance.4.a", "guidance.4.c", "once", copied=True),
                            Moved(SHANXI, "guidance.4.b", "guidance.6.a", "once"),
                            Moved(SHANXI, "guidance.4.c", "guidance.6.b", "once")]
    assert report.flagged == [Flagged(RecordRef(SHANXI, "guidance.4.b", "once"), split.format("制定实习管理办法")),
                              Flagged(RecordRef(SHANXI, "guidance.4.c", "once"), split.format("制定见习管理办法"))]
    assert report.left == []
    records_after, events_after, _ = snapshot(engine)
    [copy] = records_after.keys() - records.keys()
    assert records_after == {
        rules: (SHANXI, "guidance.4.b", "once", "done", 2, True),
        copy: (SHANXI, "guidance.4.c", "once", "done", 1, True),  # into the slot guidance.4.c's record left
        base: (SHANXI, "guidance.6.a", "once", "in_progress", 2, False),
        advice: (SHANXI, "guidance.6.b", "once", "in_progress", 2, False),
    }
    first, second = split.format("制定实习管理办法"), split.format("制定见习管理办法")
    assert new_events(events, events_after) == [
        (base, "guidance.6.a", "item_id", "guidance.4.b", "guidance.6.a"),
        (advice, "guidance.6.b", "item_id", "guidance.4.c", "guidance.6.b"),
        (rules, "guidance.4.b", "item_id", "guidance.4.a", "guidance.4.b"),
        (copy, "guidance.4.c", "item_id", "guidance.4.a", "guidance.4.c"),
        (copy, "guidance.4.c", "status", None, "done"),
        (copy, "guidance.4.c", "owner", None, "王老师"),
        (rules, "guidance.4.b", "reassess", "false", "true"),
        (rules, "guidance.4.b", "reassess_reason", None, first),
        (copy, "guidance.4.c", "reassess", "false", "true"),
        (copy, "guidance.4.c", "reassess_reason", None, second),
    ]


def test_a_record_that_cannot_leave_a_reused_id_is_flagged_not_left(engine, reuse):
    load(engine, reuse / "demo-v1.yaml")
    rules = record(engine, SHANXI, "guidance.4.a", status="已完成").id
    course = record(engine, SHANXI, "guidance.1.a", status="推进中").id
    earlier_id = left_behind(engine, "guidance.6.a")  # v2 brings guidance.6.a back
    records, _, _ = snapshot(engine)

    report = load(engine, reuse / "demo-v2.yaml")

    assert report.moved == []
    assert report.flagged == [
        Flagged(RecordRef(SHANXI, "guidance.4.a", "once"),
                "版本 1→2：本记录原属 guidance.4.a，应迁入 guidance.6.a，因 guidance.6.a 已有记录而仍在原编号下；"
                "guidance.4.a 在新版本中已是另一检查项，请核对；"
                "guidance.1.a 的记录仍保留在原编号下（本项已有记录），请核对后补入本项"),
        Flagged(RecordRef(SHANXI, "guidance.6.a", "once"),
                "版本 1→2：本项不在版本 1 中，重新列入后请核对此前的记录；"
                "guidance.4.a 的记录仍保留在原编号下（本项已有记录），请核对后补入本项"),
    ]
    assert report.left == [RecordRef(SHANXI, "guidance.1.a", "once")]
    records_after, _, _ = snapshot(engine)
    assert {i: records_after[i][1:4] for i in records} == {i: r[1:4] for i, r in records.items()}  # nothing moved
    assert (records_after[rules][5], records_after[course][5], records_after[earlier_id][5]) == (True, False, True)
