"""Villages and collaborator areas of a commune: list and create (commune officers, administrators)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from danso.domain.access import Permission, require
from danso.domain.problems import InvalidInput
from danso.domain.units import Level
from danso.messages_vi import word
from danso.services import scope
from danso.web.deps import ContextDep, PageUser
from danso.web.pages.rendering import render
from danso.web.security import client_ip, verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

Code = Annotated[str, Form(max_length=40, pattern=r"^[0-9A-Za-z-]+$")]
Name = Annotated[str, Form(max_length=120)]


def _page(request: Request, ctx, user, commune: str | None, problems=None, status: int = 200,  # noqa: ANN001
          done: str = "") -> Response:
    require(user, Permission.MANAGE_UNITS)
    tree = scope.unit_tree(ctx, user, commune, depth=2) if commune or user.scope_unit_id else None
    if tree is not None and tree.unit.level != Level.COMMUNE:
        tree = None
    return render(request, "areas.html", {"tree": tree, "commune": commune or "", "problems": problems or [],
                                          "done": done}, status_code=status)


@router.get("/areas")
def areas(request: Request, ctx: ContextDep, user: PageUser,
          commune: Annotated[str | None, Query(max_length=40, pattern=r"^[0-9A-Za-z-]*$")] = None,
          done: Annotated[str, Query(max_length=120)] = "") -> Response:
    return _page(request, ctx, user, commune, done=done)


@router.post("/areas/villages")
def add_village(request: Request, ctx: ContextDep, user: PageUser, commune: Code, name: Name,
                kind: Annotated[str, Form(pattern="^(Thôn|Tổ dân phố|Ấp|Bản|Khu phố)$")] = "Thôn") -> Response:
    try:
        unit = scope.add_village(ctx, user, commune, name, kind, ip=client_ip(request))
    except InvalidInput as e:
        return _page(request, ctx, user, commune, [word(p) for p in e.problems], 422)
    return RedirectResponse(f"/areas?commune={commune}&done={unit.code}", status_code=303)


@router.post("/areas/areas")
def add_area(request: Request, ctx: ContextDep, user: PageUser, commune: Code, village: Code,
             name: Name) -> Response:
    try:
        unit = scope.add_area(ctx, user, village, name, ip=client_ip(request))
    except InvalidInput as e:
        return _page(request, ctx, user, commune, [word(p) for p in e.problems], 422)
    return RedirectResponse(f"/areas?commune={commune}&done={unit.code}", status_code=303)
