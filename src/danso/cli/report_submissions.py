"""``danso report submit|approve|return|reopen|status|history``: submission and approval of reports
(docs/reports.md). The command line acts as an administrator, recorded under ``--actor`` (as ``danso slips``)."""
from __future__ import annotations

import functools
import getpass
import json
import sys
from collections.abc import Callable
from typing import Any

import click
from rich.table import Table
from rich.text import Text

import danso.messages_reports  # noqa: F401 - wording of the report problems
from danso.cli.common import EXIT_INVALID, console, err_console, fmt_date, get_context, handles_errors
from danso.cli.render import vn_int
from danso.domain.indicators import DEFAULT_FORM
from danso.domain.periods import ACCEPTED
from danso.domain.clock import VN_TZ
from danso.domain.submissions import ReportConflict, State
from danso.services import report_submissions as svc


def _when(at: Any) -> str:
    return at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M") if at else ""


def _conflicts(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ReportConflict as e:
            err_console.print(f"[bold red]Không thực hiện được[/]: {e.message}", markup=True, highlight=False)
            sys.exit(EXIT_INVALID)
    return wrapper


def _report_options(fn: Callable) -> Callable:
    for option in reversed((
            click.option("--unit", "unit_code", required=True, metavar="CODE", help="The commune (its code)."),
            click.option("--period", required=True, metavar="PERIOD", help=f"Reporting period: {ACCEPTED}."),
            click.option("--form", "form_code", default=DEFAULT_FORM, show_default=True, metavar="FORM",
                         help="The form submitted: DANSO or 03-DSX (annual)."))):
        fn = option(fn)
    return fn


ACTOR = click.option("--actor", metavar="NAME", help="Who does this (recorded with the report); default: cli:<user>.")


def _operator(actor: str | None):  # noqa: ANN202
    return svc.operator(actor or f"cli:{getpass.getuser()}")


def _said(st: svc.ReportStatus, done: str) -> None:
    console.print(f"Đã {done} báo cáo {st.period.label} (biểu {st.form}) của {st.unit.name} (mã {st.unit.code}), "
                  f"phiên bản {st.number}: [bold]{st.state.label}[/].", highlight=False)


@click.command("submit")
@_report_options
@ACTOR
@handles_errors
@_conflicts
def submit(unit_code: str, period: str, form_code: str, actor: str | None) -> None:
    """Submit a commune's report of a period that has ended: its figures are frozen as submitted.

    Example: danso report submit --unit 10507 --period 2026-10 --actor xa.demo
    """
    st = svc.submit(get_context(), _operator(actor), unit_code, period, form=form_code)
    _said(st, "nộp")
    console.print(f"Hạn nộp: {fmt_date(st.deadline)}" + (" — [bold red]nộp muộn[/]" if st.late else " — đúng hạn")
                  + f". Đơn vị nhận: {st.parent.name if st.parent else '—'}.", highlight=False)


@click.command("approve")
@_report_options
@ACTOR
@handles_errors
@_conflicts
def approve(unit_code: str, period: str, form_code: str, actor: str | None) -> None:
    """Approve a submitted report (the unit above): the commune's months of the period are closed, and slips
    landing in them afterwards are marked late."""
    st = svc.approve(get_context(), _operator(actor), unit_code, period, form=form_code)
    _said(st, "duyệt")
    p = st.period
    months = ", ".join(f"{m:02d}/{p.year}" for m in range(p.first_month, p.first_month + p.months))
    console.print(f"Đã khóa sổ tháng {months} của {st.unit.name}: phiếu ghi vào các tháng này từ nay được đánh "
                  "dấu nộp muộn.", highlight=False)


@click.command("return")
@_report_options
@click.option("--reason", required=True, help="What the commune must fix.")
@ACTOR
@handles_errors
@_conflicts
def return_(unit_code: str, period: str, form_code: str, reason: str, actor: str | None) -> None:
    """Send a submitted report back to the commune, with the reason."""
    _said(svc.return_report(get_context(), _operator(actor), unit_code, period, reason=reason, form=form_code),
          "trả lại")


@click.command("reopen")
@_report_options
@click.option("--reason", required=True, help="Why the approved report is opened again.")
@ACTOR
@handles_errors
@_conflicts
def reopen(unit_code: str, period: str, form_code: str, reason: str, actor: str | None) -> None:
    """Reopen an approved report (the unit above), with the reason: the commune's months are opened again
    (unless another approved report keeps them closed) and the commune submits a new version."""
    _said(svc.reopen(get_context(), _operator(actor), unit_code, period, reason=reason, form=form_code), "mở lại")


def _state(st: svc.ReportStatus) -> str:
    if st.state == State.MISSING:
        return st.state.label + (" — quá hạn" if st.overdue else "")
    return st.state.label + (" — nộp muộn" if st.late else "")


@click.command("status")
@click.option("--unit", "unit_code", required=True, metavar="CODE",
              help="A province, a district before 2025, the nation (VN) or a commune.")
@click.option("--period", required=True, metavar="PERIOD", help=f"Reporting period: {ACCEPTED}.")
@click.option("--form", "form_code", default=DEFAULT_FORM, show_default=True, metavar="FORM")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("--missing", is_flag=True, help="Only the communes not submitted, late or returned.")
@handles_errors
def status(unit_code: str, period: str, form_code: str, fmt: str, missing: bool) -> None:
    """The reports of the communes under a unit for a period, side by side: missing, submitted, late,
    approved, returned; and the slips accepted late since each was submitted."""
    listing = svc.status(get_context(), _operator(None), unit_code, period, form=form_code)
    rows = [r for r in listing.rows if not missing or r.state in (State.MISSING, State.RETURNED, State.REOPENED)
            or r.late]
    if fmt == "json":
        click.echo(json.dumps({
            "unit": {"code": listing.unit.code, "name": listing.unit.name}, "period": listing.period.code,
            "form": listing.form, "deadline": listing.deadline.isoformat(), "units_on": listing.units_on.isoformat(),
            "counts": dict(listing.counts),
            "communes": [{"code": r.unit.code, "name": r.unit.name, "state": r.state.value, "late": r.late,
                          "overdue": r.overdue, "version": r.number, "late_slips": r.late_slips,
                          "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
                          "updated_by": r.updated_by, "reason": r.reason} for r in rows]},
            ensure_ascii=False, indent=1))
        return
    c = listing.counts
    t = Table(title=f"Tình hình nộp báo cáo {listing.period.label} (biểu {listing.form}) — {listing.unit.name} "
                    f"(mã {listing.unit.code}); hạn nộp {fmt_date(listing.deadline)}", title_justify="left")
    for h in ("Mã", "Xã/phường", "Trạng thái", "Phiên bản", "Nộp lúc", "Người xử lý", "Phiếu muộn", "Lý do"):
        t.add_column(h, justify="right" if h in ("Phiên bản", "Phiếu muộn") else "left")
    for r in rows:
        t.add_row(r.unit.code, r.unit.name, _state(r), str(r.number or ""), _when(r.submitted_at), Text(r.updated_by),
                  vn_int(r.late_slips) if r.late_slips else "", Text(r.reason))
    console.print(t)
    console.print(f"{vn_int(len(listing.rows))} xã/phường: {vn_int(c['approved'])} đã duyệt, "
                  f"{vn_int(c['submitted'])} chờ duyệt, {vn_int(c['returned'])} bị trả lại, "
                  f"{vn_int(c['reopened'])} mở lại, {vn_int(c['missing'])} chưa nộp ({vn_int(c['overdue'])} quá "
                  f"hạn); {vn_int(c['late'])} nộp muộn.", highlight=False)


@click.command("history")
@_report_options
@click.option("--version", "number", type=int, help="Print this submitted version as JSON, as it was submitted.")
@handles_errors
def history(unit_code: str, period: str, form_code: str, number: int | None) -> None:
    """Every version of a commune's report and every decision on it, who and when; or one version's figures."""
    ctx, who = get_context(), _operator(None)
    if number is not None:
        click.echo(json.dumps(svc.frozen_report(ctx, who, unit_code, period, form=form_code, number=number),
                              ensure_ascii=False, indent=1))
        return
    entries = svc.history(ctx, who, unit_code, period, form=form_code)
    st = svc.get_status(ctx, who, unit_code, period, form=form_code)
    console.print(f"[bold]{st.unit.name}[/] (mã {st.unit.code}) — {st.period.label}, biểu {st.form}: "
                  f"[bold]{_state(st)}[/]" + (f"; {vn_int(st.late_slips)} phiếu ghi muộn sau khi nộp"
                                              if st.late_slips else ""), highlight=False)
    if not entries:
        return
    t = Table(title_justify="left")
    for h in ("Lúc", "Người", "Việc", "Phiên bản", "Trạng thái mới", "Lý do"):
        t.add_column(h)
    for e in entries:
        t.add_row(_when(e.at), Text(e.actor), e.action.label + (" (muộn)" if e.late else ""), str(e.number),
                  e.to_state.label, Text(e.reason))
    console.print(t)


COMMANDS = (submit, approve, return_, reopen, status, history)
