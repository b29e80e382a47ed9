"""Engines: SQLite (embedded default, one file) and PostgreSQL (production)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url


def make_engine(url: str) -> Engine:
    """Build an engine for ``url``; SQLite files get WAL, foreign keys and a larger page cache."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(u, connect_args={"timeout": 30})
        engine._connection_cls = _SQLiteConnection
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if u.get_backend_name() == "postgresql":
        if u.drivername == "postgresql":
            u = u.set(drivername="postgresql+psycopg")
        # Plan every statement with its values and the tables' current sizes (prepared, so not parsed again): a
        # generic plan made while a table was small (slips at the start of a month's import) would keep scanning
        # it whole as it grows within the transaction.
        return create_engine(u, pool_pre_ping=True,
                             connect_args={"options": "-c plan_cache_mode=force_custom_plan"})
    raise ValueError(f"Unsupported database '{u.get_backend_name()}': use sqlite:///FILE or postgresql://…")


def _sqlite_on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001
    # Let SQLAlchemy (not pysqlite) decide where transactions begin, so BEGIN covers every statement.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA cache_size=-131072")  # 128 MiB
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


class _SQLiteConnection(Connection):
    """Marks the transactions SQLAlchemy begins by itself at a connection's first statement (``engine.connect()``:
    the reads) apart from those begun explicitly (``engine.begin()``, ``conn.begin()``: the writes)."""

    def _autobegin(self) -> None:
        self.info["danso_read"] = True
        try:
            super()._autobegin()
        finally:
            self.info.pop("danso_read", None)


def _sqlite_on_begin(conn) -> None:  # noqa: ANN001
    # A write transaction takes the write lock at the start (IMMEDIATE), so two writers queue instead of failing
    # mid-way; a read (WAL) takes no lock and runs beside the writer — a long report never blocks the others.
    conn.exec_driver_sql("BEGIN" if conn.info.get("danso_read") else "BEGIN IMMEDIATE")


def is_sqlite(engine_or_conn) -> bool:  # noqa: ANN001
    return engine_or_conn.dialect.name == "sqlite"
