"""Use cases for administrative units: load the official lists, look units up, create villages and areas."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from danso.bootstrap import Context
from danso.domain import clock
from danso.domain.problems import InvalidInput, NotFound, Problem
from danso.domain.units import (
    CHILD_LEVEL,
    LEGACY_LAST_DAY,
    NATION_CODE,
    Level,
    Unit,
    area_code,
    village_code,
)
from danso.sources.admin_units import SOURCE_LEGACY, SOURCE_NEW, read_official_units
from danso.storage import units_repo
from danso.storage.tables import unit_links, units


@dataclass
class LoadReport:
    loaded: bool
    counts: dict[str, int] = field(default_factory=dict)


def load_official_units(ctx: Context) -> LoadReport:
    """Load the official units before and since 1 July 2025 with their lineage. Loading twice is harmless."""
    with ctx.engine.begin() as conn:
        already = units_repo.count_by_source_prefix(conn, "vietnamadminunits")
        if already:
            return LoadReport(False, _counts(conn))
        official = read_official_units()
        existing = {(r.unit.code, r.unit.level.value, r.unit.valid_from): r.id
                    for r in units_repo.find_by_code(conn, NATION_CODE, level=Level.NATION)}
        units_repo.insert_units(conn, official.units, official.links, official.lineage, existing)
        return LoadReport(True, _counts(conn))


def _counts(conn: Connection) -> dict[str, int]:
    out: dict[str, int] = {}
    for source, era in ((SOURCE_NEW, "mới"), (SOURCE_LEGACY, "cũ")):
        rows = conn.execute(select(units.c.level).where(units.c.source == source)).scalars()
        for level in rows:
            key = f"{level} ({era})"
            out[key] = out.get(key, 0) + 1
    return out


def resolve(conn: Connection, code: str, on: dt.date | None = None, level: Level | None = None,
            field: str = "unit") -> units_repo.UnitRow:
    """The unit with this code in force on ``on`` (today if not given); a clear error otherwise."""
    on = on or clock.today()
    rows = units_repo.find_by_code(conn, code, on, level)
    if len(rows) == 1:
        return rows[0]
    if not rows:
        versions = units_repo.find_by_code(conn, code, level=level)
        if versions:
            raise InvalidInput([Problem("unit.not_in_force", field, code, {
                "code": code, "on": on, "versions": [(v.unit.name, v.unit.valid_from, v.unit.valid_to)
                                                      for v in versions]})])
        raise InvalidInput([Problem("unit.unknown", field, code, {"code": code})])
    raise InvalidInput([Problem("unit.ambiguous", field, code,
                                {"code": code, "levels": [r.unit.level.label for r in rows]})])


@dataclass
class UnitView:
    id: int
    unit: Unit
    parents: list[tuple[Unit, dt.date | None, dt.date | None]]
    children: int
    successors: list[tuple[Unit, str, bool]]
    predecessors: list[tuple[Unit, str, bool]]


def show_unit(ctx: Context, code: str) -> list[UnitView]:
    """Every version of the unit with this code: its parents over time, children and lineage."""
    with ctx.engine.connect() as conn:
        rows = units_repo.find_by_code(conn, code)
        if not rows:
            raise NotFound("unit", code)
        out = []
        for r in rows:
            succ, pred = units_repo.lineage(conn, r.id)
            on = r.unit.valid_to or r.unit.valid_from or clock.today()
            out.append(UnitView(
                r.id, r.unit, [(p.unit, f, t) for p, f, t in units_repo.parents(conn, r.id)],
                len(units_repo.children(conn, r.id, on)),
                [(s.unit, k, d) for s, k, d in succ], [(p.unit, k, d) for p, k, d in pred]))
        return out


@dataclass
class TreeNode:
    unit: Unit
    children: list[TreeNode] = field(default_factory=list)
    child_count: int = 0  # children not expanded because of the depth limit


def unit_tree(ctx: Context, code: str, on: dt.date | None = None, depth: int = 1) -> tuple[TreeNode, list[Unit]]:
    """The unit in force on ``on`` and its descendants ``depth`` levels down; also its ancestors.
    Without a date: today, or the last day of a unit no longer in force."""
    with ctx.engine.connect() as conn:
        if on is None:
            versions = units_repo.find_by_code(conn, code)
            today = clock.today()
            on = today if not versions or any(v.unit.in_force(today) for v in versions) else max(
                (v.unit.valid_to for v in versions if v.unit.valid_to), default=today)
        root = resolve(conn, code, on)

        def build(row: units_repo.UnitRow, remaining: int) -> TreeNode:
            kids = units_repo.children(conn, row.id, on)
            if remaining <= 0:
                return TreeNode(row.unit, [], len(kids))
            return TreeNode(row.unit, [build(k, remaining - 1) for k in kids])

        return build(root, depth), [a.unit for a in units_repo.ancestors(conn, root.id, on)]


def add_village(ctx: Context, commune_code: str, name: str, kind: str = "Thôn",
                legacy_commune_code: str | None = None, on: dt.date | None = None) -> Unit:
    """Create a village or residential group (thôn / tổ dân phố) in a commune in force today (or ``on``).

    ``legacy_commune_code``: the commune (before 1 July 2025) the village belonged to, so that reports on
    earlier periods find it under the old three tiers.
    """
    on = on or clock.today()
    if not name.strip():
        raise InvalidInput([Problem("unit.name_missing", "name", commune_code)])
    with ctx.engine.begin() as conn:
        commune = resolve(conn, commune_code, on, Level.COMMUNE, field="commune")
        parents = [(commune.id, commune.unit.valid_from, commune.unit.valid_to)]
        if legacy_commune_code:
            legacy = resolve(conn, legacy_commune_code, LEGACY_LAST_DAY, Level.COMMUNE, field="legacy_commune")
            if commune.id not in [s.id for s, _kind, _default in units_repo.lineage(conn, legacy.id)[0]]:
                raise InvalidInput([Problem("unit.not_predecessor", "legacy_commune", legacy_commune_code, {
                    "code": legacy_commune_code, "name": legacy.unit.name, "commune": commune.unit.name,
                    "commune_code": commune.unit.code})])
            parents.append((legacy.id, None, LEGACY_LAST_DAY))
        code = village_code(commune.unit.code, _next_serial(conn, commune.id))
        unit = Unit(code, Level.VILLAGE, name.strip(), kind, None, None, "danso")
        units_repo.add_unit(conn, unit, parents)
        return unit


def add_area(ctx: Context, village: str, name: str) -> Unit:
    """Create a collaborator area (địa bàn CTV) in a village."""
    if not name.strip():
        raise InvalidInput([Problem("unit.name_missing", "name", village)])
    with ctx.engine.begin() as conn:
        rows = units_repo.find_by_code(conn, village, level=Level.VILLAGE)
        if not rows:
            raise InvalidInput([Problem("unit.unknown", "village", village, {"code": village})])
        v = rows[0]
        # an area hangs under its village only; the village carries the dated links to its commune(s)
        code = area_code(v.unit.code, _next_serial(conn, v.id))
        unit = Unit(code, CHILD_LEVEL[Level.VILLAGE], name.strip(), "Địa bàn", None, None, "danso")
        units_repo.add_unit(conn, unit, [(v.id, None, None)])
        return unit


def _next_serial(conn: Connection, parent_id: int) -> int:
    n = conn.execute(select(unit_links.c.child_id).where(unit_links.c.parent_id == parent_id)).all()
    return len(n) + 1
