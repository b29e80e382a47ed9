"""Reading and writing administrative units, their dated links and lineage."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Date, Integer, and_, bindparam, func, insert, literal_column, or_, select, text

from danso.domain.units import Level, Lineage, Link, Unit
from danso.storage.dialects import bulk_insert, pieces
from danso.storage.tables import unit_lineage, unit_links, units

UNIT_COLUMNS = ("id", "code", "level", "name", "kind", "valid_from", "valid_to", "source")


@dataclass(frozen=True)
class UnitRow:
    id: int
    unit: Unit


def _to_unit(r) -> Unit:  # noqa: ANN001
    return Unit(r.code, Level(r.level), r.name, r.kind, r.valid_from, r.valid_to, r.source)


def _in_force(col_from, col_to, on: dt.date):  # noqa: ANN001, ANN202
    return and_(or_(col_from.is_(None), col_from <= on), or_(col_to.is_(None), col_to >= on))


def count_by_source_prefix(conn: Connection, prefix: str) -> int:
    return conn.execute(select(func.count()).select_from(units).where(units.c.source.like(f"{prefix}%"))).scalar_one()


def next_id(conn: Connection, table) -> int:  # noqa: ANN001
    return (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def insert_units(conn: Connection, new_units: list[Unit], links: Iterable[Link], lineage: Iterable[Lineage],
                 existing: dict[tuple[str, str, dt.date | None], int] | None = None) -> dict[Unit, int]:
    """Insert units with their links and lineage; ``existing`` maps (code, level, valid_from) of units
    already stored (e.g. the nation) to their ids."""
    start = next_id(conn, units)
    ids: dict[Unit, int] = {}
    rows = []
    existing = existing or {}
    for u in new_units:
        key = (u.code, u.level.value, u.valid_from)
        if key in existing:
            ids[u] = existing[key]
            continue
        ids[u] = start + len(rows)
        rows.append((ids[u], u.code, u.level.value, u.name, u.kind, u.valid_from, u.valid_to, u.source))
    bulk_insert(conn, units, UNIT_COLUMNS, rows)
    bulk_insert(conn, unit_links, ("child_id", "parent_id", "valid_from", "valid_to"),
                [(ids[ln.child], ids[ln.parent], ln.valid_from, ln.valid_to) for ln in links])
    bulk_insert(conn, unit_lineage, ("source_id", "target_id", "kind", "effective", "is_default"),
                [(ids[ln.source], ids[ln.target], ln.kind, ln.effective, ln.is_default) for ln in lineage])
    return ids


def add_unit(conn: Connection, unit: Unit, parents: list[tuple[int, dt.date | None, dt.date | None]]) -> int:
    uid = next_id(conn, units)
    conn.execute(insert(units).values(id=uid, code=unit.code, level=unit.level.value, name=unit.name,
                                      kind=unit.kind, valid_from=unit.valid_from, valid_to=unit.valid_to,
                                      source=unit.source))
    for parent_id, valid_from, valid_to in parents:
        conn.execute(insert(unit_links).values(child_id=uid, parent_id=parent_id, valid_from=valid_from,
                                               valid_to=valid_to))
    return uid


def find_by_code(conn: Connection, code: str, on: dt.date | None = None,
                 level: Level | None = None) -> list[UnitRow]:
    """All versions of the unit with this code (every level), or only the one(s) in force on ``on``."""
    q = select(units).where(units.c.code == code)
    if on is not None:
        q = q.where(_in_force(units.c.valid_from, units.c.valid_to, on))
    if level is not None:
        q = q.where(units.c.level == level.value)
    q = q.order_by(units.c.valid_from.is_(None).desc(), units.c.valid_from)
    return [UnitRow(r.id, _to_unit(r)) for r in conn.execute(q)]


def get(conn: Connection, unit_id: int) -> Unit:
    return _to_unit(conn.execute(select(units).where(units.c.id == unit_id)).one())


def parents(conn: Connection, unit_id: int) -> list[tuple[UnitRow, dt.date | None, dt.date | None]]:
    q = (select(units, unit_links.c.valid_from.label("link_from"), unit_links.c.valid_to.label("link_to"))
         .join(unit_links, unit_links.c.parent_id == units.c.id).where(unit_links.c.child_id == unit_id)
         .order_by(unit_links.c.valid_from.is_(None).desc(), unit_links.c.valid_from))
    return [(UnitRow(r.id, _to_unit(r)), r.link_from, r.link_to) for r in conn.execute(q)]


def children(conn: Connection, unit_id: int, on: dt.date | None) -> list[UnitRow]:
    q = (select(units).join(unit_links, unit_links.c.child_id == units.c.id)
         .where(unit_links.c.parent_id == unit_id).order_by(units.c.code))
    if on is not None:
        q = q.where(_in_force(unit_links.c.valid_from, unit_links.c.valid_to, on))
    return [UnitRow(r.id, _to_unit(r)) for r in conn.execute(q)]


def lineage(conn: Connection, unit_id: int) -> tuple[list[tuple[UnitRow, str, bool]], list[tuple[UnitRow, str, bool]]]:
    """(successors, predecessors) of a unit, each as (unit, kind, is_default)."""
    cols = (unit_lineage.c.kind.label("lineage_kind"), unit_lineage.c.is_default)
    succ = conn.execute(select(units, *cols)
                        .join(unit_lineage, unit_lineage.c.target_id == units.c.id)
                        .where(unit_lineage.c.source_id == unit_id).order_by(units.c.code))
    pred = conn.execute(select(units, *cols)
                        .join(unit_lineage, unit_lineage.c.source_id == units.c.id)
                        .where(unit_lineage.c.target_id == unit_id).order_by(units.c.code))
    return ([(UnitRow(r.id, _to_unit(r)), r.lineage_kind, r.is_default) for r in succ],
            [(UnitRow(r.id, _to_unit(r)), r.lineage_kind, r.is_default) for r in pred])


SUBTREE_SQL = """
WITH RECURSIVE subtree(id, level, commune_id) AS (
    SELECT u.id, u.level, CASE WHEN u.level = 'commune' THEN u.id END
    FROM units u WHERE u.id = :root
    UNION ALL
    SELECT c.id, c.level, CASE WHEN c.level = 'commune' THEN c.id ELSE s.commune_id END
    FROM subtree s
    JOIN unit_links l ON l.parent_id = s.id
        AND (l.valid_from IS NULL OR l.valid_from <= :on) AND (l.valid_to IS NULL OR l.valid_to >= :on)
    JOIN units c ON c.id = l.child_id
)
"""
"""Every unit under :root on date :on, with the commune each belongs to (NULL above commune level)."""

_LEVEL = re.compile(r"^[a-z_]+$")


def with_subtree(conn: Connection, sql: str, root_id: int, on: dt.date) -> str:
    """``sql`` (which starts with ``SUBTREE_SQL``) with the units under the root written into it as a list of
    values: the recursion over the units is run first, alone. Given the recursive query, SQLite cannot tell
    how many units it yields and prepares for a province — it built Bloom filters over every membership and
    person of the register (0.4 s) to count an area's 1,400 residents; given the list it goes through the
    indexes (2 ms). PostgreSQL plans a list of values by its length."""
    rows = conn.execute(text(SUBTREE_SQL + "SELECT id, level, commune_id FROM subtree ORDER BY id").bindparams(
        bindparam("on", type_=Date)), {"root": root_id, "on": on}).all()
    values = ", ".join(f"({int(i)}, '{_checked_level(level)}', "
                       f"{'CAST(NULL AS INTEGER)' if c is None else int(c)})" for i, level, c in rows)
    listed = (f"VALUES {values}" if rows else
              "SELECT CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR(20)), CAST(NULL AS INTEGER) WHERE 1 = 0")
    return sql.replace(SUBTREE_SQL, f"\nWITH RECURSIVE subtree(id, level, commune_id) AS ({listed})\n", 1)


def _checked_level(level: str) -> str:
    if not _LEVEL.match(level):
        raise ValueError(f"unexpected unit level {level!r}")
    return level


def areas_under(conn: Connection, root_id: int, on: dt.date) -> list[tuple[int, int | None]]:
    """(area id, commune id) of every collaborator area under the unit on that date."""
    q = text(SUBTREE_SQL + "SELECT id, commune_id FROM subtree WHERE level = 'area'").bindparams(
        bindparam("on", type_=Date))
    return [(r.id, r.commune_id) for r in conn.execute(q, {"root": root_id, "on": on})]


def _ancestors_query():  # noqa: ANN202
    """Each unit of :ids with its chain of parents along the links in force on :on, nearest first, at most one
    per level of units: the parent is the lowest id, should two links of a unit be in force on the same day."""
    link = unit_links.alias("l")
    up = select(units.c.id.label("start_id"), units.c.id.label("id"), literal_column("0", Integer).label("depth")).where(
        units.c.id.in_(bindparam("ids", expanding=True))).cte("up", recursive=True)
    on = bindparam("on", type_=Date)
    parent = (select(func.min(link.c.parent_id))
              .where(link.c.child_id == up.c.id, _in_force(link.c.valid_from, link.c.valid_to, on))
              .correlate(up).scalar_subquery())
    up = up.union_all(select(up.c.start_id, parent, up.c.depth + 1)
                      .where(up.c.id.is_not(None), up.c.depth < len(Level)))
    return (select(up.c.start_id, units).join(units, units.c.id == up.c.id).where(up.c.depth > 0)
            .order_by(up.c.start_id, up.c.depth))


_ANCESTORS = _ancestors_query()


def ancestors_of(conn: Connection, unit_ids: Iterable[int], on: dt.date) -> dict[int, list[UnitRow]]:
    """For each unit, its ancestors from its parent up to the nation along the links in force on ``on`` (one
    statement for all the units; a unit without a parent, or unknown, has none)."""
    ids = sorted(set(unit_ids))
    out: dict[int, list[UnitRow]] = {i: [] for i in ids}
    if not ids:
        return out
    for part in pieces(ids):
        for r in conn.execute(_ANCESTORS, {"ids": list(part), "on": on}):
            out[r.start_id].append(UnitRow(r.id, _to_unit(r)))
    return out


def ancestors(conn: Connection, unit_id: int, on: dt.date) -> list[UnitRow]:
    """From the unit's parent up to the nation, along the links in force on ``on``."""
    return ancestors_of(conn, [unit_id], on)[unit_id]
