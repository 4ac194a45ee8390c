"""Recording one change: validation, one event per changed field in the same transaction, review back to draft."""

import hashlib
from datetime import UTC, datetime

import pytest
import time_machine
from sqlmodel import Session, func, select

from codes import CHANGZHI_VOCATIONAL, SHANXI
from evidence_samples import HTML, PDF, write
from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.services.as_of import read_states
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.review import accept, submit
from jobpolicy.storage.evidence_store import store_for, verify_all
from jobpolicy.storage.models import Event, Evidence, Record

STAFFING = "support.16.a"  # one-off, indicator <= 500
ANNUAL_REPORT = "evaluation.14.a"  # yearly, due 12-31


def counts(engine):
    with Session(engine) as session:
        return (session.exec(select(func.count()).select_from(Record)).one(),
                session.exec(select(func.count()).select_from(Event)).one())


def test_first_change_creates_the_record_with_one_event_per_field(engine):
    result = set_record(engine, SHANXI, STAFFING, RawChange(status="推进中", value="480", owner="王老师"), actor="张")
    assert [(e.field, e.old, e.new) for e in result.events] == [
        ("status", None, "in_progress"), ("owner", None, "王老师"), ("value", None, "480")]
    assert {e.actor for e in result.events} == {"张"} and len({e.change_id for e in result.events}) == 1
    assert (result.record.status, result.record.value, result.record.revision) == ("in_progress", 480.0, 1)


def test_only_changed_fields_write_events_and_no_change_writes_nothing(engine):
    set_record(engine, SHANXI, STAFFING, RawChange(status="推进中", value="480"), actor="张")
    before = counts(engine)
    again = set_record(engine, SHANXI, STAFFING, RawChange(status="in_progress", value="480.0"), actor="张")
    assert again.events == [] and counts(engine) == before
    changed = set_record(engine, SHANXI, STAFFING, RawChange(status="已完成", value="480"), actor="李")
    assert [(e.field, e.old, e.new) for e in changed.events] == [("status", "in_progress", "done")]
    assert changed.record.revision == 2


def test_blank_text_clears_a_field(engine):
    set_record(engine, SHANXI, STAFFING, RawChange(owner="王老师"), actor="张")
    result = set_record(engine, SHANXI, STAFFING, RawChange(owner=" "), actor="张")
    assert [(e.field, e.old, e.new) for e in result.events] == [("owner", "王老师", None)]


def test_evidence_links_and_files(engine, tmp_path):
    proof = tmp_path / "人员名单.pdf"
    proof.write_bytes(b"%PDF-1.4 staff list")  # 19 bytes
    result = set_record(engine, SHANXI, STAFFING,
                        RawChange(evidence=("https://jy.sxu.edu.cn/staff", str(proof))), actor="张")
    digest = hashlib.sha256(proof.read_bytes()).hexdigest()
    assert [e.new for e in result.events if e.field == "evidence"] == [
        "https://jy.sxu.edu.cn/staff", f"人员名单.pdf sha256:{digest[:12]}"]
    with Session(engine) as session:
        rows = session.exec(select(Evidence).order_by(Evidence.id)).all()
    assert [(r.kind, r.name, r.size, r.sha256) for r in rows] == [
        ("url", "https://jy.sxu.edu.cn/staff", None, None), ("file", "人员名单.pdf", 19, digest)]
    again = set_record(engine, SHANXI, STAFFING, RawChange(evidence=(str(proof),)), actor="张")
    assert again.events == []  # the same file twice is not new evidence


def test_recurring_items_get_one_record_per_period(engine):
    with time_machine.travel(datetime(2026, 1, 10, 2, tzinfo=UTC), tick=False):
        last = set_record(engine, SHANXI, ANNUAL_REPORT, RawChange(status="已完成"), actor="张", period="2025")
        current = set_record(engine, SHANXI, ANNUAL_REPORT, RawChange(status="推进中"), actor="张")
    assert (last.period, current.period) == ("2025", "2026")
    assert current.record.id != last.record.id


@pytest.mark.parametrize(
    ("item", "raw", "period", "error", "message"),
    [
        (STAFFING, RawChange(status="finished"), None, InvalidInput, "状态“finished”无效"),
        (STAFFING, RawChange(progress="150"), None, InvalidInput, "进度“150”无效"),
        (STAFFING, RawChange(progress="50.5"), None, InvalidInput, "进度“50.5”无效"),
        (STAFFING, RawChange(due="2025-02-30"), None, InvalidInput, "完成时限“2025-02-30”无效：没有这一天"),
        (STAFFING, RawChange(value="1:500"), None, InvalidInput, "指标值“1:500”不是数字"),
        (STAFFING, RawChange(evidence=("javascript:alert(1)",)), None, InvalidInput,
         "佐证链接“javascript:alert(1)”无效：只接受 http:// 或 https:// 链接"),
        (STAFFING, RawChange(evidence=("missing.pdf",)), None, InvalidInput,
         "佐证材料“missing.pdf”既不是 http(s) 链接，也不是存在的文件"),
        (STAFFING, RawChange(status="不适用"), None, InvalidInput, "将 support.16.a 标为“不适用”时须说明理由"),
        (STAFFING, RawChange(), None, InvalidInput, "没有要修改的内容"),
        (STAFFING, RawChange(status="done"), "2025", InvalidInput,
         "检查项 support.16.a 不是周期性事项，期次只能是 once"),
        (ANNUAL_REPORT, RawChange(status="done"), "2019", InvalidInput,
         "检查项 evaluation.14.a 的期次“2019”无效：该项没有这一期（每年 12月31日前，自 2025-01-01 起）"),
        ("support.9.z", RawChange(status="done"), None, NotFound,
         "未知检查项“support.9.z”，您是不是要找：support.19.a、support.19.b、support.19.c"),
        ("supply.1.a", RawChange(status="done"), None, InvalidInput,
         "检查项 supply.1.a 由国家有关部门落实，不在高校清单中"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(engine, item, raw, period, error, message):
    set_record(engine, SHANXI, STAFFING, RawChange(status="推进中"), actor="张")
    before = counts(engine)
    with pytest.raises(error) as caught:
        set_record(engine, SHANXI, item, raw, actor="张", period=period)
    assert caught.value.message.startswith(message)
    assert caught.value.hint
    assert counts(engine) == before


def test_unknown_institution(engine):
    with pytest.raises(NotFound) as caught:
        set_record(engine, "4111010001", STAFFING, RawChange(status="done"), actor="张")
    assert caught.value.message == "学校 4111010001 尚未添加"
    assert caught.value.hint == "先运行 jobpolicy institution add 4111010001"


def test_not_applicable_with_a_reason(engine):
    result = set_record(engine, CHANGZHI_VOCATIONAL, STAFFING, RawChange(status="不适用", na_reason="合并办公"),
                        actor="张")
    assert result.record.status == "not_applicable" and result.record.na_reason == "合并办公"


def test_an_edit_after_acceptance_goes_back_to_draft(engine):
    set_record(engine, SHANXI, STAFFING, RawChange(status="已完成"), actor="张")
    submit(engine, SHANXI, actor="张")
    accept(engine, SHANXI, [], actor="省厅")
    result = set_record(engine, SHANXI, STAFFING, RawChange(value="510"), actor="张")
    assert [(e.field, e.old, e.new) for e in result.events] == [("value", None, "510"), ("review", "accepted", "draft")]


def test_restating_the_status_clears_a_reassessment_flag(engine):
    set_record(engine, SHANXI, STAFFING, RawChange(status="已完成"), actor="张")
    with Session(engine) as session, session.begin():
        record = session.exec(select(Record)).one()
        record.reassess, record.reassess_reason = True, "版本 1→2：表述修改"
    note_only = set_record(engine, SHANXI, STAFFING, RawChange(note="核对中"), actor="张")
    assert note_only.record.reassess is True  # a note is not a re-assessment
    result = set_record(engine, SHANXI, STAFFING, RawChange(status="已完成"), actor="张")
    assert [(e.field, e.old, e.new) for e in result.events] == [
        ("reassess", "true", "false"), ("reassess_reason", "版本 1→2：表述修改", None)]


def test_without_a_period_the_occurrence_still_owed_is_recorded(engine):
    # 就业质量年度报告 is due every 31 December. On 2026-03-01 the 2025 report is the one status counts.
    with time_machine.travel(datetime(2026, 3, 1, 2, tzinfo=UTC), tick=False):
        first = set_record(engine, SHANXI, ANNUAL_REPORT, RawChange(status="推进中"), actor="张")
        done = set_record(engine, SHANXI, ANNUAL_REPORT, RawChange(status="已完成"), actor="张")
        after = set_record(engine, SHANXI, ANNUAL_REPORT, RawChange(status="推进中"), actor="张")
    assert (first.period, done.period, after.period) == ("2025", "2025", "2026")


def test_a_file_given_as_evidence_is_stored_and_read_back_whole(engine, tmp_path):
    proof = write(tmp_path, "人员名单.pdf", PDF)
    set_record(engine, SHANXI, STAFFING, RawChange(evidence=(str(proof),)), actor="张")
    proof.unlink()  # the office's copy may go: the database has its own

    with Session(engine) as session:
        row = session.exec(select(Evidence)).one()
        assert row.stored and store_for(session).read(session, row.sha256) == PDF
    assert verify_all_of(engine).problems == []


def verify_all_of(engine):
    with Session(engine) as session:
        return verify_all(session)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("页面.html", HTML, "佐证材料“页面.html”不接受“.html”类型的文件"),
    ("伪装.pdf", HTML, "佐证材料“伪装.pdf”扩展名是 .pdf，内容却不是PDF"),
    ("空.pdf", b"", "佐证材料“空.pdf”是空文件"),
])
def test_a_file_of_another_type_is_refused_and_nothing_is_stored(engine, tmp_path, name, data, message):
    good = write(tmp_path, "名单.pdf", PDF)
    with pytest.raises(InvalidInput) as caught:
        set_record(engine, SHANXI, STAFFING, RawChange(status="done", evidence=(str(good), str(write(tmp_path, name, data)))),
                   actor="张")
    assert caught.value.message.startswith(message)
    assert counts(engine) == (0, 0) and verify_all_of(engine).checked == 0
    with Session(engine) as session:
        assert store_for(session).exists(session, hashlib.sha256(PDF).hexdigest()) is False


def test_a_file_over_the_limit_is_refused(engine, tmp_path, monkeypatch):
    monkeypatch.setattr("jobpolicy.domain.evidence_files.MAX_EVIDENCE_BYTES", 10)
    with pytest.raises(InvalidInput, match="超过每个文件"):
        set_record(engine, SHANXI, STAFFING, RawChange(evidence=(str(write(tmp_path, "名单.pdf", PDF)),)), actor="张")
    assert counts(engine) == (0, 0)


def test_withdrawn_evidence_stays_in_the_store_in_the_history_and_in_the_past(engine, tmp_path):
    proof = write(tmp_path, "名单.pdf", PDF)
    with time_machine.travel(datetime(2025, 3, 1, 2, tzinfo=UTC), tick=False):
        set_record(engine, SHANXI, STAFFING, RawChange(status="done", evidence=(str(proof),)), actor="张")
    with time_machine.travel(datetime(2025, 4, 1, 2, tzinfo=UTC), tick=False):
        result = set_record(engine, SHANXI, STAFFING, RawChange(withdraw=("名单.pdf",)), actor="李")

    assert [(e.field, e.old, e.new, e.actor) for e in result.events if e.field == "evidence"] == [
        ("evidence", f"名单.pdf sha256:{hashlib.sha256(PDF).hexdigest()[:12]}", None, "李")]
    with Session(engine) as session:
        now = read_states(session, where=[Record.item_id == STAFFING], until=None, evidence=True)
        march = read_states(session, where=[Record.item_id == STAFFING], until=datetime(2025, 3, 15, tzinfo=UTC),
                            evidence=True)
    assert now[0].evidence == [] and [e.name for e in march[0].evidence] == ["名单.pdf"]
    assert verify_all_of(engine).checked == 1  # still stored, still checked
    with pytest.raises(InvalidInput, match="没有名为“名单.pdf”的佐证材料"):
        set_record(engine, SHANXI, STAFFING, RawChange(withdraw=("名单.pdf",)), actor="李")
