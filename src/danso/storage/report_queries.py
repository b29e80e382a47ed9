"""The read side of reports: set-based counts over the dated state and the event log, for every collaborator
area placed under a unit, grouped by the unit's child (one column of a report form) — never persons loaded
into Python, never running counters.

Placement (see docs/indicators.md): an area belongs to the column of the root's child it lies under along
the unit links in force on ``frame_on``. When ``frame_on`` is on or after 1 July 2025, an area whose village
is linked only to an old commune (before the reform) is placed through the official mapping
(``unit_lineage``): the new commune an old one was merged into, or for a split commune its default new
commune (``is_default``), which takes the old commune's records.

Every query returns rows ``(col_id, …, n)``; ``col_id`` is NULL when the root has no children (an area).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, Date, bindparam, text

from danso.domain.units import LEGACY_LAST_DAY, REFORM_DATE
from danso.storage.dialects import json_field_sql

_IN_FORCE = "({l}.valid_from IS NULL OR {l}.valid_from <= {d}) AND ({l}.valid_to IS NULL OR {l}.valid_to >= {d})"

PLACED_SQL = f"""
WITH RECURSIVE frame(id, level, col_id) AS (
    SELECT u.id, u.level, CAST(NULL AS INTEGER) FROM units u WHERE u.id = :root
    UNION ALL
    SELECT c.id, c.level, COALESCE(f.col_id, c.id)
    FROM frame f
    JOIN unit_links l ON l.parent_id = f.id AND {_IN_FORCE.format(l="l", d=":frame_on")}
    JOIN units c ON c.id = l.child_id
),
placed(area_id, col_id) AS (
    SELECT id, col_id FROM frame WHERE level = 'area'
    UNION ALL
    SELECT la.child_id, COALESCE(fc.col_id, la.parent_id)
    FROM unit_links la
    JOIN units a ON a.id = la.child_id AND a.level = 'area'
    JOIN unit_links lv ON lv.child_id = la.parent_id AND {_IN_FORCE.format(l="lv", d=":legacy_day")}
    JOIN units oc ON oc.id = lv.parent_id AND oc.level = 'commune'
    JOIN unit_lineage ul ON ul.source_id = oc.id AND (ul.kind = 'merged' OR ul.is_default)
    JOIN frame fc ON fc.id = ul.target_id AND fc.level = 'commune'
    WHERE :mapped = 1 AND NOT EXISTS (
        SELECT 1 FROM unit_links lx WHERE lx.child_id = la.parent_id AND {_IN_FORCE.format(l="lx", d=":frame_on")})
)
"""
"""Every collaborator area under :root (units in force on :frame_on), with its column."""


def _params(root_id: int, frame_on: dt.date) -> dict[str, object]:
    return {"root": root_id, "frame_on": frame_on, "legacy_day": LEGACY_LAST_DAY,
            "mapped": 1 if frame_on >= REFORM_DATE else 0}


def _run(conn: Connection, sql: str, params: dict[str, object], *, dates: Sequence[str] = (),
         lists: Sequence[str] = ()) -> list:
    q = text(sql).bindparams(*(bindparam(n, type_=Date) for n in ("frame_on", "legacy_day", *dates)),
                             *(bindparam(n, expanding=True) for n in lists))
    return list(conn.execute(q, params))


def placed_areas(conn: Connection, root_id: int, frame_on: dt.date) -> list:
    """(area_id, col_id) of every area placed under the root."""
    return _run(conn, PLACED_SQL + "SELECT area_id, col_id FROM placed", _params(root_id, frame_on))


def _age(year: str, monthday: str) -> str:
    """Completed years on a date given as SQL for its year and its month*100+day (with only a year of birth,
    the birthday is 1 January)."""
    return (f"({year} - p.birth_year - CASE WHEN p.birth_month IS NOT NULL AND "
            f"p.birth_month * 100 + COALESCE(p.birth_day, 1) > {monthday} THEN 1 ELSE 0 END)")


def _date_parts(column: str) -> tuple[str, str]:
    """Year and month*100+day of a date column, portable: both engines give dates as ISO text."""
    iso = f"CAST({column} AS TEXT)"
    return (f"CAST(SUBSTR({iso}, 1, 4) AS INTEGER)",
            f"(CAST(SUBSTR({iso}, 6, 2) AS INTEGER) * 100 + CAST(SUBSTR({iso}, 9, 2) AS INTEGER))")


def _group(age: str, open_from: int) -> str:
    return f"CASE WHEN {age} >= {open_from} THEN {open_from} ELSE ({age}) / 5 * 5 END"


RESIDENTS_SQL = """
, residents AS (
    SELECT pl.col_id, pl.area_id, p.id AS person_id, p.sex, {age} AS age, p.marital
    FROM placed pl
    JOIN households h ON h.area_id = pl.area_id
    JOIN memberships m ON m.household_id = h.id AND m.valid_from <= :on
        AND (m.valid_to IS NULL OR m.valid_to >= :on) AND m.residence IN :resident
    JOIN persons p ON p.id = m.person_id AND (p.death_date IS NULL OR p.death_date > :on)
), women AS (
    SELECT r.*, CASE WHEN COALESCE((
        SELECT ac.old_value FROM attribute_changes ac
        WHERE ac.person_id = r.person_id AND ac.attribute = 'marital' AND ac.effective > :on
        ORDER BY ac.effective, ac.id LIMIT 1), r.marital) IN :married THEN 1 ELSE 0 END AS married
    FROM residents r WHERE r.sex = '2' AND r.age BETWEEN 15 AND 49
)
"""
"""Resident persons (nhân khẩu thực tế thường trú) on :on, and the women 15–49 among them with their
marital status on that date (the old value of the first change after it, else today's)."""


def _stock_params(root_id: int, frame_on: dt.date, on: dt.date, resident: Sequence[str],
                  married: Sequence[str]) -> dict[str, object]:
    return {**_params(root_id, frame_on), "on": on, "year": on.year, "md": on.month * 100 + on.day,
            "resident": list(resident), "married": list(married)}


def _stock(conn: Connection, select_sql: str, params: dict[str, object]) -> list:
    sql = PLACED_SQL + RESIDENTS_SQL.format(age=_age(":year", ":md")) + select_sql
    return _run(conn, sql, params, dates=("on",), lists=("resident", "married"))


def population(conn: Connection, root_id: int, frame_on: dt.date, on: dt.date, resident: Sequence[str],
               married: Sequence[str], open_from: int) -> list:
    """Residents on ``on``: (col_id, sex, age_group, n); and women 15–49: (col_id, age_group, married, n)."""
    params = _stock_params(root_id, frame_on, on, resident, married)
    people = _stock(conn, f"SELECT col_id, sex, {_group('age', open_from)} AS age_group, count(*) AS n "
                          "FROM residents GROUP BY col_id, sex, 3", params)
    women = _stock(conn, "SELECT col_id, age / 5 * 5 AS age_group, married, count(*) AS n "
                         "FROM women GROUP BY col_id, 2, married", params)
    return [people, women]


def contraceptive_users(conn: Connection, root_id: int, frame_on: dt.date, on: dt.date, resident: Sequence[str],
                        married: Sequence[str]) -> list:
    """Married women 15–49 resident on ``on`` using a method that day: (col_id, method, n)."""
    return _stock(conn, """
SELECT w.col_id, cu.method, count(*) AS n
FROM women w JOIN contraceptive_uses cu ON cu.person_id = w.person_id AND cu.start_date <= :on
    AND (cu.end_date IS NULL OR cu.end_date >= :on)
WHERE w.married = 1 GROUP BY w.col_id, cu.method""", _stock_params(root_id, frame_on, on, resident, married))


def pregnant_women(conn: Connection, root_id: int, frame_on: dt.date, on: dt.date, resident: Sequence[str],
                   married: Sequence[str]) -> list:
    """Resident women with a pregnancy in progress at the end of ``on``: (col_id, n)."""
    return _stock(conn, """
SELECT r.col_id, count(DISTINCT r.person_id) AS n
FROM residents r JOIN pregnancies pg ON pg.person_id = r.person_id AND pg.start_date <= :on
    AND (pg.end_date IS NULL OR pg.end_date > :on)
WHERE r.sex = '2' GROUP BY r.col_id""", _stock_params(root_id, frame_on, on, resident, married))


def households(conn: Connection, root_id: int, frame_on: dt.date, on: dt.date) -> list:
    """Households existing on ``on``: (col_id, kind, n)."""
    return _run(conn, PLACED_SQL + """
SELECT pl.col_id, h.kind, count(*) AS n
FROM placed pl JOIN households h ON h.area_id = pl.area_id
WHERE h.established_on <= :on AND (h.dissolved_on IS NULL OR h.dissolved_on > :on)
GROUP BY pl.col_id, h.kind""", {**_params(root_id, frame_on), "on": on}, dates=("on",))


FLOWS_SQL = """
, flows AS (
    SELECT pl.col_id, pl.area_id, e.id, e.kind, e.event_date, e.person_id, e.data
    FROM events e
    JOIN households h ON h.id = e.household_id
    JOIN placed pl ON pl.area_id = h.area_id
    WHERE e.event_date >= :start AND e.event_date <= :end AND e.reversed_by IS NULL AND e.kind IN :kinds
)
"""
"""Events in force (not reversed) dated within the period, in households of the placed areas."""


def _flows(conn: Connection, root_id: int, frame_on: dt.date, start: dt.date, end: dt.date, kinds: Sequence[str],
           select_sql: str) -> list:
    params = {**_params(root_id, frame_on), "start": start, "end": end, "kinds": list(kinds)}
    return _run(conn, PLACED_SQL + FLOWS_SQL + select_sql, params, dates=("start", "end"), lists=("kinds",))


def births(conn: Connection, root_id: int, frame_on: dt.date, start: dt.date, end: dt.date) -> list:
    """Births: (col_id, sex, birth_order (3 = 3rd or later), place, mother_age_group, n)."""
    order = f"CAST({json_field_sql(conn, 'f.data', 'birth_order')} AS INTEGER)"
    year, md = _date_parts("f.event_date")
    return _flows(conn, root_id, frame_on, start, end, ["born"], f"""
SELECT f.col_id, c.sex, CASE WHEN {order} >= 3 THEN 3 ELSE {order} END AS birth_order,
       {json_field_sql(conn, 'f.data', 'place')} AS place, {_age(year, md)} / 5 * 5 AS mother_age_group,
       count(*) AS n
FROM flows f JOIN persons c ON c.id = f.person_id LEFT JOIN persons p ON p.id = c.mother_id
GROUP BY f.col_id, c.sex, 3, 4, 5""")


def deaths(conn: Connection, root_id: int, frame_on: dt.date, start: dt.date, end: dt.date, open_from: int) -> list:
    """Deaths: (col_id, sex, age_group, infant (0/1), n), by completed age on the day of death."""
    year, md = _date_parts("f.event_date")
    age = _age(year, md)
    return _flows(conn, root_id, frame_on, start, end, ["died"], f"""
SELECT f.col_id, p.sex, {_group(age, open_from)} AS age_group, CASE WHEN {age} < 1 THEN 1 ELSE 0 END AS infant,
       count(*) AS n
FROM flows f JOIN persons p ON p.id = f.person_id
GROUP BY f.col_id, p.sex, 3, 4""")


COUNTED_KINDS = ("moved_in", "moved_out", "married", "divorced", "method_started", "method_stopped",
                 "pregnancy_ended", "household_created")


def event_counts(conn: Connection, root_id: int, frame_on: dt.date, start: dt.date, end: dt.date) -> list:
    """Other events: (col_id, kind, key, n) — key: the method for contraception (prefixed ``switch:`` for a
    change of method), the outcome of a pregnancy; ``n`` is the number of persons (members of a household
    that moved in)."""
    j = json_field_sql
    key = (f"CASE WHEN f.kind = 'method_started' AND {j(conn, 'f.data', 'use_closed')} IS NOT NULL "
           f"THEN 'switch:' || {j(conn, 'f.data', 'method')} "
           f"WHEN f.kind IN ('method_started', 'method_stopped') THEN {j(conn, 'f.data', 'method')} "
           f"WHEN f.kind = 'pregnancy_ended' THEN {j(conn, 'f.data', 'outcome')} ELSE '' END")
    size = f"CASE WHEN f.kind = 'household_created' THEN {j(conn, 'f.data', 'members', array_length=True)} ELSE 1 END"
    return _flows(conn, root_id, frame_on, start, end, COUNTED_KINDS, f"""
SELECT f.col_id, f.kind, {key} AS key, sum({size}) AS n
FROM flows f GROUP BY f.col_id, f.kind, 3""")


DISTINCT_KINDS = ("prenatal_screened", "newborn_screened", "elderly_checked")


def persons_served(conn: Connection, root_id: int, frame_on: dt.date, start: dt.date, end: dt.date) -> list:
    """Screenings and health checks: (col_id, kind, n), n = distinct persons (within each area, so that
    counts add up from areas to any unit)."""
    return _flows(conn, root_id, frame_on, start, end, DISTINCT_KINDS, """
SELECT col_id, kind, count(*) AS n
FROM (SELECT DISTINCT col_id, area_id, kind, person_id FROM flows) d GROUP BY col_id, kind""")
