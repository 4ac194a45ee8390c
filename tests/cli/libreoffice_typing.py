"""Type into a workbook's cells in headless LibreOffice set to the zh-CN locale, as an office does, and save it.

Run by the system Python that has LibreOffice's ``uno`` module (Debian's python3-uno), not by the test's venv:

    python3 libreoffice_typing.py SOFFICE PROFILE_DIR IN.xlsx OUT.xlsx CELLS_JSON

CELLS_JSON maps a cell of sheet 清单 (``N6``) to what is done to it:
``{"type": "2026/12/31"}`` types the text as a user does (LibreOffice recognises dates and formulas in it),
``{"type": …, "chinese_format": true}`` first gives the cell the zh-CN standard format (a cell formatted by
someone working in Chinese), ``{"text": …}`` enters it as text (a cell formatted as 文本). Prints a JSON object:
each cell's text as LibreOffice then shows it.
"""

import contextlib
import json
import os
import subprocess
import sys

import uno
from com.sun.star.lang import Locale
from com.sun.star.util.NumberFormat import ALL

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/: the UNO helpers
from libreoffice_save import connect, prop  # found on the path set above

# LibreOffice reads typed input (dates, numbers) in the locale set here, as on an office PC in China.
ZH_CN_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>zh-CN</value></prop></item>
</oor:items>
"""


def type_cells(doc, cells):
    sheet = doc.Sheets.getByName("清单")
    shown = {}
    for ref, action in cells.items():
        cell = sheet.getCellRangeByName(ref)
        if action.get("chinese_format"):
            cell.NumberFormat = doc.NumberFormats.getStandardFormat(ALL, Locale("zh", "CN", ""))
        if "text" in action:
            cell.setString(action["text"])
        else:
            cell.FormulaLocal = action["type"]  # what typing into the cell does, in the locale's own syntax
        shown[ref] = cell.getString()
    return shown


def main(soffice, profile, source, target, cells_json):
    os.makedirs(os.path.join(profile, "user"), exist_ok=True)
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w", encoding="utf-8") as handle:
        handle.write(ZH_CN_PROFILE)
    pipe = f"jobpolicy{os.getpid()}"
    office = subprocess.Popen([soffice, "--headless", "--norestore", "--nologo", "--nodefault",
                               f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
                               f"--accept=pipe,name={pipe};urp;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop = None
    try:
        context = connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
        shown = type_cells(doc, json.loads(cells_json))
        doc.calculateAll()
        doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
        print(json.dumps(shown, ensure_ascii=False))
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):  # the bridge closes as LibreOffice quits
                desktop.terminate()
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(*sys.argv[1:])
