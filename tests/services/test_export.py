"""The full export: every row of every table, one snapshot, the documented schema, safe CSV, and safe replacing."""

import csv
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select
from sqlmodel import Session

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy import clock
from jobpolicy.domain.institution_scope import InstitutionScope
from jobpolicy.domain.values import decode, neutralise
from jobpolicy.errors import InvalidInput, NotFound, ReportError
from jobpolicy.render.export_rows import TABLES, csv_cell
from jobpolicy.services._uow import writing
from jobpolicy.services.export import export_all
from jobpolicy.services.history import record_history
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.recording import (
    Provenance,
    RawChange,
    apply_change,
    get_institution,
    parse_change,
    resolve_item,
    set_record,
)
from jobpolicy.services.review import submit
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.storage import migrate, repo
from jobpolicy.storage.models import CatalogItem, Event, Evidence, ImportBatch, Institution, PolicyVersion, Record

DOC = Path(__file__).parents[2] / "docs" / "export-format.md"
VERSIONS = Path(__file__).parents[1] / "data" / "catalogs" / "good_versions"
EXPORTED_AT = datetime(2025, 10, 1, 2, 0, 0, 123456, tzinfo=UTC)
GSE = "gse-2025"
MODELS = {"policies": PolicyVersion, "institutions": Institution, "records": Record, "evidence": Evidence,
          "events": Event, "import_batches": ImportBatch}
TEXT = "=1+1 就业指导中心已核实\n第二行，含“引号”和逗号"


def travel(year, month, day):
    return time_machine.travel(datetime(year, month, day, 2, tzinfo=UTC), tick=False)


def import_row(engine, code, item_id, raw):
    """What a spreadsheet import does: a batch, and a change that carries it."""
    with writing(engine) as session:
        institution = get_institution(session, code)
        policy = current_policy(session, GSE)
        batch = ImportBatch(file_name="太原理工大学-清单.xlsx", sha256="ab" * 32, policy_key="gse-2025@2025.2",
                            institution_code=code, imported_by="省教育厅", imported_at=clock.now(), rows=1, changed=1)
        repo.add(session=session, rows=[batch])
        how = Provenance(actor="省教育厅", at=clock.now(), source=f"导入 #{batch.id}", batch_id=batch.id)
        apply_change(session, institution=institution, policy=policy, item=resolve_item(policy, institution, item_id),
                     period="once", change=parse_change(raw), how=how)


@pytest.fixture(scope="module")
def filled(module_engine):
    """Records of gse-2025 (one with a formula-like note, evidence, a review and an import) and of a demo policy
    whose second version moves and flags records; built once per back end, as exporting only reads them."""
    return with_records(module_engine)


@pytest.fixture
def own_filled(engine):
    """``filled``, a database of the test's own, for the tests that record more."""
    return with_records(engine)


def with_records(engine):
    with travel(2025, 3, 1):
        set_record(engine, SHANXI, "support.16.a", RawChange(status="推进中", value="620", note=TEXT), actor="张老师")
    with travel(2025, 6, 30):
        set_record(engine, SHANXI, "support.16.a", RawChange(value="-5", evidence=("https://jy.sxu.edu.cn/a",),
                                                            due="2025-12-31"), actor="王老师")
        submit(engine, SHANXI, actor="张老师")
    with travel(2025, 7, 1):
        set_record(engine, CHANGZHI_VOCATIONAL, "supply.2.a", RawChange(status="不适用", na_reason="-本校无此情况",
                                                                        owner="@李"), actor="李老师")
        import_row(engine, TAIYUAN_TECH, "supply.2.b", RawChange(status="已完成", progress="100", department="招就处"))
    with travel(2025, 8, 1):
        load_policy_version(engine, VERSIONS / "demo-v1.yaml", actor="管理员")
        for item in ("guidance.1.a", "guidance.1.b"):
            set_record(engine, SHANXI, item, RawChange(status="已完成", value="36"), actor="张老师",
                       policy_id="demo-2025")
    with travel(2025, 9, 1):
        load_policy_version(engine, VERSIONS / "demo-v2.yaml", actor="管理员")
    return engine


def export_json(engine, path):
    with time_machine.travel(EXPORTED_AT, tick=False):
        result = export_all(engine, path, fmt="json")
    return result, json.loads(path.read_text(encoding="utf-8"))


def export_csv(engine, folder):
    with time_machine.travel(EXPORTED_AT, tick=False):
        result = export_all(engine, folder, fmt="csv")
    return result, {table.name: read_csv(folder / table.file) for table in TABLES}


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def database_counts(engine):
    with Session(engine) as session:
        return {name: session.execute(select(func.count()).select_from(model)).scalar_one()
                for name, model in MODELS.items()}


# --- a filter ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("scope", "codes", "batches"), [
    (InstitutionScope(level="专科"), {CHANGZHI_VOCATIONAL}, 0),
    (InstitutionScope(province="山西省", level="本科"), {SHANXI, TAIYUAN_TECH}, 1),  # 太原理工大学's import
])
def test_a_filter_exports_its_schools_and_what_is_theirs(filled, tmp_path, scope, codes, batches):
    with time_machine.travel(EXPORTED_AT, tick=False):
        result = export_all(filled, tmp_path / "export.json", fmt="json", scope=scope)
    data = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    assert data["scope"] == scope.as_dict() and result.scope == scope
    assert {row["code"] for row in data["institutions"]} == codes
    records = {row["id"] for row in data["records"]}
    assert {row["institution_code"] for row in data["records"]} == codes
    assert {row["record_id"] for row in data["evidence"]} <= records
    assert {row["record_id"] for row in data["events"]} == records
    assert len(data["import_batches"]) == batches and len(data["policies"]) == 3  # every policy version
    assert result.counts == {name: len(data[name]) for name in MODELS}


def test_a_filter_without_schools_writes_nothing(filled, tmp_path):
    with pytest.raises(NotFound, match="没有符合条件（北京市）的学校"):
        export_all(filled, tmp_path / "export.json", fmt="json", scope=InstitutionScope(province="北京市"))
    assert not (tmp_path / "export.json").exists()


# --- JSON ---------------------------------------------------------------------------------------------------------


def test_json_holds_every_row_of_every_table(filled, tmp_path):
    result, data = export_json(filled, tmp_path / "export.json")
    counts = database_counts(filled)
    assert counts == {"policies": 3, "institutions": 3, "records": 5, "evidence": 1, "events": counts["events"],
                      "import_batches": 1}
    assert result.counts == counts
    assert {name: len(data[name]) for name in MODELS} == counts
    assert (result.path, result.files) == (tmp_path / "export.json", [tmp_path / "export.json"])


def test_json_header_says_what_it_is(filled, tmp_path):
    _, data = export_json(filled, tmp_path / "export.json")
    assert list(data) == ["format", "version", "exported_at", "generator", "database", "scope", *MODELS]
    assert data["format"] == "jobpolicy-export"
    assert data["version"] == 1
    assert data["exported_at"] == "2025-10-01T02:00:00.123456+00:00"
    assert data["database"] == {"revision": migrate.head_revision(), "label": None, "tracking_start": None}
    assert data["scope"] == {"province": None, "level": None, "authority": None, "label": "全部学校"}
    assert (tmp_path / "export.json").read_bytes().startswith(b'{"format": "jobpolicy-export", "version": 1, ')


def test_json_keeps_every_policy_version_with_its_item_count(filled, tmp_path):
    _, data = export_json(filled, tmp_path / "export.json")
    with Session(filled) as session:
        items = dict(session.execute(select(PolicyVersion.version, func.count(CatalogItem.id))
                                     .join(CatalogItem).group_by(PolicyVersion.version)).all())
    assert [(p["policy_id"], p["version"], p["is_current"], p["items"]) for p in data["policies"]] == [
        ("demo-2025", "1", False, items["1"]), ("demo-2025", "2", True, items["2"]),
        (GSE, "2025.2", True, items["2025.2"])]
    assert data["policies"][0]["loaded_at"] == "2025-08-01T02:00:00.000000+00:00"


def test_json_values_have_their_documented_types(filled, tmp_path):
    _, data = export_json(filled, tmp_path / "export.json")
    record = next(r for r in data["records"] if r["item_id"] == "support.16.a")
    assert (record["status"], record["value"], record["due"], record["review"], record["reassess"]) == (
        "in_progress", -5.0, "2025-12-31", "submitted", False)
    assert record["updated_at"] == "2025-06-30T02:00:00.000000+00:00"
    assert record["note"] == TEXT  # the exact text, not neutralised, Chinese as is
    assert "就业指导中心已核实" in (tmp_path / "export.json").read_text(encoding="utf-8")  # not \u-escaped
    institution = next(i for i in data["institutions"] if i["code"] == SHANXI)
    assert (institution["name"], institution["listed"], institution["list_year"]) == ("山西大学", True, 2026)


def test_json_events_of_a_record_are_its_history(filled, tmp_path):
    _, data = export_json(filled, tmp_path / "export.json")
    history = record_history(filled, SHANXI, "support.16.a", policy_id=GSE)
    record_id = history.events[0].record_id
    exported = [e for e in data["events"] if e["record_id"] == record_id]
    keys = ("id", "item_id", "period", "field", "old", "new", "actor", "source", "batch_id", "change_id")
    assert [tuple(e[k] for k in keys) for e in exported] == [tuple(getattr(e, k) for k in keys)
                                                             for e in history.events]
    assert [datetime.fromisoformat(e["at"]) for e in exported] == [e.at for e in history.events]


def _typed(field, value):
    return date.fromisoformat(value) if field == "due" and value is not None else value


def test_json_events_replay_to_every_exported_record(filled, tmp_path):
    # Archive check: anyone holding only the export can rebuild each record from its events.
    _, data = export_json(filled, tmp_path / "export.json")
    replayable = ("status", "progress", "owner", "department", "due", "value", "note", "na_reason", "review",
                  "review_reason", "reassess", "reassess_reason", "item_id")
    for record in data["records"]:
        events = [e for e in data["events"] if e["record_id"] == record["id"]]
        state = {"review": "draft", "reassess": False, "item_id": events[0]["item_id"]}
        for event in events:
            if event["field"] != "evidence":
                state[event["field"]] = decode(event["field"], event["new"])
        assert {f: state.get(f) for f in replayable} == {f: _typed(f, record[f]) for f in replayable}, record["id"]
        assert (record["updated_at"], record["updated_by"]) == (events[-1]["at"], events[-1]["actor"])
        assert record["revision"] == len({e["change_id"] for e in events})
        evidence = [e for e in data["evidence"] if e["record_id"] == record["id"]]
        assert len(evidence) == sum(e["field"] == "evidence" for e in events)


def test_json_links_events_to_their_import_batch(filled, tmp_path):
    _, data = export_json(filled, tmp_path / "export.json")
    [batch] = data["import_batches"]
    linked = [e for e in data["events"] if e["batch_id"] == batch["id"]]
    assert {e["institution_code"] for e in linked} == {batch["institution_code"]} == {TAIYUAN_TECH}
    assert {(e["field"], e["new"]) for e in linked} == {("status", "done"), ("progress", "100"),
                                                        ("department", "招就处")}


def test_json_of_an_empty_database_is_valid(engine, tmp_path):
    result, data = export_json(engine, tmp_path / "export.json")
    assert (data["records"], data["events"], data["import_batches"]) == ([], [], [])
    assert result.counts["institutions"] == 3


# --- CSV ----------------------------------------------------------------------------------------------------------


def test_csv_folder_holds_every_row_with_a_manifest(filled, tmp_path):
    result, tables = export_csv(filled, tmp_path / "out")
    counts = database_counts(filled)
    assert result.counts == counts
    assert {name: len(rows) for name, (_, rows) in tables.items()} == counts
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [*(f"{name}.csv" for name in MODELS), "manifest.json"])
    assert result.files == [tmp_path / "out" / f"{name}.csv" for name in MODELS] + [tmp_path / "out" / "manifest.json"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["format"], manifest["version"], manifest["exported_at"], manifest["encoding"]) == (
        "jobpolicy-export", 1, "2025-10-01T02:00:00.123456+00:00", "utf-8-sig")
    assert {name: entry["rows"] for name, entry in manifest["tables"].items()} == counts
    assert {name: entry["columns"] for name, entry in manifest["tables"].items()} == {
        name: fields for name, (fields, _) in tables.items()}


def test_csv_is_utf8_with_bom_and_crlf(filled, tmp_path):
    export_csv(filled, tmp_path / "out")
    raw = (tmp_path / "out" / "institutions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfcode,name,province,")
    assert raw.count(b"\r\n") == 4  # header and three institutions
    assert "山西大学".encode() in raw


def test_csv_neutralises_formulas_but_keeps_numbers_and_chinese(filled, tmp_path):
    _, tables = export_csv(filled, tmp_path / "out")
    records = {row["item_id"]: row for row in tables["records"][1]}
    assert records["support.16.a"]["note"] == "'" + TEXT  # multi-line text survives the round trip too
    assert records["support.16.a"]["value"] == "-5.0"
    assert (records["supply.2.a"]["na_reason"], records["supply.2.a"]["owner"]) == ("'-本校无此情况", "'@李")
    events = [row for row in tables["events"][1] if row["field"] in ("value", "note")]
    assert [(e["field"], e["old"], e["new"]) for e in events[:3]] == [
        ("value", "", "620"), ("note", "", "'" + TEXT), ("value", "620", "-5")]
    assert records["support.16.a"]["due"] == "2025-12-31"
    assert records["support.16.a"]["reassess"] == "false"


@pytest.mark.parametrize(("value", "cell"), [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+86 138", "'+86 138"), ("-本校无此情况", "'-本校无此情况"), ("@李", "'@李"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"), ("-", "'-"),
    ("-3", "-3"), ("+1.5e3", "+1.5e3"), ("-.5", "-.5"), ("a=b", "a=b"), (" =1", " =1"), ("", ""), ("'=1", "''=1"),
    ("已完成", "已完成"),
])
def test_neutralise(value, cell):
    assert neutralise(value) == cell


@pytest.mark.parametrize(("value", "cell"), [
    (None, ""), (True, "true"), (False, "false"), (-5, "-5"), (-0.5, "-0.5"), (480.0, "480.0"),
    (date(2025, 6, 30), "2025-06-30"), (datetime(2025, 6, 30, 2, 5, tzinfo=UTC), "2025-06-30T02:05:00.000000+00:00"),
    ("=1", "'=1"),
])
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


# --- the document is the schema -----------------------------------------------------------------------------------


def documented_tables():
    """{heading: [(column, type), …]} for every "### `name`" section and for the JSON and manifest key tables."""
    found: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"#{2,3} (?:The )?`?([\w.]+)`?", line)
        if heading:
            current = heading.group(1)
            continue
        cell = re.match(r"\| `(\w+)` \| (\w+) \|", line)
        if cell and current:
            found.setdefault(current, []).append(cell.groups())
    return found


def test_the_document_lists_exactly_the_exported_columns_and_types():
    documented = documented_tables()
    assert {t.name: [(c.name, c.kind) for c in t.columns] for t in TABLES} == {
        t.name: documented[t.name] for t in TABLES}


def test_the_document_lists_exactly_what_the_files_hold(filled, tmp_path):
    documented = documented_tables()
    _, data = export_json(filled, tmp_path / "export.json")
    assert list(data) == [key for key, _ in documented["JSON"]]
    for table in TABLES:
        assert [list(row) for row in data[table.name]] == [[c for c, _ in documented[table.name]]] * len(
            data[table.name]), table.name
    _, tables = export_csv(filled, tmp_path / "out")
    assert {name: fields for name, (fields, _) in tables.items()} == {
        t.name: [c for c, _ in documented[t.name]] for t in TABLES}
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest) == [key for key, _ in documented["manifest.json"]]


# --- one snapshot -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_change_made_during_the_export_is_not_in_it(engine, tmp_path, monkeypatch, fmt):
    import jobpolicy.services.export as export

    rows = export._rows
    writes = []

    def rows_then_write(session, table, scope):
        for row in rows(session, table, scope):
            if not writes:  # another office records while the first table is being written
                writes.append(set_record(engine, SHANXI, "support.16.a", RawChange(status="已完成"), actor="张老师"))
            yield row

    monkeypatch.setattr(export, "_rows", rows_then_write)
    result = export_all(engine, tmp_path / "out", fmt=fmt)
    assert writes and database_counts(engine)["records"] == 1
    assert (result.counts["records"], result.counts["events"]) == (0, 0)


# --- where it writes ----------------------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    """An empty folder (tmp_path holds the SQLite database)."""
    path = tmp_path / "exports"
    path.mkdir()
    return path


def test_unknown_format(engine, folder):
    with pytest.raises(InvalidInput, match="^未知的导出格式“xlsx”$"):
        export_all(engine, folder / "x", fmt="xlsx")
    assert list(folder.iterdir()) == []


def test_csv_refuses_a_folder_of_other_files(engine, folder):
    (folder / "records.csv").write_text("someone's own data")
    with pytest.raises(ReportError) as error:
        export_all(engine, folder, fmt="csv")
    assert (error.value.message, error.value.hint) == (f"目录 {folder} 不为空，且不是以前导出的目录",
                                                       "换一个新目录或空目录；导出只覆盖自己以前写的文件")
    assert [p.name for p in folder.iterdir()] == ["records.csv"]
    assert (folder / "records.csv").read_text() == "someone's own data"


def test_csv_replaces_a_previous_export_and_leaves_other_files(own_filled, tmp_path):
    out = tmp_path / "out"
    export_csv(own_filled, out)
    (out / "说明.txt").write_text("kept")
    set_record(own_filled, SHANXI, "guidance.4.d", RawChange(status="推进中"), actor="张老师", policy_id=GSE)
    result, tables = export_csv(own_filled, out)
    assert result.counts["records"] == len(tables["records"][1]) == 6
    assert (out / "说明.txt").read_text() == "kept"
    assert sorted(p.name for p in out.iterdir()) == sorted([*(f"{n}.csv" for n in MODELS), "manifest.json", "说明.txt"])


def test_csv_refuses_a_file(engine, tmp_path):
    (tmp_path / "out").write_text("x")
    with pytest.raises(ReportError, match=f"^{re.escape(str(tmp_path / 'out'))} 不是目录$"):
        export_all(engine, tmp_path / "out", fmt="csv")


def test_csv_creates_missing_folders(engine, tmp_path):
    result = export_all(engine, tmp_path / "a" / "b", fmt="csv")
    assert result.path == tmp_path / "a" / "b" and (tmp_path / "a" / "b" / "manifest.json").is_file()


def test_json_refuses_to_overwrite_another_file(engine, tmp_path):
    (tmp_path / "data.json").write_text('{"mine": 1}')
    with pytest.raises(ReportError) as error:
        export_all(engine, tmp_path / "data.json", fmt="json")
    assert (error.value.message, error.value.hint) == (f"文件 {tmp_path / 'data.json'} 已存在，且不是以前导出的文件",
                                                       "换一个文件名；导出只覆盖自己以前写的文件")
    assert (tmp_path / "data.json").read_text() == '{"mine": 1}'


def test_json_replaces_a_previous_export(own_filled, folder):
    export_json(own_filled, folder / "export.json")
    set_record(own_filled, SHANXI, "guidance.4.d", RawChange(status="推进中"), actor="张老师", policy_id=GSE)
    _, data = export_json(own_filled, folder / "export.json")
    assert len(data["records"]) == 6
    assert [p.name for p in folder.iterdir()] == ["export.json"]


def test_json_refuses_a_folder(engine, folder):
    with pytest.raises(ReportError, match=f"^{re.escape(str(folder))} 是一个目录$"):
        export_all(engine, folder, fmt="json")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(("fmt", "what"), [("json", "导出文件"), ("csv", "导出目录")])
def test_a_target_under_a_file_is_one_line(engine, tmp_path, fmt, what):
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "sub" / "export"
    with pytest.raises(ReportError) as error:
        export_all(engine, target, fmt=fmt)
    assert error.value.message == f"无法写入{what} {target}（{tmp_path / 'file'} 不是目录）"
    assert error.value.hint == "检查目录是否存在、是否有写入权限，或换一个 --out"


def test_a_failed_export_leaves_the_previous_one_and_no_temporary_files(filled, tmp_path, monkeypatch):
    import jobpolicy.services.export as export

    out = tmp_path / "out"
    export_csv(filled, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def disk_full(row):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "csv_row", disk_full)
    with pytest.raises(ReportError, match="^无法写入导出目录 .*（磁盘空间不足）$"):
        export_all(filled, out, fmt="csv")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
