"""Fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL: ``DANSO_TEST_PG_URL`` (default postgresql://postgres@127.0.0.1:5432/postgres) must reach a server
where the user may create databases. Each test run creates its own uniquely named databases and drops them.
Without a server the PostgreSQL tests are skipped — unless ``DANSO_REQUIRE_PG=1`` (set by CI), where a
missing server is an error.
"""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from danso.bootstrap import Context, build
from danso.config import Settings
from danso.services.units import load_official_units
from danso.storage.schema import upgrade

PG_URL = os.environ.get("DANSO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REQUIRE_PG = os.environ.get("DANSO_REQUIRE_PG") == "1"
RUN_ID = uuid.uuid4().hex[:8]


def _pg_admin():
    return create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")


def _pg_available() -> str | None:
    try:
        with _pg_admin().connect() as c:
            c.execute(text("SELECT 1"))
        return None
    except Exception as e:  # noqa: BLE001
        return str(e).splitlines()[0]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[None]:
    problem = _pg_available()
    if problem:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required (DANSO_REQUIRE_PG=1) but unreachable at {PG_URL}: {problem}")
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {problem}")
    yield
    with _pg_admin().connect() as c:
        for (name,) in c.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                 {"p": f"danso_test_{RUN_ID}%"}):
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def pg_url(name: str) -> str:
    return make_url(PG_URL).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)


@contextmanager
def pg_database(template: str | None = None, label: str = "") -> Iterator[str]:
    """The URL of a new PostgreSQL database (a copy of ``template``, else empty), dropped when the block ends;
    named after the run, so that the session's clean-up drops it too should the block not end."""
    name = f"danso_test_{RUN_ID}_{label}{uuid.uuid4().hex[:8]}"
    with _pg_admin().connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    try:
        yield pg_url(name)
    finally:
        with _pg_admin().connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def template_sqlite(tmp_path_factory) -> Path:  # noqa: ANN001
    """A SQLite file with the schema and the official units, copied for each test."""
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    ctx = build(Settings(f"sqlite:///{path}"))
    upgrade(ctx.engine)
    load_official_units(ctx)
    ctx.engine.dispose()
    return path


@pytest.fixture(scope="session")
def template_pg(pg_server) -> str:  # noqa: ANN001
    name = f"danso_test_{RUN_ID}_tpl"
    with _pg_admin().connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    ctx = build(Settings(pg_url(name)))
    upgrade(ctx.engine)
    load_official_units(ctx)
    ctx.engine.dispose()
    return name


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _copy_of_template(request, tmp_path: Path) -> Iterator[str]:  # noqa: ANN001
    if request.param == "sqlite":
        path = tmp_path / "danso.db"
        shutil.copy(request.getfixturevalue("template_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    with pg_database(request.getfixturevalue("template_pg")) as url:
        yield url


@pytest.fixture(params=ENGINES)
def db_url(request, tmp_path) -> Iterator[str]:  # noqa: ANN001
    """A fresh database with the schema and the official units, on each engine."""
    yield from _copy_of_template(request, tmp_path)


@pytest.fixture(scope="module", params=ENGINES)
def read_only_ctx(request, tmp_path_factory) -> Iterator[Context]:  # noqa: ANN001
    """One database with the schema and the official units per test module and engine, shared by the module's
    tests that only read (copying the template for each test is what makes PostgreSQL tests slow)."""
    for url in _copy_of_template(request, tmp_path_factory.mktemp("ro")):
        context = build(Settings(url))
        yield context
        context.close()


@pytest.fixture
def ctx(db_url: str) -> Iterator[Context]:
    context = build(Settings(db_url))
    yield context
    context.close()


@pytest.fixture
def reg(ctx: Context):  # noqa: ANN201
    """A small register in ``ctx``: two households (slip_factories.small_register)."""
    from slip_factories import small_register

    return small_register(ctx, households=2)


@pytest.fixture
def empty_db_url(request, tmp_path) -> Iterator[str]:  # noqa: ANN001
    """A SQLite URL to a file that does not exist yet (for `danso init` tests)."""
    yield f"sqlite:///{tmp_path / 'new' / 'danso.db'}"
