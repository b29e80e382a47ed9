"""The home page of each role, and the statistics dashboard of a unit with drill-down."""
from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from danso.domain import clock
from danso.domain.access import Permission, Role, require
from danso.domain.ages import AGE_GROUP_WIDTH, OPEN_AGE_GROUP
from danso.domain.problems import DansoError
from danso.domain.units import Level
from danso.domain.indicators import DEFAULT_FORM
from danso.services import accounts, dashboard, report_submissions, scope, scoped_slips
from danso.services.figures_cache import cached
from danso.web.charts import births_chart, method_chart, pyramid, srb_chart
from danso.web.deps import ContextDep, PageUser
from danso.web.pages.rendering import render
from danso.web.pages.unit_table import build_table
from danso.web.security import verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

Text = Annotated[str, Query(max_length=40)]


@router.get("/")
def home(request: Request, ctx: ContextDep, user: PageUser) -> Response:
    if user.role == Role.ADMINISTRATOR:
        return render(request, "home_admin.html")
    if user.role == Role.NATIONAL_VIEWER:
        return RedirectResponse("/units/VN", status_code=303)
    if user.scope_level in (Level.PROVINCE, Level.DISTRICT):
        # a province's (or a legacy district's) figures at the end of the last month, from its dashboard's report
        # (seconds to compute, kept while the communes accept the current month's slips); a commune's as of today
        page = scope.unit_page(ctx, user)
        last = dashboard.latest_month(clock.today(), page.unit.valid_to)
        summary = dashboard.month_summary(_dashboard(ctx, page, last))
    else:
        summary = scope.unit_summary(ctx, user)
    # what waits for the user: slips to review (commune officers), slips returned to correct (collaborators)
    waiting = returned = 0
    if user.can(Permission.REVIEW_SLIPS):
        waiting = len(scoped_slips.list_slips(ctx, user, statuses=["submitted"]))
    elif user.can(Permission.ENTER_SLIPS):
        returned = len(scoped_slips.list_slips(ctx, user, statuses=["returned"]))
    return render(request, "home.html", {"summary": summary, "waiting": waiting, "returned": returned})


def prepare_dashboards(ctx) -> list[str]:  # noqa: ANN001
    """Compute and keep (danso.services.figures_cache) the last month's dashboard and report (the preview of the
    reports page, default form) of every province and legacy district whose officers' home pages show them,
    before the server answers: seconds each at a province's scale, which the first officer to sign in would
    otherwise wait for. The codes of the units prepared."""
    done: set[tuple] = set()
    for user in accounts.active_principals(ctx, {Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER}):
        try:
            page = scope.unit_page(ctx, user)
            last = dashboard.latest_month(clock.today(), page.unit.valid_to)
            if (page.unit.code, last.code, page.on) not in done:
                _dashboard(ctx, page, last)
                report_submissions.live_report(ctx, user, page.unit.code, last, form=DEFAULT_FORM)
                done.add((page.unit.code, last.code, page.on))
        except DansoError:  # a unit no longer in force, say: its officers' pages will say why
            continue
    return sorted(code for code, _, _ in done)


def _dashboard(ctx, page, last) -> dashboard.Dashboard:  # noqa: ANN001
    """The unit's dashboard for the month ``last``, kept while nothing up to its end changes."""
    return cached(ctx, ("dashboard", page.unit.code, last.code, page.on),
                  lambda: dashboard.unit_dashboard(ctx, page.unit.code, last, page.on), as_of=last.end)


@router.get("/units/{code}")
def unit_dashboard(request: Request, ctx: ContextDep, user: PageUser, code: str, month: Text = "",
                   sort: Text = "", direction: Annotated[str, Query(alias="dir", max_length=10)] = "") -> Response:
    """Statistics of a unit in scope over the twelve months up to the last that has ended (or ``month``):
    totals, the population pyramid, births by month and sex, the sex ratio at birth by month, contraceptive use
    by method, and the table of the units below it, sortable, each leading to its own page (drill-down)."""
    require(user, Permission.VIEW_STATISTICS)
    page = scope.unit_page(ctx, user, code)  # not found outside the scope
    today = clock.today()
    try:
        last = dashboard.chosen_month(month, today, page.unit)
    except dashboard.DashboardInputError as e:
        return render(request, "error.html", {"status": 422, "message": str(e), "problems": []}, status_code=422)
    d = _dashboard(ctx, page, last)
    register = user.can(Permission.READ_REGISTER)
    keep = {"month": month.strip()} if month.strip() else {}
    table = build_table(d, register, sort.strip(), direction.strip(), keep)
    total = d.report.total
    months = [(m.period.start, m.boys, m.girls, m.srb, m.interval) for m in d.months]
    methods = dashboard.method_shares(d.report)
    return render(request, "dashboard.html", {
        "page": page, "d": d, "total": total, "table": table, "quarters": dashboard.quarters(d.months),
        "pyramid": pyramid(_pyramid_groups(total["population"].breakdowns["sex_age_group"]), width=400),
        "births": births_chart([m[:3] for m in months]),
        "srb": srb_chart(months, dashboard.SRB_MIN_BIRTHS), "srb_min": dashboard.SRB_MIN_BIRTHS,
        "year_interval": dashboard.srb_interval(*d.year_by_sex),
        "methods": method_chart([(m.label, m.users, m.share or 0.0, m.modern) for m in methods]),
        "choices": dashboard.month_choices(today, page.unit.valid_to), "month": last,
        "households_href": f"/households?unit={page.unit.code}" if register and page.unit.level in (
            Level.COMMUNE, Level.VILLAGE, Level.AREA) else None})


def _pyramid_groups(by_sex_group: dict[str, int]) -> dict[int, Counter]:
    """The report's ``population|sex_age_group`` breakdown ("1:25" → persons) as age group → sex → persons,
    every group from 0–4 to the open one present (an empty group is a bar of zero, not a missing row)."""
    groups = {g: Counter() for g in range(0, OPEN_AGE_GROUP + 1, AGE_GROUP_WIDTH)}
    for key, n in by_sex_group.items():
        sex, group = key.split(":")
        groups[int(group)][sex] += n
    return groups
