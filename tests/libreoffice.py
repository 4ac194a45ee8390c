"""Debian's headless LibreOffice for the tests that check a workbook as a spreadsheet program saves or prints it.

The ``soffice`` fixture (tests/conftest.py) gives its path, or skips saying why (fails under CI).
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def convert(soffice: str, path: Path, kind: str) -> Path:
    """Open ``path`` in LibreOffice and save it as ``kind`` (xlsx, pdf) in a folder beside it; return the file."""
    out = path.parent / "libreoffice"
    profile = (path.parent / "lo-profile").as_uri()  # its own profile: no clash with another soffice running
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", kind,
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=180)
    return out / path.with_suffix(f".{kind}").name


def save_in_libreoffice(soffice: str, path: Path) -> Path:
    """Open the workbook in LibreOffice and save it as .xlsx again, as an office does; return the saved file."""
    return convert(soffice, path, "xlsx")
