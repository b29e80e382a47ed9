"""/api/v1/reports: statistical reports of the caller's scope (the live figures, in the JSON of
danso.exports.machine) and their submission and approval: a commune's status and history, the figures as
submitted, the communes under a unit side by side; submit, approve, return, reopen (docs/reports.md)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

import danso.messages_reports  # noqa: F401 - wording of the report problems
from danso.domain.submissions import REASON_MAX, NotAllowed, ReportConflict
from danso.services import report_submissions as svc
from danso.services.accounts import audit
from danso.web.api.v1 import convert
from danso.web.api.v1.schemas import ERRORS, Error, UnitOut
from danso.web.deps import ApiUser, ContextDep
from danso.web.security import client_ip

router = APIRouter(prefix="/reports", tags=["báo cáo thống kê"], responses={**ERRORS, 409: {"model": Error}})

Unit = Annotated[str, Query(max_length=40, pattern=r"^[0-9A-Za-z-]+$", description="Unit code, e.g. 31, 10507")]
Period = Annotated[str, Query(max_length=10, description="2026-10, 2026-Q3, 2026-6T, 2026-9T or 2026")]
FormCode = Annotated[str, Query(max_length=10, description="Report form: DANSO (default), 03-DSX, 01-DSH")]


class Step(BaseModel):
    number: int = Field(description="The version submitted, or decided on")
    action: str = Field(description="submit | approve | return | reopen")
    action_label: str
    to_state: str
    actor: str
    at: dt.datetime
    reason: str
    late: bool = Field(description="A submission after the deadline")


class SubmissionOut(BaseModel):
    unit: UnitOut
    parent: UnitOut | None = Field(description="The unit above, which decides")
    period: str
    period_label: str
    form: str
    state: str = Field(description="missing | submitted | returned | approved | reopened")
    state_label: str
    deadline: dt.date
    version: int = Field(description="Changes with every action: send it back to act only on what you saw")
    number: int = Field(description="The submitted version in force (0: never submitted)")
    late: bool = Field(description="First submitted after the deadline")
    overdue: bool = Field(description="Not submitted and the deadline has passed")
    first_submitted_at: dt.datetime | None
    submitted_at: dt.datetime | None
    updated_at: dt.datetime | None
    updated_by: str
    reason: str
    late_slips: int = Field(description="Slips accepted late (month closed) since the version in force was "
                                        "submitted: not in its figures")
    history: list[Step] | None = None


class StatusOut(BaseModel):
    unit: UnitOut
    period: str
    period_label: str
    form: str
    units_on: dt.date
    deadline: dt.date
    counts: dict[str, int] = Field(description="By state, and late, overdue")
    communes: list[SubmissionOut]


class Act(BaseModel):
    unit: str = Field(max_length=40, description="The commune")
    period: str = Field(max_length=10)
    form: str = Field("DANSO", max_length=10)
    reason: str = Field("", max_length=REASON_MAX, description="Required to return or reopen")
    version: int | None = Field(None, description="The version you saw (from GET /reports/submission): the "
                                                  "action is refused with 409 if the report changed since")


def _out(st: svc.ReportStatus, history: list[svc.HistoryEntry] | None = None) -> SubmissionOut:
    return SubmissionOut(
        unit=convert.unit(st.unit), parent=convert.unit(st.parent) if st.parent else None, period=st.period.code,
        period_label=st.period.label, form=st.form, state=st.state.value, state_label=st.state.label,
        deadline=st.deadline, version=st.version, number=st.number, late=st.late, overdue=st.overdue,
        first_submitted_at=st.first_submitted_at, submitted_at=st.submitted_at, updated_at=st.updated_at,
        updated_by=st.updated_by, reason=st.reason, late_slips=st.late_slips,
        history=None if history is None else [
            Step(number=h.number, action=h.action.value, action_label=h.action.label, to_state=h.to_state.value,
                 actor=h.actor, at=h.at, reason=h.reason, late=h.late) for h in history])


@router.get("", response_model=dict[str, Any])
def live_report(request: Request, ctx: ContextDep, user: ApiUser, unit: Unit, period: Period,
                form: FormCode = "") -> dict[str, Any]:
    """The report of a unit in scope as the register stands now (as ``danso report --format json``); recorded
    in the audit trail like every export."""
    from danso.exports.machine import report_dict

    report = svc.live_report(ctx, user, unit, period, form=form or None)
    with ctx.engine.begin() as conn:
        audit(conn, user.login, "export.report", f"unit:{report.unit.code}", ip=client_ip(request),
              detail=f"api json; {report.form.code}; kỳ {report.period.code}")
    return report_dict(report)


@router.get("/status", response_model=StatusOut)
def status(ctx: ContextDep, user: ApiUser, unit: Unit, period: Period, form: FormCode = "") -> StatusOut:
    """The reports of the communes under a unit (a province, a district before 01/07/2025, VN; a commune:
    itself) for a period, side by side."""
    listing = svc.status(ctx, user, unit, period, form=form or None)
    return StatusOut(unit=convert.unit(listing.unit), period=listing.period.code, period_label=listing.period.label,
                     form=listing.form, units_on=listing.units_on, deadline=listing.deadline,
                     counts={k: int(v) for k, v in listing.counts.items()},
                     communes=[_out(r) for r in listing.rows])


@router.get("/submission", response_model=SubmissionOut)
def submission(ctx: ContextDep, user: ApiUser, unit: Unit, period: Period, form: FormCode = "") -> SubmissionOut:
    """Where a commune's report stands, with every version submitted and every decision."""
    return _out(svc.get_status(ctx, user, unit, period, form=form or None),
                svc.history(ctx, user, unit, period, form=form or None))


@router.get("/submitted", response_model=dict[str, Any])
def submitted(request: Request, ctx: ContextDep, user: ApiUser, unit: Unit, period: Period, form: FormCode = "",
              version: Annotated[int | None, Query(ge=1, le=10_000, description="Default: the version in force")]
              = None) -> dict[str, Any]:
    """A version of a commune's report exactly as it was submitted; recorded like every export."""
    doc = svc.frozen_report(ctx, user, unit, period, form=form or None, number=version)
    with ctx.engine.begin() as conn:
        audit(conn, user.login, "export.report", f"unit:{doc['unit']['code']}", ip=client_ip(request),
              detail=f"api json; {doc['form']['code']}; kỳ {doc['period']['code']}; phiên bản đã nộp")
    return doc


def _refused(code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


@router.post("/{action}", response_model=SubmissionOut, responses={409: {"model": Error}})
def act(request: Request, ctx: ContextDep, user: ApiUser, action: Literal["submit", "approve", "return", "reopen"],
        body: Act) -> Any:
    """Submit a commune's report (its commune officer), or approve, return or reopen it (the unit above:
    the province, or the district for a period before 01/07/2025). 403 ``forbidden`` names who may; 409
    ``conflict`` names who acted first; 422 ``invalid_input`` (a missing reason, a state that does not allow
    it) — nothing is written."""
    calls: dict[str, Callable[..., svc.ReportStatus]] = {
        "submit": lambda **kw: svc.submit(ctx, user, body.unit, body.period, **kw),
        "approve": lambda **kw: svc.approve(ctx, user, body.unit, body.period, **kw),
        "return": lambda **kw: svc.return_report(ctx, user, body.unit, body.period, reason=body.reason, **kw),
        "reopen": lambda **kw: svc.reopen(ctx, user, body.unit, body.period, reason=body.reason, **kw)}
    try:
        st = calls[action](form=body.form, expected_version=body.version, ip=client_ip(request))
    except NotAllowed as e:
        return _refused("forbidden", e.message, 403)
    except ReportConflict as e:
        return _refused("conflict", e.message, 409)
    return _out(st, svc.history(ctx, user, body.unit, body.period, form=body.form))
