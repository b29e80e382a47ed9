"""The report page: a unit in scope and a period (month, quarter, 6 or 9 months, year) → the preview of the
indicators in the form's layout (a column per child unit where the form has them) and downloads (XLSX, CSV,
JSON, ADX, DHIS2). Submission and approval of reports are not built yet.

The report is computed only when the form is sent (a GET with the parameters: aggregate figures).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from danso.domain.access import AccessDenied, Permission, Principal, Role, require
from danso.domain.indicators import DEFAULT_FORM, forms
from danso.domain.periods import ACCEPTED, Period, PeriodError, month_end, parse_period
from danso.domain.problems import InvalidInput
from danso.domain.units import Unit
from danso.domain.vntext import format_date
from danso.messages_vi import word
from danso.services import reports, scope
from danso.services.accounts import audit
from danso.services.units import resolve
from danso.web.deps import ContextDep, PageUser
from danso.web.pages.rendering import render
from danso.web.security import client_ip, verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

REPORT_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER,
                          Role.NATIONAL_VIEWER, Role.ADMINISTRATOR})
MAX_SHOWN_COLUMNS = 40  # child units with figures shown side by side; more: the total only, and the XLSX
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "csv": "text/csv; charset=utf-8", "json": "application/json", "adx": "application/xml",
           "dhis2": "application/json"}
SUFFIX = {"adx": "xml", "dhis2": "json"}

Text = Annotated[str, Query(max_length=40)]


@dataclass
class Params:
    unit: str
    period: str
    form: str
    breakdowns: bool


def _allowed(user: Principal) -> None:
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


def _units_on(ctx, unit: Unit, period: Period, user: Principal) -> dt.date | None:  # noqa: ANN001
    """The date whose units the report is drawn on: the period's last day when the unit in scope was in force
    then (a period before 01/07/2025 under the old tiers for a legacy district); otherwise the day the scope
    is read on (an old period of a new unit is drawn on today's units). A unit that ended before the period's
    end cannot report it."""
    if unit.valid_to and period.end > unit.valid_to:
        raise reports.ReportInputError(
            f"{unit.name} (mã {unit.code}) chỉ có hiệu lực đến {format_date(unit.valid_to)}; chọn kỳ báo cáo kết "
            f"thúc trước ngày đó.")
    with ctx.engine.connect() as conn:
        try:
            same = resolve(conn, unit.code, period.end).unit == unit
        except InvalidInput:
            same = False
    return None if same else user.hierarchy_date(dt.date.today())


def _build(ctx, user: Principal, p: Params):  # noqa: ANN001, ANN202
    """(report, problems); a unit outside the scope raises NotFound."""
    unit = scope.unit_page(ctx, user, p.unit).unit  # 404 outside the scope
    try:
        period = parse_period(p.period)
    except PeriodError as e:
        return None, [str(e)]
    if period.end >= dt.date.today():
        return None, [f"Kỳ {period.label} chưa kết thúc (đến {format_date(period.end)}); chọn một kỳ đã qua."]
    try:
        report = reports.build_report(ctx, unit.code, period, form=p.form or None,
                                      units_on=_units_on(ctx, unit, period, user))
    except reports.ReportInputError as e:
        return None, [str(e)]
    except InvalidInput as e:
        return None, [word(x) for x in e.problems]
    return report, []


def _params(unit: str, period: str, form: str, breakdowns: str, user: Principal) -> Params:
    return Params(unit.strip() or user.scope_code, period.strip(), form.strip().upper() or DEFAULT_FORM,
                  breakdowns == "1")


@router.get("/reports")
def reports_page(request: Request, ctx: ContextDep, user: PageUser, unit: Text = "", period: Text = "",
                 form: Text = "", breakdowns: Text = "") -> Response:
    """The form; with a period (the form was sent) the report's preview."""
    _allowed(user)
    p = _params(unit, period, form, breakdowns, user)
    choices = unit_choices(ctx, user)
    periods = suggested_periods(dt.date.today(), user.scope_last_day)
    context = {"form": p, "choices": choices, "periods": periods, "forms": forms(), "accepted": ACCEPTED,
               "problems": [], "report": None}
    if not period:
        if not p.period and periods:
            p.period = periods[0].code
        return render(request, "reports.html", context)
    report, problems = _build(ctx, user, p)
    if report is not None and report.unit not in choices:
        choices.append(report.unit)
    if report is None:
        return render(request, "reports.html", {**context, "problems": problems}, status_code=422)
    return render(request, "reports.html", {**context, **_preview(report, p)})


def cell(value: float | int | None, rate: bool) -> str:
    """A figure as in Vietnam: 1.415 (a count), 2.846,5 (an average), 66,67 (a rate); "-" without a value."""
    if value is None:
        return "-"
    if rate:
        text = f"{value:,.2f}"
    elif isinstance(value, float) and not value.is_integer():
        text = f"{value:,.1f}"
    else:
        text = f"{round(value):,}"
    return text.translate(str.maketrans(",.", ".,"))


def _preview(report, p: Params) -> dict:  # noqa: ANN001
    from danso.exports.rows import report_rows

    rows = report_rows(report, breakdowns=p.breakdowns)
    # child units without a single figure (most of a province before its data is loaded) are folded away
    with_data = [i for i, c in enumerate(report.columns) if c.counts and any(c.counts.values())]
    empty = [c for i, c in enumerate(report.columns) if i not in with_data and c.unit is not None]
    shown = with_data if report.form.columns == "children" and len(with_data) <= MAX_SHOWN_COLUMNS else []
    query = {"unit": report.unit.code, "period": report.period.code, "form": report.form.code}
    return {"report": report, "rows": rows, "shown": shown, "empty": empty, "cell": cell,
            "hidden_columns": len(with_data) if report.form.columns == "children" and not shown else 0,
            "download": urlencode(query)}


@router.get("/reports/export/{fmt}")
def reports_export(request: Request, ctx: ContextDep, user: PageUser, fmt: str, unit: Text = "",
                   period: Text = "", form: Text = "") -> Response:
    """The report as a file (aggregate figures), recorded in the audit trail like every export."""
    _allowed(user)
    if fmt not in FORMATS:
        return render(request, "error.html", {"status": 404, "message": f"Không có định dạng tải về “{fmt}”; "
                                              "chọn XLSX, CSV, JSON, ADX hoặc DHIS2.", "problems": []},
                      status_code=404)
    p = _params(unit, period, form, "", user)
    report, problems = _build(ctx, user, p)
    if report is not None:
        from danso.exports.exchange import to_adx, to_dhis2
        from danso.exports.machine import to_csv, to_json
        from danso.exports.xlsx import to_xlsx

        try:
            body = {"xlsx": to_xlsx, "csv": to_csv, "json": to_json, "adx": to_adx, "dhis2": to_dhis2}[fmt](report)
        except reports.ReportInputError as e:  # DHIS2 has no nine-month period
            report, problems = None, [str(e)]
    if report is None:
        return render(request, "error.html", {"status": 422, "message": "Không lập được báo cáo để tải về.",
                                              "problems": problems}, status_code=422)
    with ctx.engine.begin() as conn:
        audit(conn, user.login, "export.report", f"unit:{report.unit.code}", ip=client_ip(request),
              detail=f"{fmt}; {report.form.code}; kỳ {report.period.code}")
    name = f"bao-cao-{report.form.code.lower()}-{report.unit.code}-{report.period.code}.{SUFFIX.get(fmt, fmt)}"
    return Response(body, media_type=FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})
