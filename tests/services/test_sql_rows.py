"""Rows computed in Python reach SQL as one JSON parameter (``services.sql_rows``): every value comes back as its
column's type reads it, NULLs too, compares with a bound value of that type as stored values do, and the statement
is the same whatever the rows, so it is compiled once."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Date, Float, Integer, String, literal, select

from jobpolicy.services.sql_rows import rows_cte
from jobpolicy.storage.db import make_engine
from jobpolicy.storage.models import UTCDateTime

COLUMNS = (("day", Date()), ("at", UTCDateTime()), ("name", String()), ("count", Integer()), ("weight", Float()))
ROWS = [(date(2025, 6, 30), datetime(2025, 6, 30, 16, tzinfo=UTC), "就业·一", 3, 1.5),
        (None, None, None, None, None),
        (date(2024, 1, 1), datetime(2024, 1, 1, 0, 0, 0, 123456, tzinfo=UTC), "", 0, 0.0)]


@pytest.fixture
def sql_engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def test_every_value_comes_back_as_its_type_reads_it(sql_engine):
    rows = rows_cte("facts", COLUMNS, ROWS, sql_engine.dialect)
    with sql_engine.connect() as connection:
        found = connection.execute(select(rows).order_by(rows.c.count.desc().nulls_last())).all()

    assert [tuple(row) for row in found] == [ROWS[0], ROWS[2], ROWS[1]]


def test_a_value_compares_with_a_bound_value_of_its_type(sql_engine):
    rows = rows_cte("facts", COLUMNS, ROWS[:1], sql_engine.dialect)
    day, at, name, number, weight = ROWS[0]
    same = select(rows.c.day == literal(day, Date()), rows.c.at == literal(at, UTCDateTime()),
                  rows.c.at < literal(datetime(2025, 6, 30, 16, 0, 1, tzinfo=UTC), UTCDateTime()),
                  rows.c.name == literal(name, String()), rows.c.count == literal(number, Integer()),
                  rows.c.weight == literal(weight, Float()))
    with sql_engine.connect() as connection:
        assert tuple(connection.execute(same).one()) == (True,) * 6


def test_the_statement_is_the_same_whatever_the_rows(sql_engine):
    def sql(rows):
        return str(select(rows_cte("facts", COLUMNS, rows, sql_engine.dialect)).compile(dialect=sql_engine.dialect))

    assert sql(ROWS) == sql(ROWS[:1])
    assert "就业" not in sql(ROWS)  # the values are in the parameter, not the text
