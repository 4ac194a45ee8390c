"""Write the small files of the bad-input corpus (``files/``) from a good export; run again to refresh them.

Each file carries one defect (database files are made by the test itself); ``cases.toml`` names the command that reads it, the exit code and the message.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
FILES = HERE / "files"
GOOD = HERE.parent / "imports" / "good_statuses.csv"
CATALOG = HERE.parent / "catalogs" / "good_minimal" / "demo.yaml"
COLUMNS = {"编号": 0, "期次": 1, "截止日期": 8, "状态": 9, "进度": 10, "完成时限": 13, "佐证材料": 14, "指标值": 16,
           "不适用理由": 18, "学校标识码": 21, "版本": 22}

# One changed cell of the first item row each: (file name, column, value).
CELLS = [
    ("状态_无此状态.csv", "状态", "完成了吗"), ("进度_超过100.csv", "进度", "101"), ("进度_负数.csv", "进度", "-5"),
    ("进度_汉字.csv", "进度", "五十"), ("完成时限_13月.csv", "完成时限", "2026年13月1日"),
    ("完成时限_2月30日.csv", "完成时限", "26年2月30日"), ("完成时限_9999年.csv", "完成时限", "9999-12-31"),
    ("完成时限_文字.csv", "完成时限", "下个月"), ("指标值_nan.csv", "指标值", "nan"), ("指标值_1e308.csv", "指标值", "1e308"),
    ("指标值_下划线.csv", "指标值", "1_000"), ("编号_不存在.csv", "编号", "supply.99.z"),
    ("学校标识码_不存在.csv", "学校标识码", "0000000000"), ("版本_文字.csv", "版本", "abc"),
    ("期次_13月.csv", "期次", "2025-13"), ("佐证_javascript.csv", "佐证材料", "javascript:alert(1)"),
    ("不适用_无理由.csv", "状态", "不适用"),
]


def _rows() -> list[str]:
    return GOOD.read_text(encoding="utf-8-sig").splitlines()


def csv_files() -> None:
    head, first = _rows()[:5], _rows()[5]
    for name, column, value in CELLS:
        cells = first.split(",")
        cells[COLUMNS[column]] = value
        if column == "指标值":
            cells[COLUMNS["状态"]] = "推进中"
        (FILES / name).write_text("\ufeff" + "\n".join([*head, ",".join(cells)]) + "\n", encoding="utf-8")
    (FILES / "空文件.csv").write_bytes(b"")
    (FILES / "只有表头.csv").write_text("编号,状态\n", encoding="utf-8")
    (FILES / "无填报人.csv").write_text("\ufeff" + "\n".join([_rows()[0], *_rows()[2:6]]) + "\n", encoding="utf-8")
    (FILES / "二进制.csv").write_bytes(bytes(range(256)) * 4)
    (FILES / "含NUL.csv").write_bytes(GOOD.read_bytes().replace(b",,,,", b",\x00,,", 1))
    (FILES / "UTF16.csv").write_text(GOOD.read_text(encoding="utf-8-sig"), encoding="utf-16")


def sheet_files() -> None:
    (FILES / "文本改名.xlsx").write_text("这不是工作簿\n", encoding="utf-8")
    (FILES / "空文件.xlsx").write_bytes(b"")
    with zipfile.ZipFile(FILES / "压缩包非工作簿.xlsx", "w") as archive:
        archive.writestr("readme.txt", "不是工作簿")
    good = HERE.parent / "imports" / "good_office.xlsx"
    (FILES / "截断.xlsx").write_bytes(good.read_bytes()[:2000])
    with zipfile.ZipFile(FILES / "清单.zip", "w") as archive:  # a returned package with a member that climbs out
        archive.write(GOOD, "清单.csv")
        archive.writestr("../逃逸.pdf", b"%PDF-1.4\n")
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["编号", "状态"])
    book.active.append(["supply.2.a", "已完成"])
    book.save(FILES / "他人工作簿.xlsx")


def catalog_files() -> None:
    text = CATALOG.read_text(encoding="utf-8")
    (FILES / "清单_空.yaml").write_text("", encoding="utf-8")
    (FILES / "清单_列表.yaml").write_text("- a\n- b\n", encoding="utf-8")
    (FILES / "清单_语法.yaml").write_text("id: [未闭合\n", encoding="utf-8")
    (FILES / "清单_二进制.yaml").write_bytes(bytes(range(256)))
    (FILES / "清单_制表符.yaml").write_text("id: x\n\tversion: 1\n", encoding="utf-8")
    (FILES / "清单_深嵌套.yaml").write_text("a: " + "[" * 2000 + "]" * 2000 + "\n", encoding="utf-8")
    (FILES / "清单_巨大整数.yaml").write_text(text.replace("weight: 1", "weight: " + "9" * 5000, 1)
                                       if "weight: 1" in text else text + "x: " + "9" * 5000 + "\n", encoding="utf-8")
    (FILES / "清单_GBK.yaml").write_bytes(text.encode("gbk", errors="replace"))
    (FILES / "清单_每秒.yaml").write_text(
        text + "            cadence: {rrule: FREQ=SECONDLY, start: 2025-01-01}\n", encoding="utf-8")
    (FILES / "清单_无限权重.yaml").write_text(text + "            weight: .inf\n", encoding="utf-8")
    (FILES / "清单_公元1年.yaml").write_text(text + "            due: 0001-01-01\n", encoding="utf-8")


def database_files(folder: Path) -> None:
    """Files named by --db that are no jobpolicy database; made where the test runs, since databases are never
    committed."""
    (folder / "文本.db").write_text("学校标识码,学校名称\n", encoding="utf-8")
    (folder / "工作簿.db").write_bytes(b"PK\x03\x04" + bytes(60))
    target = folder / "其他程序.db"
    target.unlink(missing_ok=True)
    with sqlite3.connect(target) as connection:
        connection.execute("CREATE TABLE 成绩 (学号 TEXT)")
    connection.close()
    (folder / "头部损坏.db").write_bytes(b"SQLite format 2\x00" + bytes(84))


if __name__ == "__main__":
    FILES.mkdir(exist_ok=True)
    csv_files()
    sheet_files()
    catalog_files()
