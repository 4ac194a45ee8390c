"""The library is the product's first interface: every name in jobpolicy.__all__ resolves, lazily."""

import subprocess
import sys

import pytest

import jobpolicy


@pytest.mark.parametrize("name", jobpolicy.__all__)
def test_every_public_name_resolves(name):
    assert getattr(jobpolicy, name) is not None


def test_importing_the_package_loads_nothing_heavy():
    code = ("import sys, jobpolicy\n"
            "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'jinja2', 'openpyxl') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError):
        jobpolicy.no_such_thing  # noqa: B018
