"""Debian's headless LibreOffice for the tests that check a workbook as a spreadsheet program saves or prints it.

The ``soffice`` fixture (tests/conftest.py) gives its path, or skips saying why (fails under CI).

Starting LibreOffice costs 1.3–2 s of CPU, a conversion in a running one about 0.2 s: so one LibreOffice is started
per test process, on first use, and each file is opened and saved in it over UNO (``libreoffice_save.py``, run by
the system Python that has python3-uno), as ``soffice --convert-to`` would. Without python3-uno each conversion
starts its own ``soffice --convert-to``, as before.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

SAVE = Path(__file__).with_name("libreoffice_save.py")
FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "pdf": "calc_pdf_Export"}  # what --convert-to picks for a workbook


def convert(soffice: str, path: Path, kind: str) -> Path:
    """Open ``path`` in LibreOffice and save it as ``kind`` (xlsx, pdf) in a folder beside it; return the file."""
    out = path.parent / "libreoffice"
    target = out / path.with_suffix(f".{kind}").name
    office = _running(soffice)
    if office is None:
        profile = (path.parent / "lo-profile").as_uri()  # its own profile: no clash with another soffice running
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to",
                        kind, "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=180)
    else:
        out.mkdir(exist_ok=True)
        office.save(path, target, FILTERS[kind])
    return target


def save_in_libreoffice(soffice: str, path: Path) -> Path:
    """Open the workbook in LibreOffice and save it as .xlsx again, as an office does; return the saved file."""
    return convert(soffice, path, "xlsx")


class _Office:
    """A headless LibreOffice listening on a pipe of this process, with a profile of its own, quit at exit."""

    def __init__(self, soffice: str, python: str):
        self.python, self.pipe = python, f"jobpolicy-tests-{os.getpid()}"
        self.profile = Path(tempfile.mkdtemp(prefix="jobpolicy-lo-"))
        self.process = subprocess.Popen(
            [soffice, "--headless", "--norestore", "--nologo", "--nodefault",
             f"-env:UserInstallation={self.profile.as_uri()}", f"--accept=pipe,name={self.pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # soffice starts a child
        atexit.register(self.quit)

    def save(self, source: Path, target: Path, filter_name: str) -> None:
        done = subprocess.run([self.python, str(SAVE), self.pipe, str(source), str(target), filter_name],
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0 and target.exists(), f"LibreOffice did not save {target}: {done.stderr}"

    def quit(self) -> None:
        """Ask LibreOffice to quit (its launcher then ends too, having waited for it); kill its group if it will not."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run([self.python, str(SAVE), self.pipe, "quit"], capture_output=True, timeout=60)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # its group: the launcher and the office it started
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


_OFFICES: dict[str, _Office | None] = {}


def _running(soffice: str) -> _Office | None:
    """This process's LibreOffice, started on first use; None when no Python here can drive it (no python3-uno)."""
    if soffice not in _OFFICES:
        python = next((p for p in ("/usr/bin/python3", shutil.which("python3")) if p and Path(p).exists()
                       and subprocess.run([p, "-c", "import uno"], capture_output=True).returncode == 0), None)
        _OFFICES[soffice] = _Office(soffice, python) if python else None
    return _OFFICES[soffice]
