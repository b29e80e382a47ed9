"""The few places where SQLite and PostgreSQL differ: bulk loading and full-text name search."""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Table, text
from sqlalchemy.sql.elements import TextClause


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert rows (tuples in ``columns`` order) with the engine's fast path, inside the caller's transaction:
    PostgreSQL ``COPY … FROM STDIN``; SQLite one prepared ``executemany``. Returns the number of rows."""
    if conn.dialect.name == "postgresql":
        return _copy(conn, table, columns, rows)
    return _executemany(conn, table, columns, rows)


def _copy(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    n = 0
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


# Dates go to SQLite as ISO text, the format SQLAlchemy's Date type reads back. Registered explicitly (the
# sqlite3 module's own default adapters are deprecated since Python 3.12); the conversion runs inside sqlite3.
sqlite3.register_adapter(dt.date, dt.date.isoformat)


def _executemany(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    rows = rows if isinstance(rows, list) else list(rows)
    if rows:
        conn.connection.driver_connection.cursor().executemany(sql, rows)
    return len(rows)


_TOKEN = re.compile(r"[a-z0-9]+")


def name_tokens(folded_query: str) -> list[str]:
    return _TOKEN.findall(folded_query)


def name_match_sql(conn: Connection, tokens: list[str]) -> tuple[TextClause, dict[str, str]]:
    """SQL yielding ``id`` of persons whose folded name contains every token as a word (the last token as a
    word prefix, so that typing ``nguyen van h`` already finds ``Nguyễn Văn Hùng``)."""
    if conn.dialect.name == "postgresql":
        q = " & ".join(tokens[:-1] + [tokens[-1] + ":*"])
        return (text("SELECT id FROM persons WHERE to_tsvector('simple'::regconfig, name_folded) "
                     "@@ to_tsquery('simple'::regconfig, :q)"), {"q": q})
    q = " ".join(f'"{t}"' for t in tokens[:-1]) + f' "{tokens[-1]}"*'
    return text("SELECT rowid AS id FROM person_names WHERE person_names MATCH :q"), {"q": q.strip()}


BULK_CACHE_KIB = -400_000  # 400 MB of SQLite page cache during bulk loads (negative: KiB)


@contextmanager
def bulk_load(conn: Connection, first_person_id: int) -> Iterator[None]:
    """Within the caller's transaction, load many persons fast: on SQLite the per-row trigger that feeds the
    full-text name index is suspended and the new names (ids ≥ ``first_person_id``) are indexed in one
    set-based statement at the end. The trigger's own definition is saved and restored, and since SQLite DDL
    is transactional, a failure rolls everything back. PostgreSQL needs nothing: COPY feeds its indexes."""
    if conn.dialect.name != "sqlite":
        yield
        return
    trigger_sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'persons_ai'").scalar_one()
    conn.exec_driver_sql("DROP TRIGGER persons_ai")
    # the CCCD and BHYT indexes take keys in random order: give the page cache room for them while loading
    cache = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size={BULK_CACHE_KIB}")
    yield
    conn.exec_driver_sql(f"PRAGMA cache_size={int(cache)}")
    conn.execute(text("INSERT INTO person_names(rowid, name_folded) SELECT id, name_folded FROM persons "
                      "WHERE id >= :first"), {"first": first_person_id})
    conn.exec_driver_sql(trigger_sql)


def refresh_statistics(conn: Connection) -> None:
    """Update the query planner's statistics after a bulk load (sampled on SQLite, so it stays quick)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA analysis_limit=2000")
    conn.exec_driver_sql("ANALYZE")


def json_field_sql(conn: Connection, column: str, key: str, *, array_length: bool = False) -> str:
    """SQL reading a top-level field of a JSON text column as text (``array_length``: the length of the array
    it holds), e.g. ``json_field_sql(conn, "e.data", "place")``. ``column`` and ``key`` are trusted names,
    never user input; JSON ``null`` and a missing key both give SQL NULL."""
    if not re.fullmatch(r"[a-z_][a-z0-9_.]*", column) or not re.fullmatch(r"[a-z_][a-z0-9_]*", key):
        raise ValueError(f"not a column and key: {column!r}, {key!r}")
    if conn.dialect.name == "postgresql":
        if array_length:
            return f"json_array_length(({column})::json -> '{key}')"
        return f"(({column})::json ->> '{key}')"
    if array_length:
        return f"json_array_length({column}, '$.{key}')"
    return f"json_extract({column}, '$.{key}')"


def pieces(ids: Sequence[int], size: int = 900) -> list[Sequence[int]]:
    """A long list of ids cut into pieces one statement can bind (SQLite's limit on parameters)."""
    return [ids[i:i + size] for i in range(0, len(ids), size)]
