"""The forecast page: a unit in scope, a base date, a horizon, a step and a scenario → the population pyramid of
the first and last year, the trend of the total population, births and deaths, the indicators by year and by
step, the inputs derived from the register with the counts behind them, and downloads (CSV, XLSX, JSON).

The projection runs on the server, synchronously, only when the form is sent (a GET with the parameters:
aggregate projections are not personal data); it takes seconds for a province.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from danso.domain import clock
from danso.domain.access import AccessDenied, Permission, Principal, Role, require
from danso.domain.problems import InvalidInput
from danso.domain.units import Level, Unit
from danso.domain.vntext import DateParseError, format_date, parse_date
from danso.forecast import charts as forecast_charts
from danso.forecast import outputs
from danso.forecast.inputs import InputsError
from danso.forecast.run import Forecast, run_forecast
from danso.forecast.scenarios import BUILTIN
from danso.messages_vi import word
from danso.services import forecasts, scope
from danso.services.accounts import audit
from danso.web.charts import trend
from danso.web.deps import ContextDep, PageUser
from danso.web.pages.rendering import render
from danso.web.security import client_ip, verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

FORECAST_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.NATIONAL_VIEWER, Role.ADMINISTRATOR})
FORECAST_LEVELS = (Level.PROVINCE, Level.COMMUNE)  # as `danso forecast --unit`
MAX_YEARS = 100
DEFAULT_YEARS = 30
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

Text = Annotated[str, Query(max_length=40)]


@dataclass
class Params:
    """The form as typed (re-shown as is when it has problems)."""

    unit: str
    base_date: str
    years: str
    step: str
    scenario: str


@dataclass
class Checked:
    unit: Unit
    base_date: dt.date
    years: int
    step: int
    scenario: str


def _allowed(user: Principal) -> None:
    require(user, Permission.VIEW_STATISTICS)
    if user.role not in FORECAST_ROLES:  # a collaborator's area is too small to project
        raise AccessDenied(Permission.VIEW_STATISTICS)


def default_base_date(today: dt.date | None = None) -> dt.date:
    """The last 31 December before today: the register's latest complete year."""
    today = today or clock.today()
    return dt.date(today.year - 1, 12, 31)


def unit_choices(ctx, user: Principal) -> list[Unit]:  # noqa: ANN001
    """The units of the user's scope that can be projected: the scope unit and the units just below it."""
    page = scope.unit_page(ctx, user)
    return [u for u in [page.unit, *page.children] if u.level in FORECAST_LEVELS]


def _check(ctx, user: Principal, p: Params) -> tuple[Checked | None, list[str]]:  # noqa: ANN001
    """The parameters checked one by one; every problem in Vietnamese. An out-of-scope unit raises NotFound."""
    problems = []
    unit = scope.unit_page(ctx, user, p.unit).unit if p.unit else None  # 404 outside the scope
    if unit is None:
        problems.append("Chọn đơn vị cần dự báo.")
    elif unit.level not in FORECAST_LEVELS:
        problems.append(f"{unit.name} là {unit.level.label.lower()}; dự báo được lập cho tỉnh/thành phố hoặc "
                        "xã/phường.")
    base = None
    try:
        base = parse_date(p.base_date)
    except DateParseError:
        problems.append(f"Ngày gốc “{p.base_date}” không hợp lệ; viết theo dạng ngày/tháng/năm, ví dụ 31/12/2025.")
    if base is not None:
        if (base.month, base.day) == (2, 29):
            # the service's window (the years before the base date) would fall on a 29 February that does not
            # exist: refused here with a reason rather than failing
            problems.append(f"Ngày gốc {format_date(base)} (29 tháng 2) chưa dùng được; chọn 28/02 hoặc 01/03.")
        elif base > clock.today():
            problems.append(f"Ngày gốc {format_date(base)} ở tương lai; sổ chỉ có số liệu đến hôm nay.")
        elif unit is not None and not unit.in_force(base):
            problems.append(f"{unit.name} (mã {unit.code}) chỉ có hiệu lực từ {format_date(unit.valid_from) or '…'}"
                            f" đến {format_date(unit.valid_to) or 'nay'}; chọn ngày gốc trong khoảng đó.")
    years = int(p.years) if p.years.strip().isdigit() else 0
    if not 1 <= years <= MAX_YEARS:
        problems.append(f"Số năm dự báo “{p.years}” không hợp lệ; nhập số nguyên từ 1 đến {MAX_YEARS}.")
    if p.step not in ("1", "5"):
        problems.append("Bước dự báo phải là 1 năm hoặc 5 năm.")
    if p.scenario not in BUILTIN:
        problems.append(f"Không có phương án “{p.scenario}”.")
    if problems:
        return None, problems
    return Checked(unit, base, years, int(p.step), p.scenario), []


def _run(ctx, c: Checked) -> tuple[Forecast | None, list[str]]:  # noqa: ANN001
    try:
        derived = forecasts.derive_inputs(ctx, c.unit.code, c.base_date, width=c.step)
    except InvalidInput as e:
        return None, [word(x) for x in e.problems]
    except InputsError as e:
        return None, list(e.problems)
    if derived.inputs.population.sum() <= 0:
        return None, [f"{c.unit.name} chưa có nhân khẩu thường trú nào trong sổ ngày {format_date(c.base_date)}: "
                      "không có dân số gốc để dự báo."]
    return run_forecast(derived.inputs, BUILTIN[c.scenario], c.years), []


def _params(unit: str, base_date: str, years: str, step: str, scenario: str) -> Params:
    return Params(unit.strip(), base_date.strip() or format_date(default_base_date()),
                  years.strip() or str(DEFAULT_YEARS), step or "5", scenario or "medium")


@router.get("/forecast")
def forecast_page(request: Request, ctx: ContextDep, user: PageUser, unit: Text = "", base_date: Text = "",
                  years: Text = "", step: Text = "", scenario: Text = "") -> Response:
    """The form; with a unit (the form was sent) the projection and its results."""
    _allowed(user)
    p = _params(unit, base_date, years, step, scenario)
    choices = unit_choices(ctx, user)
    context = {"form": p, "choices": choices, "scenarios": BUILTIN, "problems": [], "f": None,
               "max_years": MAX_YEARS, "years_back": forecasts.DEFAULT_YEARS_BACK}
    if not unit:
        if not p.unit and choices:
            context["form"].unit = choices[0].code
        return render(request, "forecast.html", context)
    checked, problems = _check(ctx, user, p)
    f = None
    if checked is not None:
        f, problems = _run(ctx, checked)
    if checked is not None and checked.unit not in choices:
        choices.append(checked.unit)  # reached by its code: keep it selectable
    if f is None:
        return render(request, "forecast.html", {**context, "problems": problems}, status_code=422)
    return render(request, "forecast.html", {**context, **_results(f, checked)})


def _results(f: Forecast, c: Checked) -> dict:
    labels = [outputs.date_label(f, t) for t in range(len(f.years))]
    chart = trend(f.years, labels, [x["total"] for x in f.population_indicators],
                  [x["births"] for x in f.step_indicators], [x["deaths"] for x in f.step_indicators])
    query = {"unit": c.unit.code, "base_date": format_date(c.base_date), "years": c.years, "step": c.step,
             "scenario": c.scenario}
    return {"f": f, "unit": c.unit, "pyramid_svg": forecast_charts.pyramid_svg(f), "trend": chart,
            "year_rows": outputs.year_rows(f), "step_rows": outputs.step_rows(f), "derived": f.report,
            "download": urlencode(query),
            "window": tuple(dt.date.fromisoformat(f.report["window"][k]) for k in ("first", "last"))
            if f.report else None}


@router.get("/forecast/export/{fmt}")
def forecast_export(request: Request, ctx: ContextDep, user: PageUser, fmt: str, unit: Text = "",
                    base_date: Text = "", years: Text = "", step: Text = "", scenario: Text = "") -> Response:
    """The projection as a file; aggregate figures, but leaving the system: recorded in the audit trail."""
    _allowed(user)
    if fmt not in FORMATS:
        return render(request, "error.html", {"status": 404, "message": f"Không có định dạng tải về “{fmt}”; "
                                              "chọn CSV, XLSX hoặc JSON.", "problems": []}, status_code=404)
    p = _params(unit, base_date, years, step, scenario)
    checked, problems = _check(ctx, user, p)
    f = None
    if checked is not None:
        f, problems = _run(ctx, checked)
    if f is None:
        return render(request, "error.html", {"status": 422, "message": "Không lập được dự báo để tải về.",
                                              "problems": problems}, status_code=422)
    if fmt == "xlsx":
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "du-bao.xlsx"
            outputs.write_xlsx(f, path)
            body: bytes | str = path.read_bytes()
    else:
        body = outputs.write(f, fmt, None) or ""  # csv, json: the text
    with ctx.engine.begin() as conn:
        audit(conn, user.login, "export.forecast", f"unit:{checked.unit.code}", ip=client_ip(request),
              detail=f"{fmt}; ngày gốc {format_date(checked.base_date)}; {checked.years} năm; bước {checked.step}; "
                     f"{checked.scenario}")
    name = f"du-bao-{checked.unit.code}-{checked.base_date:%Y%m%d}-{checked.scenario}-{checked.years}n.{fmt}"
    return Response(body, media_type=FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})
