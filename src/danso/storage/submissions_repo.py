"""Reading and writing report submissions and their versions (tables report_submissions, report_versions)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Date, bindparam, exists, insert, or_, select, text, update

from danso.domain.slips import Status
from danso.storage.tables import events, report_submissions, report_versions, slips, units
from danso.storage.units_repo import UnitRow, _to_unit


def get(conn: Connection, unit_id: int, period: str, form: str) -> Any:
    return conn.execute(select(report_submissions).where(
        report_submissions.c.unit_id == unit_id, report_submissions.c.period == period,
        report_submissions.c.form == form)).first()


def of_period(conn: Connection, period: str, form: str) -> dict[int, Any]:
    """Every submission of the period and form, by unit id."""
    rows = conn.execute(select(report_submissions).where(report_submissions.c.period == period,
                                                         report_submissions.c.form == form))
    return {r.unit_id: r for r in rows}


def insert_submission(conn: Connection, **values: Any) -> int:
    """A first submission; the unique index on (unit, period, form) refuses a second one made meanwhile."""
    return conn.execute(insert(report_submissions).values(**values).returning(report_submissions.c.id)).scalar_one()


def set_state(conn: Connection, submission_id: int, version: int, values: dict[str, Any]) -> bool:
    """Change the submission if nobody else changed it since it was read (``version``); False if somebody did."""
    res = conn.execute(update(report_submissions).where(report_submissions.c.id == submission_id,
                                                        report_submissions.c.version == version)
                       .values(version=version + 1, **values))
    return res.rowcount == 1


def add_version(conn: Connection, submission_id: int, *, number: int, action: str, from_state: str, to_state: str,
                actor: str, at: dt.datetime, reason: str = "", late: bool = False, report: str | None = None) -> None:
    conn.execute(insert(report_versions).values(
        submission_id=submission_id, number=number, action=action, from_state=from_state, to_state=to_state,
        actor=actor, at=at, reason=reason, late=late, report=report))


def history(conn: Connection, submission_id: int) -> list[Any]:
    """Every action on the report, oldest first (without the frozen figures)."""
    cols = [c for c in report_versions.c if c.name != "report"]
    return list(conn.execute(select(*cols).where(report_versions.c.submission_id == submission_id)
                             .order_by(report_versions.c.id)))


def frozen(conn: Connection, submission_id: int, number: int) -> Any:
    """The submission row of version ``number`` (its ``report`` holds the figures as submitted); None if none."""
    return conn.execute(select(report_versions).where(
        report_versions.c.submission_id == submission_id, report_versions.c.number == number,
        report_versions.c.action == "submit")).first()


def approved_periods(conn: Connection, unit_id: int) -> list[str]:
    """The periods of the unit's reports that are approved (any form)."""
    return list(conn.execute(select(report_submissions.c.period).where(
        report_submissions.c.unit_id == unit_id, report_submissions.c.state == "approved")).scalars())


def late_slips(conn: Connection, months: Sequence[str], start: dt.date, end: dt.date,
               commune_ids: Sequence[int] | None = None) -> list[Any]:
    """Accepted slips marked late (their month was closed) whose reporting month is one of ``months`` or that
    recorded an event dated from ``start`` to ``end``: (id, commune_id, accepted at)."""
    in_period = exists().where(events.c.slip_id == slips.c.id, events.c.event_date >= start,
                               events.c.event_date <= end)
    q = select(slips.c.id, slips.c.commune_id, slips.c.updated_at.label("accepted_at")).where(
        slips.c.status == Status.ACCEPTED.value, slips.c.late.is_(True),
        or_(slips.c.month.in_(list(months)), in_period))
    if commune_ids is not None:
        q = q.where(slips.c.commune_id.in_(list(commune_ids)))
    return list(conn.execute(q.order_by(slips.c.id)))


_COMMUNES_UNDER = text("""
WITH RECURSIVE subtree(id, level, parent_id) AS (
    SELECT u.id, u.level, CAST(NULL AS INTEGER) FROM units u WHERE u.id = :root
    UNION ALL
    SELECT c.id, c.level, s.id
    FROM subtree s
    JOIN unit_links l ON l.parent_id = s.id
        AND (l.valid_from IS NULL OR l.valid_from <= :on) AND (l.valid_to IS NULL OR l.valid_to >= :on)
    JOIN units c ON c.id = l.child_id
    WHERE s.level <> 'commune'
)
SELECT s.id, s.parent_id FROM subtree s WHERE s.level = 'commune'
""").bindparams(bindparam("on", type_=Date))


def communes_under(conn: Connection, root_id: int, on: dt.date) -> list[tuple[UnitRow, int | None]]:
    """The communes under a unit (itself, if a commune) along the links in force on ``on``, each with the unit
    it hangs from (a district before 01/07/2025, the province after), ordered by code."""
    pairs = {r.id: r.parent_id for r in conn.execute(_COMMUNES_UNDER, {"root": root_id, "on": on})}
    if not pairs:
        return []
    rows = conn.execute(select(units).where(units.c.id.in_(sorted(pairs))).order_by(units.c.code))
    return [(UnitRow(r.id, _to_unit(r)), pairs[r.id]) for r in rows]
