"""Reading checklist files safely, before any database work: types, limits, bombs, encodings, formulas, merges."""

import codecs
import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from jobpolicy.domain.checklist_sheet import COLUMNS, HEADER_ROW
from jobpolicy.domain.formula_cells import Unreadable
from jobpolicy.errors import InvalidInput
from jobpolicy.services import sheet_files
from jobpolicy.services.sheet_files import MAX_ROWS, decode_csv, read_sheet_file

IMPORTS = Path(__file__).parents[1] / "data" / "imports"


def refusal(path: Path) -> str:
    with pytest.raises(InvalidInput) as caught:
        read_sheet_file(path)
    return caught.value.message


def cells(path: Path, item: str) -> dict[str, object]:
    raw = read_sheet_file(path).raw
    row = next(cells for _, cells in raw.rows if cells and cells[0] == item)
    return dict(zip([str(h) for h in raw.header], row, strict=False))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("清单.xlsm", "不接受带宏的工作簿，只接受 .xlsx 和 .csv"),
        ("清单.xls", "不接受“.xls”类型的文件，只接受 .xlsx 和 .csv"),
        ("清单.txt", "不接受“.txt”类型的文件，只接受 .xlsx 和 .csv"),
        ("清单", "不接受“无扩展名”类型的文件，只接受 .xlsx 和 .csv"),
    ],
)
def test_only_xlsx_and_csv_are_read(tmp_path, name, message):
    (tmp_path / name).write_bytes((IMPORTS / "good_office.xlsx").read_bytes())
    assert refusal(tmp_path / name) == message


def test_a_missing_file(tmp_path):
    assert refusal(tmp_path / "无.csv") == f"文件 {tmp_path / '无.csv'} 不存在"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(sheet_files.MAX_BYTES + 1)  # sparse: no 10 MB written
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file over the limit"))
    assert refusal(big) == "文件有 10.0 MB，超过上限 10 MB"


def test_a_csv_over_the_row_limit_is_refused(tmp_path):
    lines = (IMPORTS / "good_statuses.csv").read_text(encoding="utf-8-sig").splitlines()
    many = tmp_path / "many.csv"
    many.write_text("\r\n".join(lines[:5] + [lines[5]] * (MAX_ROWS + 1)), encoding="utf-8-sig")
    assert refusal(many) == "文件超过 5000 行的上限，已拒绝"
    many.write_text("\r\n".join(lines[:5] + [lines[5]] * MAX_ROWS), encoding="utf-8-sig")
    assert len(read_sheet_file(many).raw.rows) == MAX_ROWS


def test_an_xlsx_over_the_row_limit_is_refused_while_streaming(tmp_path):
    book = openpyxl.load_workbook(IMPORTS / "good_office.xlsx")
    sheet = book["清单"]
    for _ in range(MAX_ROWS + HEADER_ROW + 1 - sheet.max_row):
        sheet.append(["support.16.a"])
    book.save(tmp_path / "many.xlsx")
    assert refusal(tmp_path / "many.xlsx") == "文件超过 5000 行的上限，已拒绝"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_xml_bomb.xlsx", "文件中含有 XML 实体定义（可能是“XML 炸弹”），已拒绝"),
        ("bad_zip_bomb.xlsx", "文件解压后有 60 MB（压缩比异常，可能是“zip 炸弹”），已拒绝"),
        ("bad_macro_inside.xlsx", "文件中含有宏（VBA），出于安全原因不读取"),
        ("bad_macro.xlsm", "不接受带宏的工作簿，只接受 .xlsx 和 .csv"),
        ("bad_old_format.xlsx", "文件是旧版 .xls 格式，或设置了打开密码，无法读取"),
        ("bad_no_meta_sheet.xlsx", "工作簿中没有工作表“_jobpolicy”，不是 jobpolicy 导出的清单"),
        ("bad_encoding.csv", "无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK），已拒绝"),
        ("bad_not_exported.csv", "文件第一行不是 jobpolicy 清单的元数据行，不是 jobpolicy 导出的清单"),
    ],
)
def test_unsafe_or_foreign_files_are_refused(name, message):
    assert refusal(IMPORTS / name) == message


def test_the_xml_bomb_is_really_one_and_the_zip_bomb_really_unpacks_large():
    import zipfile

    with zipfile.ZipFile(IMPORTS / "bad_xml_bomb.xlsx") as archive:
        assert b"<!ENTITY lol9" in archive.read("xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(IMPORTS / "bad_zip_bomb.xlsx") as archive:
        assert sum(i.file_size for i in archive.infolist()) > 60 * 1024 * 1024
    assert (IMPORTS / "bad_zip_bomb.xlsx").stat().st_size < 200 * 1024


def test_xlsx_is_not_read_without_defusedxml(monkeypatch):
    import openpyxl.xml

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    assert refusal(IMPORTS / "good_office.xlsx") == "未启用 defusedxml，出于安全原因不读取 .xlsx 文件"


def test_openpyxl_parses_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def test_not_a_zip(tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04 not really")
    assert refusal(tmp_path / "x.xlsx") == "文件不是有效的 .xlsx（无法作为 zip 包打开）"


def test_a_formula_gives_its_cached_value_or_is_unreadable_never_evaluated():
    assert cells(IMPORTS / "good_formula_cached.xlsx", "support.16.a")["指标值"] == 480
    value = cells(IMPORTS / "bad_formula_no_value.xlsx", "support.16.a")["指标值"]
    assert value == Unreadable(formula="=SUM(Q6:Q7)")


def test_percentages_are_read_as_shown_and_merges_are_reported():
    assert cells(IMPORTS / "good_office.xlsx", "guidance.4.a")["进度"] == 100
    merges = read_sheet_file(IMPORTS / "good_merged.xlsx").raw.merges
    assert sorted(merges) == [(2, 2, 2, 3), (3, 2, 3, 3), (13, 12, 15, 12)]  # 填报人, 联系电话, 责任部门


def test_gb18030_csv_written_as_excel_in_china_writes_it():
    data = (IMPORTS / "good_gb18030.csv").read_bytes()
    assert not data.startswith(codecs.BOM_UTF8) and data.count(b"\r\n") > 40
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    read = read_sheet_file(IMPORTS / "good_gb18030.csv")
    assert read.encoding == "gb18030" and read.raw.meta.institution_name == "山西大学"
    assert cells(IMPORTS / "good_gb18030.csv", "support.16.a")["备注"] == "按1:500配备，已到位"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (codecs.BOM_UTF8 + "编号,状态".encode(), "编号,状态", "utf-8-sig"),
        ("编号,状态".encode(), "编号,状态", "utf-8"),
        ("编号,状态".encode("gb18030"), "编号,状态", "gb18030"),
        ("编号,状态".encode("gbk"), "编号,状态", "gb18030"),
        (b"item,status", "item,status", "utf-8"),  # plain ASCII is the same in both; UTF-8 is the honest name
    ],
)
def test_csv_encoding_detection(data, text, encoding):
    assert decode_csv(data) == (text, encoding)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (codecs.BOM_UTF16_LE + "编号".encode("utf-16-le"), "文件是 UTF-16 编码（Excel 的“Unicode 文本”），不是 CSV"),
        (b"a,b\xff\x80", "无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK），已拒绝"),
        (b"PK\x03\x04\x00\x00", "无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK），已拒绝"),
    ],
)
def test_undecodable_csv_is_refused(data, message):
    with pytest.raises(InvalidInput) as caught:
        decode_csv(data)
    assert caught.value.message == message


def test_csv_rows_are_numbered_as_excel_shows_them_even_with_line_breaks_in_cells(tmp_path):
    rows = list(csv.reader(io.StringIO((IMPORTS / "good_statuses.csv").read_text(encoding="utf-8-sig"), newline="")))
    rows[5][[c.key for c in COLUMNS].index("note")] = "第一行\r\n第二行"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    (tmp_path / "x.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")
    numbers = [number for number, _ in read_sheet_file(tmp_path / "x.csv").raw.rows]
    assert numbers[:3] == [6, 7, 8]


def test_is_checklist_file(tmp_path):
    assert sheet_files.is_checklist_file(IMPORTS / "good_office.xlsx")
    assert sheet_files.is_checklist_file(IMPORTS / "good_statuses.csv")
    assert not sheet_files.is_checklist_file(IMPORTS / "bad_not_exported.csv")
    assert not sheet_files.is_checklist_file(IMPORTS / "bad_no_meta_sheet.xlsx")
    shutil.copy(IMPORTS / "bad_zip_bomb.xlsx", tmp_path / "b.xlsx")
    assert not sheet_files.is_checklist_file(tmp_path / "b.xlsx")


@pytest.mark.parametrize("name", ["good_office.xlsx", "good_statuses.csv", "good_gb18030.csv"])
def test_both_formats_put_the_header_on_row_5_and_the_author_above_it(name):
    raw = read_sheet_file(IMPORTS / name).raw
    assert (raw.header_row, raw.rows[0][0], raw.fields) == (HEADER_ROW, HEADER_ROW + 1, {"填报人": "王老师"})


@pytest.mark.parametrize(("name", "header_row"), [("format1_office.xlsx", 1), ("format1_statuses.csv", 2)])
def test_format_1_files_have_their_header_where_they_had_it(name, header_row):
    raw = read_sheet_file(IMPORTS / name).raw
    assert (raw.meta.fmt, raw.header_row, raw.fields) == ("1", header_row, {})
