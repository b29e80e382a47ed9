"""Set-based sampling of the register for the demo's stream of slips: who dies, marries, moves, starts a
method… in a month. Selection is a deterministic hash of the person id and a salt compared with a
probability by age (per 100,000), so the same seed gives the same stream on SQLite and PostgreSQL and no
person is loaded unless chosen."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Date, bindparam, text

HASH_MOD = 100_000
RESIDENT = ("1", "2", "4")

_AGE = ("(:year - p.birth_year - CASE WHEN p.birth_month IS NOT NULL AND "
        "p.birth_month * 100 + COALESCE(p.birth_day, 1) > :md THEN 1 ELSE 0 END)")


def _chance(rates: Sequence[tuple[int, int, int]]) -> str:
    """CASE over age bands → probability per 100,000 (``rates``: (age from, age to, per 100,000))."""
    parts = " ".join(f"WHEN age BETWEEN {int(lo)} AND {int(hi)} THEN {int(r)}" for lo, hi, r in rates)
    return f"CASE {parts} ELSE 0 END"


def sample_residents(conn: Connection, area_ids: Sequence[int], on: dt.date, salt: int,
                     rates: Sequence[tuple[int, int, int]], where: str = "") -> list[Any]:
    """Residents on ``on`` of these areas, chosen with the probability of their age band.

    Rows: person_id, household_id, area_id, sex, age, marital, relation, residence, ethnicity, full_name."""
    q = text(f"""
WITH r AS (
    SELECT p.id AS person_id, m.household_id, h.area_id, p.sex, {_AGE} AS age, p.marital, m.relation,
           m.residence, p.ethnicity, p.full_name
    FROM memberships m
    JOIN households h ON h.id = m.household_id
    JOIN persons p ON p.id = m.person_id
    WHERE m.valid_to IS NULL AND h.area_id IN :areas AND m.residence IN :resident AND p.death_date IS NULL
      AND m.valid_from <= :on {where}
)
SELECT * FROM r WHERE ((CAST(person_id AS BIGINT) * 7919 + :salt) * 104729) % {HASH_MOD} < {_chance(rates)}
ORDER BY person_id
""").bindparams(bindparam("areas", expanding=True), bindparam("resident", expanding=True),
                bindparam("on", type_=Date))
    return list(conn.execute(q, {"areas": list(area_ids), "resident": list(RESIDENT), "on": on, "salt": salt,
                                 "year": on.year, "md": on.month * 100 + on.day}))


def women_followup(conn: Connection, area_ids: Sequence[int], on: dt.date) -> list[Any]:
    """Married resident women 15–49 now: current method, open pregnancy (its start), children on record."""
    q = text(f"""
SELECT p.id AS person_id, m.household_id, h.area_id, {_AGE} AS age, m.relation, p.ethnicity,
       (SELECT c.method FROM contraceptive_uses c WHERE c.person_id = p.id AND c.end_date IS NULL) AS method,
       (SELECT g.start_date FROM pregnancies g WHERE g.person_id = p.id AND g.end_date IS NULL) AS pregnant_since,
       (SELECT count(*) FROM persons k WHERE k.mother_id = p.id) AS children,
       COALESCE((SELECT r.living_sons + r.living_daughters FROM reproductive_status r WHERE r.person_id = p.id), 0)
           AS living
FROM memberships m
JOIN households h ON h.id = m.household_id
JOIN persons p ON p.id = m.person_id
WHERE m.valid_to IS NULL AND h.area_id IN :areas AND m.residence IN :resident AND p.death_date IS NULL
  AND p.sex = '2' AND p.marital = '2' AND p.birth_year BETWEEN :oldest AND :youngest
ORDER BY p.id
""").bindparams(bindparam("areas", expanding=True), bindparam("resident", expanding=True))
    rows = conn.execute(q, {"areas": list(area_ids), "resident": list(RESIDENT), "year": on.year,
                            "md": on.month * 100 + on.day, "oldest": on.year - 50, "youngest": on.year - 15})
    return [r for r in rows if 15 <= r.age <= 49]


def newborns_unscreened(conn: Connection, area_ids: Sequence[int], start: dt.date, end: dt.date) -> list[Any]:
    """Children born between the dates in these areas with no newborn screening in the log."""
    q = text("""
SELECT p.id AS person_id, p.birth_year, p.birth_month, p.birth_day, h.area_id
FROM events e
JOIN persons p ON p.id = e.person_id
JOIN households h ON h.id = e.household_id
WHERE e.kind = 'born' AND e.reversed_by IS NULL AND e.event_date BETWEEN :start AND :end AND h.area_id IN :areas
  AND NOT EXISTS (SELECT 1 FROM events s WHERE s.kind = 'newborn_screened' AND s.person_id = p.id
                  AND s.reversed_by IS NULL)
ORDER BY p.id
""").bindparams(bindparam("areas", expanding=True), bindparam("start", type_=Date), bindparam("end", type_=Date))
    return list(conn.execute(q, {"areas": list(area_ids), "start": start, "end": end}))


def area_codes(conn: Connection, area_ids: Sequence[int]) -> dict[int, str]:
    q = text("SELECT id, code FROM units WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    return {r.id: r.code for r in conn.execute(q, {"ids": list(area_ids)})}


def household_surnames(conn: Connection, household_ids: Sequence[int]) -> dict[int, str]:
    """The family name of each household's head (a newborn usually takes the father's)."""
    if not household_ids:
        return {}
    q = text("""
SELECT m.household_id, p.full_name, p.sex, m.relation FROM memberships m JOIN persons p ON p.id = m.person_id
WHERE m.valid_to IS NULL AND m.household_id IN :ids AND m.relation IN ('01', '02', '03')
""").bindparams(bindparam("ids", expanding=True))
    out: dict[int, tuple[int, str]] = {}
    rank = {"01": 0, "02": 1, "03": 2}
    for r in conn.execute(q, {"ids": sorted(set(household_ids))}):
        score = rank[r.relation] if r.sex == "1" else 3 + rank[r.relation]
        if r.household_id not in out or score < out[r.household_id][0]:
            out[r.household_id] = (score, r.full_name.split(" ")[0])
    return {k: v[1] for k, v in out.items()}
