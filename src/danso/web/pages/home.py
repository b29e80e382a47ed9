"""The home page of each role, and the statistics dashboard of a unit with drill-down."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from danso.domain.access import Permission, Role, require
from danso.domain.units import Level
from danso.services import scope, scoped_slips
from danso.web.charts import pyramid
from danso.web.deps import ContextDep, PageUser
from danso.web.pages.rendering import render
from danso.web.security import verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

MAX_COUNTED_CHILDREN = 60


@router.get("/")
def home(request: Request, ctx: ContextDep, user: PageUser) -> Response:
    if user.role == Role.ADMINISTRATOR:
        return render(request, "home_admin.html")
    if user.role == Role.NATIONAL_VIEWER:
        return RedirectResponse("/units/VN", status_code=303)
    summary = scope.unit_summary(ctx, user)
    # what waits for the user: slips to review (commune officers), slips returned to correct (collaborators)
    waiting = returned = 0
    if user.can(Permission.REVIEW_SLIPS):
        waiting = len(scoped_slips.list_slips(ctx, user, statuses=["submitted"]))
    elif user.can(Permission.ENTER_SLIPS):
        returned = len(scoped_slips.list_slips(ctx, user, statuses=["returned"]))
    return render(request, "home.html", {"summary": summary, "waiting": waiting, "returned": returned})


@router.get("/units/{code}")
def unit_dashboard(request: Request, ctx: ContextDep, user: PageUser, code: str) -> Response:
    """Statistics of a unit in scope: totals, the population pyramid, the units below it (drill-down)."""
    require(user, Permission.VIEW_STATISTICS)
    page = scope.unit_page(ctx, user, code)
    summary = scope.unit_summary(ctx, user, code)
    by_commune = {c.code: (hh, n) for c, hh, n, _sex in summary.communes}
    if page.unit.level in (Level.COMMUNE, Level.VILLAGE) and len(page.children) <= MAX_COUNTED_CHILDREN:
        # below a commune the summary has no breakdown: count each village (or area) on its own
        for child in page.children:
            s = scope.unit_summary(ctx, user, child.code)
            by_commune[child.code] = (s.households, s.persons)
    register = user.can(Permission.READ_REGISTER)
    rows, empty = [], []
    for child in page.children:
        if child.level in (Level.VILLAGE, Level.AREA):
            href = f"/households?unit={child.code}" if register else None
        else:
            href = f"/units/{child.code}"
        counts = by_commune.get(child.code)
        # communes without data (most of a province before it is loaded) are folded away, not listed first
        (empty if child.level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE) and not counts
         else rows).append((child, counts, href))
    return render(request, "dashboard.html", {
        "page": page, "summary": summary, "pyramid": pyramid(summary.pyramid), "rows": rows, "empty": empty,
        "households_href": f"/households?unit={page.unit.code}" if register and page.unit.level in (
            Level.COMMUNE, Level.VILLAGE, Level.AREA) else None})
