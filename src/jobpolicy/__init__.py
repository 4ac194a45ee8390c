"""jobpolicy: graduate-employment policy checklists, records and compliance reports.

The public API is listed in ``__all__``; the CLI (``jobpolicy.cli``) is a thin layer over it.
Heavy modules (SQLAlchemy, jinja, openpyxl) are imported lazily so ``jobpolicy --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> module that defines it; resolved on first access (PEP 562).
_LAZY = {
    "AppError": "jobpolicy.errors",
    "CatalogError": "jobpolicy.errors",
    "CatalogInvalid": "jobpolicy.errors",
    "NotFound": "jobpolicy.errors",
    "ExitCode": "jobpolicy.errors",
    "Problem": "jobpolicy.errors",
    "Policy": "jobpolicy.domain.catalog",
    "load_policy_file": "jobpolicy.domain.catalog_loader",
    "validate_policy_files": "jobpolicy.services.catalog",
    "bundled_policies": "jobpolicy.services.catalog",
    "get_policy": "jobpolicy.services.catalog",
    "lookup_institution": "jobpolicy.reference",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'jobpolicy' has no attribute {name!r}")
