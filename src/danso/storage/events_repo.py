"""The event log and its application to the dated state (households, persons, memberships, contraceptive
uses, pregnancies, attribute changes).

``apply`` is the only code that changes the register after registration. It works from the event's
``data``: the first time an event is applied (when a slip is accepted) it fills in what it needs — the ids of
the rows it adds, the rows it closes, the old values it replaces — so that replaying the log later applies
exactly the same changes, and ``revert`` can undo exactly them.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Date, Table, and_, bindparam, insert, or_, select, update

from danso.demo.rows import (
    CONTRACEPTIVE_COLUMNS,
    HOUSEHOLD_COLUMNS,
    MEMBERSHIP_COLUMNS,
    PERSON_COLUMNS,
    PREGNANCY_COLUMNS,
    REPRODUCTIVE_COLUMNS,
)
from danso.domain.events import REVERSED, Event, last_day_before, to_json
from danso.domain.vntext import fold
from danso.storage import tx_cache
from danso.storage.dialects import pieces
from danso.storage.tables import (
    attribute_changes,
    contraceptive_uses,
    events,
    households,
    memberships,
    persons,
    pregnancies,
    reproductive_status,
)

# the tables a registration carries, in insertion order, with their column orders
REGISTRATION_TABLES: tuple[tuple[str, Table, tuple[str, ...]], ...] = (
    ("households", households, HOUSEHOLD_COLUMNS),
    ("persons", persons, PERSON_COLUMNS),
    ("memberships", memberships, MEMBERSHIP_COLUMNS),
    ("contraceptive_uses", contraceptive_uses, CONTRACEPTIVE_COLUMNS),
    ("reproductive_status", reproductive_status, REPRODUCTIVE_COLUMNS),
    ("pregnancies", pregnancies, PREGNANCY_COLUMNS),
)
EVENT_COLUMNS = ("id", "kind", "event_date", "recorded_at", "slip_id", "person_id", "household_id", "data",
                 "reverses_id", "reversed_by")


def _typed(table: Table, columns: Iterable[str], values: Iterable[Any]) -> tuple:
    """A row read back from JSON: ISO strings become dates in the Date columns."""
    out = []
    for c, v in zip(columns, values, strict=True):
        if isinstance(v, str) and isinstance(table.c[c].type, Date):
            v = dt.date.fromisoformat(v)
        out.append(v)
    return tuple(out)


def _dict_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return dict(zip(row, _typed(table, row.keys(), row.values()), strict=True))


# ---------------------------------------------------------------------------------------------------------
# the log


def lock_register(conn: Connection) -> None:
    """Serialise writers of the register for the rest of the transaction (ids are allocated as max + 1).
    SQLite already holds its write lock (BEGIN IMMEDIATE); PostgreSQL takes a transaction advisory lock."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7356)")


def next_event_id(conn: Connection) -> int:
    return tx_cache.next_id(conn, events)


def append(conn: Connection, ev: Event, recorded_at: dt.datetime) -> int:
    """Write the event (its data complete; its id given by ``next_event_id``) and return its id."""
    append_many(conn, [ev], recorded_at)
    return ev.id  # type: ignore[return-value]


def append_many(conn: Connection, evs: Sequence[Event], recorded_at: dt.datetime) -> None:
    """Write events (data complete, ids given by ``next_event_id`` or given here) in one statement."""
    for ev in evs:
        if ev.id is None:
            ev.id = tx_cache.next_id(conn, events)
        ev.recorded_at = recorded_at
    conn.execute(_INSERT[events.name], [dict(
        id=ev.id, kind=ev.kind, event_date=ev.event_date, recorded_at=recorded_at, slip_id=ev.slip_id,
        person_id=ev.person_id, household_id=ev.household_id, data=to_json(ev.data), reverses_id=ev.reverses_id,
        reversed_by=None) for ev in evs])


def _to_event(r: Any) -> Event:
    return Event(r.kind, r.event_date, r.person_id, r.household_id, json.loads(r.data), r.slip_id, r.reverses_id,
                 r.id, r.recorded_at, r.reversed_by)


def get(conn: Connection, event_id: int) -> Event | None:
    r = conn.execute(select(events).where(events.c.id == event_id)).first()
    return _to_event(r) if r else None


def for_subject(conn: Connection, *, person_id: int | None = None, household_id: int | None = None) -> list[Event]:
    """Every event about a person (as subject, or named in its data as mother, spouse or member) or a household,
    oldest first."""
    return for_subjects(conn, person_ids=() if person_id is None else (person_id,),
                        household_ids=() if household_id is None else (household_id,))


def for_subjects(conn: Connection, *, person_ids: Iterable[int] = (), household_ids: Iterable[int] = ()) -> list[Event]:
    """Every event about any of these persons (as subject, or named in its data as mother, spouse or member) or
    households, each once, oldest first: one statement (per 400 subjects)."""
    pids, hids = set(person_ids), set(household_ids)
    subjects = [("person", i) for i in sorted(pids)] + [("household", i) for i in sorted(hids)]
    found: dict[int, Event] = {}
    for k in range(0, len(subjects), 400):  # two parameters a subject
        part = subjects[k:k + 400]
        part_p = [i for what, i in part if what == "person"]
        part_h = [i for what, i in part if what == "household"]
        cond = []
        if part_p:
            cond.append(events.c.person_id.in_(part_p))
            # the births of their children, through the children's mother_id (indexed)
            cond.append(and_(events.c.kind == "born", events.c.person_id.in_(
                select(persons.c.id).where(persons.c.mother_id.in_(part_p)))))
            # named in the data of the other kinds: candidates by kind and text, checked below
            cond.append(and_(events.c.kind.in_([k for k in PERSON_NAMING_KINDS if k != "born"]),
                             or_(*(events.c.data.like(f"%{i}%") for i in part_p))))
        if part_h:
            cond.append(events.c.household_id.in_(part_h))
            cond.append(and_(events.c.kind.in_(HOUSEHOLD_NAMING_KINDS),
                             or_(*(events.c.data.like(f"%{i}%") for i in part_h))))
        for r in conn.execute(select(events).where(or_(*cond))):
            found.setdefault(r.id, _to_event(r))
    return [e for e in sorted(found.values(), key=lambda e: (e.event_date, e.id))
            if e.person_id in pids or pids & _persons_named(e) or e.household_id in hids
            or hids & _households_named(e)]


PERSON_NAMING_KINDS = ("born", "married", "divorced", "head_changed", "household_split", "household_merged")
HOUSEHOLD_NAMING_KINDS = ("transferred", "household_split", "household_merged")


def _persons_named(ev: Event) -> set[int]:
    """Persons an event names besides its subject: the mother of a birth, a spouse, the old and new heads, the
    members moved by a split or a merge."""
    d = ev.data
    named = {d.get("mother_id"), d.get("spouse"), d.get("new_head"), d.get("old_head"), *d.get("touches", ())}
    named |= {m[0] for m in d.get("members", ()) if isinstance(m, list)}
    return {n for n in named if isinstance(n, int)}


def _households_named(ev: Event) -> set[int]:
    """Households an event names besides its own: the one a person left, the one merged, the one split off."""
    d = ev.data
    named = {d.get("from_household"), d.get("merged_household"), (d.get("household_row") or {}).get("id")}
    return {n for n in named if isinstance(n, int)}


def for_slip(conn: Connection, slip_id: int) -> list[Event]:
    return [_to_event(r) for r in conn.execute(select(events).where(events.c.slip_id == slip_id)
                                               .order_by(events.c.id))]


def births_of(conn: Connection, mother_id: int, day: dt.date) -> list[int]:
    """Ids of birth events in force for this mother on this date."""
    q = (select(events.c.id).join(persons, persons.c.id == events.c.person_id)
         .where(events.c.kind == "born", events.c.event_date == day, events.c.reversed_by.is_(None),
                persons.c.mother_id == mother_id))
    return [r.id for r in conn.execute(q)]


def births_by_mothers(conn: Connection, mother_ids: Sequence[int]) -> list[tuple[int, int, dt.date]]:
    """(event id, mother id, date) of every birth event in force for these mothers."""
    out = []
    for part in pieces(sorted(set(mother_ids))):
        q = (select(events.c.id, persons.c.mother_id, events.c.event_date)
             .join(persons, persons.c.id == events.c.person_id)
             .where(events.c.kind == "born", events.c.reversed_by.is_(None), persons.c.mother_id.in_(part)))
        out += [(r.id, r.mother_id, _date(r.event_date)) for r in conn.execute(q)]
    return out


def events_of_persons(conn: Connection, person_ids: Sequence[int],
                      since: dt.date | None = None) -> list[tuple[int, str, int, dt.date]]:
    """(event id, kind, person id, date) of every event in force whose subject is one of these persons (dated on
    or after ``since``, if given)."""
    out = []
    for part in pieces(sorted(set(person_ids))):
        q = select(events.c.id, events.c.kind, events.c.person_id, events.c.event_date).where(
            events.c.person_id.in_(part), events.c.reversed_by.is_(None))
        if since is not None:
            q = q.where(events.c.event_date >= since)
        out += [(r.id, r.kind, r.person_id, _date(r.event_date)) for r in conn.execute(q)]
    return out


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def iterate(conn: Connection, batch: int = 5000) -> Iterable[Event]:
    """The whole log in the order it was applied."""
    last = 0
    while True:
        rows = list(conn.execute(select(events).where(events.c.id > last).order_by(events.c.id).limit(batch)))
        if not rows:
            return
        for r in rows:
            yield _to_event(r)
        last = rows[-1].id


def later_events(conn: Connection, ev: Event) -> list[Event]:
    """Events recorded after ``ev`` about the same person or household, still in force (not reversed)."""
    cond = []
    if ev.person_id is not None:
        cond.append(events.c.person_id == ev.person_id)
    if ev.household_id is not None:
        cond.append(events.c.household_id == ev.household_id)
    for pid in ev.data.get("touches", []):
        cond.append(events.c.person_id == pid)
    for hid in _households_named(ev):  # the household a person left, was merged or split off
        cond.append(events.c.household_id == hid)
    if not cond:
        return []
    q = select(events).where(events.c.id > ev.id, events.c.reversed_by.is_(None), events.c.kind != REVERSED,
                             or_(*cond)).order_by(events.c.id)
    return [_to_event(r) for r in conn.execute(q)]


# Statements of the per-slip hot path, built once (building a statement costs more than running it on SQLite).
_SAME_EVENTS = select(events.c.id).where(events.c.kind.in_(bindparam("kinds", expanding=True)),
                                         events.c.person_id == bindparam("person"),
                                         events.c.event_date == bindparam("day"), events.c.reversed_by.is_(None))
_CURRENT_MEMBERSHIP = select(memberships).where(memberships.c.person_id == bindparam("person"),
                                                memberships.c.valid_to.is_(None))
_CURRENT_USE = (select(contraceptive_uses).where(contraceptive_uses.c.person_id == bindparam("person"),
                                                 contraceptive_uses.c.end_date.is_(None))
                .order_by(contraceptive_uses.c.start_date.desc()))
_OPEN_PREGNANCY = select(pregnancies).where(pregnancies.c.person_id == bindparam("person"),
                                            pregnancies.c.end_date.is_(None))
_INSERT = {t.name: insert(t) for t in (events, memberships, contraceptive_uses, pregnancies, persons, households)}
_TABLES = {t.name: t for t in (memberships, contraceptive_uses, pregnancies, persons, households)}
_CLOSE_USE = (update(contraceptive_uses).where(contraceptive_uses.c.id == _CURRENT_USE.with_only_columns(
    contraceptive_uses.c.id).order_by(contraceptive_uses.c.id.desc()).limit(1).scalar_subquery())
    .values(end_date=bindparam("end")).returning(contraceptive_uses.c.id, contraceptive_uses.c.method))
_CLOSE_PREGNANCY = (update(pregnancies).where(pregnancies.c.id == _OPEN_PREGNANCY.with_only_columns(
    pregnancies.c.id).order_by(pregnancies.c.id).limit(1).scalar_subquery())
    .values(end_date=bindparam("end"), outcome=bindparam("outcome")).returning(pregnancies.c.id))


def same_events(conn: Connection, kinds: Sequence[str], person_id: int, day: dt.date) -> list[int]:
    """Ids of events in force of these kinds, for this person, on this date (duplicate detection)."""
    return [r.id for r in conn.execute(_SAME_EVENTS, {"kinds": list(kinds), "person": person_id, "day": day})]


def stamp_reversed(conn: Connection, event_id: int, by: int) -> None:
    conn.execute(update(events).where(events.c.id == event_id).values(reversed_by=by))


# ---------------------------------------------------------------------------------------------------------
# reading the current state that events change


def current_membership(conn: Connection, person_id: int) -> Any:
    return conn.execute(_CURRENT_MEMBERSHIP, {"person": person_id}).first()


def _current_use(conn: Connection, person_id: int) -> Any:
    return conn.execute(_CURRENT_USE, {"person": person_id}).first()


def _close_current_use(conn: Connection, person_id: int, end: dt.date) -> Any:
    """End the person's method in use (the one ``_current_use`` gives) on ``end``, in one statement: its (id,
    method), or None when she uses none."""
    return conn.execute(_CLOSE_USE, {"person": person_id, "end": end}).first()


def _close_open_pregnancy(conn: Connection, person_id: int, end: dt.date, outcome: str) -> int | None:
    """End the person's pregnancy in progress on ``end`` with ``outcome``, in one statement: its id, or None."""
    return conn.execute(_CLOSE_PREGNANCY, {"person": person_id, "end": end, "outcome": outcome}).scalar()


# ---------------------------------------------------------------------------------------------------------
# small writes, each one undoable


_DEFERRED = "danso_deferred_inserts"
INSERT_ORDER = ("households", "persons", "memberships", "contraceptive_uses", "pregnancies")
"""The tables whose new rows may be written late, in the order of their foreign keys."""


@contextmanager
def inserts_deferred(conn: Connection) -> Iterator[None]:
    """Within the block, the new rows of households, persons, memberships, methods and pregnancies (``_insert``)
    are kept and written when it ends, one ``executemany`` per table in the order of their foreign keys. For a
    wave of slips (danso.services.slip_batches): each names persons and households no other slip of the wave
    names, and no event reads or changes a row added by an event before it, so writing the new rows late
    changes nothing but the number of statements (a fifth of them, on PostgreSQL each a round trip). The rows
    are written before anything refers to them (the events, appended after the block). Nothing is written if
    the block raises (the caller's transaction is rolled back)."""
    pending: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    conn.info[_DEFERRED] = pending
    try:
        yield
    finally:
        conn.info.pop(_DEFERRED, None)
    for name in INSERT_ORDER:
        for (table_name, _cols), rows in pending.items():
            if table_name == name:
                conn.execute(insert(_TABLES[name]), rows)


def _insert(conn: Connection, table: Table, row: dict[str, Any]) -> None:
    values = _dict_row(table, row)
    pending = conn.info.get(_DEFERRED)
    if pending is not None and table.name in INSERT_ORDER:
        pending.setdefault((table.name, tuple(sorted(values))), []).append(values)
        return
    stmt = _INSERT.get(table.name)
    if stmt is None or set(values) != {c.name for c in table.columns}:
        conn.execute(insert(table).values(**values))
    else:
        conn.execute(stmt, values)


def _new_id(conn: Connection, table: Table, taken: dict[str, int]) -> int:
    """The next free id of the table (past the ids already handed out in this event)."""
    n = max(tx_cache.next_id(conn, table), taken.get(table.name, 0) + 1)
    taken[table.name] = n
    return n


def _close_membership(conn: Connection, d: dict[str, Any], key: str, person_id: int, day: dt.date,
                      *, last_day: bool = True) -> None:
    """End the person's current membership (recorded in ``d[key]`` as [id, valid_to])."""
    if key not in d:
        m = current_membership(conn, person_id)
        d[key] = None if m is None else [m.id, (last_day_before(day, m.valid_from) if last_day else day)]
    if d[key]:
        mid, valid_to = d[key]
        conn.execute(update(memberships).where(memberships.c.id == mid).values(
            valid_to=dt.date.fromisoformat(valid_to) if isinstance(valid_to, str) else valid_to))


def _open_membership(conn: Connection, d: dict[str, Any], key: str, taken: dict[str, int], **values: Any) -> None:
    if key not in d:
        d[key] = {"id": _new_id(conn, memberships, taken), **values, "valid_to": None}
    _insert(conn, memberships, d[key])


def _reopen(conn: Connection, table: Table, end_col: str, row_id: int | None) -> None:
    if row_id is not None:
        conn.execute(update(table).where(table.c.id == row_id).values({end_col: None}))


def _delete(conn: Connection, table: Table, row_id: int | None) -> None:
    if row_id is not None:
        conn.execute(table.delete().where(table.c.id == row_id))


def _set_attributes(conn: Connection, d: dict[str, Any], key: str, ev: Event, person_id: int,
                    new: dict[str, Any], taken: dict[str, int]) -> None:
    """Change basic information of a person: persons holds the new value, attribute_changes the old one."""
    if key not in d:
        p = conn.execute(select(persons).where(persons.c.id == person_id)).one()
        d[key] = [[_new_id(conn, attribute_changes, taken), a, getattr(p, a), v] for a, v in new.items()
                  if getattr(p, a) != v]
    values: dict[str, Any] = {}
    for cid, attr, old, value in d[key]:
        conn.execute(insert(attribute_changes).values(id=cid, event_id=ev.id, person_id=person_id, attribute=attr,
                                                      old_value=old, new_value=value, effective=ev.event_date))
        values[attr] = value
    if values:
        if "full_name" in values:
            values["name_folded"] = fold(values["full_name"])
        conn.execute(update(persons).where(persons.c.id == person_id).values(**values))


def _undo_attributes(conn: Connection, changes: list[list[Any]] | None, person_id: int) -> None:
    if not changes:
        return
    values = {attr: old for _cid, attr, old, _new in changes}
    if "full_name" in values:
        values["name_folded"] = fold(values["full_name"])
    conn.execute(update(persons).where(persons.c.id == person_id).values(**values))
    conn.execute(attribute_changes.delete().where(attribute_changes.c.id.in_([c[0] for c in changes])))


def _children_counts(conn: Connection, d: dict[str, Any], mother_id: int, sex: str) -> None:
    """A birth adds a living son or daughter to the mother's follow-up."""
    if "reproductive_before" not in d:
        r = conn.execute(select(reproductive_status).where(reproductive_status.c.person_id == mother_id)).first()
        d["reproductive_before"] = None if r is None else [r.living_sons, r.living_daughters, r.recorded_on]
    before = d["reproductive_before"]
    sons, daughters = (before[0], before[1]) if before else (0, 0)
    sons, daughters = (sons + 1, daughters) if sex == "1" else (sons, daughters + 1)
    values = {"living_sons": sons, "living_daughters": daughters, "recorded_on": dt.date.fromisoformat(str(d["date"]))}
    if not conn.execute(update(reproductive_status).where(reproductive_status.c.person_id == mother_id)
                        .values(**values)).rowcount:
        conn.execute(insert(reproductive_status).values(person_id=mother_id, **values))


def _restore_counts(conn: Connection, d: dict[str, Any], mother_id: int) -> None:
    conn.execute(reproductive_status.delete().where(reproductive_status.c.person_id == mother_id))
    before = d.get("reproductive_before")
    if before:
        conn.execute(insert(reproductive_status).values(
            person_id=mother_id, living_sons=before[0], living_daughters=before[1],
            recorded_on=dt.date.fromisoformat(before[2]) if isinstance(before[2], str) else before[2]))
