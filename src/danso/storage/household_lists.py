"""Read side: pages of households under a unit (the collaborator's list, the commune's search)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Date, bindparam, text

from danso.storage.units_repo import SUBTREE_SQL, with_subtree

_HOUSEHOLDS_SQL = SUBTREE_SQL + """
, listed AS (
    SELECT h.id, h.number, h.kind, h.house_no, h.street, h.hamlet, h.area_id, a.code AS area_code,
           a.name AS area_name
    FROM subtree s
    JOIN households h ON h.area_id = s.id AND h.status = 'active'
    JOIN units a ON a.id = h.area_id
    WHERE s.level = 'area' {filters}
)
"""

_MEMBER_NAME_SQL = ("EXISTS (SELECT 1 FROM memberships fm JOIN persons fp ON fp.id = fm.person_id "
                    "WHERE fm.household_id = h.id AND fm.valid_to IS NULL AND fp.name_folded LIKE :name)")


def households_under_sql(number: str | None, name_folded: str | None):  # noqa: ANN201
    filters = ""
    if number:
        filters += " AND h.number = :number"
    if name_folded:
        filters += " AND " + _MEMBER_NAME_SQL
    return _HOUSEHOLDS_SQL.format(filters=filters)


def households_under(conn: Connection, root_id: int, on: dt.date, *, number: str | None = None,
                     name_folded: str | None = None, offset: int = 0, limit: int = 50) -> tuple[list, int]:
    """Active households of the areas under ``root_id`` (hierarchy of ``on``), with their head's name and
    number of current members; optionally only household ``number`` or those with a current member whose
    folded name contains ``name_folded``. Returns (rows of the page, total)."""
    params = {"root": root_id, "on": on, "number": number, "name": f"%{name_folded}%"}
    base = with_subtree(conn, households_under_sql(number, name_folded), root_id, on)
    dated = [bindparam("on", type_=Date)] if ":on" in base else []
    total = conn.execute(text(base + "SELECT count(*) FROM listed").bindparams(*dated), params).scalar_one()
    # The page is cut first, so that the head's name and the member count are looked up for its rows only.
    # LIMIT/OFFSET are written as integers, not bound: with bound values SQLite runs the subqueries for every
    # household before cutting the page (0.9 s instead of 40 ms for 400 households).
    q = text(base + f"""
, page AS (
    SELECT * FROM listed ORDER BY area_code, length(number), number, id LIMIT {int(limit)} OFFSET {int(offset)}
)
SELECT l.*,
       (SELECT p.full_name FROM memberships m JOIN persons p ON p.id = m.person_id
        WHERE m.household_id = l.id AND m.valid_to IS NULL AND m.relation = '01' ORDER BY p.id LIMIT 1) AS head_name,
       (SELECT count(*) FROM memberships m WHERE m.household_id = l.id AND m.valid_to IS NULL) AS members
FROM page l
ORDER BY l.area_code, length(l.number), l.number, l.id
""").bindparams(*dated)
    return list(conn.execute(q, params)), total
