"""Read side of the user-management page: pages of accounts filtered by role, status, login or name and the unit
their scope lies under; the units an account's scope can be chosen from."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Boolean, Connection, Date, DateTime, bindparam, text

from danso.domain.access import Role
from danso.domain.units import LEGACY_LAST_DAY
from danso.storage.units_repo import SUBTREE_SQL

_USERS_SQL = """
SELECT us.id, us.login, us.full_name, us.role, us.active, us.created_at, u.code AS scope_code,
       u.name AS scope_name, u.level AS scope_level
FROM users us LEFT JOIN units u ON u.id = us.scope_unit_id
WHERE 1 = 1 {filters}
"""


def users_page(conn: Connection, *, root_id: int | None, on: dt.date, role: str | None, text_lower: str | None,
               active: bool | None, offset: int, limit: int) -> tuple[list, int]:
    """Accounts (with their scope unit's code, name and level) ordered by role (in the order of
    danso.domain.access, collaborators first) and login; only those whose scope unit lies under ``root_id``
    (itself included; hierarchy of ``on``), of ``role``, whose login or lower-cased name contains
    ``text_lower``, active or not. Returns (rows of the page, total)."""
    filters, params = "", {"root": root_id, "on": on, "role": role, "text": f"%{text_lower}%", "active": active}
    if root_id is not None:
        filters += " AND us.scope_unit_id IN (SELECT id FROM subtree)"
    if role:
        filters += " AND us.role = :role"
    if text_lower:
        filters += " AND (us.login LIKE :text OR lower(us.full_name) LIKE :text)"
    if active is not None:
        filters += " AND us.active = :active"
    base = (SUBTREE_SQL if root_id is not None else "") + _USERS_SQL.format(filters=filters)
    used = {k: v for k, v in params.items() if f":{k}" in base}
    q = text(f"SELECT count(*) FROM ({base}) c")
    if "on" in used:
        q = q.bindparams(bindparam("on", type_=Date))
    total = conn.execute(q, used).scalar_one()
    rank = " ".join(f"WHEN '{r.value}' THEN {n}" for n, r in enumerate(Role))
    q = text(base + f" ORDER BY CASE us.role {rank} END, us.login LIMIT {int(limit)} OFFSET {int(offset)}")
    if "on" in used:
        q = q.bindparams(bindparam("on", type_=Date))
    rows = conn.execute(q.columns(created_at=DateTime(timezone=True), active=Boolean), used)
    return list(rows), total


_IN_FORCE_OR_LEGACY = """((u.valid_from IS NULL OR u.valid_from <= :on) AND (u.valid_to IS NULL OR u.valid_to >= :on)
    OR (u.level = 'district' AND u.valid_to = :legacy))"""


def units_of_levels(conn: Connection, levels: Sequence[str], on: dt.date, *, code_prefix: str | None = None,
                    limit: int | None = None) -> list:
    """Units of these levels in force on ``on`` (districts: those of the last day before the reform), optionally
    only those whose code starts with ``code_prefix``: (id, code, level, name) ordered by code."""
    sql = f"SELECT u.id, u.code, u.level, u.name FROM units u WHERE u.level IN :levels AND {_IN_FORCE_OR_LEGACY}"
    params: dict[str, object] = {"levels": list(levels), "on": on, "legacy": LEGACY_LAST_DAY}
    if code_prefix:
        sql += " AND u.code LIKE :prefix"
        params["prefix"] = code_prefix.replace("%", "").replace("_", "") + "%"
    sql += " ORDER BY u.code" + (f" LIMIT {int(limit)}" if limit else "")
    q = text(sql).bindparams(bindparam("levels", expanding=True), bindparam("on", type_=Date),
                             bindparam("legacy", type_=Date))
    return list(conn.execute(q, params))


def villages_and_areas(conn: Connection, commune_ids: Sequence[int], on: dt.date) -> list:
    """The villages of these communes and their collaborator areas on ``on``: (id, code, level, name,
    parent_name, commune_id) ordered by code."""
    if not commune_ids:
        return []
    q = text("""
WITH RECURSIVE below(id, parent_name, commune_id, depth) AS (
    SELECT c.id, CAST(NULL AS TEXT), c.id, 0 FROM units c WHERE c.id IN :communes
    UNION ALL
    SELECT l.child_id, p.name, b.commune_id, b.depth + 1
    FROM below b
    JOIN unit_links l ON l.parent_id = b.id
        AND (l.valid_from IS NULL OR l.valid_from <= :on) AND (l.valid_to IS NULL OR l.valid_to >= :on)
    JOIN units p ON p.id = b.id
    WHERE b.depth < 2
)
SELECT u.id, u.code, u.level, u.name, b.parent_name, b.commune_id
FROM below b JOIN units u ON u.id = b.id
WHERE b.depth > 0 AND u.level IN ('village', 'area')
ORDER BY u.code
""").bindparams(bindparam("communes", expanding=True), bindparam("on", type_=Date))
    return list(conn.execute(q, {"communes": list(commune_ids), "on": on}))


def communes_with_villages(conn: Connection, on: dt.date) -> set[int]:
    """Ids of the communes that have at least one village on ``on`` (those whose register is kept here)."""
    q = text("""
SELECT DISTINCT l.parent_id FROM unit_links l JOIN units v ON v.id = l.child_id AND v.level = 'village'
WHERE (l.valid_from IS NULL OR l.valid_from <= :on) AND (l.valid_to IS NULL OR l.valid_to >= :on)
""").bindparams(bindparam("on", type_=Date))
    return {r.parent_id for r in conn.execute(q, {"on": on})}


def subtree_ids(conn: Connection, root_id: int, on: dt.date) -> set[int]:
    """Ids of the unit and every unit under it on ``on``."""
    q = text(SUBTREE_SQL + "SELECT id FROM subtree").bindparams(bindparam("on", type_=Date))
    return {r.id for r in conn.execute(q, {"root": root_id, "on": on})}
