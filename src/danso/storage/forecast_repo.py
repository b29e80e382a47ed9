"""Set-based counts from the register's dated state for the forecast inputs: population by single year of
age, births by age of the mother, deaths by age, and net moves (from the ``events`` table, when it exists).

Every query runs over the areas under a unit along the hierarchy in force on ``tree_on`` (the base date),
grouped by commune, so one query serves a province and all its communes.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, Date, bindparam, inspect, text

from danso.storage.units_repo import SUBTREE_SQL

_TREE = SUBTREE_SQL.replace(":on", ":tree_on")


def _ymd(conn: Connection, column: str) -> str:
    """SQL turning a DATE column into the integer yyyymmdd (SQLite keeps dates as ISO text)."""
    if conn.dialect.name == "postgresql":
        return f"CAST(to_char({column}, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(replace({column}, '-', '') AS INTEGER)"


def _day_before(conn: Connection, column: str) -> str:
    """SQL for the yyyymmdd of the day before a DATE column."""
    if conn.dialect.name == "postgresql":
        return f"CAST(to_char({column} - 1, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(replace(date({column}, '-1 day'), '-', '') AS INTEGER)"


def _birth_ymd(alias: str) -> str:
    """A person's birth as yyyymmdd; unknown month and day count as 1 January (the register's convention)."""
    return f"({alias}.birth_year * 10000 + COALESCE({alias}.birth_month, 1) * 100 + COALESCE({alias}.birth_day, 1))"


def _age_at(alias: str, ymd: str) -> str:
    """Completed years of person ``alias`` on the day ``ymd`` (an integer yyyymmdd expression)."""
    return (f"(({ymd}) / 10000 - {alias}.birth_year - CASE WHEN ({ymd}) % 10000 < "
            f"COALESCE({alias}.birth_month, 1) * 100 + COALESCE({alias}.birth_day, 1) THEN 1 ELSE 0 END)")


def _in_force(conn: Connection, alias: str, ymd: str) -> str:
    return (f"{_ymd(conn, alias + '.valid_from')} <= {ymd} AND ({alias}.valid_to IS NULL OR "
            f"{_ymd(conn, alias + '.valid_to')} >= {ymd})")


def _capped(expr: str) -> str:
    return f"CASE WHEN {expr} >= :open_age THEN :open_age ELSE {expr} END"


def _params(root_id: int, tree_on: dt.date, resident: Sequence[str], open_age: int, **extra: object) -> dict:
    return {"root": root_id, "tree_on": tree_on, "resident": list(resident), "open_age": open_age, **extra}


def _run(conn: Connection, sql: str, params: dict) -> list:
    q = text(_TREE + sql).bindparams(bindparam("resident", expanding=True), bindparam("tree_on", type_=Date))
    return list(conn.execute(q, params))


def populations_by_age(conn: Connection, root_id: int, tree_on: dt.date, first: dt.date, second: dt.date,
                       resident: Sequence[str]) -> list:
    """Residents under the unit on two days, in one pass: rows (commune_id, sex, birth_year, late_first,
    late_second, n_first, n_second). On each day a person counts when alive and holding a resident membership
    in force that day in a household under the unit; ``late_*`` is true when the birthday falls after that
    day's month and day, so that the age is year − birth_year − 1 (else year − birth_year).
    ``second`` must not be after ``first``.

    Few group keys and two conditional sums keep the per-row work over 2 million rows small (the caller makes
    the ages); the unary ``+`` lets SQLite scan memberships and look households up by key.
    """
    def late(tag: str) -> str:
        return f"(p.birth_month IS NOT NULL AND p.birth_month * 100 + COALESCE(p.birth_day, 1) > :md_{tag})"

    sql = f"""
SELECT s.commune_id, p.sex, p.birth_year, {late('a')} AS late_first, {late('b')} AS late_second,
       SUM(CASE WHEN (m.valid_to IS NULL OR m.valid_to >= :on_a)
                AND (p.death_date IS NULL OR p.death_date > :on_a) THEN 1 ELSE 0 END) AS n_first,
       SUM(CASE WHEN m.valid_from <= :on_b
                AND (p.death_date IS NULL OR p.death_date > :on_b) THEN 1 ELSE 0 END) AS n_second
FROM subtree s
JOIN households h ON h.area_id = s.id
JOIN memberships m ON +m.household_id = h.id AND m.valid_from <= :on_a
    AND (m.valid_to IS NULL OR m.valid_to >= :on_b) AND m.residence IN :resident
JOIN persons p ON p.id = m.person_id
WHERE s.level = 'area'
GROUP BY s.commune_id, p.sex, p.birth_year, 4, 5
"""
    q = text(_TREE + sql).bindparams(bindparam("resident", expanding=True), bindparam("tree_on", type_=Date),
                                     bindparam("on_a", type_=Date), bindparam("on_b", type_=Date))
    params = {"root": root_id, "tree_on": tree_on, "resident": list(resident)}
    for tag, day in (("a", first), ("b", second)):
        params.update({f"on_{tag}": day, f"md_{tag}": day.month * 100 + day.day})
    return list(conn.execute(q, params))


def births_by_mother_age(conn: Connection, root_id: int, tree_on: dt.date, first: dt.date, last: dt.date,
                         resident: Sequence[str], open_age: int) -> list:
    """(commune_id, sex of the child, age of the mother, n): persons born from ``first`` to ``last`` whose
    mother (``mother_id``) had, on the day of the birth, a resident membership in a household under the unit."""
    born = _birth_ymd("c")
    sql = f"""
SELECT s.commune_id, c.sex, {_capped(_age_at('mo', born))} AS age, count(*) AS n
FROM persons c
JOIN persons mo ON mo.id = c.mother_id
JOIN memberships m ON m.person_id = mo.id AND {_in_force(conn, 'm', born)} AND m.residence IN :resident
JOIN households h ON h.id = m.household_id
JOIN subtree s ON s.id = h.area_id AND s.level = 'area'
WHERE c.mother_id IS NOT NULL AND c.birth_year BETWEEN :y0 AND :y1 AND {born} BETWEEN :first AND :last
GROUP BY s.commune_id, c.sex, 3
"""
    return _run(conn, sql, _params(root_id, tree_on, resident, open_age, y0=first.year, y1=last.year,
                                   first=_int(first), last=_int(last)))


def deaths_by_age(conn: Connection, root_id: int, tree_on: dt.date, first: dt.date, last: dt.date,
                  resident: Sequence[str], open_age: int) -> list:
    """(commune_id, sex, age at death, n): persons who died from ``first`` to ``last`` while holding a resident
    membership in a household under the unit (a death ends the membership the day before, so the membership
    counted is the one in force on the day before the death or on the day itself)."""
    died = _ymd(conn, "p.death_date")
    sql = f"""
SELECT s.commune_id, p.sex, {_capped(_age_at('p', died))} AS age, count(*) AS n
FROM persons p
JOIN memberships m ON m.person_id = p.id AND {_ymd(conn, 'm.valid_from')} <= {died}
    AND (m.valid_to IS NULL OR {_ymd(conn, 'm.valid_to')} >= {_day_before(conn, 'p.death_date')})
    AND m.residence IN :resident
JOIN households h ON h.id = m.household_id
JOIN subtree s ON s.id = h.area_id AND s.level = 'area'
WHERE p.death_date >= :first_day AND p.death_date <= :last_day AND {died} BETWEEN :first AND :last
GROUP BY s.commune_id, p.sex, 3
"""
    q = text(_TREE + sql).bindparams(bindparam("resident", expanding=True), bindparam("tree_on", type_=Date),
                                     bindparam("first_day", type_=Date), bindparam("last_day", type_=Date))
    return list(conn.execute(q, _params(root_id, tree_on, resident, open_age, first=_int(first), last=_int(last),
                                        first_day=first, last_day=last)))


def has_events(conn: Connection) -> bool:
    """Whether the collection-slips event log (table ``events``) exists in this database."""
    return inspect(conn).has_table("events")


def moves_by_age(conn: Connection, root_id: int, tree_on: dt.date, first: dt.date, last: dt.date,
                 open_age: int) -> list:
    """(commune_id, kind, sex, age, n): registered moves in and out (``events`` of kind moved_in / moved_out,
    not reversed) from ``first`` to ``last``, placed in the commune of the household whose membership the
    move started (moved_in: ``valid_from`` on the event day) or ended (moved_out: ``valid_to`` on the event
    day or the day before)."""
    day = _ymd(conn, "e.event_date")
    sql = f"""
SELECT s.commune_id, e.kind, p.sex, {_capped(_age_at('p', day))} AS age, count(*) AS n
FROM events e
JOIN persons p ON p.id = e.person_id
JOIN memberships m ON m.person_id = p.id AND (
    (e.kind = 'moved_in' AND {_ymd(conn, 'm.valid_from')} = {day})
    OR (e.kind = 'moved_out' AND m.valid_to IS NOT NULL
        AND {_ymd(conn, 'm.valid_to')} BETWEEN {_day_before(conn, 'e.event_date')} AND {day}))
JOIN households h ON h.id = m.household_id
JOIN subtree s ON s.id = h.area_id AND s.level = 'area'
WHERE e.kind IN ('moved_in', 'moved_out') AND e.reversed_by IS NULL AND {day} BETWEEN :first AND :last
GROUP BY s.commune_id, e.kind, p.sex, 4
"""
    q = text(_TREE + sql).bindparams(bindparam("tree_on", type_=Date))
    return list(conn.execute(q, {"root": root_id, "tree_on": tree_on, "open_age": open_age,
                                 "first": _int(first), "last": _int(last)}))


def _int(d: dt.date) -> int:
    return d.year * 10000 + d.month * 100 + d.day
