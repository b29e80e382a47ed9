"""Reminders (nhắc việc) as a signed-in user sees them: a collaborator's areas, or a commune officer's commune
(optionally one village or area of it), checked against the user's role and scope (danso.services.scope: a unit
outside the scope is not found). The rules are danso.domain.reminders; the lists danso.storage.reminders_repo.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from danso.bootstrap import Context
from danso.domain import clock
from danso.domain.access import AccessDenied, Permission, Principal, require
from danso.domain.ages import age_on
from danso.domain.problems import InvalidInput, NotFound, Problem
from danso.domain.reminders import (
    CONTRACEPTION,
    ELDERLY,
    NEWBORN,
    PRENATAL,
    REMINDERS,
    Due,
    Reminder,
    contraception_due,
    elderly_due,
    newborn_due,
    prenatal_due,
    reason,
    thresholds,
)
from danso.domain.units import Level, Unit
from danso.services.scope import unit_in_scope
from danso.storage import reminders_repo, units_repo

FOLLOW_UP_LEVELS = frozenset({Level.COMMUNE, Level.VILLAGE, Level.AREA})
"""Reminders are the round of a commune's collaborators: for users whose scope is a commune or smaller."""
PREVIEW = 20  # persons of each kind on the overview
PAGE_SIZE = 100  # persons of one kind per page


@dataclass(frozen=True)
class Item:
    """One person due for a follow-up."""

    person_id: int
    full_name: str
    household_id: int
    household_number: str
    area_code: str
    area_name: str
    village_name: str
    due: Due
    reason: str


@dataclass(frozen=True)
class Group:
    reminder: Reminder
    total: int
    items: list[Item]


@dataclass(frozen=True)
class Reminders:
    unit: Unit  # the unit whose areas are listed
    on: dt.date
    groups: list[Group]
    page: int = 1
    page_size: int = PREVIEW

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


def _root(conn, principal: Principal, unit_code: str | None, today: dt.date) -> units_repo.UnitRow:  # noqa: ANN001
    require(principal, Permission.ENTER_SLIPS)
    if principal.nationwide or principal.scope_level not in FOLLOW_UP_LEVELS:
        raise AccessDenied(Permission.ENTER_SLIPS)
    code = unit_code or principal.scope_code
    rows = units_repo.find_by_code(conn, code, today)
    rows = [r for r in rows if r.unit.level in FOLLOW_UP_LEVELS]
    if len(rows) != 1 or not unit_in_scope(conn, principal, rows[0].id):
        raise NotFound("unit", code)
    return rows[0]


def _item(r, code: str, today: dt.date) -> Item:  # noqa: ANN001
    since = _date(r.since)
    age = None
    if code == CONTRACEPTION:
        due = contraception_due(r.method, since, today)
        assert due is not None, (r.person_id, r.method, since)  # the query applies the same rule
    elif code == PRENATAL:
        due = prenatal_due(since, today)
    elif code == NEWBORN:
        due = newborn_due(dt.date(r.birth_year, r.birth_month, r.birth_day), today)
    else:
        due = elderly_due(r.birth_year, r.birth_month, r.birth_day, since, today)
        age = age_on(r.birth_year, r.birth_month, r.birth_day, today)
    return Item(r.person_id, r.full_name, r.household_id, r.household_number, r.area_code, r.area_name,
                r.village_name or "", due, reason(due, age=age))


def _date(value: object) -> dt.date | None:
    """SQLite hands back dates computed by an aggregate (max) as ISO text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


def list_reminders(ctx: Context, principal: Principal, *, unit_code: str | None = None, kind: str | None = None,
                   page: int = 1, today: dt.date | None = None) -> Reminders:
    """Persons due for a follow-up in the user's areas (or in ``unit_code``, a village or area within them).
    Without ``kind``: every kind with its count and its first persons; with ``kind``: one page of that kind.

    Example: ``list_reminders(ctx, ctv, kind="elderly", page=2)``"""
    today = today or clock.today()
    if kind is not None and kind not in REMINDERS:
        raise NotFound("reminder", kind)
    if not 1 <= page <= 100_000:
        raise InvalidInput([Problem("page.invalid", "page", "", {"value": page, "min": 1, "max": 100_000})])
    t = thresholds(today)
    kinds = [kind] if kind else list(REMINDERS)
    size = PAGE_SIZE if kind else PREVIEW
    with ctx.engine.connect() as conn:
        root = _root(conn, principal, unit_code, today)
        totals = reminders_repo.counts(conn, root.id, kinds, t)
        groups = []
        for k in kinds:
            rows = reminders_repo.page(conn, root.id, k, t, offset=(page - 1) * size, limit=size) if totals[k] else []
            groups.append(Group(REMINDERS[k], totals[k], [_item(r, k, today) for r in rows]))
    return Reminders(root.unit, today, groups, page, size)


def count_reminders(ctx: Context, principal: Principal, *, today: dt.date | None = None) -> dict[str, int]:
    """How many persons each kind lists in the user's whole scope (one statement: cheap enough for a home page)."""
    today = today or clock.today()
    with ctx.engine.connect() as conn:
        root = _root(conn, principal, None, today)
        return reminders_repo.counts(conn, root.id, list(REMINDERS), thresholds(today))


__all__ = ["CONTRACEPTION", "ELDERLY", "NEWBORN", "PRENATAL", "Group", "Item", "Reminders", "count_reminders",
           "list_reminders"]
