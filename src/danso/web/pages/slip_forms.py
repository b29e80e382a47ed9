"""Entering a collection slip in the browser: choose the kind, fill its fields, submit for review."""
from __future__ import annotations

import uuid
from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from danso.domain import clock, codes
from danso.domain.access import Permission, require
from danso.domain.problems import ConfirmationNeeded, InvalidInput, NotFound, Problem
from danso.domain.slips import KINDS, month_of
from danso.domain.units import Level, Unit
from danso.messages_vi import FIELDS, word
from danso.services import scope, scoped_slips
from danso.web.deps import ContextDep, PageUser
from danso.web.pages.rendering import render
from danso.web.security import client_ip, verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

HINTS = {"person": "mã người trong sổ, số CCCD hoặc mã thẻ BHYT", "household": "mã hộ (số trên trang Sổ A0)",
         "date": "dd/mm/yyyy", "birth": "dd/mm/yyyy hoặc năm sinh", "results": "mã bệnh = mã kết quả, vd. 1=1;2=1",
         "area": "mã địa bàn CTV"}


def _areas(ctx, user) -> list[Unit]:  # noqa: ANN001
    """The collaborator areas the user may enter slips for."""
    tree = scope.unit_tree(ctx, user, depth=2)
    nodes, out = [tree], []
    while nodes:
        node = nodes.pop(0)
        if node.unit.level == Level.AREA:
            out.append(node.unit)
        nodes.extend(node.children)
    return out


def _worded(problems: list[Problem]) -> list[str]:
    """Problems of the one slip on the page: without the record prefix (the form's machine id means nothing)."""
    return [word(replace(p, record="")) for p in problems]


@router.get("/slips/new")
def choose_kind(request: Request, user: PageUser) -> Response:
    require(user, Permission.ENTER_SLIPS)
    return render(request, "slip_kinds.html", {"kinds": scoped_slips.form_kinds()})


def _form(request: Request, ctx, user, kind: str, values: dict[str, str], *, problems=None,  # noqa: ANN001
          warnings=None, status_code: int = 200) -> Response:
    if kind not in {k.code for k in scoped_slips.form_kinds()}:
        raise NotFound("slip", kind)
    fields = [(f, FIELDS.get(f.name, f.name), HINTS.get(f.type, ""),
               codes.code_list(f.code_list).items if f.code_list else ()) for f in KINDS[kind].fields]
    return render(request, "slip_form.html", {
        "kind": KINDS[kind], "fields": fields, "values": values, "areas": _areas(ctx, user),
        "problems": problems or [], "warnings": warnings or []}, status_code=status_code)


@router.get("/slips/new/{kind}")
def slip_form(request: Request, ctx: ContextDep, user: PageUser, kind: str) -> Response:
    require(user, Permission.ENTER_SLIPS)
    values = {"client_id": uuid.uuid4().hex, "month": month_of(clock.today())}
    # fields filled in by the link that leads here (a reminder names the person and her area)
    names = {"area"} | {f.name for f in KINDS[kind].fields} if kind in KINDS else set()
    values |= {k: v[:100] for k, v in request.query_params.items() if k in names}
    return _form(request, ctx, user, kind, values)


@router.post("/slips/new/{kind}")
async def enter_slip(request: Request, ctx: ContextDep, user: PageUser, kind: str) -> Response:
    require(user, Permission.ENTER_SLIPS)
    form = await request.form()
    values: dict[str, str] = {}
    for key in form.keys():
        items = [v for v in form.getlist(key) if isinstance(v, str)]
        values[key] = ",".join(v for v in items if v)[:500]
    data = {f.name: values.get(f.name, "") for f in KINDS[kind].fields} if kind in KINDS else {}
    try:
        view = scoped_slips.enter_slip(
            ctx, user, client_id=values.get("client_id", "")[:64], kind=kind, area_code=values.get("area", ""),
            month=values.get("month", ""), data=data, confirm=values.get("confirm") == "true", ip=client_ip(request))
    except InvalidInput as e:
        return _form(request, ctx, user, kind, values, problems=_worded(e.problems), status_code=422)
    except ConfirmationNeeded as e:
        return _form(request, ctx, user, kind, values, warnings=_worded(e.problems), status_code=422)
    return RedirectResponse(f"/slips/{view.id}?done=enter", status_code=303)

