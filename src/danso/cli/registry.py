"""``danso households …`` and ``danso persons …``"""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from danso.cli.common import DATE, console, get_context, handles_errors
from danso.cli.render import print_household
from danso.domain.problems import InvalidInput, Problem
from danso.services import registry as svc


@click.group()
def households() -> None:
    """Households of the primary register (Sổ A0)."""


@households.command("show")
@click.argument("household_id", type=int)
@click.option("--on", type=DATE, help="Members on this date (dd/mm/yyyy); default today.")
@handles_errors
def show(household_id: int, on) -> None:  # noqa: ANN001
    """The Sổ A0 page of a household."""
    print_household(svc.household_sheet(get_context(), household_id, on))


@households.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@handles_errors
def import_(file: Path) -> None:
    """Record household sheets from a JSON file (docs/household-import.md). All or nothing."""
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InvalidInput([Problem("sheet.not_households", "households", f"{file.name} (JSON lỗi: {e})")]) from e
    report = svc.import_households(get_context(), doc)
    console.print(f"Đã ghi {len(report.households)} hộ, {report.persons} người "
                  f"(mã hộ: {', '.join(map(str, report.households[:20]))}{'…' if len(report.households) > 20 else ''}).")


@click.group()
def persons() -> None:
    """Persons of the register."""


@persons.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--unit", "unit_code", help="Only current members of households in this unit.")
@click.option("--limit", default=svc.SEARCH_LIMIT, show_default=True, type=click.IntRange(1, 500))
@handles_errors
def search(text: tuple[str, ...], unit_code: str | None, limit: int) -> None:
    """Find persons by name (without diacritics is fine), CCCD or BHYT number."""
    hits = svc.search_persons(get_context(), " ".join(text), unit_code=unit_code, limit=limit)
    if not hits:
        console.print("Không tìm thấy ai.")
        return
    t = Table()
    for col in ("Mã người", "Họ và tên", "GT", "Ngày sinh", "CCCD", "BHYT", "Mã hộ", "Số hộ", "Địa bàn"):
        t.add_column(col)
    for h in hits:
        t.add_row(str(h.id), h.full_name, "Nam" if h.sex == "1" else "Nữ", h.birth, h.cccd or "", h.bhyt or "",
                  str(h.household_id or ""), h.household_number or "", h.area_code or "")
    console.print(t)
    if len(hits) == limit:
        console.print(f"[dim]Hiển thị {limit} kết quả đầu; gõ thêm để thu hẹp.[/]")


@persons.command("move")
@click.argument("person_id", type=int)
@click.option("--to", "to_household", type=int, required=True, help="Id of the household joined.")
@click.option("--on", type=DATE, required=True, help="Day the person joins (dd/mm/yyyy).")
@click.option("--relation", required=True, help="Relation to the head of the new household (danso codes relation).")
@click.option("--residence", default="1", show_default=True, help="Residence status (danso codes residence).")
@handles_errors
def move(person_id: int, to_household: int, on, relation: str, residence: str) -> None:  # noqa: ANN001
    """Move a person to another household; the history is kept."""
    svc.move_person(get_context(), person_id, to_household, on=on, relation=relation, residence=residence)
    console.print(f"Đã chuyển người {person_id} sang hộ {to_household} từ ngày {on:%d/%m/%Y}.")
