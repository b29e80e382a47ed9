"""Collection slips as a signed-in user sees them: the collaborator's slips, the commune's review queue, and
review decisions — each checked against the user's role and scope before danso.services.slips runs, and each
decision recorded in the audit trail (with the address it came from)."""
from __future__ import annotations

from collections.abc import Sequence

from danso.bootstrap import Context
from danso.domain.access import Permission, Principal, require
from danso.domain.problems import InvalidInput, NotFound, Problem
from danso.domain.slips import KINDS
from danso.services import slips
from danso.services.accounts import audit
from danso.services.scope import unit_in_scope
from danso.storage import registry_repo

LIST_LIMIT = 200
DECISIONS = ("accept", "return", "reject")


def list_slips(ctx: Context, principal: Principal, *, statuses: Sequence[str] | None = None,
               month: str | None = None) -> list[slips.SlipView]:
    """Slips of the user's scope (newest first as listed by the slips service), at most ``LIST_LIMIT``."""
    require(principal, Permission.READ_REGISTER)
    in_force = principal.scope_last_day is None
    unit_code = principal.scope_code if not principal.nationwide and in_force else None
    views = slips.list_slips(ctx, unit_code=unit_code, month=month or None, statuses=statuses or None,
                             limit=LIST_LIMIT)
    with ctx.engine.connect() as conn:
        areas: dict[int, bool] = {}
        for v in views:
            if v.area_id not in areas:
                areas[v.area_id] = unit_in_scope(conn, principal, v.area_id)
    return [v for v in views if areas[v.area_id]]


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


def person_names(ctx: Context, principal: Principal, view: slips.SlipView) -> dict[str, str]:
    """Names of the persons a slip refers to by their register id, for showing the slip: only those in the
    user's scope (a slip may name a person by id before the move that brings her into the commune)."""
    person_fields = {f.name for f in KINDS[view.kind].fields if f.type == "person"} if view.kind in KINDS else set()
    ids = {int(v) for k, v in view.payload.items() if k in person_fields and str(v).isdigit()}
    if not ids:
        return {}
    with ctx.engine.connect() as conn:
        rows = registry_repo.persons_with_household(conn, sorted(ids))
        return {str(r.id): r.full_name for r in rows
                if r.area_id is not None and unit_in_scope(conn, principal, r.area_id)}


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
