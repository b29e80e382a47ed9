"""``danso slips …``, ``danso history …`` and ``danso events …``: collection slips and the event log."""
from __future__ import annotations

import csv
import getpass
import io
import json
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from danso.cli.common import console, describe, fmt_date, get_context, handles_errors
from danso.cli.render import vn_dec, vn_int
from danso.domain.problems import InvalidInput, Problem
from danso.domain.slips import KINDS, Status
from danso.services import slips as svc

COMMON_COLUMNS = ("client_id", "kind", "area", "month", "submit")


def _actor(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


ACTOR = click.option("--actor", metavar="NAME", help="Who does this (recorded on the slip); default: cli:<user>.")


@click.group()
def slips() -> None:
    """Collection slips (phiếu thu tin P0/CTV): enter, submit, review."""


def read_slips_file(file: Path) -> list[svc.NewSlip]:
    """A JSON file ``{"slips": [...]}`` or a CSV file, as documented in docs/slips.md."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidInput([Problem("slips.file", "file", file.name, {"error": str(e)})]) from e
    if file.suffix.lower() == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        docs: list[dict[str, Any]] = []
        for r in rows:
            data = {k: v for k, v in r.items() if k not in COMMON_COLUMNS and k and v not in (None, "")}
            docs.append({**{k: r.get(k) for k in COMMON_COLUMNS}, "data": data})
    else:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise InvalidInput([Problem("slips.file", "file", file.name, {"error": str(e)})]) from e
        docs = doc.get("slips") if isinstance(doc, dict) else None
        if not isinstance(docs, list):
            raise InvalidInput([Problem("slips.not_list", "file", file.name)])
    out = []
    for i, d in enumerate(docs, start=1):
        if not isinstance(d, dict):
            raise InvalidInput([Problem("sheet.not_object", "slips", f"phiếu thứ {i}")])
        submit = str(d.get("submit", "")).strip().lower() in ("1", "true", "yes", "có", "co")
        out.append(svc.NewSlip(str(d.get("client_id") or ""), str(d.get("kind") or ""), str(d.get("area") or ""),
                               d.get("data") if isinstance(d.get("data"), dict) else {}, str(d.get("month") or ""),
                               submit))
    return out


@slips.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--submit", is_flag=True, help="Submit every slip for review (as if each had submit: true).")
@click.option("--confirm", is_flag=True, help="Confirm the warnings found (e.g. an unusual mother's age).")
@click.option("--on-behalf", is_flag=True, help="Entered by a district/province officer for the commune.")
@ACTOR
@handles_errors
def import_(file: Path, submit: bool, confirm: bool, on_behalf: bool, actor: str | None) -> None:
    """Enter slips from a JSON or CSV file (docs/slips.md). All or nothing; a slip sent twice is recorded once."""
    new = read_slips_file(file)
    for n in new:
        n.submit = n.submit or submit
    results = svc.import_slips(get_context(), new, actor=_actor(actor), on_behalf=on_behalf, confirm=confirm)
    created = sum(1 for _, c in results if c)
    console.print(f"Đã ghi {created} phiếu mới ({len(results) - created} phiếu đã có từ trước); "
                  f"{sum(1 for v, _ in results if v.status == Status.SUBMITTED)} phiếu chờ duyệt.")


@slips.command("list")
@click.option("--unit", "unit_code", help="Commune, area or any unit above (code).")
@click.option("--month", help="Reporting month YYYY-MM.")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in Status]))
@click.option("--limit", default=200, show_default=True)
@handles_errors
def list_(unit_code: str | None, month: str | None, statuses: tuple[str, ...], limit: int) -> None:
    """Slips by unit, month and status."""
    views = svc.list_slips(get_context(), unit_code=unit_code, month=month, statuses=statuses, limit=limit)
    t = Table(title=f"Phiếu thu tin ({len(views)})", title_justify="left")
    for col in ("Mã", "Tháng", "Địa bàn", "Loại phiếu", "Ngày xảy ra", "Trạng thái", "Ghi chú"):
        t.add_column(col)
    for v in views:
        note = "nộp muộn" if v.late else ""
        if v.reason:
            note = (note + "; " if note else "") + v.reason
        t.add_row(str(v.id), v.month, v.area_code, v.label, Text(str(v.payload.get("date", ""))), v.status.label,
                  Text(note))  # what users typed: neither markup nor :emoji: codes
    console.print(t)


@slips.command("show")
@click.argument("slip_id", type=int)
@handles_errors
def show(slip_id: int) -> None:
    """One slip: its fields, its history of actions and the events it recorded."""
    v = svc.get_slip(get_context(), slip_id)
    console.print(f"[bold]Phiếu {v.id}[/] — {v.label} (mục {KINDS[v.kind].section} phiếu P0/CTV), tháng {v.month}, "
                  f"địa bàn {v.area_code}: [bold]{v.status.label}[/]" + (" — nộp muộn" if v.late else ""))
    for k, val in v.payload.items():
        console.print(f"  {k}: {val}", markup=False, emoji=False)
    if v.reason:
        console.print(f"  Lý do: {v.reason}", markup=False, emoji=False)
    for a in v.actions:
        console.print(f"  {a.at:%d/%m/%Y %H:%M} {a.actor}: {a.action} → {Status(a.to_status).label}"
                      + (f" ({a.reason})" if a.reason else ""), markup=False, emoji=False)
    for e in v.events:
        console.print(f"  sự kiện {e.id}: {e.label} ngày {fmt_date(e.event_date)}"
                      + (f" (đã hủy bởi {e.reversed_by})" if e.reversed_by else ""), markup=False)


def _each(ids: tuple[int, ...], fn: Any) -> None:
    for sid in ids:
        v = fn(sid)
        console.print(f"Phiếu {v.id}: {v.status.label}" + (" (nộp muộn)" if v.late else ""))


@slips.command("submit")
@click.argument("slip_ids", type=int, nargs=-1, required=True)
@click.option("--confirm", is_flag=True, help="Confirm the warnings found.")
@ACTOR
@handles_errors
def submit(slip_ids: tuple[int, ...], confirm: bool, actor: str | None) -> None:
    """Submit draft or corrected slips for review."""
    _each(slip_ids, lambda sid: svc.submit_slip(get_context(), sid, _actor(actor), confirm=confirm))


@slips.command("accept")
@click.argument("slip_ids", type=int, nargs=-1, required=True)
@click.option("--confirm", is_flag=True, help="Confirm the warnings found.")
@ACTOR
@handles_errors
def accept(slip_ids: tuple[int, ...], confirm: bool, actor: str | None) -> None:
    """Accept submitted slips: the register changes at once. Each slip is all or nothing."""
    results = svc.accept_slips(get_context(), slip_ids, _actor(actor), confirm=confirm)
    failed = 0
    for r in results:
        if r.accepted:
            console.print(f"Phiếu {r.slip_id}: đã duyệt.")
            continue
        failed += 1
        console.print(f"Phiếu {r.slip_id}: [red]không duyệt được[/] — {escape(describe(r.error))}")
    if failed:
        raise SystemExit(2)


@slips.command("return")
@click.argument("slip_id", type=int)
@click.option("--reason", required=True, help="What the collaborator must fix.")
@ACTOR
@handles_errors
def return_(slip_id: int, reason: str, actor: str | None) -> None:
    """Send a submitted slip back to the collaborator, with the reason."""
    _each((slip_id,), lambda sid: svc.return_slip(get_context(), sid, _actor(actor), reason))


@slips.command("reject")
@click.argument("slip_id", type=int)
@click.option("--reason", required=True)
@ACTOR
@handles_errors
def reject(slip_id: int, reason: str, actor: str | None) -> None:
    """Refuse a slip for good, with the reason."""
    _each((slip_id,), lambda sid: svc.reject_slip(get_context(), sid, _actor(actor), reason))


@slips.command("close-month")
@click.argument("commune")
@click.argument("month")
@ACTOR
@handles_errors
def close_month(commune: str, month: str, actor: str | None) -> None:
    """Close a commune's month (report approved): later slips for it are marked late."""
    svc.close_month(get_context(), commune, month, _actor(actor))
    console.print(f"Đã khóa tháng {month} của xã/phường {commune}.")


@click.group()
def history() -> None:
    """The dated history of a person or a household, from the event log."""


def _print_history(events: list) -> None:
    if not events:
        console.print("Chưa có sự kiện nào.")
        return
    t = Table(title_justify="left")
    for col in ("Sự kiện", "Ngày xảy ra", "Ngày ghi", "Loại", "Phiếu", "Ghi chú"):
        t.add_column(col)
    for e in events:
        note = f"đã hủy (sự kiện {e.reversed_by})" if e.reversed_by else ""
        if e.reverses_id:
            note = f"hủy sự kiện {e.reverses_id}: {e.data.get('reason', '')}"
        t.add_row(str(e.id), fmt_date(e.event_date), f"{e.recorded_at:%d/%m/%Y}", e.label, str(e.slip_id or ""),
                  Text(note))
    console.print(t)


@history.command("person")
@click.argument("person_id", type=int)
@handles_errors
def history_person(person_id: int) -> None:
    """Every event about a person."""
    _print_history(svc.history(get_context(), person_id=person_id))


@history.command("household")
@click.argument("household_id", type=int)
@handles_errors
def history_household(household_id: int) -> None:
    """Every event about a household."""
    _print_history(svc.history(get_context(), household_id=household_id))


@click.group()
def events() -> None:
    """The event log: corrections and replay."""


@events.command("reverse")
@click.argument("event_id", type=int)
@click.option("--reason", required=True)
@ACTOR
@handles_errors
def reverse(event_id: int, reason: str, actor: str | None) -> None:
    """Cancel an event (a correction); record the right one with a new slip."""
    rev = svc.reverse_event(get_context(), event_id, _actor(actor), reason)
    console.print(f"Đã hủy sự kiện {event_id} (sự kiện hủy: {rev.id}).")


@events.command("replay")
@click.option("--into", "into", required=True, metavar="URL", help="An empty database to rebuild the register in.")
@handles_errors
def replay(into: str) -> None:
    """Rebuild the register from the log alone in another database, and check it is identical."""
    report = svc.replay_log(get_context(), into)
    same = "giống hệt" if report.identical else "KHÁC"
    console.print(f"Đã chạy lại {vn_int(report.events)} sự kiện trong {vn_dec(report.seconds)} giây; sổ dựng lại "
                  f"{same} sổ đang dùng.")
    if not report.identical:
        for name, (a, b) in report.differences.items():
            console.print(f"  {name}: {a} ≠ {b}")
        raise SystemExit(1)
