"""Reminders (nhắc việc): who in the collaborator's areas (the commune officer's commune) is due for a follow-up,
grouped by kind, each with a link to the household sheet and to the slip form that records what follows."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from danso.domain.reminders import CONTRACEPTION, REMINDERS
from danso.domain.slips import KINDS
from danso.services import reminders, scope
from danso.services.reminders import Item
from danso.web.deps import ContextDep, PageUser
from danso.web.pages.rendering import render
from danso.web.security import verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

UnitCode = Annotated[str | None, Query(max_length=40, pattern=r"^[0-9A-Za-z-]*$")]
Kind = Annotated[str | None, Query(pattern="^(" + "|".join(REMINDERS) + ")$")]


def slip_links(code: str, item: Item) -> list[tuple[str, str]]:
    """(label, address) of the slip forms recording what follows, with the person and the area filled in (for a
    change of contraceptive method, the method in use too)."""
    out = []
    for kind, label in REMINDERS[code].slip_kinds:
        fields = {f.name for f in KINDS[kind].fields}
        values = {"area": item.area_code, "person": str(item.person_id)}
        if code == CONTRACEPTION and "method" in fields and item.due.method:
            values["method"] = item.due.method
        out.append((label, f"/slips/new/{kind}?{urlencode(values)}"))
    return out


@router.get("/reminders")
def reminder_list(request: Request, ctx: ContextDep, user: PageUser, unit: UnitCode = None, kind: Kind = None,
                  page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    result = reminders.list_reminders(ctx, user, unit_code=unit or None, kind=kind, page=page)
    # the village/area filter when the user's scope holds more than one area
    tree = scope.unit_tree(ctx, user, depth=2)
    villages = tree if tree.children and (len(tree.children) > 1 or tree.children[0].children) else None
    return render(request, "reminders.html", {
        "result": result, "unit": unit or "", "kind": kind, "villages": villages, "slip_links": slip_links,
        "pages": {g.reminder.code: max(1, -(-g.total // result.page_size)) for g in result.groups}})
