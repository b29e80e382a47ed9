"""Reading and writing collection slips, their actions, closed months, and the facts the slip rules need."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Date, bindparam, delete, func, insert, or_, select, text, update

from danso.domain.slip_rules import HouseholdFacts, PersonFacts
from danso.domain.slips import Status
from danso.storage.tables import (
    closed_months,
    households,
    memberships,
    persons,
    slip_actions,
    slips,
    units,
)
from danso.storage import tx_cache
from danso.storage.dialects import pieces


def by_client_id(conn: Connection, client_id: str) -> Any:
    return conn.execute(select(slips).where(slips.c.client_id == client_id)).first()


_GET = select(slips).where(slips.c.id == bindparam("id"))
_GET_FOR_UPDATE = _GET.with_for_update()
_ADD_ACTION = insert(slip_actions)


def get(conn: Connection, slip_id: int, *, for_update: bool = False) -> Any:
    q = _GET_FOR_UPDATE if for_update and conn.dialect.name == "postgresql" else _GET
    return conn.execute(q, {"id": slip_id}).first()


def get_many(conn: Connection, slip_ids: Sequence[int], *, for_update: bool = False) -> dict[int, Any]:
    """Slips by id, locked for the transaction on PostgreSQL (in id order, so two batches cannot deadlock)."""
    out: dict[int, Any] = {}
    for part in pieces(sorted(set(slip_ids))):
        q = select(slips).where(slips.c.id.in_(part)).order_by(slips.c.id)
        if for_update and conn.dialect.name == "postgresql":
            q = q.with_for_update()
        out.update((r.id, r) for r in conn.execute(q))
    return out


def insert_slip(conn: Connection, *, client_id: str, kind: str, area_id: int, commune_id: int, month: str,
                payload: dict[str, Any], actor: str, at: dt.datetime, on_behalf: bool) -> int:
    sid = tx_cache.next_id(conn, slips)
    conn.execute(insert(slips).values(
        id=sid, client_id=client_id, kind=kind, area_id=area_id, commune_id=commune_id, month=month,
        status=Status.DRAFT.value, payload=json.dumps(payload, ensure_ascii=False), created_by=actor, created_at=at,
        updated_at=at, on_behalf=on_behalf))
    return sid


def set_status(conn: Connection, slip_id: int, version: int, values: dict[str, Any]) -> bool:
    """Change the slip if nobody else changed it since it was read (``version``); False if somebody did."""
    return set_status_many(conn, [(slip_id, version, values)])


def set_status_many(conn: Connection, changes: Sequence[tuple[int, int, dict[str, Any]]]) -> bool:
    """Change many slips, each (slip id, version read, values), in one statement per set of columns changed.
    False if any of them was changed by somebody else since it was read."""
    by_keys: dict[tuple[str, ...], list[tuple[int, int, dict[str, Any]]]] = {}
    for change in changes:
        by_keys.setdefault(tuple(sorted(change[2])), []).append(change)
    done = 0
    for keys, group in by_keys.items():
        res = conn.execute(_set_status_statement(keys), [
            {"sid": sid, "old_version": version, "new_version": version + 1,
             **{f"v_{k}": v for k, v in values.items()}} for sid, version, values in group])
        done += res.rowcount
    return done == len(changes)


def _set_status_statement(keys: tuple[str, ...]) -> Any:
    stmt = _SET_STATUS.get(keys)
    if stmt is None:
        stmt = _SET_STATUS[keys] = (
            update(slips).where(slips.c.id == bindparam("sid"), slips.c.version == bindparam("old_version"))
            .values(version=bindparam("new_version"), **{k: bindparam(f"v_{k}") for k in keys}))
    return stmt


_SET_STATUS: dict[tuple[str, ...], Any] = {}  # one statement per set of columns changed, built once


def add_action(conn: Connection, slip_id: int, at: dt.datetime, actor: str, action: str, from_status: str | None,
               to_status: str, reason: str = "") -> None:
    add_actions(conn, [(slip_id, at, actor, action, from_status, to_status, reason)])


def add_actions(conn: Connection, rows: Sequence[tuple[int, dt.datetime, str, str, str | None, str, str]]) -> None:
    """Record actions on slips: (slip id, at, actor, action, from status, to status, reason) each."""
    conn.execute(_ADD_ACTION, [{"id": tx_cache.next_id(conn, slip_actions), "slip_id": sid, "at": at, "actor": actor,
                                "action": action, "from_status": frm, "to_status": to, "reason": reason}
                               for sid, at, actor, action, frm, to, reason in rows])


def actions(conn: Connection, slip_id: int) -> list[Any]:
    return list(conn.execute(select(slip_actions).where(slip_actions.c.slip_id == slip_id)
                             .order_by(slip_actions.c.id)))


def listing(conn: Connection, *, commune_ids: Sequence[int] | None = None, area_ids: Sequence[int] | None = None,
            month: str | None = None, statuses: Sequence[str] | None = None, limit: int = 500,
            offset: int = 0) -> list[Any]:
    q = (select(slips, units.c.code.label("area_code"), units.c.name.label("area_name"))
         .join(units, units.c.id == slips.c.area_id).order_by(slips.c.month, slips.c.id))
    if commune_ids is not None:
        q = q.where(slips.c.commune_id.in_(list(commune_ids)))
    if area_ids is not None:
        q = q.where(slips.c.area_id.in_(list(area_ids)))
    if month:
        q = q.where(slips.c.month == month)
    if statuses:
        q = q.where(slips.c.status.in_(list(statuses)))
    return list(conn.execute(q.limit(limit).offset(offset)))


def open_duplicates(conn: Connection, slip_id: int | None, area_id: int, kind: str, person_id: int, day: dt.date,
                    *, key: str = "person") -> list[int]:
    """Other slips of the area still open (draft, submitted, returned), of the same kind, naming the same person
    (``key``: the field naming them) on the same date."""
    from danso.domain.slips import parse_person_ref
    from danso.domain.vntext import DateParseError, parse_date

    q = select(slips.c.id, slips.c.payload).where(
        slips.c.area_id == area_id, slips.c.kind == kind,
        slips.c.status.in_([Status.DRAFT.value, Status.SUBMITTED.value, Status.RETURNED.value]))
    out = []
    for r in conn.execute(q):
        if r.id == slip_id:
            continue
        p = json.loads(r.payload)
        try:
            if parse_date(str(p.get("date"))) != day:
                continue
        except DateParseError:
            continue
        ref = parse_person_ref(p.get(key))
        if ref is None:
            continue
        ids = [int(ref.value)] if ref.by == "id" else person_ids_by_identifier(conn, ref.by, ref.value)
        if person_id in ids:
            out.append(r.id)
    return out


def is_closed(conn: Connection, commune_id: int, month: str) -> bool:
    """Whether the commune's month is closed (the closed months are read once per transaction)."""
    closed = tx_cache.remember(conn, "closed_months", lambda: {
        (r.commune_id, r.month) for r in conn.execute(select(closed_months.c.commune_id, closed_months.c.month))})
    return (commune_id, month) in closed


def close_month(conn: Connection, commune_id: int, month: str, actor: str, at: dt.datetime) -> None:
    if conn.execute(select(func.count()).select_from(closed_months).where(
            closed_months.c.commune_id == commune_id, closed_months.c.month == month)).scalar_one() == 0:
        conn.execute(insert(closed_months).values(commune_id=commune_id, month=month, closed_at=at, closed_by=actor))


def open_month(conn: Connection, commune_id: int, month: str) -> None:
    """Open a closed month again (its report reopened): slips landing in it are no longer late."""
    conn.execute(delete(closed_months).where(closed_months.c.commune_id == commune_id, closed_months.c.month == month))


def commune_of_area(conn: Connection, area_id: int, on: dt.date) -> int | None:
    """The commune above a collaborator area on a date (remembered per engine: checked for every slip)."""
    from danso.storage.units_repo import ancestors

    cache = conn.engine.__dict__.setdefault("_danso_area_commune", {})
    key = (area_id, on)
    if key not in cache:
        found = conn.execute(_AREA_COMMUNE, {"area": area_id, "on": on}).first()
        cache[key] = found.id if found else next(
            (a.id for a in ancestors(conn, area_id, on) if a.unit.level.value == "commune"), None)
    return cache[key]


# area → village → commune along the links in force on the date (the usual shape; ancestors() otherwise)
_AREA_COMMUNE = text("""
SELECT c.id FROM unit_links l1
JOIN unit_links l2 ON l2.child_id = l1.parent_id
JOIN units c ON c.id = l2.parent_id AND c.level = 'commune'
WHERE l1.child_id = :area
  AND (l1.valid_from IS NULL OR l1.valid_from <= :on) AND (l1.valid_to IS NULL OR l1.valid_to >= :on)
  AND (l2.valid_from IS NULL OR l2.valid_from <= :on) AND (l2.valid_to IS NULL OR l2.valid_to >= :on)
""").bindparams(bindparam("on", type_=Date))


_PERSON_FACTS = text("""
SELECT p.id, p.full_name, p.sex, p.birth_year, p.birth_month, p.birth_day, p.marital, p.death_date, p.mother_id,
       m.household_id, m.relation, m.residence, m.valid_from, h.area_id,
       (SELECT c.method FROM contraceptive_uses c WHERE c.person_id = p.id AND c.end_date IS NULL
        ORDER BY c.start_date DESC LIMIT 1) AS method,
       (SELECT max(c.start_date) FROM contraceptive_uses c WHERE c.person_id = p.id AND c.end_date IS NULL)
           AS method_since,
       (SELECT max(g.start_date) FROM pregnancies g WHERE g.person_id = p.id AND g.end_date IS NULL)
           AS pregnant_since,
       (SELECT count(*) FROM pregnancies g WHERE g.person_id = p.id AND g.end_date IS NULL) AS pregnant,
       (SELECT count(*) FROM persons k WHERE k.mother_id = p.id) AS children,
       (SELECT r.living_sons + r.living_daughters FROM reproductive_status r WHERE r.person_id = p.id) AS living,
       (SELECT h2.area_id FROM memberships m2 JOIN households h2 ON h2.id = m2.household_id
        WHERE m2.person_id = p.id ORDER BY m2.valid_to DESC LIMIT 1) AS last_area_id
FROM persons p
LEFT JOIN memberships m ON m.person_id = p.id AND m.valid_to IS NULL
LEFT JOIN households h ON h.id = m.household_id
WHERE p.id IN :ids
""").bindparams(bindparam("ids", expanding=True))


def person_facts(conn: Connection, person_ids: Sequence[int], on: dt.date) -> dict[int, PersonFacts]:
    """The register's facts about these persons now (current household, method, pregnancy, children)."""
    out: dict[int, PersonFacts] = {}
    for r in (r for part in pieces(sorted(set(person_ids))) for r in conn.execute(_PERSON_FACTS, {"ids": part})):
        death = r.death_date if not isinstance(r.death_date, str) else dt.date.fromisoformat(r.death_date)
        commune = commune_of_area(conn, r.area_id, on) if r.area_id is not None else None
        home = commune if r.area_id is not None else (
            commune_of_area(conn, r.last_area_id, on) if r.last_area_id is not None else None)
        since, method_since, pregnant_since = (v if not isinstance(v, str) else dt.date.fromisoformat(v)
                                               for v in (r.valid_from, r.method_since, r.pregnant_since))
        out[r.id] = PersonFacts(r.id, r.full_name, r.sex, r.birth_year, r.birth_month, r.birth_day, r.marital, death,
                                r.household_id, r.relation, r.residence, commune, bool(r.pregnant), r.method,
                                r.children, r.living or 0, since, method_since, pregnant_since, r.mother_id, home)
    return out


_HOUSEHOLDS = select(households.c.id, households.c.number, households.c.status, households.c.area_id).where(
    households.c.id.in_(bindparam("ids", expanding=True)))
_MEMBERS = select(memberships.c.household_id, memberships.c.person_id, memberships.c.relation).where(
    memberships.c.household_id.in_(bindparam("ids", expanding=True)), memberships.c.valid_to.is_(None))


def household_facts(conn: Connection, household_id: int, on: dt.date) -> HouseholdFacts | None:
    return households_facts(conn, [household_id], on).get(household_id)


def households_facts(conn: Connection, household_ids: Sequence[int], on: dt.date) -> dict[int, HouseholdFacts]:
    """The register's facts about these households now (members, head); unknown ids are left out."""
    out: dict[int, HouseholdFacts] = {}
    for part in pieces(sorted(set(household_ids))):
        members: dict[int, list[Any]] = {}
        for m in conn.execute(_MEMBERS, {"ids": part}):
            members.setdefault(m.household_id, []).append(m)
        for h in conn.execute(_HOUSEHOLDS, {"ids": part}):
            ms = members.get(h.id, [])
            head = next((m.person_id for m in ms if m.relation == "01"), None)
            out[h.id] = HouseholdFacts(h.id, h.number, h.status, commune_of_area(conn, h.area_id, on), h.area_id,
                                       frozenset(m.person_id for m in ms), head)
    return out


def person_ids_by_identifier(conn: Connection, by: str, value: str) -> list[int]:
    col = persons.c.cccd if by == "cccd" else persons.c.bhyt
    return [r.id for r in conn.execute(select(persons.c.id).where(col == value))]


def identifier_owner(conn: Connection, cccd: str | None, bhyt: str | None) -> Any:
    cond = []
    if cccd:
        cond.append(persons.c.cccd == cccd)
    if bhyt:
        cond.append(persons.c.bhyt == bhyt)
    if not cond:
        return None
    return conn.execute(select(persons.c.id, persons.c.full_name).where(or_(*cond))).first()
