"""Households: the list (a collaborator's “my households”), the Sổ A0 sheet and its print view."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from danso.domain import clock
from danso.domain.units import Level
from danso.services import scope, scoped_slips
from danso.web.deps import ContextDep, PageUser, RecordId
from danso.web.pages.rendering import render
from danso.web.security import client_ip, verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

UnitCode = Annotated[str | None, Query(max_length=40, pattern=r"^[0-9A-Za-z-]*$")]


def _list(request: Request, ctx, user, unit: str | None, text: str, page: int) -> Response:  # noqa: ANN001
    result = scope.list_households(ctx, user, unit_code=unit or None, text=text, page=page)
    # the village filter for the small scopes; provinces and districts drill down from the dashboard instead
    small = user.scope_level in (Level.COMMUNE, Level.VILLAGE, Level.AREA)
    villages = scope.unit_tree(ctx, user, depth=2) if user.scope_unit_id and small else None
    template = "_households.html" if request.headers.get("hx-request") else "households.html"
    return render(request, template, {"result": result, "unit": unit or "", "text": text, "villages": villages})


@router.get("/households")
def households(request: Request, ctx: ContextDep, user: PageUser, unit: UnitCode = None,
               page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    return _list(request, ctx, user, unit, "", page)


@router.post("/households")
def households_search(request: Request, ctx: ContextDep, user: PageUser,
                      text: Annotated[str, Form(max_length=100)] = "",
                      unit: Annotated[str, Form(max_length=40, pattern=r"^[0-9A-Za-z-]*$")] = "") -> Response:
    """Filtering by name or number is a POST, so that names never appear in addresses or logs."""
    return _list(request, ctx, user, unit, text, 1)


@router.get("/households/{household_id}")
def household(request: Request, ctx: ContextDep, user: PageUser, household_id: RecordId) -> Response:
    sheet = scope.household_sheet(ctx, user, household_id)
    return render(request, "household.html", {"sheet": sheet, "history": _history(ctx, user, sheet)})


@router.get("/households/{household_id}/print")
def household_print(request: Request, ctx: ContextDep, user: PageUser, household_id: RecordId) -> Response:
    """The sheet as the printed Sổ A0 page; leaving the system on paper, it is recorded as an export."""
    sheet = scope.household_sheet(ctx, user, household_id, export=True, ip=client_ip(request))
    return render(request, "household_print.html", {"sheet": sheet, "today": clock.today(),
                                                    "history": _history(ctx, user, sheet)})


def _history(ctx, user, sheet) -> list[tuple]:  # noqa: ANN001
    """(event, the member it is about) for section III."""
    members = {m.person.id: m.person.full_name for m in [*sheet.members, *sheet.past_members]}
    events = scoped_slips.household_history(ctx, user, sheet.household.id, list(members))
    return [(e, members.get(e.person_id, "")) for e in events]
