"""``danso units …``"""
from __future__ import annotations

import click

from danso.cli.common import DATE, console, get_context, handles_errors
from danso.cli.render import print_tree, print_unit_views
from danso.services import units as svc


@click.group()
def units() -> None:
    """Administrative units (effective-dated), villages and collaborator areas."""


@units.command("load")
@handles_errors
def load() -> None:
    """Load the official units: 34 provinces / 3,321 communes since 01/07/2025, and the 63 provinces /
    696 districts / 10,035 communes before, with the official old → new mapping."""
    with console.status("Đang nạp danh mục đơn vị hành chính…"):
        report = svc.load_official_units(get_context())
    console.print("Đã nạp danh mục đơn vị hành chính." if report.loaded else "Danh mục đã có sẵn, không nạp lại.")
    for key, n in sorted(report.counts.items()):
        console.print(f"  {key}: {n:,}".replace(",", "."))


@units.command("show")
@click.argument("code")
@handles_errors
def show(code: str) -> None:
    """Every version of the unit with this code: parents over time, lineage (merged into / split from)."""
    print_unit_views(svc.show_unit(get_context(), code))


@units.command("tree")
@click.argument("code")
@click.option("--on", type=DATE, help="Date (dd/mm/yyyy): the hierarchy in force then; default today.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 5))
@handles_errors
def tree(code: str, on, depth: int) -> None:  # noqa: ANN001
    """The unit and its sub-units in force on a date."""
    node, ancestors = svc.unit_tree(get_context(), code, on, depth)
    print_tree(node, ancestors)


@units.command("add-village")
@click.argument("commune")
@click.argument("name")
@click.option("--kind", type=click.Choice(["Thôn", "Tổ dân phố", "Ấp", "Bản", "Khu phố", "Buôn", "Làng"]),
              default="Thôn", show_default=True)
@click.option("--legacy-commune", help="Code of the commune it belonged to before 01/07/2025.")
@handles_errors
def add_village(commune: str, name: str, kind: str, legacy_commune: str | None) -> None:
    """Create a village / residential group in a commune."""
    unit = svc.add_village(get_context(), commune, name, kind, legacy_commune)
    console.print(f"Đã tạo {unit.name} ({unit.kind}), mã {unit.code}")


@units.command("add-area")
@click.argument("village")
@click.argument("name")
@handles_errors
def add_area(village: str, name: str) -> None:
    """Create a collaborator area (địa bàn CTV) in a village."""
    unit = svc.add_area(get_context(), village, name)
    console.print(f"Đã tạo địa bàn {unit.name}, mã {unit.code}")
