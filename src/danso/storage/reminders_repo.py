"""The read side of reminders (danso.domain.reminders): who is due for a follow-up in the collaborator areas
under a unit, computed set-based over the dated state (memberships, contraceptive uses, pregnancies, persons)
and the event log (screenings and health checks in force, i.e. not reversed) — counts for every kind in one
statement, and one page of one kind.

Every list starts from the residents present today: a current membership (``valid_to IS NULL``) with a
resident status, in a household of an area under the root (units in force today), of a person not dead.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import Connection, Date, bindparam, text

from danso.domain import codes
from danso.domain.reminders import (
    CONTRACEPTION,
    ELDERLY,
    FOLLOW_UP_WINDOW_DAYS,
    FOLLOW_UPS,
    NEWBORN,
    PRENATAL,
    Thresholds,
)
from danso.storage.units_repo import SUBTREE_SQL, with_subtree

_BIRTH_KEY = "(p.birth_year * 10000 + COALESCE(p.birth_month, 1) * 100 + COALESCE(p.birth_day, 1))"

PRESENT_SQL = SUBTREE_SQL + f"""
, present AS (
    SELECT p.id AS person_id, p.full_name, p.sex, p.birth_year, p.birth_month, p.birth_day,
           {_BIRTH_KEY} AS birth_key, h.id AS household_id, h.number AS household_number, h.area_id
    FROM subtree s
    JOIN households h ON h.area_id = s.id
    JOIN memberships m ON m.household_id = h.id AND m.valid_to IS NULL AND m.residence IN :resident
    JOIN persons p ON p.id = m.person_id AND p.death_date IS NULL
    WHERE s.level = 'area'
)
"""
"""Residents present today in the areas under :root (hierarchy of :on)."""


def _days_since(conn: Connection, column: str) -> str:
    """Whole days from ``column`` (a date) to :on."""
    if conn.dialect.name == "postgresql":
        return f"(CAST(:on AS DATE) - {column})"
    return f"CAST(julianday(:on) - julianday({column}) AS INTEGER)"


def _screened(kind: str, since: str = "") -> str:
    after = f" AND e.event_date >= {since}" if since else ""
    return (f"EXISTS (SELECT 1 FROM events e WHERE e.person_id = pr.person_id AND e.kind = '{kind}' "
            f"AND e.reversed_by IS NULL AND e.event_date <= :on{after})")


def _due_sql(conn: Connection, code: str) -> str:
    """Rows (person, household, area, ``since``: the reference date, ``method``) of one kind of reminder."""
    cols = ("pr.person_id, pr.full_name, pr.birth_year, pr.birth_month, pr.birth_day, pr.household_id, "
            "pr.household_number, pr.area_id")
    if code == CONTRACEPTION:
        days = _days_since(conn, "cu.start_date")
        every = "CASE cu.method " + " ".join(f"WHEN '{int(m)}' THEN {int(f.every_days)}"
                                             for m, f in FOLLOW_UPS.items()) + " END"
        return f"""
SELECT {cols}, cu.start_date AS since, cu.method
FROM present pr
JOIN contraceptive_uses cu ON cu.person_id = pr.person_id AND cu.end_date IS NULL AND cu.method IN :methods
WHERE pr.sex = '2' AND pr.birth_key > :women_born_after AND pr.birth_key <= :women_born_by
  AND NOT EXISTS (SELECT 1 FROM pregnancies g WHERE g.person_id = pr.person_id AND g.end_date IS NULL)
  AND {days} >= {every} AND {days} % {every} < {int(FOLLOW_UP_WINDOW_DAYS)}"""
    if code == PRENATAL:
        return f"""
SELECT {cols}, g.start_date AS since, NULL AS method
FROM present pr
JOIN pregnancies g ON g.person_id = pr.person_id AND g.end_date IS NULL AND g.start_date <= :prenatal_recorded_by
WHERE NOT {_screened('prenatal_screened', 'g.start_date')}"""
    if code == NEWBORN:
        return f"""
SELECT {cols}, NULL AS since, NULL AS method
FROM present pr
WHERE pr.birth_month IS NOT NULL AND pr.birth_day IS NOT NULL
  AND pr.birth_key BETWEEN :newborn_born_from AND :newborn_born_by
  AND NOT {_screened('newborn_screened')}"""
    if code == ELDERLY:
        return f"""
SELECT {cols},
       (SELECT max(e.event_date) FROM events e WHERE e.person_id = pr.person_id AND e.kind = 'elderly_checked'
        AND e.reversed_by IS NULL AND e.event_date <= :on) AS since, NULL AS method
FROM present pr
WHERE pr.birth_key <= :elderly_born_by AND NOT {_screened('elderly_checked', ':year_start')}"""
    raise ValueError(f"unknown reminder {code}")


def _params(root_id: int, t: Thresholds) -> dict[str, object]:
    return {"root": root_id, "on": t.today, "resident": sorted(codes.code_list(codes.RESIDENCE).where("resident")),
            "methods": sorted(FOLLOW_UPS), "women_born_after": t.women_born_after, "women_born_by": t.women_born_by,
            "prenatal_recorded_by": t.prenatal_recorded_by, "newborn_born_from": t.newborn_born_from,
            "newborn_born_by": t.newborn_born_by, "elderly_born_by": t.elderly_born_by, "year_start": t.year_start}


def _run(conn: Connection, sql: str, params: dict[str, object]) -> list:
    used = {n: v for n, v in params.items() if re.search(f":{n}\\b", sql)}
    q = text(sql).bindparams(*(bindparam(n, type_=Date) for n in ("on", "prenatal_recorded_by", "year_start")
                               if n in used),
                             *(bindparam(n, expanding=True) for n in ("resident", "methods") if n in used))
    return list(conn.execute(q, used))


def counts(conn: Connection, root_id: int, kinds: Sequence[str], t: Thresholds) -> dict[str, int]:
    """How many persons each kind of reminder lists under the root today."""
    ctes = "".join(f", due_{k} AS ({_due_sql(conn, k)})" for k in kinds)
    union = " UNION ALL ".join(f"SELECT '{k}' AS kind, count(*) AS n FROM due_{k}" for k in kinds)
    sql = with_subtree(conn, PRESENT_SQL + ctes + union, root_id, t.today)
    return {r.kind: r.n for r in _run(conn, sql, _params(root_id, t))}


def page(conn: Connection, root_id: int, kind: str, t: Thresholds, *, offset: int, limit: int) -> list:
    """One page of a kind's list in the order of a round of the areas (area, household number, person), with
    the area's code and name and its village's name."""
    # the page is cut first, its villages looked up after; LIMIT/OFFSET are written as integers (bound, SQLite
    # evaluates the subqueries of the whole list before cutting it; see danso.storage.household_lists)
    order = "a.code, length(d.household_number), d.household_number, d.person_id"
    sql = PRESENT_SQL + f", due AS ({_due_sql(conn, kind)})" + f"""
, cut AS (
    SELECT d.*, a.code AS area_code, a.name AS area_name
    FROM due d JOIN units a ON a.id = d.area_id
    ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)}
)
SELECT c.*,
       (SELECT v.name FROM unit_links l JOIN units v ON v.id = l.parent_id AND v.level = 'village'
        WHERE l.child_id = c.area_id AND (l.valid_from IS NULL OR l.valid_from <= :on)
          AND (l.valid_to IS NULL OR l.valid_to >= :on) ORDER BY v.id LIMIT 1) AS village_name
FROM cut c
ORDER BY c.area_code, length(c.household_number), c.household_number, c.person_id"""
    return _run(conn, with_subtree(conn, sql, root_id, t.today), _params(root_id, t))
