"""Accounts as a signed-in manager handles them (the web page /users): list, create, disable and enable, reset
passwords — each checked against the manager's role (``Permission.MANAGE_USERS``) and scope before
danso.services.accounts runs and audits it with the manager's login and address.

Administrators are nationwide and manage every account. A manager with a scope unit (a province officer, should
danso.domain.access grant her the permission) manages only accounts whose scope unit lies under hers (along the
hierarchy in force today), never nationwide accounts: the others are not found, exactly as missing ones.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Connection

from danso.bootstrap import Context
from danso.domain import clock
from danso.domain.access import SCOPE_LEVELS, Permission, Principal, Role, require
from danso.domain.problems import InvalidInput, NotFound, Problem
from danso.domain.units import Level
from danso.domain.vntext import fold
from danso.services import accounts
from danso.services.accounts import UserView
from danso.services.scope import Page, page_problems, unit_in_scope
from danso.storage import accounts_repo, units_repo, user_lists

PAGE_SIZE = 50
CHOICES = 20  # units offered by a search
COMMUNES_EXPANDED = 5  # communes whose villages and areas a collaborator's search lists


@dataclass(frozen=True)
class UnitChoice:
    """A unit an account's scope can be set to, with where it lies (a village's commune, an area's village)."""

    code: str
    name: str
    level: Level
    context: str = ""


def _manages(conn: Connection, principal: Principal, unit_id: int | None) -> bool:
    """Whether the manager may manage an account whose scope unit is ``unit_id`` (None: nationwide)."""
    if principal.nationwide:
        return True
    return unit_id is not None and unit_in_scope(conn, principal, unit_id)


def _target(conn: Connection, principal: Principal, user_id: int):  # noqa: ANN202
    require(principal, Permission.MANAGE_USERS)
    row = accounts_repo.user_by_id(conn, user_id)
    if row is None or not _manages(conn, principal, row.scope_unit_id):
        raise NotFound("user", user_id)
    return row


def _view(row) -> UserView:  # noqa: ANN001
    return UserView(row.id, row.login, row.full_name, Role(row.role), row.scope_code, row.scope_name,
                    bool(row.active), _aware(row.created_at))


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _unit_version(conn: Connection, code: str, levels: frozenset[Level] = frozenset()) -> units_repo.UnitRow | None:
    """The unit a code names (of ``levels`` if any has it): the version in force today, else the latest (a legacy
    district) — the choice danso.services.accounts makes for a new account's scope."""
    rows = units_repo.find_by_code(conn, code)
    rows = [r for r in rows if r.unit.level in levels] or rows
    return next((r for r in rows if r.unit.in_force(clock.today())), rows[-1]) if rows else None


def list_users(ctx: Context, principal: Principal, *, role: str = "", unit_code: str = "", text: str = "",
               active: bool | None = None, page: int = 1, page_size: int = PAGE_SIZE) -> Page[UserView]:
    """Accounts the manager manages, by role and login: only ``role``, only those whose scope lies under
    ``unit_code``, whose login or name contains ``text``, active or disabled."""
    require(principal, Permission.MANAGE_USERS)
    problems = page_problems(page, page_size)
    if role and role not in Role.__members__.values():
        problems.append(Problem("user.role_unknown", "role", "", {"value": role,
                                                                  "roles": ", ".join(r.value for r in Role)}))
    if problems:
        raise InvalidInput(problems)
    with ctx.engine.connect() as conn:
        root_id, on = principal.scope_unit_id, principal.hierarchy_date(clock.today())
        if unit_code.strip():
            unit = _unit_version(conn, unit_code.strip())
            if unit is None or not _manages(conn, principal, unit.id):
                raise NotFound("unit", unit_code.strip())
            root_id = unit.id
            on = clock.today() if unit.unit.in_force(clock.today()) else unit.unit.valid_to
        rows, total = user_lists.users_page(conn, root_id=root_id, on=on, role=role or None,
                                            text_lower=text.strip().lower() or None, active=active,
                                            offset=(page - 1) * page_size, limit=page_size)
    return Page([_view(r) for r in rows], total, page, page_size)


def get_user(ctx: Context, principal: Principal, user_id: int) -> UserView:
    with ctx.engine.connect() as conn:
        return _view(_target(conn, principal, user_id))


def create_user(ctx: Context, principal: Principal, *, login: str, full_name: str, role: str, unit_code: str,
                password: str = "", ip: str = "") -> tuple[UserView, str | None]:
    """Create an account in the manager's scope. Without ``password`` a random one is made: it is returned, to be
    shown once (None when the manager typed one). Raises InvalidInput with every problem; nothing written."""
    require(principal, Permission.MANAGE_USERS)
    unit_code = unit_code.strip()
    if not principal.nationwide:
        problems = []
        if role in Role.__members__.values() and not SCOPE_LEVELS[Role(role)]:
            problems.append(Problem("user.outside_scope", "role", login, {"scope": principal.scope_name}))
        levels = SCOPE_LEVELS[Role(role)] if role in Role.__members__.values() else frozenset()
        with ctx.engine.connect() as conn:
            unit = _unit_version(conn, unit_code, levels) if unit_code else None
            if unit_code and (unit is None or not _manages(conn, principal, unit.id)):
                problems.append(Problem("unit.unknown", "unit", login, {"code": unit_code}))
        if problems:
            raise InvalidInput(problems)
    generated = None if password else accounts.generate_password()
    view = accounts.create_user(ctx, login, full_name, role, unit_code or None, password or generated or "",
                                actor=principal.login, ip=ip)
    return view, generated


def set_active(ctx: Context, principal: Principal, user_id: int, active: bool, *, ip: str = "") -> UserView:
    """Disable an account (its sessions end, its API tokens are revoked) or enable it again."""
    with ctx.engine.connect() as conn:
        row = _target(conn, principal, user_id)
    if not active and row.id == principal.user_id:
        raise InvalidInput([Problem("user.self_disable", "login", "")])
    (accounts.enable_user if active else accounts.disable_user)(ctx, row.login, actor=principal.login, ip=ip)
    return get_user(ctx, principal, user_id)


def reset_password(ctx: Context, principal: Principal, user_id: int, password: str = "", *,
                   ip: str = "") -> tuple[UserView, str | None]:
    """Set a new password (typed, or random and returned to be shown once); the account is enabled again and its
    open sessions end."""
    with ctx.engine.connect() as conn:
        row = _target(conn, principal, user_id)
    generated = None if password else accounts.generate_password()
    accounts.reset_password(ctx, row.login, password or generated or "", actor=principal.login, ip=ip)
    return get_user(ctx, principal, user_id), generated


def _words_match(tokens: list[str], name: str) -> bool:
    """Whether every token starts a word of the name, diacritics ignored (``hai phong`` finds Hải Phòng, not
    Thái Nguyên)."""
    words = fold(name).split()
    return all(any(w.startswith(t) for w in words) for t in tokens)


_CODE = re.compile(r"^[0-9A-Za-z]+(-[0-9A-Za-z]*)*$")


def unit_choices(ctx: Context, principal: Principal, role: str, query: str) -> list[UnitChoice]:
    """Units the scope of an account of ``role`` may be set to, found by the start of their code or by their name
    (diacritics ignored); for a collaborator, the villages and areas of the communes found."""
    require(principal, Permission.MANAGE_USERS)
    levels = SCOPE_LEVELS.get(Role(role)) if role in Role.__members__.values() else None
    query = query.strip()[:60]
    if not levels or not query:
        return []
    today = clock.today()
    collaborator = Level.AREA in levels
    with ctx.engine.connect() as conn:
        allowed = None if principal.nationwide else user_lists.subtree_ids(
            conn, principal.scope_unit_id, principal.hierarchy_date(today))
        if _CODE.match(query) and any(ch.isdigit() for ch in query):
            rows = user_lists.units_of_levels(conn, sorted(levels), today, code_prefix=query, limit=500)
            found = [r for r in rows if allowed is None or r.id in allowed]
            return [UnitChoice(r.code, r.name, Level(r.level)) for r in found[:CHOICES]]
        tokens = fold(query).split()
        searched = [Level.COMMUNE.value] if collaborator else sorted(levels)
        rows = [r for r in user_lists.units_of_levels(conn, searched, today)
                if (allowed is None or r.id in allowed) and _words_match(tokens, r.name)]
        rows.sort(key=lambda r: (len(r.name), r.code))
        if not collaborator:
            return [UnitChoice(r.code, r.name, Level(r.level)) for r in rows[:CHOICES]]
        # communes without villages (their register is not kept here) have nothing to offer
        kept = user_lists.communes_with_villages(conn, today)
        communes = {r.id: r.name for r in [r for r in rows if r.id in kept][:COMMUNES_EXPANDED]}
        below = user_lists.villages_and_areas(conn, list(communes), today)
    order = {cid: n for n, cid in enumerate(communes)}
    out = []
    for r in sorted(below, key=lambda r: (order[r.commune_id], r.code)):
        where = r.parent_name if r.level == Level.AREA.value else ""
        where = f"{where}, {communes[r.commune_id]}" if where else communes[r.commune_id]
        out.append(UnitChoice(r.code, r.name, Level(r.level), where))
    return out[:4 * CHOICES]
