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
    # errors
    **dict.fromkeys(["AppError", "CatalogError", "CatalogInvalid", "InvalidInput", "Ambiguous", "NotFound",
                     "StorageError", "SchemaMismatch", "ReportError", "ThresholdNotMet", "ExitCode", "Problem"],
                    "jobpolicy.errors"),
    # the catalog and reference data
    "Policy": "jobpolicy.domain.catalog",
    "load_policy_file": "jobpolicy.domain.catalog_loader",
    **dict.fromkeys(["bundled_policies", "get_policy", "policy_source_text", "validate_policy_files"],
                    "jobpolicy.services.catalog"),
    "load_policy_version": "jobpolicy.services.policies",
    "diff_versions": "jobpolicy.services.policy_diff",
    "draft_policy": "jobpolicy.services.drafting",
    "lookup_institution": "jobpolicy.reference",
    # the database
    "make_engine": "jobpolicy.storage.db",
    "resolve_url": "jobpolicy.storage.db",
    **dict.fromkeys(["init_database", "upgrade_database", "database_info", "backup_database"],
                    "jobpolicy.services.database"),
    # institutions, records, review
    **dict.fromkeys(["add_institution", "import_institutions", "list_institutions", "search_institutions"],
                    "jobpolicy.services.institutions"),
    "find_policy_items": "jobpolicy.services.policies",
    **dict.fromkeys(["acting_user", "save_name", "forget_name"], "jobpolicy.services.identity"),
    **dict.fromkeys(["RawChange", "set_record"], "jobpolicy.services.recording"),
    **dict.fromkeys(["show_records", "record_history"], "jobpolicy.services.history"),
    **dict.fromkeys(["submit", "accept", "return_item"], "jobpolicy.services.review"),
    # reading across records
    **dict.fromkeys(["institution_status", "overview_status"], "jobpolicy.services.status"),
    "diff_records": "jobpolicy.services.diff",
    **dict.fromkeys(["list_deadlines", "write_calendar"], "jobpolicy.services.deadlines"),
    # files people open
    **dict.fromkeys(["institution_report", "summary_report"], "jobpolicy.services.reports"),
    "run_demo": "jobpolicy.services.demo",
    **dict.fromkeys(["export_checklists", "import_checklists"], "jobpolicy.services.checklist_exchange"),
    "export_all": "jobpolicy.services.export",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'jobpolicy' has no attribute {name!r}")
