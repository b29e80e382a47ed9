"""The report page: a unit in scope and a period (month, quarter, 6 or 9 months, year) → the preview of the
indicators in the form's layout (a column per child unit where the form has them) and downloads (XLSX, CSV,
JSON, ADX, DHIS2). A commune's report also shows where its submission stands, its history (every version
submitted, downloadable as submitted) and the buttons of whoever may act: the commune submits, the unit above
approves, returns or reopens (danso.web.pages.report_status, which also lists the communes side by side).

The report is computed only when the form is sent (a GET with the parameters: aggregate figures).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from danso.domain import clock
from danso.domain.access import AccessDenied, Permission, Principal, Role, require
from danso.domain.indicators import DEFAULT_FORM, forms
from danso.domain.periods import ACCEPTED, Period, PeriodError, month_end, parse_period
from danso.domain.problems import InvalidInput
from danso.domain.submissions import REASON_MAX
from danso.domain.units import Level, Unit
from danso.domain.vntext import format_date
from danso.exports.formats import FORMATS
from danso.messages_vi import word
from danso.services import report_submissions, reports, scope
from danso.services.accounts import audit
from danso.web.deps import ContextDep, PageUser
from danso.web.pages import report_status
from danso.web.pages.rendering import render
from danso.web.security import client_ip, verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])
router.include_router(report_status.router)

REPORT_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER,
                          Role.NATIONAL_VIEWER, Role.ADMINISTRATOR})
MAX_SHOWN_COLUMNS = 40  # child units with figures shown side by side; more: the total only, and the XLSX

Text = Annotated[str, Query(max_length=40)]


@dataclass
class Params:
    unit: str
    period: str
    form: str
    breakdowns: bool


def check_allowed(user: Principal) -> None:
    require(user, Permission.VIEW_STATISTICS)
    if user.role not in REPORT_ROLES:  # collaborators send slips; reports are drawn by the commune
        raise AccessDenied(Permission.VIEW_STATISTICS)


def suggested_periods(today: dt.date, last_day: dt.date | None = None) -> list[Period]:
    """Recent periods that have ended (up to the scope's last day for a legacy district), latest first."""
    end = min(today, last_day) if last_day else today
    out: list[Period] = []
    y, m = end.year, end.month
    if month_end(y, m) > end:
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    for k in range(3):  # the last three months
        mm, yy = (m - k - 1) % 12 + 1, y + (m - k - 1) // 12
        out.append(parse_period(f"{yy}-{mm:02d}"))
    q = (m // 3)
    qy = y if q else y - 1
    out.append(parse_period(f"{qy}-Q{q or 4}"))
    if m >= 9:
        out.append(parse_period(f"{y}-9T"))
    if m >= 6:
        out.append(parse_period(f"{y}-6T"))
    out.append(parse_period(str(y if m == 12 else y - 1)))
    return out


def unit_choices(ctx, user: Principal) -> list[Unit]:  # noqa: ANN001
    """The scope unit and the units just below it (reports of deeper units: open them by their code)."""
    page = scope.unit_page(ctx, user)
    return [page.unit, *page.children]


def _build(ctx, user: Principal, p: Params):  # noqa: ANN001, ANN202
    """(report, problems); a unit outside the scope raises NotFound. The report is drawn on the units of
    danso.domain.submissions.frame_date (an old period of a new unit: today's units)."""
    try:
        period = parse_period(p.period)
    except PeriodError as e:
        scope.unit_page(ctx, user, p.unit)  # 404 outside the scope, before anything about the period
        return None, [str(e)]
    if period.end >= clock.today():
        scope.unit_page(ctx, user, p.unit)
        return None, [f"Kỳ {period.label} chưa kết thúc (đến {format_date(period.end)}); chọn một kỳ đã qua."]
    try:
        return report_submissions.live_report(ctx, user, p.unit, period, form=p.form or None), []
    except InvalidInput as e:
        return None, [word(x) for x in e.problems]


def _params(unit: str, period: str, form: str, breakdowns: str, user: Principal) -> Params:
    return Params(unit.strip() or user.scope_code, period.strip(), form.strip().upper() or DEFAULT_FORM,
                  breakdowns == "1")


@router.get("/reports")
def reports_page(request: Request, ctx: ContextDep, user: PageUser, unit: Text = "", period: Text = "",
                 form: Text = "", breakdowns: Text = "",
                 done: Annotated[str, Query(pattern="^(submit|approve|return|reopen)?$")] = "") -> Response:
    """The form; with a period (the form was sent) the report's preview, and a commune's submission."""
    return _page(request, ctx, user, _params(unit, period, form, breakdowns, user), sent=bool(period), done=done)


def _page(request: Request, ctx, user: Principal, p: Params, *, sent: bool, done: str = "",  # noqa: ANN001
          problems: list[str] | None = None, status_code: int = 200) -> Response:
    check_allowed(user)
    choices = unit_choices(ctx, user)
    periods = suggested_periods(clock.today(), user.scope_last_day)
    context = {"form": p, "choices": choices, "periods": periods, "forms": forms(), "accepted": ACCEPTED,
               "problems": [], "report": None}
    if not sent:
        if not p.period and periods:
            p.period = periods[0].code
        return render(request, "reports.html", context)
    report, found = _build(ctx, user, p)
    if report is not None and report.unit not in choices:
        choices.append(report.unit)
    if report is None:
        return render(request, "reports.html", {**context, "problems": found}, status_code=422)
    sub = None
    if report.unit.level == Level.COMMUNE:
        sub = report_status.panel(ctx, user, report.unit.code, report.period.code, report.form.code)
    status_form = report.form.code if report.form.code in report_status.commune_forms() else DEFAULT_FORM
    return render(request, "reports.html", {
        **context, **_preview(report, p), "sub": sub, "problems": problems or [], "reason_max": REASON_MAX,
        "notice": report_status.notice(done, sub["st"] if sub else None),
        "status_link": urlencode({"unit": report.unit.code, "period": report.period.code, "form": status_form})},
        status_code=status_code)


@router.post("/reports/submit")
def reports_submit(request: Request, ctx: ContextDep, user: PageUser, unit: Annotated[str, Form(max_length=40)],
                   period: Annotated[str, Form(max_length=40)], form: Annotated[str, Form(max_length=40)],
                   version: Annotated[int, Form()], confirm: Annotated[bool, Form()] = False) -> Response:
    """The commune submits the report it has just looked at (the box confirming the figures ticked)."""
    return _act(request, ctx, user, "submit", unit, period, form, version, "", confirm)


@router.post("/reports/decide")
def reports_decide(request: Request, ctx: ContextDep, user: PageUser,
                   decision: Annotated[str, Form(pattern="^(approve|return|reopen)$")],
                   unit: Annotated[str, Form(max_length=40)], period: Annotated[str, Form(max_length=40)],
                   form: Annotated[str, Form(max_length=40)], version: Annotated[int, Form()],
                   reason: Annotated[str, Form(max_length=REASON_MAX)] = "") -> Response:
    """The unit above approves, returns or reopens the report it has just looked at."""
    return _act(request, ctx, user, decision, unit, period, form, version, reason, True)


def _act(request: Request, ctx, user: Principal, action: str, unit: str, period: str, form: str,  # noqa: ANN001
         version: int, reason: str, confirmed: bool) -> Response:
    check_allowed(user)
    p = _params(unit, period, form, "", user)
    if not confirmed:
        return _page(request, ctx, user, p, sent=True, status_code=422, problems=[
            "Đánh dấu ô xác nhận đã kiểm tra số liệu trước khi nộp báo cáo."])
    out = report_status.act(ctx, user, action, p.unit, p.period, p.form, version, reason, client_ip(request))
    if out.status is None:
        return _page(request, ctx, user, p, sent=True, problems=out.problems, status_code=out.code)
    query = {"unit": p.unit, "period": p.period, "form": p.form, "done": action}
    return RedirectResponse(f"/reports?{urlencode(query)}", status_code=303)


@router.get("/reports/submitted")
def reports_submitted(request: Request, ctx: ContextDep, user: PageUser, unit: Text, period: Text, form: Text = "",
                      version: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    """One version of a commune's report exactly as it was submitted (JSON), recorded like every export."""
    import json

    check_allowed(user)
    doc = report_submissions.frozen_report(ctx, user, unit, period, form=form or None, number=version)
    with ctx.engine.begin() as conn:
        audit(conn, user.login, "export.report", f"unit:{doc['unit']['code']}", ip=client_ip(request),
              detail=f"json; {doc['form']['code']}; kỳ {doc['period']['code']}; phiên bản {version} đã nộp")
    name = f"bao-cao-{doc['form']['code'].lower()}-{doc['unit']['code']}-{doc['period']['code']}-v{version}.json"
    return Response(json.dumps(doc, ensure_ascii=False, indent=1), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _preview(report, p: Params) -> dict:  # noqa: ANN001
    from danso.exports.rows import cell_text, notes, report_rows

    rows = report_rows(report, breakdowns=p.breakdowns)
    # child units without a single figure (most of a province before its data is loaded) are folded away
    with_data = [i for i, c in enumerate(report.columns) if c.counts and any(c.counts.values())]
    empty = [c for i, c in enumerate(report.columns) if i not in with_data and c.unit is not None]
    shown = with_data if report.form.columns == "children" and len(with_data) <= MAX_SHOWN_COLUMNS else []
    query = {"unit": report.unit.code, "period": report.period.code, "form": report.form.code}
    return {"report": report, "rows": rows, "shown": shown, "empty": empty, "cell": cell_text, "notes": notes(rows),
            "hidden_columns": len(with_data) if report.form.columns == "children" and not shown else 0,
            "download": urlencode(query)}


@router.get("/reports/export/{fmt}")
def reports_export(request: Request, ctx: ContextDep, user: PageUser, fmt: str, unit: Text = "",
                   period: Text = "", form: Text = "") -> Response:
    """The report as a file (aggregate figures), recorded in the audit trail like every export."""
    check_allowed(user)
    if fmt not in FORMATS:
        return render(request, "error.html", {"status": 404, "message": f"Không có định dạng tải về “{fmt}”; "
                                              f"chọn {', '.join(f.label for f in FORMATS.values())}.",
                                              "problems": []},
                      status_code=404)
    p = _params(unit, period, form, "", user)
    report, problems = _build(ctx, user, p)
    if report is not None:
        try:
            body = FORMATS[fmt].write(report)
        except reports.ReportInputError as e:  # DHIS2 has no nine-month period
            report, problems = None, [str(e)]
    if report is None:
        return render(request, "error.html", {"status": 422, "message": "Không lập được báo cáo để tải về.",
                                              "problems": problems}, status_code=422)
    with ctx.engine.begin() as conn:
        audit(conn, user.login, "export.report", f"unit:{report.unit.code}", ip=client_ip(request),
              detail=f"{fmt}; {report.form.code}; kỳ {report.period.code}")
    name = f"bao-cao-{report.form.code.lower()}-{report.unit.code}-{report.period.code}.{FORMATS[fmt].suffix}"
    return Response(body, media_type=FORMATS[fmt].media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})
