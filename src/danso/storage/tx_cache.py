"""What a write transaction may remember while it holds the register's lock: the next free id of each table
(ids are max + 1, and no one else writes meanwhile) and the closed months. Forgotten when the transaction ends
(the cache is tied to the root transaction object)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, func, select

_KEY = "danso_tx_cache"


def _cache(conn: Connection) -> dict[str, Any]:
    tx = conn.get_transaction()
    entry = conn.info.get(_KEY)
    if entry is None or entry[0] is not tx:
        entry = (tx, {})
        conn.info[_KEY] = entry
    return entry[1]


def next_id(conn: Connection, table: Table) -> int:
    """max(id) + 1, read once per transaction and counted on from there. Ids a rolled-back savepoint handed
    out are skipped (gaps are harmless)."""
    ids = _cache(conn).setdefault("ids", {})
    if table.name not in ids:
        ids[table.name] = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    n = ids[table.name]
    ids[table.name] = n + 1
    return n


def remember(conn: Connection, key: str, load: Any) -> Any:
    """A value computed once per transaction (``load()`` the first time)."""
    c = _cache(conn)
    if key not in c:
        c[key] = load()
    return c[key]
