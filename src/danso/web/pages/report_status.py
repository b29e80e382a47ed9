"""Submission and approval of reports on the web (docs/reports.md): the status page of the communes' reports
side by side (/reports/status: submitted, late, missing, approved, returned; approve, return or reopen with a
reason), and the pieces the report page uses for one commune (its status, history and buttons; every action
with its Vietnamese outcome). Every form carries the CSRF token and the version it was shown at: acting on a
report somebody else changed meanwhile is refused, naming who.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

import danso.messages_reports  # noqa: F401 - wording of the report problems
from danso.domain import clock
from danso.domain.access import Principal
from danso.domain.indicators import DEFAULT_FORM, forms
from danso.domain.problems import InvalidInput
from danso.domain.submissions import REASON_MAX, Action, NotAllowed, ReportConflict, State
from danso.domain.units import Level
from danso.messages_vi import word
from danso.services import report_submissions as svc
from danso.web.deps import ContextDep, PageUser
from danso.web.pages.rendering import render
from danso.web.security import client_ip, verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])

Text = Annotated[str, Query(max_length=40)]
FILTERS = {"": "Tất cả", "missing": "Chưa nộp", "submitted": "Chờ duyệt", "late": "Nộp muộn",
           "returned": "Bị trả lại", "approved": "Đã duyệt"}
NOTICES = {
    "submit": "Đã nộp báo cáo {unit}; báo cáo chờ {parent} duyệt. Số liệu đã nộp được lưu nguyên như lúc nộp.",
    "approve": "Đã duyệt báo cáo {unit}; các tháng của kỳ đã khóa sổ: phiếu ghi vào đó từ nay là phiếu nộp muộn.",
    "return": "Đã trả lại báo cáo {unit} kèm lý do; xã/phường sửa rồi nộp lại.",
    "reopen": "Đã mở lại báo cáo {unit} kèm lý do; xã/phường nộp lại phiên bản mới.",
}


def commune_forms() -> list[str]:
    return [code for code, f in forms().items() if Level.COMMUNE.value in f.levels]


@dataclass
class Outcome:
    """What an action on a report came to: the new status, or the problems and the HTTP status to show."""

    status: svc.ReportStatus | None
    problems: list[str]
    code: int = 200


def act(ctx, user: Principal, action: str, unit: str, period: str, form: str, version: int | None,  # noqa: ANN001
        reason: str, ip: str) -> Outcome:
    """Submit, approve, return or reopen a commune's report as the user; problems in Vietnamese."""
    try:
        if action == Action.SUBMIT:
            st = svc.submit(ctx, user, unit, period, form=form, expected_version=version, ip=ip)
        elif action == Action.APPROVE:
            st = svc.approve(ctx, user, unit, period, form=form, expected_version=version, ip=ip)
        elif action == Action.RETURN:
            st = svc.return_report(ctx, user, unit, period, reason=reason, form=form, expected_version=version, ip=ip)
        else:
            st = svc.reopen(ctx, user, unit, period, reason=reason, form=form, expected_version=version, ip=ip)
    except InvalidInput as e:
        return Outcome(None, [word(p) for p in e.problems], 422)
    except NotAllowed as e:
        return Outcome(None, [e.message], 403)
    except ReportConflict as e:
        return Outcome(None, [e.message], 409)
    return Outcome(st, [])


def notice(done: str, st: svc.ReportStatus | None) -> str:
    if done not in NOTICES or st is None:
        return ""
    return NOTICES[done].format(unit=f"{st.period.label} của {st.unit.name}",
                                parent=st.parent.name if st.parent else "cấp trên")


def panel(ctx, user: Principal, unit: str, period: str, form: str) -> dict | None:  # noqa: ANN001
    """A commune report's status, its history and the actions the user may take (None: not a report
    communes submit, e.g. a province's or a form communes do not use)."""
    try:
        st = svc.get_status(ctx, user, unit, period, form=form)
        history = svc.history(ctx, user, unit, period, form=form)
    except InvalidInput:
        return None
    return {"st": st, "history": history, "can": {a.value: svc.may_act(user, st, a) for a in Action},
            "reason_max": REASON_MAX}


@router.get("/reports/status")
def status_page(request: Request, ctx: ContextDep, user: PageUser, unit: Text = "", period: Text = "",
                form: Text = "", only: Annotated[str, Query(pattern="^(missing|submitted|late|returned|approved)?$")] = "",
                done: Annotated[str, Query(pattern="^(approve|return|reopen)?$")] = "", done_unit: Text = "") -> Response:
    """The reports of the communes under a unit in scope for a period, side by side, with the decisions of
    the unit above."""
    return _status(request, ctx, user, unit, period, form, only, done=done, done_unit=done_unit)


def _status(request: Request, ctx, user: Principal, unit: str, period: str, form: str, only: str,  # noqa: ANN001
            *, problems: list[str] | None = None, code: int = 200, done: str = "", done_unit: str = "") -> Response:
    from danso.web.pages.reports import check_allowed, suggested_periods, unit_choices

    check_allowed(user)
    periods = suggested_periods(clock.today(), user.scope_last_day)
    unit = unit.strip() or user.scope_code
    period = period.strip() or (periods[0].code if periods else "")
    form = form.strip().upper() or DEFAULT_FORM
    context = {"choices": unit_choices(ctx, user), "periods": periods, "forms": commune_forms(), "filters": FILTERS,
               "q": {"unit": unit, "period": period, "form": form, "only": only}, "listing": None,
               "problems": problems or [], "notice": "", "rows": []}
    try:
        listing = svc.status(ctx, user, unit, period, form=form)
    except InvalidInput as e:
        return render(request, "report_status.html", {**context, "problems": [word(p) for p in e.problems]},
                      status_code=422)
    if listing.unit not in context["choices"]:
        context["choices"].append(listing.unit)
    keep = {"missing": lambda r: r.state == State.MISSING, "submitted": lambda r: r.state == State.SUBMITTED,
            "late": lambda r: r.late, "returned": lambda r: r.state in (State.RETURNED, State.REOPENED),
            "approved": lambda r: r.state == State.APPROVED}.get(only, lambda r: True)
    rows = [(r, {a.value: svc.may_act(user, r, a) for a in Action}) for r in listing.rows if keep(r)]
    done_row = next((r for r in listing.rows if r.unit.code == done_unit), None)
    return render(request, "report_status.html", {
        **context, "listing": listing, "rows": rows, "notice": notice(done, done_row), "reason_max": REASON_MAX,
        "deciding": any(can[a] for _, can in rows for a in ("approve", "return", "reopen"))}, status_code=code)


@router.post("/reports/status/decide")
def status_decide(request: Request, ctx: ContextDep, user: PageUser,
                  decision: Annotated[str, Form(pattern="^(approve|return|reopen)$")],
                  unit: Annotated[str, Form(max_length=40)], period: Annotated[str, Form(max_length=40)],
                  form: Annotated[str, Form(max_length=40)], version: Annotated[int, Form()],
                  list_unit: Annotated[str, Form(max_length=40)], only: Annotated[str, Form(max_length=20)] = "",
                  reason: Annotated[str, Form(max_length=REASON_MAX)] = "") -> Response:
    """Approve, return or reopen one commune's report from the side-by-side page, then back to it."""
    only = only if only in FILTERS else ""
    out = act(ctx, user, decision, unit, period, form, version, reason, client_ip(request))
    if out.status is None:
        return _status(request, ctx, user, list_unit, period, form, only, problems=out.problems, code=out.code)
    query = {"unit": list_unit, "period": period, "form": form, "only": only, "done": decision, "done_unit": unit}
    return RedirectResponse(f"/reports/status?{urlencode(query)}#u-{quote(unit)}", status_code=303)
