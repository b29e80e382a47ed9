"""Collection slips as a signed-in user sees them: the collaborator's slips, the commune's review queue, and
review decisions — each checked against the user's role and scope before danso.services.slips runs, and each
decision recorded in the audit trail (with the address it came from)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from danso.bootstrap import Context
from danso.domain.access import Permission, Principal, Role, require
from danso.domain.problems import InvalidInput, NotFound, Problem
from danso.domain.slips import KINDS
from danso.domain.units import Level
from danso.services import slips
from danso.services.accounts import audit
from danso.services.scope import unit_in_scope, units_in_scope
from danso.storage import events_repo, registry_repo, units_repo

LIST_LIMIT = 200
DECISIONS = ("accept", "return", "reject")


def list_slips(ctx: Context, principal: Principal, *, statuses: Sequence[str] | None = None,
               month: str | None = None, page: int = 1, page_size: int = LIST_LIMIT) -> list[slips.SlipView]:
    """One page of the slips of the user's scope, as ordered by the slips service (at most ``LIST_LIMIT``)."""
    require(principal, Permission.READ_REGISTER)
    if page < 1 or not 1 <= page_size <= LIST_LIMIT:
        raise InvalidInput([Problem("page.invalid", "page" if page < 1 else "page_size", "",
                                    {"value": page if page < 1 else page_size, "min": 1,
                                     "max": 100_000 if page < 1 else LIST_LIMIT})])
    in_force = principal.scope_last_day is None
    unit_code = principal.scope_code if not principal.nationwide and in_force else None
    views = slips.list_slips(ctx, unit_code=unit_code, month=month or None, statuses=statuses or None,
                             limit=page_size, offset=(page - 1) * page_size)
    with ctx.engine.connect() as conn:
        inside = units_in_scope(conn, principal, {v.area_id for v in views})
    return [v for v in views if v.area_id in inside]


def get_slip(ctx: Context, principal: Principal, slip_id: int) -> slips.SlipView:
    """One slip in the user's scope, with its actions and events; otherwise not found."""
    require(principal, Permission.READ_REGISTER)
    try:
        view = slips.get_slip(ctx, slip_id)
    except NotFound:
        raise NotFound("slip", slip_id) from None
    with ctx.engine.connect() as conn:
        if not unit_in_scope(conn, principal, view.area_id):
            raise NotFound("slip", slip_id)
    return view


FORM_FIELD_TYPES = frozenset({"text", "int", "date", "birth", "code", "codes", "results", "person", "household",
                              "area"})


def form_kinds() -> list:
    """Slip kinds that a simple form can enter (not those listing several members: file import or CLI)."""
    return [k for k in KINDS.values() if all(f.type in FORM_FIELD_TYPES for f in k.fields)]


def enter_slip(ctx: Context, principal: Principal, *, client_id: str, kind: str, area_code: str, month: str,
               data: dict[str, Any], confirm: bool = False, ip: str = "") -> slips.SlipView:
    """Enter and submit a slip for an area of the user's scope (a commune officer enters it on behalf of the
    collaborator). Empty fields are left out. The same ``client_id`` twice (a form sent twice) records once.

    Raises InvalidInput (nothing written) or ConfirmationNeeded (warnings to confirm)."""
    require(principal, Permission.ENTER_SLIPS)
    with ctx.engine.connect() as conn:
        rows = units_repo.find_by_code(conn, area_code, level=Level.AREA)
        if not rows or not unit_in_scope(conn, principal, rows[0].id):
            raise NotFound("unit", area_code)
    payload = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()
               if v is not None and not (isinstance(v, str) and not v.strip())}
    view, created = slips.create_slip(ctx, client_id=client_id, kind=kind, area_code=area_code, month=month,
                                      data=payload, actor=principal.login, submit=True, confirm=confirm,
                                      on_behalf=principal.role != Role.COLLABORATOR)
    if created:
        with ctx.engine.begin() as conn:
            audit(conn, principal.login, "slip.enter", f"slip:{view.id}", ip=ip, detail=kind)
    return view


def person_names(ctx: Context, principal: Principal, view: slips.SlipView) -> dict[str, str]:
    """Names of the persons a slip refers to by their register id, for showing the slip: only those in the
    user's scope (a slip may name a person by id before the move that brings her into the commune)."""
    person_fields = {f.name for f in KINDS[view.kind].fields if f.type == "person"} if view.kind in KINDS else set()
    ids = {int(v) for k, v in view.payload.items() if k in person_fields and str(v).isdigit()}
    if not ids:
        return {}
    with ctx.engine.connect() as conn:
        rows = registry_repo.persons_with_household(conn, sorted(ids))
        inside = units_in_scope(conn, principal, {r.area_id for r in rows if r.area_id is not None})
        return {str(r.id): r.full_name for r in rows if r.area_id in inside}


def household_history(ctx: Context, principal: Principal, household_id: int,
                      member_ids: Sequence[int]) -> list:
    """The events of a household and of its members (current and past), oldest first, for section III of its
    Sổ A0 page: what changed, when, and through which slip."""
    from danso.services.scope import check_household

    with ctx.engine.connect() as conn:
        check_household(conn, principal, household_id)
        return events_repo.for_subjects(conn, person_ids=member_ids, household_ids=[household_id])


def review_slip(ctx: Context, principal: Principal, slip_id: int, decision: str, *, reason: str = "",
                confirm: bool = False, ip: str = "") -> slips.SlipView:
    """Accept, return (to be corrected) or reject a submitted slip of the user's commune.

    Raises ConfirmationNeeded when accepting a slip with warnings without ``confirm``; SlipConflict when
    somebody else decided first."""
    require(principal, Permission.REVIEW_SLIPS)
    if decision not in DECISIONS:
        raise InvalidInput([Problem("slip.decision_unknown", "decision", f"phiếu {slip_id}", {"value": decision})])
    get_slip(ctx, principal, slip_id)  # scope
    if decision == "accept":
        view = slips.accept_slip(ctx, slip_id, principal.login, confirm=confirm)
    elif decision == "return":
        view = slips.return_slip(ctx, slip_id, principal.login, reason)
    else:
        view = slips.reject_slip(ctx, slip_id, principal.login, reason)
    # the slips service records the decision in the slip's own history; the audit trail adds where it came from
    with ctx.engine.begin() as conn:
        audit(conn, principal.login, f"slip.{decision}", f"slip:{slip_id}", ip=ip)
    return view
