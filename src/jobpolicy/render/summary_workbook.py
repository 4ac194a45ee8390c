"""The summary as an Excel workbook for leadership (``report summary --xlsx``): the tables of ``summary_tables``.

Each sheet has a title row naming scope, policy and as-of date, a note on how it is counted, a frozen header row
and filters. Rates are numbers formatted as percentages, coloured by the same heat bands as the HTML page
(``render.heat``) through conditional formatting, so a re-sorted or edited cell keeps the right colour. The
per-measure sheet carries a bar chart of 落实率 to paste into slides. Text is neutralised (never a formula).
"""

from __future__ import annotations

import io
from typing import Any

from jobpolicy.domain.line_tally import SummaryTallies
from jobpolicy.render.contexts import SummaryPage
from jobpolicy.render.heat import HEAT_BANDS, NO_RATE, HeatBand, heat_band
from jobpolicy.render.status_views import width as text_width
from jobpolicy.render.summary_tables import COUNT, DATE, RATE, TEXT, Table, summary_tables
from jobpolicy.render.xlsx_cells import put

TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3
FIRST = HEADER_ROW + 1
FORMATS = {RATE: "0.0%", COUNT: "General", DATE: "yyyy-mm-dd"}
HEADER_FILL = "E7E6E6"
WIDEST = 48  # characters' width; longer text wraps inside its cell
CHART_ROW_CM = 0.75  # height per bar, so 20 measures make a chart that still reads on a slide


def summary_workbook(page: SummaryPage, *, overview: Any, schools: list[Any], tallies: SummaryTallies,
                     obligations: dict[str, list[Any]]) -> bytes:
    """The XLSX file of the summary's tables, as bytes (the caller writes it where it belongs)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table in summary_tables(page, overview=overview, schools=schools, tallies=tallies,
                                obligations=obligations):
        _sheet(book, table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(book, table: Table) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(table.sheet)
    last = get_column_letter(len(table.columns))
    for row, text, font in ((TITLE_ROW, table.title, Font(bold=True, size=13)), (NOTE_ROW, table.note, Font(size=9))):
        put(sheet.cell(row=row, column=1), text)
        sheet.cell(row=row, column=1).font = font
        sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=row == NOTE_ROW, vertical="top")
        sheet.merge_cells(f"A{row}:{last}{row}")
    sheet.row_dimensions[NOTE_ROW].height = 30
    sheet.row_dimensions[HEADER_ROW].height = 32  # two lines: the systems' headings wrap (LibreOffice won't grow it)
    _header(sheet, table)
    end = _rows(sheet, table)
    for index, column in enumerate(table.columns, start=1):
        if column.heat and end >= FIRST:
            _heat_rules(sheet, get_column_letter(index), end)
    _layout(sheet, table, last)
    if table.chart is not None and table.rows:
        _chart(sheet, table)


def _header(sheet, table: Table) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index)
        put(cell, column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _rows(sheet, table: Table) -> int:
    """Write the rows and the total row; return the last row written."""
    from openpyxl.styles import Alignment, Border, Font, Side

    number = HEADER_ROW
    for number, values in enumerate(table.rows, start=FIRST):
        _row(sheet, number, table, values)
    if table.total is not None:
        number += 1
        _row(sheet, number, table, table.total)
        for index in range(1, len(table.columns) + 1):
            cell = sheet.cell(row=number, column=index)
            cell.font = Font(bold=True)
            cell.border = Border(top=Side(style="thin"))
    wrapped = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(table.columns, start=1):
        if column.kind == TEXT and _widest(table, index - 1) > WIDEST:
            for row in range(FIRST, number + 1):
                sheet.cell(row=row, column=index).alignment = wrapped
    return number


def _row(sheet, number: int, table: Table, values: list[Any]) -> None:
    from openpyxl.styles import Alignment

    for index, (column, value) in enumerate(zip(table.columns, values, strict=True), start=1):
        cell = sheet.cell(row=number, column=index)
        put(cell, value)
        if column.kind in FORMATS:
            cell.number_format = FORMATS[column.kind]
        if column.kind == RATE and isinstance(value, str):
            cell.alignment = Alignment(horizontal="right")  # — sits where the numbers are


def _widest(table: Table, index: int) -> int:
    values = [row[index] for row in table.rows]
    if table.total is not None:
        values.append(table.total[index])
    return max((text_width(str(v)) for v in values if isinstance(v, str)), default=0)


def _heat_rules(sheet, letter: str, end: int) -> None:
    """The heat bands as conditional formatting: one rule per band, from ``render.heat`` (not copied)."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill

    cell = f"{letter}{FIRST}"  # relative: Excel moves it down the range
    for band in (*HEAT_BANDS, NO_RATE):
        fill = PatternFill("solid", start_color=band.fill[1:].upper(), end_color=band.fill[1:].upper())
        rule = FormulaRule(formula=[_band_formula(band, cell)], fill=fill, stopIfTrue=True)
        sheet.conditional_formatting.add(f"{letter}{FIRST}:{letter}{end}", rule)


def _band_formula(band: HeatBand, cell: str) -> str:
    """The Excel test of a band on a cell holding a fraction (0.875 for 87.5%)."""
    if band.low is None:
        return f"NOT(ISNUMBER({cell}))"
    tests = [f"ISNUMBER({cell})", f"{cell}>={band.low / 100:g}"]
    if band.high is not None:
        tests.append(f"{cell}<{band.high / 100:g}")
    return f"AND({','.join(tests)})"


def _layout(sheet, table: Table, last: str) -> None:
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(table.columns, start=1):
        header = text_width(column.header) if column.kind == TEXT else min(text_width(column.header), 10)
        width = max(header, _widest(table, index - 1), 10 if column.kind in (RATE, DATE) else 6)
        sheet.column_dimensions[get_column_letter(index)].width = min(width, WIDEST) + 2
    sheet.freeze_panes = f"{get_column_letter(table.frozen + 1)}{FIRST}"
    if table.rows:
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(table.rows)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _chart(sheet, table: Table) -> None:
    """A horizontal bar chart of one rate column, first row on top, each bar labelled with its value."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.utils import get_column_letter

    end = HEADER_ROW + len(table.rows)
    chart = BarChart()
    chart.type = "bar"
    chart.title = table.chart.title
    chart.add_data(Reference(sheet, min_col=table.chart.values + 1, min_row=HEADER_ROW, max_row=end),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=table.chart.labels + 1, min_row=FIRST, max_row=end))
    chart.legend = None
    _colour_bars(chart.series[0], [row[table.chart.values] for row in table.rows])
    # Every flag spelled out: a reader that finds one missing (LibreOffice) takes it as shown.
    chart.dataLabels = DataLabelList(showVal=True, showCatName=False, showSerName=False, showLegendKey=False,
                                     showPercent=False, showBubbleSize=False)
    chart.y_axis.numFmt = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.x_axis.scaling.orientation = "maxMin"  # the first measure at the top, as in the table
    chart.x_axis.delete = chart.y_axis.delete = False  # recent Excel hides axes not explicitly kept
    chart.x_axis.tickLblSkip = 1  # every measure named, not every other one
    chart.width, chart.height = 22, max(8, CHART_ROW_CM * len(table.rows) + 3)
    sheet.add_chart(chart, f"{get_column_letter(len(table.columns) + 2)}{FIRST}")


def _colour_bars(series, values: list[Any]) -> None:
    """Each bar in its heat band's bar colour, as the page's charts draw it (fixed when written)."""
    from openpyxl.chart.marker import DataPoint

    for index, value in enumerate(values):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = heat_band(value * 100 if isinstance(value, float | int) else None).bar[1:]
        series.dPt.append(point)
