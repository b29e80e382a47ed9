"""Replay the event log into an empty register, and fingerprint the dated state to compare the two.

The administrative units (and the villages and collaborator areas users created) and the slips themselves are
not events: they are copied first. Then every event is applied in the order it was recorded; a reversal undoes
the event it cancels, as it did when it was recorded. Runs of registrations are bulk-loaded.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from sqlalchemy import Connection, Engine, select

from danso.domain.events import REGISTERED, REVERSED
from danso.storage import events_repo
from danso.storage.dialects import bulk_insert, bulk_load
from danso.storage.events_apply import apply, revert
from danso.storage.events_repo import EVENT_COLUMNS, REGISTRATION_TABLES, _typed
from danso.storage.tables import (
    attribute_changes,
    closed_months,
    events,
    slip_actions,
    slips,
    unit_lineage,
    unit_links,
    units,
)

STATE_TABLES = (*(table for _, table, _ in REGISTRATION_TABLES), attribute_changes)
# not events: units (and the villages and areas users made), and the slips the events came from
REFERENCE_TABLES = (units, unit_links, unit_lineage, slips, slip_actions, closed_months)
BATCH = 2000


def replay(source: Engine, target: Engine, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the register of ``source`` in ``target`` (schema only, no units) from the log alone.
    Returns the number of events replayed."""
    n = 0
    with source.connect() as src, target.begin() as dst:
        for table in REFERENCE_TABLES:
            rows = [tuple(r) for r in src.execute(select(table))]
            bulk_insert(dst, table, [c.name for c in table.columns], rows)
        pending: list = []
        for ev in events_repo.iterate(src):
            if ev.kind == REGISTERED:
                pending.append(ev)
                if len(pending) >= BATCH:
                    _registrations(dst, pending)
                    pending = []
            else:
                if pending:
                    _registrations(dst, pending)
                    pending = []
                _one(dst, ev)
            n += 1
            if progress and n % 10_000 == 0:
                progress(n)
        if pending:
            _registrations(dst, pending)
    return n


def _registrations(conn: Connection, evs: list) -> None:
    rows = {name: [_typed(table, columns, r) for ev in evs for r in ev.data.get(name, ())]
            for name, table, columns in REGISTRATION_TABLES}
    first_person = min((r[0] for r in rows["persons"]), default=0)
    # person ids grow along the log, so the names of this run are exactly those from its first id on
    with bulk_load(conn, first_person):
        for name, table, columns in REGISTRATION_TABLES:
            bulk_insert(conn, table, columns, rows[name])
    bulk_insert(conn, events, EVENT_COLUMNS, [_event_tuple(ev) for ev in evs])


def _one(conn: Connection, ev) -> None:  # noqa: ANN001
    if ev.kind == REVERSED:
        target = events_repo.get(conn, ev.reverses_id)
        revert(conn, target)
    else:
        apply(conn, ev)
    bulk_insert(conn, events, EVENT_COLUMNS, [_event_tuple(ev)])


def _event_tuple(ev) -> tuple:  # noqa: ANN001
    from danso.domain.events import to_json

    return (ev.id, ev.kind, ev.event_date, ev.recorded_at, ev.slip_id, ev.person_id, ev.household_id,
            to_json(ev.data), ev.reverses_id, ev.reversed_by)


def state(conn: Connection) -> dict[str, list[tuple]]:
    """The dated state, table by table, rows in key order (for exact comparison in tests)."""
    out = {}
    for t in STATE_TABLES:
        keys = list(t.primary_key.columns)
        out[t.name] = [tuple(_plain(v) for v in r) for r in conn.execute(select(t).order_by(*keys))]
    return out


def fingerprint(conn: Connection) -> dict[str, tuple[int, str]]:
    """Row count and SHA-256 of each state table (for large registers)."""
    out = {}
    for t in STATE_TABLES:
        h = hashlib.sha256()
        n = 0
        for r in conn.execute(select(t).order_by(*t.primary_key.columns)).yield_per(20_000):
            h.update(json.dumps([_plain(v) for v in r], default=str).encode())
            n += 1
        out[t.name] = (n, h.hexdigest())
    return out


def _plain(v):  # noqa: ANN001, ANN202
    """Values as both engines return them alike (booleans as ints are not used in these tables)."""
    return v.isoformat() if hasattr(v, "isoformat") else v
