"""Real PostgreSQL logins for the access tests: made unique per test (role names are cluster-wide, tests run in
parallel), with their privileges revoked and the roles dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import psycopg
from sqlalchemy import Engine, make_url, text

from codes import SHANXI, TAIYUAN_TECH

PEKING = "4111010001"  # 北京大学, 北京市: a school of another province
PASSWORD = "pw-" + uuid.uuid4().hex[:12]


@dataclass
class Logins:
    """Login roles made for one test on the server behind ``admin``; ``drop`` removes them all."""

    admin: Engine
    made: list[str] = field(default_factory=list)
    engines: list[Engine] = field(default_factory=list)

    def engine(self, name: str) -> Engine:
        """jobpolicy's engine as this login (disposed before the login is dropped)."""
        from jobpolicy.storage.db import make_engine

        engine = make_engine(self.url(name))
        self.engines.append(engine)
        return engine

    def make(self, kind: str) -> str:
        """A new login role (password ``PASSWORD``), without any access."""
        name = f"t_{kind}_{uuid.uuid4().hex[:10]}"
        with self.admin.begin() as connection:
            connection.execute(text(f"CREATE ROLE {name} LOGIN PASSWORD '{PASSWORD}'"))
        self.made.append(name)
        return name

    def remember(self, name: str) -> None:
        """Drop this login too (made by the code under test)."""
        self.made.append(name)

    def url(self, name: str) -> str:
        """The admin's URL (same database and schema) as this login, with the server's clock for everyone."""
        return (make_url(self.admin.url).set(username=name, password=PASSWORD)
                .render_as_string(hide_password=False))

    def connect(self, name: str) -> psycopg.Connection:
        """A raw psycopg connection as this login, as psql or any other client would open it."""
        url = make_url(self.admin.url)
        return psycopg.connect(host=url.host, port=url.port, dbname=url.database, user=name, password=PASSWORD,
                               options=f"-csearch_path={schema_of(self.admin)}", autocommit=True)

    def drop(self) -> None:
        for engine in self.engines:
            engine.dispose()
        schema = schema_of(self.admin)
        with self.admin.begin() as connection:
            for name in self.made:
                if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first():
                    for statement in (f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM {name}',
                                      f'REVOKE ALL ON ALL SEQUENCES IN SCHEMA "{schema}" FROM {name}',
                                      f'REVOKE USAGE ON SCHEMA "{schema}" FROM {name}', f"DROP ROLE {name}"):
                        connection.execute(text(statement))


def schema_of(engine: Engine) -> str:
    """The schema a test's URL puts first on the search path."""
    options = parse_qs(urlsplit(engine.url.render_as_string(hide_password=False)).query)["options"][0]
    return options.split("search_path=")[1].split()[0]


def logins_on(admin: Engine) -> Iterator[Logins]:
    """Logins made on ``admin``'s server, dropped when the test ends."""
    made = Logins(admin)
    try:
        yield made
    finally:
        made.drop()


SCHOOLS = (SHANXI, TAIYUAN_TECH, PEKING)
