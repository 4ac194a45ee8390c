"""Open a file in a running headless LibreOffice and save it in another format, as ``soffice --convert-to`` does.

Run by the system Python that has LibreOffice's ``uno`` module (Debian's python3-uno), not by the test's venv:

    python3 libreoffice_save.py PIPE IN OUT FILTER
    python3 libreoffice_save.py PIPE quit

PIPE names the pipe LibreOffice listens on (``--accept=pipe,name=PIPE;urp;``); FILTER is LibreOffice's export filter
(``Calc MS Excel 2007 XML`` for .xlsx, what ``--convert-to xlsx`` picks). ``quit`` ends LibreOffice.
"""

import contextlib
import os
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    found = PropertyValue()
    found.Name, found.Value = name, value
    return found


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(480):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # not listening yet: LibreOffice starts in a few seconds on a busy machine
            time.sleep(0.25)
    raise SystemExit("LibreOffice did not start")


def main(pipe, source, target=None, filter_name=None):
    context = connect(pipe)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    if source == "quit":
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice quits
            desktop.terminate()
        return
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    try:
        doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", filter_name), prop("Overwrite", True)))
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:])
    sys.stdout.flush()
    os._exit(0)  # the UNO bridge's teardown at interpreter exit crashes now and then (SIGSEGV); the file is saved
