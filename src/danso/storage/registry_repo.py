"""Reading and writing households, persons and memberships (the Sổ A0)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Date, and_, bindparam, func, or_, select, text

from danso.storage.dialects import bulk_insert, name_match_sql
from danso.storage.events_repo import EVENT_COLUMNS, REGISTRATION_TABLES
from danso.storage.tables import (
    attribute_changes,
    contraceptive_uses,
    events,
    households,
    memberships,
    persons,
    pregnancies,
    reproductive_status,
    units,
)
from danso.storage.units_repo import SUBTREE_SQL, next_id, with_subtree


def next_ids(conn: Connection) -> dict[str, int]:
    return {name: next_id(conn, table) for name, table in (
        ("unit", units), ("household", households), ("person", persons), ("membership", memberships),
        ("contraceptive", contraceptive_uses), ("pregnancy", pregnancies), ("event", events))}


def insert_rows(conn: Connection, *, households_rows: Sequence[tuple] = (), persons_rows: Sequence[tuple] = (),
                memberships_rows: Sequence[tuple] = (), contraceptive_rows: Sequence[tuple] = (),
                reproductive_rows: Sequence[tuple] = (), pregnancy_rows: Sequence[tuple] = (),
                event_rows: Sequence[tuple] = ()) -> None:
    """Bulk-insert registry rows (tuples in the column orders of danso.demo.rows), parents first, with their
    registration events (danso.storage.events_repo.EVENT_COLUMNS)."""
    rows = (households_rows, persons_rows, memberships_rows, contraceptive_rows, reproductive_rows, pregnancy_rows)
    for (_, table, columns), table_rows in zip(REGISTRATION_TABLES, rows, strict=True):
        bulk_insert(conn, table, columns, table_rows)
    bulk_insert(conn, events, EVENT_COLUMNS, event_rows)


def persons_by_identifiers(conn: Connection, cccds: Iterable[str], bhyts: Iterable[str]) -> list:
    """Stored persons holding any of these CCCD or BHYT numbers, with their current household if any."""
    cccds, bhyts = list(cccds), list(bhyts)
    if not cccds and not bhyts:
        return []
    cond = []
    if cccds:
        cond.append(persons.c.cccd.in_(cccds))
    if bhyts:
        cond.append(persons.c.bhyt.in_(bhyts))
    q = (select(persons.c.id, persons.c.full_name, persons.c.cccd, persons.c.bhyt,
                memberships.c.household_id)
         .outerjoin(memberships, and_(memberships.c.person_id == persons.c.id, memberships.c.valid_to.is_(None)))
         .where(or_(*cond)))
    return list(conn.execute(q))


def household(conn: Connection, household_id: int):  # noqa: ANN201
    return conn.execute(select(households).where(households.c.id == household_id)).first()


def household_members(conn: Connection, household_id: int, on: dt.date | None) -> list:
    """Memberships of the household (all of them, or those valid on ``on``), with the person's fields."""
    q = (select(memberships.c.id.label("membership_id"), memberships.c.relation, memberships.c.residence,
                memberships.c.valid_from, memberships.c.valid_to, persons)
         .join(persons, persons.c.id == memberships.c.person_id)
         .where(memberships.c.household_id == household_id)
         .order_by(memberships.c.valid_to.is_not(None), memberships.c.relation, persons.c.birth_year,
                   persons.c.id))
    if on is not None:
        q = q.where(memberships.c.valid_from <= on, or_(memberships.c.valid_to.is_(None),
                                                         memberships.c.valid_to >= on))
    return list(conn.execute(q))


def women_followup(conn: Connection, person_ids: Sequence[int]) -> tuple[dict[int, list], dict[int, object],
                                                                         dict[int, list]]:
    """Contraceptive history, reproductive status and pregnancies of these persons."""
    if not person_ids:
        return {}, {}, {}
    uses: dict[int, list] = {}
    for r in conn.execute(select(contraceptive_uses).where(contraceptive_uses.c.person_id.in_(person_ids))
                          .order_by(contraceptive_uses.c.start_date)):
        uses.setdefault(r.person_id, []).append(r)
    status = {r.person_id: r for r in conn.execute(
        select(reproductive_status).where(reproductive_status.c.person_id.in_(person_ids)))}
    preg: dict[int, list] = {}
    for r in conn.execute(select(pregnancies).where(pregnancies.c.person_id.in_(person_ids))
                          .order_by(pregnancies.c.start_date)):
        preg.setdefault(r.person_id, []).append(r)
    return uses, status, preg


def values_before(conn: Connection, person_ids: Sequence[int], on: dt.date) -> dict[int, dict[str, object]]:
    """Basic information these persons had on ``on`` where it has changed since: for each person and attribute,
    the old value of the earliest change effective after that date."""
    if not person_ids:
        return {}
    out: dict[int, dict[str, object]] = {}
    q = (select(attribute_changes.c.person_id, attribute_changes.c.attribute, attribute_changes.c.old_value)
         .where(attribute_changes.c.person_id.in_(list(person_ids)), attribute_changes.c.effective > on)
         .order_by(attribute_changes.c.effective.desc(), attribute_changes.c.id.desc()))
    for r in conn.execute(q):  # latest first, so the earliest change after the date is written last
        out.setdefault(r.person_id, {})[r.attribute] = r.old_value
    return out


def person(conn: Connection, person_id: int):  # noqa: ANN201
    return conn.execute(select(persons).where(persons.c.id == person_id)).first()


def person_memberships(conn: Connection, person_id: int) -> list:
    return list(conn.execute(select(memberships).where(memberships.c.person_id == person_id)
                             .order_by(memberships.c.valid_from)))


def search_person_ids(conn: Connection, tokens: list[str], limit: int, area_ids: list[int] | None) -> list[int]:
    """Ids of persons whose folded name holds every token, optionally only members of these areas now."""
    match, params = name_match_sql(conn, tokens)
    if area_ids is None:
        q = text(f"SELECT id FROM ({match.text}) AS matched LIMIT :limit")
        return [r.id for r in conn.execute(q, {**params, "limit": limit})]
    q = text(f"SELECT m.person_id AS id FROM ({match.text}) AS matched "
             "JOIN memberships m ON m.person_id = matched.id AND m.valid_to IS NULL "
             "JOIN households h ON h.id = m.household_id "
             "WHERE h.area_id IN :areas LIMIT :limit").bindparams(bindparam("areas", expanding=True))
    return [r.id for r in conn.execute(q, {**params, "limit": limit, "areas": area_ids})]


def persons_with_household(conn: Connection, person_ids: Sequence[int]) -> list:
    """Persons with their current household and area code, for search results."""
    if not person_ids:
        return []
    q = (select(persons, memberships.c.household_id, households.c.number.label("household_number"),
                households.c.area_id,
                units.c.code.label("area_code"))
         .outerjoin(memberships, and_(memberships.c.person_id == persons.c.id, memberships.c.valid_to.is_(None)))
         .outerjoin(households, households.c.id == memberships.c.household_id)
         .outerjoin(units, units.c.id == households.c.area_id)
         .where(persons.c.id.in_(person_ids)))
    return list(conn.execute(q))


def _age_sql() -> str:
    return ("(:year - p.birth_year - CASE WHEN p.birth_month IS NOT NULL AND "
            "p.birth_month * 100 + COALESCE(p.birth_day, 1) > :md THEN 1 ELSE 0 END)")


def resident_counts(conn: Connection, root_id: int, on: dt.date, resident_codes: Sequence[str],
                    group_width: int, open_from: int) -> list:
    """Resident population (nhân khẩu thực tế thường trú) on ``on`` under a unit, by commune, sex and age group.

    A person counts when they are alive and born on that day and have a membership in force that day, in a
    household of an area under the unit (along the hierarchy in force that day), with a resident status.
    """
    age = _age_sql()
    q = text(with_subtree(conn, SUBTREE_SQL, root_id, on) + f"""
, counted AS (
    SELECT s.commune_id, p.sex, {age} AS age
    -- CROSS JOINs fix SQLite's join order: the unit's areas, their households, their members (otherwise it
    -- scans every household or membership of the register); PostgreSQL reorders them freely
    FROM subtree s
    CROSS JOIN households h
    CROSS JOIN memberships m
    CROSS JOIN persons p
    WHERE s.level = 'area' AND h.area_id = s.id
      AND m.household_id = h.id AND m.valid_from <= :on AND (m.valid_to IS NULL OR m.valid_to >= :on)
      AND m.residence IN :resident
      AND p.id = m.person_id AND (p.death_date IS NULL OR p.death_date > :on)
)
SELECT commune_id, sex, CASE WHEN age >= :open_from THEN :open_from ELSE (age / :width) * :width END AS age_group,
       count(*) AS n
FROM counted GROUP BY commune_id, sex, 3
""").bindparams(bindparam("resident", expanding=True), bindparam("on", type_=Date))
    return list(conn.execute(q, {"root": root_id, "on": on, "year": on.year, "md": on.month * 100 + on.day,
                                 "resident": list(resident_codes), "open_from": open_from, "width": group_width}))


def household_counts(conn: Connection, root_id: int, on: dt.date) -> list:
    """Households (hộ dân cư) existing on ``on`` under a unit, by commune and kind."""
    q = text(with_subtree(conn, SUBTREE_SQL, root_id, on) + """
SELECT s.commune_id, h.kind, count(*) AS n
FROM subtree s CROSS JOIN households h
WHERE s.level = 'area' AND h.area_id = s.id AND h.established_on <= :on AND (h.dissolved_on IS NULL OR h.dissolved_on > :on)
GROUP BY s.commune_id, h.kind
""").bindparams(bindparam("on", type_=Date))
    return list(conn.execute(q, {"root": root_id, "on": on}))


def count_rows(conn: Connection) -> dict[str, int]:
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (*(table for _, table, _ in REGISTRATION_TABLES), events)}
