"""Submission and approval of statistical reports (nộp và duyệt báo cáo): states, transitions, who may act,
deadlines. Plain rules, no I/O; see docs/reports.md.

A commune submits the report of a period (its numbers frozen as submitted); the unit above it — the district
for a period drawn on the units before 01/07/2025, the province otherwise — approves it (which closes the
commune's months: slips landing in them afterwards are late) or returns it with a reason. An approved report
can be reopened, with a reason, only by the unit above; the commune then submits a new version.

    >>> allowed("approve", State.SUBMITTED), allowed("approve", State.MISSING)
    (True, False)
    >>> deadline(Period("month", 2026, 10, 1))      # 5 working days after 31/10/2026 (a Saturday)
    datetime.date(2026, 11, 6)
"""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from danso.domain.access import AccessDenied, Principal, Role
from danso.domain.clock import VN_TZ, local_day
from danso.domain.periods import Period
from danso.domain.problems import DansoError
from danso.domain.units import Level, Unit


class State(StrEnum):
    MISSING = "missing"  # not submitted (no row stored)
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    REOPENED = "reopened"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.MISSING: "Chưa nộp",
    State.SUBMITTED: "Đã nộp, chờ duyệt",
    State.RETURNED: "Bị trả lại",
    State.APPROVED: "Đã duyệt",
    State.REOPENED: "Đã mở lại",
}


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        """The verb, as in “không thể {label} báo cáo …” or “báo cáo đã được {label}”."""
        return ACTION_LABELS[self]


ACTION_LABELS = {Action.SUBMIT: "nộp", Action.APPROVE: "duyệt", Action.RETURN: "trả lại", Action.REOPEN: "mở lại"}

TRANSITIONS: dict[Action, tuple[frozenset[State], State]] = {
    Action.SUBMIT: (frozenset({State.MISSING, State.RETURNED, State.REOPENED}), State.SUBMITTED),
    Action.APPROVE: (frozenset({State.SUBMITTED}), State.APPROVED),
    Action.RETURN: (frozenset({State.SUBMITTED}), State.RETURNED),
    Action.REOPEN: (frozenset({State.APPROVED}), State.REOPENED),
}
"""For each action: the states it may start from, and the state it leads to."""

NEEDS_REASON = frozenset({Action.RETURN, Action.REOPEN})
DECISIONS = frozenset({Action.APPROVE, Action.RETURN, Action.REOPEN})  # taken by the unit above
LOCKING = frozenset({State.APPROVED})  # the commune's months are closed while the report is in these states
REASON_MAX = 500


def allowed(action: Action | str, state: State | str) -> bool:
    return State(state) in TRANSITIONS[Action(action)][0]


def next_state(action: Action | str) -> State:
    return TRANSITIONS[Action(action)][1]


class ReportConflict(DansoError):
    """Somebody changed the report first (two officers approving it at once, a page shown before a change)."""

    def __init__(self, unit_name: str, period_label: str, state: State, actor: str, at: dt.datetime):
        self.unit_name, self.period_label, self.state, self.actor, self.at = unit_name, period_label, state, actor, at
        local = (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(VN_TZ)
        self.message = (f"Báo cáo {period_label} của {unit_name} vừa được {actor or 'người khác'} chuyển sang "
                        f"“{state.label}” lúc {local:%H:%M %d/%m/%Y}; không có gì thay đổi. Xem lại trạng thái mới.")
        super().__init__(self.message)


# ---------------------------------------------------------------------------------------------------------
# who may act

READERS = frozenset(Role) - {Role.COLLABORATOR}
"""Roles that see reports and their status (collaborators send slips; reports are drawn by the commune)."""
APPROVER_LEVEL = {Role.DISTRICT_OFFICER: Level.DISTRICT, Role.PROVINCE_OFFICER: Level.PROVINCE}


class NotAllowed(AccessDenied):
    """The user sees the report but may not take this action on it; ``message`` says who may (Vietnamese)."""

    def __init__(self, message: str):
        Exception.__init__(self, message)
        self.permission = None
        self.message = message


def may_read(principal: Principal) -> bool:
    return principal.role in READERS


def actor_problem(action: Action | str, principal: Principal, unit_id: int, parent_id: int | None,
                  parent_level: Level | None, parent_name: str = "") -> str | None:
    """Why this user may not take ``action`` on the report of the commune ``unit_id`` whose unit above (on the
    date the report is drawn on) is ``parent_id``; None if she may. The caller has checked that the commune
    lies in her scope. Administrators may do everything; a commune officer submits her own commune's report;
    the officer of the unit above decides (a district officer for a period drawn on the units before
    01/07/2025 when the commune had a district, otherwise a province officer)."""
    action = Action(action)
    if principal.role == Role.ADMINISTRATOR:
        return None
    if action == Action.SUBMIT:
        if principal.role == Role.COMMUNE_OFFICER and principal.scope_unit_id == unit_id:
            return None
        return "Chỉ cán bộ dân số của chính xã/phường (hoặc quản trị hệ thống) được nộp báo cáo của xã/phường."
    if (APPROVER_LEVEL.get(principal.role) == parent_level and parent_id is not None
            and principal.scope_unit_id == parent_id):
        return None
    receiver = parent_name or "cấp trên"
    return f"Chỉ cán bộ dân số của {receiver} (đơn vị nhận báo cáo) hoặc quản trị hệ thống được {action.label} " \
           "báo cáo này."


# ---------------------------------------------------------------------------------------------------------
# deadlines

WORKING_DAYS = 5
"""Commune reports (month, quarter, year) are due within 5 working days after the period ends (Circular
01/2022/TT-BYT, circular01.md §4); the 6- and 9-month reports are held to the same rule (their deadline
was not found)."""

FIXED_HOLIDAYS = frozenset({(1, 1), (4, 30), (5, 1), (9, 2)})
"""Public holidays on fixed solar dates (Bộ luật Lao động 2019, art. 112). Tết and the Hùng Kings'
anniversary follow the lunar calendar and the extra days around 2/9 and Tết are decided each year: they are
not deducted (a deadline falling in them is earlier than the real one)."""

def working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def deadline(period: Period) -> dt.date:
    """The last day a commune's report of the period is on time: the 5th working day after the period's end."""
    day, counted = period.end, 0
    while counted < WORKING_DAYS:
        day += dt.timedelta(days=1)
        counted += working_day(day)
    return day


def is_late(period: Period, submitted_at: dt.datetime) -> bool:
    """Whether a report first submitted at this moment came after its deadline (Vietnam's calendar day)."""
    return local_day(submitted_at) > deadline(period)


def frame_date(unit: Unit, period: Period, hierarchy_date: dt.date) -> dt.date | None:
    """The date whose units a report of ``unit`` for ``period`` is drawn on: the period's last day when the
    unit was in force then (a period before 01/07/2025 of a legacy district: the old tiers); otherwise the
    day the user's hierarchy is read on (an old period of a unit created by the 2025 reform is drawn on
    today's units). None: the unit ended before the period's end and cannot report it."""
    if unit.valid_to and period.end > unit.valid_to:
        return None
    return period.end if unit.in_force(period.end) else hierarchy_date


def has_ended(period: Period, now: dt.datetime) -> bool:
    """A report can be submitted once its period is over (in Vietnam)."""
    return local_day(now) > period.end
