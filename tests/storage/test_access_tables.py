"""Every table is granted for reading to office and reviewer logins (row security then picks the rows).

A table added by a later migration and left out of ``READABLE`` would make every command of an office fail on
PostgreSQL with a permission error, while every test run as the owner passes.
"""

from jobpolicy.storage.access import READABLE
from jobpolicy.storage.models import SQLModel


def test_every_table_of_the_schema_is_readable_by_logins():
    assert set(READABLE) == {*SQLModel.metadata.tables, "alembic_version"}
