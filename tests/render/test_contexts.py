"""Page contexts: every field documented, display-ready values only."""

import dataclasses

import pytest

from jobpolicy.render import contexts, coverage_contexts

CONTEXT_CLASSES = [obj for module in (contexts, coverage_contexts) for obj in vars(module).values()
                   if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__]


@pytest.mark.parametrize("cls", CONTEXT_CLASSES, ids=lambda c: c.__name__)
def test_every_context_field_has_help(cls):
    for field in dataclasses.fields(cls):
        assert field.metadata.get("help"), f"{cls.__name__}.{field.name}"


def test_the_pages_are_among_them():
    names = {cls.__name__ for cls in CONTEXT_CLASSES}
    assert {"InstitutionPage", "SummaryPage", "ChecklistRow", "MeasureSchoolRow", "CoveragePage"} <= names
