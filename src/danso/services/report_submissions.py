"""Use cases of report submission and approval (docs/reports.md): a commune submits the report of a period (its
figures frozen as submitted, with who and when); the unit above approves it — closing the commune's months, so
that slips landing in them afterwards are marked late — or returns it with a reason; an approved report is
reopened, with a reason, only by the unit above. Every action is one transaction with its audit-trail row.

    sub = submit(ctx, officer, "10507", "2026-10")             # → State.SUBMITTED, version 1
    approve(ctx, province_officer, "10507", "2026-10")         # months closed
    listing = status(ctx, province_officer, "31", "2026-10")   # every commune: missing, submitted, late…

Who may act, the transitions and the deadlines are danso.domain.submissions; scope as everywhere (a unit
outside the user's scope is not found). The command line acts as an administrator (``operator``).
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from danso.bootstrap import Context
from danso.domain.access import AccessDenied, Permission, Principal, Role
from danso.domain.clock import local_day
from danso.domain.indicators import DEFAULT_FORM, forms
from danso.domain.periods import KIND_LABELS, Period, PeriodError, parse_period
from danso.domain.problems import InvalidInput, NotFound, Problem
from danso.domain.submissions import (
    DECISIONS,
    LOCKING,
    NEEDS_REASON,
    REASON_MAX,
    Action,
    NotAllowed,
    ReportConflict,
    State,
    actor_problem,
    allowed,
    deadline,
    frame_date,
    has_ended,
    is_late,
    may_read,
    next_state,
)
from danso.domain.units import Level, Unit
from danso.domain.vntext import format_date
from danso.services.accounts import audit
from danso.services.figures_cache import cached
from danso.services.reports import Report, ReportInputError, build_report
from danso.services.scope import unit_in_scope
from danso.storage import events_repo, slips_repo, submissions_repo, units_repo


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """Stored times are UTC (SQLite hands them back without their zone)."""
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


def operator(actor: str) -> Principal:
    """The person at the command line: an administrator (whoever runs the CLI holds the database), recorded
    under ``actor``."""
    return Principal(0, actor, actor, Role.ADMINISTRATOR, None)


@dataclass
class Target:
    """A unit's report for a period and form, located in the user's scope."""

    unit_id: int
    unit: Unit
    period: Period
    form: str
    units_on: dt.date  # the date whose units the report is drawn on
    parent_id: int | None  # the unit above on that date (for a commune: the one that decides)
    parent: Unit | None


@dataclass
class ReportStatus:
    """Where one commune's report of a period stands."""

    unit_id: int
    unit: Unit
    period: Period
    form: str
    state: State
    deadline: dt.date
    parent_id: int | None = None
    parent: Unit | None = None
    number: int = 0  # the version in force (0: never submitted)
    version: int = 0  # changes with every action: a form shown at version n acts only on version n
    late: bool = False  # first submitted after the deadline
    overdue: bool = False  # not submitted and the deadline has passed
    first_submitted_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None  # of the version in force
    updated_at: dt.datetime | None = None
    updated_by: str = ""
    reason: str = ""  # of the last return or reopening
    late_slips: int = 0  # accepted late (month closed) since the version in force was submitted

    @property
    def locked(self) -> bool:
        return self.state in LOCKING


@dataclass
class StatusList:
    """The reports of the communes under a unit for a period, side by side."""

    unit: Unit
    period: Period
    form: str
    units_on: dt.date
    deadline: dt.date
    rows: list[ReportStatus]
    counts: Counter = field(default_factory=Counter)  # by state, and "late", "overdue"


@dataclass
class HistoryEntry:
    number: int
    action: Action
    from_state: State
    to_state: State
    actor: str
    at: dt.datetime
    reason: str
    late: bool


# ---------------------------------------------------------------------------------------------------------
# locating a report


def _period(text: str | Period) -> Period:
    if isinstance(text, Period):
        return text
    try:
        return parse_period(text)
    except PeriodError as e:
        raise InvalidInput([Problem("report.input", "period", "", {"message": str(e)})]) from e


def _form(code: str | None, period: Period) -> str:
    """A form that communes submit for this kind of period."""
    known = forms()
    form = known.get((code or DEFAULT_FORM).strip().upper())
    communes = [c for c, f in known.items() if Level.COMMUNE.value in f.levels]
    if form is None:
        message = f"Không có biểu mẫu “{code}”; xã/phường nộp các biểu: {', '.join(communes)}."
    elif Level.COMMUNE.value not in form.levels:
        message = f"Biểu {form.code} không phải báo cáo của xã/phường; xã/phường nộp các biểu: {', '.join(communes)}."
    elif period.kind not in form.periods:
        message = (f"Biểu {form.code} là báo cáo theo {', '.join(KIND_LABELS[k] for k in form.periods)}; kỳ "
                   f"{period.code} là {KIND_LABELS[period.kind]}.")
    else:
        return form.code
    raise InvalidInput([Problem("report.input", "form", "", {"message": message})])


def _today() -> dt.date:
    """Vietnam's calendar day now (danso.domain.clock)."""
    return local_day(_now())


def _locate(conn: Connection, principal: Principal, unit_code: str, p: Period,
            today: dt.date) -> tuple[units_repo.UnitRow, dt.date]:
    """The unit (as the user's hierarchy knows it; else the version in force at the period's end) and the date
    its report is drawn on. Not in the user's scope: not found."""
    if not may_read(principal):
        raise AccessDenied(Permission.VIEW_STATISTICS)
    code = (unit_code or "").strip()
    on = principal.hierarchy_date(today)
    rows = units_repo.find_by_code(conn, code, on) or units_repo.find_by_code(conn, code, p.end)
    if len(rows) != 1 or not unit_in_scope(conn, principal, rows[0].id):
        raise NotFound("unit", code)
    u = rows[0].unit
    frame = frame_date(u, p, on)
    if frame is None:
        raise InvalidInput([Problem("report.input", "period", u.code, {"message": (
            f"{u.name} (mã {u.code}) chỉ có hiệu lực đến {format_date(u.valid_to)}; chọn kỳ báo cáo kết thúc "
            f"trước ngày đó.")})])
    return rows[0], frame


def _target(conn: Connection, principal: Principal, unit_code: str, period: str | Period, form: str | None,
            today: dt.date) -> Target:
    """A report of a form communes submit, with the unit above its unit on the date it is drawn on."""
    p = _period(period)
    row, frame = _locate(conn, principal, unit_code, p, today)
    above = units_repo.ancestors(conn, row.id, frame)
    return Target(row.id, row.unit, p, _form(form, p), frame, above[0].id if above else None,
                  above[0].unit if above else None)


def _commune(t: Target) -> None:
    if t.unit.level != Level.COMMUNE:
        raise InvalidInput([Problem("report.not_commune", "unit", "", {
            "name": t.unit.name, "code": t.unit.code, "level": t.unit.level.label.lower()})])
    if t.parent is None:
        raise InvalidInput([Problem("report.no_parent", "unit", "", {
            "name": t.unit.name, "code": t.unit.code, "on": t.units_on})])


def _status(t: Target, row: Any, now: dt.datetime, late_slips: int = 0) -> ReportStatus:
    due = deadline(t.period)
    out = ReportStatus(t.unit_id, t.unit, t.period, t.form, State.MISSING, due, t.parent_id, t.parent)
    if row is None:
        out.overdue = local_day(now) > due
        return out
    out.state, out.number, out.version, out.late = State(row.state), row.number, row.version, bool(row.late)
    out.first_submitted_at, out.submitted_at = _aware(row.first_submitted_at), _aware(row.submitted_at)
    out.updated_at, out.updated_by, out.reason, out.late_slips = _aware(row.updated_at), row.updated_by, \
        row.reason, late_slips
    return out


def _months(p: Period) -> list[str]:
    return [f"{p.year}-{m:02d}" for m in range(p.first_month, p.first_month + p.months)]


def _late_slips(conn: Connection, t: Target, row: Any) -> int:
    if row is None:
        return 0
    since = _aware(row.submitted_at)
    return sum(1 for s in submissions_repo.late_slips(conn, _months(t.period), t.period.start, t.period.end,
                                                      [t.unit_id]) if _aware(s.accepted_at) > since)


# ---------------------------------------------------------------------------------------------------------
# reading


def get_status(ctx: Context, principal: Principal, unit_code: str, period: str | Period, *, form: str | None = None,
               now: dt.datetime | None = None) -> ReportStatus:
    """Where a commune's report stands (``State.MISSING`` if never submitted)."""
    now = now or _now()
    with ctx.engine.connect() as conn:
        t = _target(conn, principal, unit_code, period, form, local_day(now))
        _commune(t)
        row = submissions_repo.get(conn, t.unit_id, t.period.code, t.form)
        return _status(t, row, now, _late_slips(conn, t, row))


def status(ctx: Context, principal: Principal, unit_code: str, period: str | Period, *, form: str | None = None,
           now: dt.datetime | None = None) -> StatusList:
    """The report of every commune under a unit (a province, a legacy district, the nation; a commune: itself)
    for a period, drawn on the same units as the unit's own report."""
    now = now or _now()
    with ctx.engine.connect() as conn:
        t = _target(conn, principal, unit_code, period, form, local_day(now))
        communes = submissions_repo.communes_under(conn, t.unit_id, t.units_on)
        parents = {pid: units_repo.get(conn, pid) for pid in {p for _, p in communes if p is not None}}
        stored = submissions_repo.of_period(conn, t.period.code, t.form)
        ids = [c.id for c, _ in communes if c.id in stored]
        late = submissions_repo.late_slips(conn, _months(t.period), t.period.start, t.period.end,
                                           ids if len(ids) <= 500 else None) if ids else []
    rows, counts = [], Counter()
    for c, pid in communes:
        row = stored.get(c.id)
        since = _aware(row.submitted_at) if row is not None else None
        n = sum(1 for s in late if s.commune_id == c.id and since and _aware(s.accepted_at) > since)
        ct = Target(c.id, c.unit, t.period, t.form, t.units_on, pid, parents.get(pid))
        st = _status(ct, row, now, n)
        rows.append(st)
        counts[st.state.value] += 1
        counts["late"] += st.late
        counts["overdue"] += st.overdue
    return StatusList(t.unit, t.period, t.form, t.units_on, deadline(t.period), rows, counts)


def history(ctx: Context, principal: Principal, unit_code: str, period: str | Period, *,
            form: str | None = None) -> list[HistoryEntry]:
    """Every version submitted and every decision on a commune's report, oldest first."""
    with ctx.engine.connect() as conn:
        t = _target(conn, principal, unit_code, period, form, _today())
        _commune(t)
        row = submissions_repo.get(conn, t.unit_id, t.period.code, t.form)
        entries = submissions_repo.history(conn, row.id) if row is not None else []
    return [HistoryEntry(e.number, Action(e.action), State(e.from_state), State(e.to_state), e.actor, _aware(e.at),
                         e.reason, bool(e.late)) for e in entries]


def frozen_report(ctx: Context, principal: Principal, unit_code: str, period: str | Period, *,
                  form: str | None = None, number: int | None = None) -> dict[str, Any]:
    """A submitted version of a commune's report exactly as it was submitted (the JSON of
    danso.exports.machine); default the version in force."""
    with ctx.engine.connect() as conn:
        t = _target(conn, principal, unit_code, period, form, _today())
        _commune(t)
        row = submissions_repo.get(conn, t.unit_id, t.period.code, t.form)
        version = submissions_repo.frozen(conn, row.id, number or row.number) if row is not None else None
    if version is None:
        key = f"{t.unit.code} kỳ {t.period.code} (biểu {t.form}" + (f", phiên bản {number})" if number else ")")
        raise NotFound("báo cáo", key)
    return json.loads(version.report)


def live_report(ctx: Context, principal: Principal, unit_code: str, period: str | Period, *,
                form: str | None = None) -> Report:
    """The report of a unit in the user's scope (any level) as the register stands now, drawn on the units of
    ``frame_date``, in any form the unit's level and the period allow."""
    p = _period(period)
    with ctx.engine.connect() as conn:
        row, frame = _locate(conn, principal, unit_code, p, _today())
    # the figures kept while the register has not changed (danso.services.figures_cache), after the scope check
    return cached(ctx, ("report", row.unit.code, p.code, form, frame), lambda: _build(ctx, row.unit.code, p, form, frame),
                  as_of=p.end)


def _build(ctx: Context, code: str, p: Period, form: str | None, frame: dt.date) -> Report:
    try:
        return build_report(ctx, code, p, form=form, units_on=frame)
    except ReportInputError as e:
        raise InvalidInput([Problem("report.input", "form", code, {"message": str(e)})]) from e


# ---------------------------------------------------------------------------------------------------------
# acting


def _check(t: Target, row: Any, action: Action, expected_version: int | None) -> None:
    """The action is allowed from the report's state and the report has not changed since the user saw it
    (``expected_version``); somebody who just did the same thing is named."""
    state = State(row.state) if row is not None else State.MISSING
    version = row.version if row is not None else 0
    changed = expected_version is not None and expected_version != version
    if changed or (not allowed(action, state) and state == next_state(action)):
        raise ReportConflict(t.unit.name, t.period.label, state, row.updated_by if row is not None else "",
                             _aware(row.updated_at) if row is not None else _now())
    if not allowed(action, state):
        raise InvalidInput([Problem("report.bad_state", "status", f"{t.unit.name}, {t.period.label}",
                                    {"action": action.label, "state": state.label})])


def _conflict(conn: Connection, t: Target) -> ReportConflict:
    """Somebody acted on the report first: who, and what it is now."""
    row = submissions_repo.get(conn, t.unit_id, t.period.code, t.form)
    return ReportConflict(t.unit.name, t.period.label, State(row.state), row.updated_by, _aware(row.updated_at))


def may_act(principal: Principal, st: ReportStatus, action: Action | str) -> bool:
    """Whether the user may take ``action`` on a report in this state (buttons shown only to those who may)."""
    action = Action(action)
    return allowed(action, st.state) and actor_problem(
        action, principal, st.unit_id, st.parent_id, st.parent.level if st.parent else None) is None


def _may(principal: Principal, t: Target, action: Action) -> None:
    problem = actor_problem(action, principal, t.unit_id, t.parent_id, t.parent.level if t.parent else None,
                            t.parent.name if t.parent else "")
    if problem:
        raise NotAllowed(problem)


def submit(ctx: Context, principal: Principal, unit_code: str, period: str | Period, *, form: str | None = None,
           expected_version: int | None = None, ip: str = "", now: dt.datetime | None = None) -> ReportStatus:
    """Submit a commune's report of a period that has ended: the report is computed now and frozen as a new
    version (the first, or the next after a return or a reopening)."""
    now = now or _now()
    with ctx.engine.connect() as conn:
        t = _target(conn, principal, unit_code, period, form, local_day(now))
        _commune(t)
        _may(principal, t, Action.SUBMIT)
        if not has_ended(t.period, now):
            raise InvalidInput([Problem("report.not_ended", "period", "", {"period": t.period.label,
                                                                            "end": t.period.end})])
        _check(t, submissions_repo.get(conn, t.unit_id, t.period.code, t.form), Action.SUBMIT, expected_version)
    from danso.exports.machine import report_dict

    frozen = json.dumps(report_dict(_build(ctx, t.unit.code, t.period, t.form, t.units_on)), ensure_ascii=False)
    late = is_late(t.period, now)
    try:
        with ctx.engine.begin() as conn:
            row = submissions_repo.get(conn, t.unit_id, t.period.code, t.form)
            _check(t, row, Action.SUBMIT, expected_version)
            values = {"state": State.SUBMITTED.value, "submitted_at": now, "updated_at": now,
                      "updated_by": principal.login, "reason": ""}
            if row is None:
                number, from_state = 1, State.MISSING
                sid = submissions_repo.insert_submission(
                    conn, unit_id=t.unit_id, period=t.period.code, form=t.form, units_on=t.units_on,
                    parent_id=t.parent_id, number=1, deadline=deadline(t.period), first_submitted_at=now, late=late,
                    **values)
            else:
                sid, number, from_state = row.id, row.number + 1, State(row.state)
                if not submissions_repo.set_state(conn, sid, row.version, {**values, "number": number}):
                    raise _conflict(conn, t)
            submissions_repo.add_version(conn, sid, number=number, action=Action.SUBMIT.value,
                                         from_state=from_state.value, to_state=State.SUBMITTED.value,
                                         actor=principal.login, at=now, late=late, report=frozen)
            audit(conn, principal.login, "report.submit", f"unit:{t.unit.code}", ip=ip,
                  detail=f"kỳ {t.period.code}; {t.form}; phiên bản {number}" + ("; nộp muộn" if late else ""))
    except IntegrityError:  # another first submission of the same report was committed meanwhile
        with ctx.engine.connect() as conn:
            raise _conflict(conn, t) from None
    return get_status(ctx, principal, t.unit.code, t.period, form=t.form, now=now)


def approve(ctx: Context, principal: Principal, unit_code: str, period: str | Period, *, form: str | None = None,
            expected_version: int | None = None, ip: str = "", now: dt.datetime | None = None) -> ReportStatus:
    """Approve a submitted report (the unit above): the commune's months of the period are closed."""
    return _decide(ctx, principal, Action.APPROVE, unit_code, period, form, "", expected_version, ip, now)


def return_report(ctx: Context, principal: Principal, unit_code: str, period: str | Period, *, reason: str,
                  form: str | None = None, expected_version: int | None = None, ip: str = "",
                  now: dt.datetime | None = None) -> ReportStatus:
    """Send a submitted report back to the commune, with the reason, to be submitted again."""
    return _decide(ctx, principal, Action.RETURN, unit_code, period, form, reason, expected_version, ip, now)


def reopen(ctx: Context, principal: Principal, unit_code: str, period: str | Period, *, reason: str,
           form: str | None = None, expected_version: int | None = None, ip: str = "",
           now: dt.datetime | None = None) -> ReportStatus:
    """Reopen an approved report (the unit above), with the reason: the commune's months that no other
    approved report keeps closed are opened, and the commune submits a new version."""
    return _decide(ctx, principal, Action.REOPEN, unit_code, period, form, reason, expected_version, ip, now)


def _decide(ctx: Context, principal: Principal, action: Action, unit_code: str, period: str | Period,
            form: str | None, reason: str, expected_version: int | None, ip: str,
            now: dt.datetime | None) -> ReportStatus:
    assert action in DECISIONS
    now = now or _now()
    reason = (reason or "").strip()
    if action in NEEDS_REASON and not reason:
        raise InvalidInput([Problem("report.reason_missing", "reason", "", {"action": action.label})])
    if len(reason) > REASON_MAX:
        raise InvalidInput([Problem("report.reason_long", "reason", "", {"max": REASON_MAX})])
    with ctx.engine.begin() as conn:
        events_repo.lock_register(conn)  # closing or opening months: ordered with slips being accepted
        t = _target(conn, principal, unit_code, period, form, local_day(now))
        _commune(t)
        _may(principal, t, action)
        row = submissions_repo.get(conn, t.unit_id, t.period.code, t.form)
        _check(t, row, action, expected_version)
        to = next_state(action)
        if not submissions_repo.set_state(conn, row.id, row.version, {
                "state": to.value, "reason": reason, "updated_at": now, "updated_by": principal.login}):
            raise _conflict(conn, t)
        if action == Action.APPROVE:
            for month in _months(t.period):
                slips_repo.close_month(conn, t.unit_id, month, principal.login, now)
        elif action == Action.REOPEN:
            kept = {m for p in submissions_repo.approved_periods(conn, t.unit_id) for m in _months(parse_period(p))}
            for month in _months(t.period):
                if month not in kept:
                    slips_repo.open_month(conn, t.unit_id, month)
        submissions_repo.add_version(conn, row.id, number=row.number, action=action.value, from_state=row.state,
                                     to_state=to.value, actor=principal.login, at=now, reason=reason)
        audit(conn, principal.login, f"report.{action.value}", f"unit:{t.unit.code}", ip=ip,
              detail=f"kỳ {t.period.code}; {t.form}; phiên bản {row.number}")  # the reason: in report_versions
    return get_status(ctx, principal, t.unit.code, t.period, form=t.form, now=now)
