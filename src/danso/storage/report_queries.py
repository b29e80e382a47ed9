"""The read side of reports: set-based counts over the dated state and the event log, for every collaborator
area placed under a unit, grouped by the unit's child (one column of a report form) — never persons loaded
into Python, never running counters.

Placement (see docs/indicators.md): an area belongs to the column of the root's child it lies under along
the unit links in force on ``frame_on``. When ``frame_on`` is on or after 1 July 2025, an area whose village
is linked only to an old commune (before the reform) is placed through the official mapping
(``unit_lineage``): the new commune an old one was merged into, or for a split commune its default new
commune (``is_default``), which takes the old commune's records.

The areas are placed once per report (``placed_areas``, a recursive query over the units); every count
query then reads the households of those areas, given as a list of their ids, counts by area, and the counts
of a column's areas are summed here. With the list the planners know how many households there are (a
commune's thousands or a province's hundreds of thousands) and pick their way accordingly — a commune's
through the indexes on ``area_id`` and ``household_id``, a province's from the few pregnancies and methods in
use — where, given a recursive query, both guessed: SQLite scanned every household and built Bloom filters over
every member and person for a commune's report, PostgreSQL ran the placement again for each row of a loop.

Every query returns rows ``(col_id, …, n)``; ``col_id`` is NULL when the root has no children (an area).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, namedtuple
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import Connection, Date, Row, bindparam, text

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


Placed = Sequence[Row]
"""The areas placed under a report's root: rows (area_id, col_id), from ``placed_areas``."""


def placed_areas(conn: Connection, root_id: int, frame_on: dt.date) -> Placed:
    """(area_id, col_id) of every area placed under the root."""
    params = {"root": root_id, "frame_on": frame_on, "legacy_day": LEGACY_LAST_DAY,
              "mapped": 1 if frame_on >= REFORM_DATE else 0}
    q = text(PLACED_SQL + "SELECT area_id, col_id FROM placed ORDER BY area_id").bindparams(
        bindparam("frame_on", type_=Date), bindparam("legacy_day", type_=Date))
    return list(conn.execute(q, params))


def _by_area(conn: Connection, placed: Placed, sql: str, params: dict[str, object], *, dates: Sequence[str] = (),
             lists: Sequence[str] = (), residents: bool = False) -> list:
    """Rows of ``sql``, its ``{areas}`` replaced by the ids of the placed areas — integers read from the
    database, written into the statement (a parameter each would pass SQLite's limit for a country's areas).
    No areas: no rows."""
    if not placed:
        return []
    if conn.dialect.name == "postgresql":
        # No JIT compilation: these statements' estimated costs (their correlated look-ups counted for every
        # row) always pass PostgreSQL's thresholds, and compiling took seconds, longer than a commune's query.
        # No nested loops over the residents of many areas (a province's): the planner cannot estimate how many
        # persons pass the filters on computed ages and marital status (it guessed 27 married women 15–49 in a
        # province of two million) and looped over them for each of 170,000 contraceptive users — minutes
        # instead of a second. A commune's queries, and a month's events, go through the indexes, nested loops
        conn.exec_driver_sql("SET LOCAL jit = off")
        hashed = residents and len(placed) >= MANY_AREAS
        conn.exec_driver_sql(f"SET LOCAL enable_nestloop = {'off' if hashed else 'on'}")
    q = text(sql.replace("{areas}", ", ".join(str(int(a)) for a, _ in placed))).bindparams(
        *(bindparam(n, type_=Date) for n in dates), *(bindparam(n, expanding=True) for n in lists))
    return list(conn.execute(q, params))


def _run(conn: Connection, placed: Placed, sql: str, params: dict[str, object], *, dates: Sequence[str] = (),
         lists: Sequence[str] = (), residents: bool = False) -> list:
    """The rows ``(area_id, …keys, n)`` of ``sql`` (see ``_by_area``) summed by column: ``(col_id, …keys, n)``."""
    rows = _by_area(conn, placed, sql, params, dates=dates, lists=lists, residents=residents)
    if not rows:
        return []
    row = namedtuple("Row", ["col_id", *rows[0]._fields[1:]])
    return fold([row(*r) for r in rows], {a: c for a, c in placed})


def each_area(placed: Placed) -> list[tuple[int, int]]:
    """The placed areas as their own columns: the queries then return their rows area by area, which
    ``fold`` sums into the columns of any report whose areas they are (a province's and each commune's)."""
    return [(a, a) for a, _ in placed]


def fold(rows: Sequence[tuple], column: dict[int, int | None]) -> list:
    """Rows ``(col_id, …keys, n)`` of a query (named tuples, all of one kind) summed into other columns:
    ``column`` maps each row's ``col_id`` to its new column. Every count adds up (pregnant women, counted as
    distinct persons, are folded by ``fold_distinct``)."""
    if not rows:
        return []
    sums: Counter = Counter()
    for col, *keys, n in rows:
        sums[(column[col], *keys)] += n
    make = type(rows[0])._make
    return [make((*k, n)) for k, n in sums.items()]


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


MARRIED_ON = """CASE WHEN COALESCE(CASE WHEN {r}.person_id IN (
        SELECT ch.person_id FROM attribute_changes ch WHERE ch.attribute = 'marital' AND ch.effective > :on) THEN (
        SELECT ac.old_value FROM attribute_changes ac
        WHERE ac.person_id = {r}.person_id AND ac.attribute = 'marital' AND ac.effective > :on
        ORDER BY ac.effective, ac.id LIMIT 1) END, {r}.marital) IN :married THEN 1 ELSE 0 END"""
"""1 if the person was married on :on (the old value of the first change of marital status after that day,
else today's value), else 0. The few persons whose status changed after :on are listed once per statement
(both engines keep an uncorrelated IN list as a hashed or indexed set); only they are looked up one by one."""

RESIDENTS_SQL = """
WITH residents AS (
    SELECT h.area_id, p.id AS person_id, p.sex, {age} AS age, p.marital
    FROM households h
    JOIN memberships m ON m.household_id = h.id AND m.valid_from <= :on
        AND (m.valid_to IS NULL OR m.valid_to >= :on) AND m.residence IN :resident
    JOIN persons p ON p.id = m.person_id AND (p.death_date IS NULL OR p.death_date > :on)
    WHERE h.area_id IN ({areas})
)
"""
"""Resident persons (nhân khẩu thực tế thường trú) on :on in the placed areas."""

WOMEN_SQL = """
, women AS (
    SELECT r.*, """ + MARRIED_ON.format(r="r") + """ AS married
    FROM residents r WHERE r.sex = '2' AND r.age BETWEEN 15 AND 49
)
"""
"""The women 15–49 among the residents, with their marital status on :on."""


def _stock(conn: Connection, placed: Placed, on: dt.date, resident: Sequence[str], select_sql: str,
           married: Sequence[str] | None = None) -> list:
    params = {"on": on, "year": on.year, "md": on.month * 100 + on.day, "resident": list(resident)}
    if married is not None:
        params["married"] = list(married)
    sql = RESIDENTS_SQL.replace("{age}", _age(":year", ":md")) + select_sql
    return _run(conn, placed, sql, params, dates=("on",), lists=[k for k in ("resident", "married") if k in params],
                residents=True)


class People(NamedTuple):
    col_id: int | None
    sex: str
    age_group: int
    n: int


class Women(NamedTuple):
    col_id: int | None
    age_group: int
    married: int
    n: int


def population_totals(conn: Connection, placed: Placed, on: dt.date, resident: Sequence[str]) -> list:
    """Residents on ``on`` by column, and by 5-year age group for women 15–49 (``women_group``, NULL for every
    other resident): (col_id, women_group, n) — what the averages over a period need from its stock dates
    before the last."""
    return _stock(conn, placed, on, resident, """
SELECT area_id, CASE WHEN sex = '2' AND age BETWEEN 15 AND 49 THEN age / 5 * 5 END AS women_group, count(*) AS n
FROM residents GROUP BY area_id, 2""")


TWO_DATES_SQL = """
WITH residents AS (
    SELECT h.area_id, p.id AS person_id, p.sex, p.marital, {age} AS age, {age_before} AS age_before,
        CASE WHEN m.valid_from <= :on AND (m.valid_to IS NULL OR m.valid_to >= :on)
            AND (p.death_date IS NULL OR p.death_date > :on) THEN 1 ELSE 0 END AS at_on,
        CASE WHEN m.valid_from <= :before AND (m.valid_to IS NULL OR m.valid_to >= :before)
            AND (p.death_date IS NULL OR p.death_date > :before) THEN 1 ELSE 0 END AS at_before
    FROM households h
    JOIN memberships m ON m.household_id = h.id AND m.valid_from <= :on
        AND (m.valid_to IS NULL OR m.valid_to >= :before) AND m.residence IN :resident
    JOIN persons p ON p.id = m.person_id AND (p.death_date IS NULL OR p.death_date > :before)
    WHERE h.area_id IN ({areas})
)
"""
"""Resident persons on :on or on the earlier :before in the placed areas, each flagged for the dates it counts
on (a membership row counts on each date it is in force, as in ``RESIDENTS_SQL``)."""


def population(conn: Connection, placed: Placed, on: dt.date, resident: Sequence[str], married: Sequence[str],
               open_from: int, before: dt.date | None = None) -> tuple[list[People], list[Women], list]:
    """Residents on ``on``: (col_id, sex, age_group, n); women 15–49: (col_id, age_group, married, n); and, when
    ``before`` is given, the residents on that earlier date as ``population_totals`` gives them — all from one
    pass over the residents of either date, grouped by column, sex, age group and, for women 15–49, their 5-year
    group and marital status (on each date)."""
    if before is None:
        before = on
    fertile = "sex = '2' AND age BETWEEN 15 AND 49"
    params = {"on": on, "year": on.year, "md": on.month * 100 + on.day, "before": before, "year0": before.year,
              "md0": before.month * 100 + before.day, "resident": list(resident), "married": list(married)}
    sql = TWO_DATES_SQL.replace("{age}", _age(":year", ":md")).replace("{age_before}", _age(":year0", ":md0")) + f"""
SELECT area_id, sex, {_group('age', open_from)} AS age_group, CASE WHEN {fertile} THEN age / 5 * 5 END AS women_group,
       CASE WHEN at_on = 1 AND {fertile} THEN {MARRIED_ON.format(r="residents")} END AS married,
       CASE WHEN sex = '2' AND age_before BETWEEN 15 AND 49 THEN age_before / 5 * 5 END AS women_group_before,
       sum(at_on) AS n, sum(at_before) AS n_before
FROM residents GROUP BY area_id, sex, 3, 4, 5, 6"""
    rows = _by_area(conn, placed, sql, params, dates=("on", "before"), lists=("resident", "married"), residents=True)
    column = {a: c for a, c in placed}
    people: Counter = Counter()
    women: Counter = Counter()
    earlier: Counter = Counter()
    for r in rows:
        col = column[r.area_id]
        if r.n:
            people[col, r.sex, r.age_group] += r.n
            if r.women_group is not None:
                women[col, r.women_group, r.married] += r.n
        if r.n_before:
            earlier[col, r.women_group_before] += r.n_before
    return ([People(*k, n) for k, n in people.items()], [Women(*k, n) for k, n in women.items()],
            [_Totals(*k, n) for k, n in earlier.items()] if before != on else [])


class _Totals(NamedTuple):
    col_id: int | None
    women_group: int | None
    n: int


def contraceptive_users(conn: Connection, placed: Placed, on: dt.date, resident: Sequence[str],
                        married: Sequence[str]) -> list:
    """Married women 15–49 resident on ``on`` using a method that day: (col_id, method, n)."""
    return _stock(conn, placed, on, resident, WOMEN_SQL + """
SELECT w.area_id, cu.method, count(*) AS n
FROM women w JOIN contraceptive_uses cu ON cu.person_id = w.person_id AND cu.start_date <= :on
    AND (cu.end_date IS NULL OR cu.end_date >= :on)
WHERE w.married = 1 GROUP BY w.area_id, cu.method""", married)


def pregnant_women(conn: Connection, placed: Placed, on: dt.date, resident: Sequence[str]) -> list:
    """Resident women with a pregnancy in progress at the end of ``on``: (col_id, person_id), each pair once —
    the count of a column is its number of distinct persons (``fold_distinct``)."""
    params = {"on": on, "year": on.year, "md": on.month * 100 + on.day, "resident": list(resident)}
    rows = _by_area(conn, placed, RESIDENTS_SQL.replace("{age}", _age(":year", ":md")) + """
SELECT DISTINCT r.area_id, r.person_id
FROM residents r JOIN pregnancies pg ON pg.person_id = r.person_id AND pg.start_date <= :on
    AND (pg.end_date IS NULL OR pg.end_date > :on)
WHERE r.sex = '2'""", params, dates=("on",), lists=["resident"], residents=True)
    column = {a: c for a, c in placed}
    return list({(column[a], person) for a, person in rows})


def fold_distinct(pairs: Sequence[tuple[int | None, int]], column: dict[int, int | None]) -> list:
    """Pairs ``(col_id, person_id)`` folded into other columns (``column``): (col_id, n), n = distinct persons."""
    women = Counter(col for col, _ in {(column[c], person) for c, person in pairs})
    return [_Pregnant(col, n) for col, n in women.items()]


class _Pregnant(NamedTuple):
    col_id: int | None
    n: int


def households(conn: Connection, placed: Placed, on: dt.date) -> list:
    """Households existing on ``on``: (col_id, kind, n)."""
    return _run(conn, placed, """
SELECT h.area_id, h.kind, count(*) AS n
FROM households h
WHERE h.area_id IN ({areas}) AND h.established_on <= :on AND (h.dissolved_on IS NULL OR h.dissolved_on > :on)
GROUP BY h.area_id, h.kind""", {"on": on}, dates=("on",))


FLOWS_SQL = """
WITH flows AS (
    SELECT h.area_id, e.id, e.kind, e.event_date, e.person_id, e.data
    FROM {first} CROSS JOIN {then}
    WHERE h.area_id IN ({areas}) AND e.household_id = h.id
        AND e.event_date >= :start AND e.event_date <= :end AND e.reversed_by IS NULL AND e.kind IN :kinds
)
"""
"""Events in force (not reversed) dated within the period, in households of the placed areas. Written
``CROSS JOIN … WHERE``, which SQLite takes as the order of its loops (PostgreSQL plans it as any inner join):
for a few areas (below ``MANY_AREAS``), the areas' households, then their events through the index on
``household_id``; for more, the period's events of those kinds through the index on (kind, event_date), then
their households — left to itself, SQLite read the province's events for a commune's report, and given the
households first, it read every household of a province and all their events (the registrations included) for
the few thousand events of a month."""

MANY_AREAS = 150
"""Areas (≈ 10 communes of 15 areas of 400 households) from which a query is planned as a province's: the flows
start from the events, PostgreSQL joins by hashing (``_by_area``)."""


def _flows(conn: Connection, placed: Placed, start: dt.date, end: dt.date, kinds: Sequence[str],
           select_sql: str) -> list:
    params = {"start": start, "end": end, "kinds": list(kinds)}
    order = ("events e", "households h") if len(placed) >= MANY_AREAS else ("households h", "events e")
    sql = FLOWS_SQL.replace("{first}", order[0]).replace("{then}", order[1])
    return _run(conn, placed, sql + select_sql, params, dates=("start", "end"), lists=("kinds",))


def births(conn: Connection, placed: Placed, start: dt.date, end: dt.date) -> list:
    """Births: (col_id, sex, birth_order (3 = 3rd or later), place, mother_age_group, n)."""
    order = f"CAST({json_field_sql(conn, 'f.data', 'birth_order')} AS INTEGER)"
    year, md = _date_parts("f.event_date")
    return _flows(conn, placed, start, end, ["born"], f"""
SELECT f.area_id, c.sex, CASE WHEN {order} >= 3 THEN 3 ELSE {order} END AS birth_order,
       {json_field_sql(conn, 'f.data', 'place')} AS place, {_age(year, md)} / 5 * 5 AS mother_age_group,
       count(*) AS n
FROM flows f JOIN persons c ON c.id = f.person_id LEFT JOIN persons p ON p.id = c.mother_id
GROUP BY f.area_id, c.sex, 3, 4, 5""")


def deaths(conn: Connection, placed: Placed, start: dt.date, end: dt.date, open_from: int) -> list:
    """Deaths: (col_id, sex, age_group, infant (0/1), n), by completed age on the day of death."""
    year, md = _date_parts("f.event_date")
    age = _age(year, md)
    return _flows(conn, placed, start, end, ["died"], f"""
SELECT f.area_id, p.sex, {_group(age, open_from)} AS age_group, CASE WHEN {age} < 1 THEN 1 ELSE 0 END AS infant,
       count(*) AS n
FROM flows f JOIN persons p ON p.id = f.person_id
GROUP BY f.area_id, p.sex, 3, 4""")


COUNTED_KINDS = ("moved_in", "moved_out", "married", "divorced", "method_started", "method_stopped",
                 "pregnancy_ended", "household_created")


def event_counts(conn: Connection, placed: Placed, start: dt.date, end: dt.date) -> list:
    """Other events: (col_id, kind, key, n) — key: the method for contraception (prefixed ``switch:`` for a
    change of method), the outcome of a pregnancy; ``n`` is the number of persons (members of a household
    that moved in)."""
    j = json_field_sql
    key = (f"CASE WHEN f.kind = 'method_started' AND {j(conn, 'f.data', 'use_closed')} IS NOT NULL "
           f"THEN 'switch:' || {j(conn, 'f.data', 'method')} "
           f"WHEN f.kind IN ('method_started', 'method_stopped') THEN {j(conn, 'f.data', 'method')} "
           f"WHEN f.kind = 'pregnancy_ended' THEN {j(conn, 'f.data', 'outcome')} ELSE '' END")
    size = f"CASE WHEN f.kind = 'household_created' THEN {j(conn, 'f.data', 'members', array_length=True)} ELSE 1 END"
    return _flows(conn, placed, start, end, COUNTED_KINDS, f"""
SELECT f.area_id, f.kind, {key} AS key, sum({size}) AS n
FROM flows f GROUP BY f.area_id, f.kind, 3""")


DISTINCT_KINDS = ("prenatal_screened", "newborn_screened", "elderly_checked")


def persons_served(conn: Connection, placed: Placed, start: dt.date, end: dt.date) -> list:
    """Screenings and health checks: (col_id, kind, n), n = distinct persons (within each area, so that
    counts add up from areas to any unit)."""
    return _flows(conn, placed, start, end, DISTINCT_KINDS, """
SELECT area_id, kind, count(*) AS n
FROM (SELECT DISTINCT area_id, kind, person_id FROM flows) d GROUP BY area_id, kind""")
