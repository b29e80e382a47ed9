"""The register as a signed-in user sees it: every read and write of the web application and the API goes
through here, and is checked against the user's role and scope (danso.domain.access) before the underlying
service (danso.services.registry / units) runs.

A record outside the user's scope is reported as :class:`NotFound`, exactly as a record that does not exist,
so that typing another commune's household id reveals nothing. A role without the permission gets
:class:`AccessDenied`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Connection

from danso.bootstrap import Context
from danso.domain import clock
from danso.domain.access import Permission, Principal, require
from danso.domain.problems import InvalidInput, NotFound, Problem
from danso.domain.units import Level, Unit
from danso.domain.vntext import fold
from danso.services import registry, units
from danso.services.accounts import audit
from danso.services.figures_cache import cached
from danso.storage import household_lists, registry_repo, units_repo

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
Row = TypeVar("Row")


def unit_in_scope(conn: Connection, principal: Principal, unit_id: int) -> bool:
    """Whether the unit lies under the principal's scope unit (itself included)."""
    return unit_id in units_in_scope(conn, principal, [unit_id])


def units_in_scope(conn: Connection, principal: Principal, unit_ids: Iterable[int]) -> set[int]:
    """Those of the units that lie under the principal's scope unit (itself included): one statement for all."""
    ids = set(unit_ids)
    if principal.nationwide:
        return ids
    inside = {i for i in ids if i == principal.scope_unit_id}
    on = principal.hierarchy_date(clock.today())
    chains = units_repo.ancestors_of(conn, ids - inside, on)
    return inside | {i for i, chain in chains.items() if principal.covers({a.id for a in chain})}


def _scoped_unit(conn: Connection, principal: Principal, code: str) -> units_repo.UnitRow:
    """The unit with this code (in force on the principal's hierarchy date) if it is in scope."""
    rows = units_repo.find_by_code(conn, code, principal.hierarchy_date(clock.today()))
    if len(rows) != 1 or not unit_in_scope(conn, principal, rows[0].id):
        raise NotFound("unit", code)
    return rows[0]


def check_household(conn: Connection, principal: Principal, household_id: int):  # noqa: ANN201
    require(principal, Permission.READ_REGISTER)
    h = registry_repo.household(conn, household_id)
    if h is None or not unit_in_scope(conn, principal, h.area_id):
        raise NotFound("household", household_id)
    return h


def household_sheet(ctx: Context, principal: Principal, household_id: int, *, export: bool = False,
                    ip: str = "") -> registry.HouseholdSheet:
    """The Sổ A0 page of a household in the user's scope. ``export``: the page leaves the system (print
    view, API): recorded in the audit trail."""
    with ctx.engine.begin() as conn:
        check_household(conn, principal, household_id)
        if export:
            audit(conn, principal.login, "export.household", f"household:{household_id}", ip=ip)
    return registry.household_sheet(ctx, household_id)


@dataclass
class Page(Generic[Row]):
    """One page of a list: its rows, the number of rows of the whole list, the page's number and size."""
    rows: list[Row]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def page_problems(page: int, page_size: int) -> list[Problem]:
    out = []
    if page < 1 or page > 100_000:
        out.append(Problem("page.invalid", "page", "", {"value": page, "min": 1, "max": 100_000}))
    if page_size < 1 or page_size > MAX_PAGE_SIZE:
        out.append(Problem("page.invalid", "page_size", "", {"value": page_size, "min": 1, "max": MAX_PAGE_SIZE}))
    return out


def list_households(ctx: Context, principal: Principal, *, unit_code: str | None = None, text: str = "",
                    page: int = 1, page_size: int = PAGE_SIZE, export: bool = False, ip: str = "") -> Page:
    """Households in the user's scope (or in ``unit_code``, a village or area within it), optionally those
    whose number is ``text`` or with a current member whose name contains ``text`` (diacritics ignored)."""
    require(principal, Permission.READ_REGISTER)
    problems = page_problems(page, page_size)
    if problems:
        raise InvalidInput(problems)
    text = text.strip()
    number = text if text and text.replace(".", "").isdigit() else None
    name = fold(text) if text and number is None else None
    with ctx.engine.begin() as conn:
        root_id = _root_id(conn, principal, unit_code)
        rows, total = household_lists.households_under(
            conn, root_id, principal.hierarchy_date(clock.today()), number=number, name_folded=name,
            offset=(page - 1) * page_size, limit=page_size)
        if export:
            audit(conn, principal.login, "export.households", f"unit:{unit_code or principal.scope_code}", ip=ip,
                  detail=f"page={page} rows={len(rows)}")
    return Page(rows, total, page, page_size)


def _root_id(conn: Connection, principal: Principal, unit_code: str | None) -> int:
    if unit_code:
        return _scoped_unit(conn, principal, unit_code).id
    if principal.scope_unit_id is not None:
        return principal.scope_unit_id
    return units_repo.find_by_code(conn, "VN", level=Level.NATION)[0].id


def search_persons(ctx: Context, principal: Principal, query: str, *, export: bool = False,
                   ip: str = "") -> list[registry.PersonHit]:
    """Persons in the user's scope found by name (diacritics ignored), CCCD or BHYT number."""
    require(principal, Permission.READ_REGISTER)
    in_force = principal.scope_last_day is None or principal.scope_last_day >= clock.today()
    unit_code = principal.scope_code if not principal.nationwide and in_force else None
    hits = registry.search_persons(ctx, query, unit_code=unit_code)
    with ctx.engine.begin() as conn:
        # defence in depth, and the only filter for a scope no longer in force (a legacy district)
        area_ids: dict[str, int] = {}
        for code in sorted({h.area_code for h in hits if h.area_code is not None}):
            row = units_repo.find_by_code(conn, code, level=Level.AREA)
            if row:
                area_ids[code] = row[0].id
        inside = units_in_scope(conn, principal, area_ids.values())
        kept = [h for h in hits if (principal.nationwide if h.area_code is None
                                    else area_ids.get(h.area_code) in inside)]
        if export:
            audit(conn, principal.login, "export.persons", ip=ip, detail=f"rows={len(kept)}")
    return kept


def person(ctx: Context, principal: Principal, person_id: int, *, ip: str = "") -> registry.PersonHit:
    """One person in the user's scope, with their current household (an export: audited)."""
    require(principal, Permission.READ_REGISTER)
    with ctx.engine.begin() as conn:
        rows = registry_repo.persons_with_household(conn, [person_id])
        if not rows:
            raise NotFound("person", person_id)
        r = rows[0]
        visible = principal.nationwide if r.area_id is None else unit_in_scope(conn, principal, r.area_id)
        if not visible:
            raise NotFound("person", person_id)
        audit(conn, principal.login, "export.person", f"person:{person_id}", ip=ip)
    birth = (f"{r.birth_day:02d}/{r.birth_month:02d}/{r.birth_year}" if r.birth_month and r.birth_day
             else str(r.birth_year))
    return registry.PersonHit(r.id, r.full_name, r.sex, birth, r.cccd, r.bhyt, r.household_id,
                              r.household_number, r.area_code)


@dataclass
class UnitPage:
    unit: Unit
    ancestors: list[Unit]  # only those within the user's scope, nearest last
    children: list[Unit]
    on: dt.date


def unit_page(ctx: Context, principal: Principal, code: str | None = None) -> UnitPage:
    """A unit in the user's scope (default: the scope unit itself) with its children, for drill-down."""
    with ctx.engine.connect() as conn:
        on = principal.hierarchy_date(clock.today())
        row = _scoped_unit(conn, principal, code) if code else _scoped_unit(conn, principal, principal.scope_code)
        chain = units_repo.ancestors(conn, row.id, on)
        # an ancestor is in scope when it is the scope unit or lies below it: those before the scope unit
        ids = [a.id for a in chain]
        within = len(chain) if principal.nationwide else (
            ids.index(principal.scope_unit_id) + 1 if principal.scope_unit_id in ids else 0)
        ancestors = chain[:within]
        children = [c.unit for c in units_repo.children(conn, row.id, on)]
        return UnitPage(row.unit, [a.unit for a in reversed(ancestors)], children, on)


def unit_summary(ctx: Context, principal: Principal, code: str | None = None) -> registry.Summary:
    """Households and population of a unit in the user's scope (default: the scope unit), on the day of its
    hierarchy (today; a legacy district: its last day)."""
    require(principal, Permission.VIEW_STATISTICS)
    with ctx.engine.connect() as conn:
        row = _scoped_unit(conn, principal, code or principal.scope_code)
    on = principal.hierarchy_date(clock.today())
    # kept while the register has not changed (danso.services.figures_cache), after the scope check
    return cached(ctx, ("summary", row.unit.code, on), lambda: registry.summary(ctx, row.unit.code, on), as_of=on)


def add_village(ctx: Context, principal: Principal, commune_code: str, name: str, kind: str = "Thôn", *,
                ip: str = "") -> Unit:
    """Create a village in a commune of the user's scope (commune officers, administrators)."""
    require(principal, Permission.MANAGE_UNITS)
    with ctx.engine.connect() as conn:
        row = _scoped_unit(conn, principal, commune_code)
        if row.unit.level != Level.COMMUNE:
            raise InvalidInput([Problem("unit.unknown", "commune", commune_code, {"code": commune_code})])
    unit = units.add_village(ctx, commune_code, name, kind)
    # services.units opens its own transaction: the audit row follows in the next one
    with ctx.engine.begin() as conn:
        audit(conn, principal.login, "unit.add_village", f"unit:{unit.code}", ip=ip, detail=name.strip())
    return unit


def add_area(ctx: Context, principal: Principal, village_code: str, name: str, *, ip: str = "") -> Unit:
    """Create a collaborator area in a village of the user's scope."""
    require(principal, Permission.MANAGE_UNITS)
    with ctx.engine.connect() as conn:
        row = _scoped_unit(conn, principal, village_code)
        if row.unit.level != Level.VILLAGE:
            raise InvalidInput([Problem("unit.unknown", "village", village_code, {"code": village_code})])
    unit = units.add_area(ctx, village_code, name)
    with ctx.engine.begin() as conn:
        audit(conn, principal.login, "unit.add_area", f"unit:{unit.code}", ip=ip, detail=name.strip())
    return unit


def unit_tree(ctx: Context, principal: Principal, code: str | None = None, depth: int = 2) -> units.TreeNode:
    """A unit in the user's scope and its descendants ``depth`` levels down (villages and their areas)."""
    with ctx.engine.connect() as conn:
        row = _scoped_unit(conn, principal, code or principal.scope_code)
    node, _ancestors = units.unit_tree(ctx, row.unit.code, principal.hierarchy_date(clock.today()), depth)
    return node
