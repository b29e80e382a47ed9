"""``danso demo``"""
from __future__ import annotations

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from danso.cli.common import DATE, console, get_context, handles_errors
from danso.services.demo import DEFAULT_DEMO_DATE, run_demo


@click.command()
@click.option("--province", required=True, help="Province code since 01/07/2025 (e.g. 31 Hải Phòng).")
@click.option("--communes", type=click.IntRange(1), help="Only the first N communes (by code); default all.")
@click.option("--persons", type=int, default=30_000, show_default=True, help="Persons in total.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same population.")
@click.option("--on", type=DATE, default=DEFAULT_DEMO_DATE.strftime("%d/%m/%Y"), show_default=True,
              help="Date the register describes.")
@handles_errors
def demo(province: str, communes: int | None, persons: int, seed: int, on) -> None:  # noqa: ANN001
    """Fill the register with a realistic synthetic population (deterministic for a seed)."""
    with Progress(TextColumn("Sinh dữ liệu mẫu"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as bar:
        task = bar.add_task("demo", total=persons)
        report = run_demo(get_context(), province, communes=communes, persons=persons, seed=seed, on=on,
                          progress=lambda done, total: bar.update(task, completed=done))
    c = {k: f"{v:,}".replace(",", ".") for k, v in report.counts.items()}
    seconds = f"{report.seconds:.1f}".replace(".", ",")
    console.print(f"Đã tạo {report.communes} xã/phường: {c['units']} thôn/địa bàn, {c['households']} hộ, "
                  f"{c['persons']} người, {c['contraceptive_uses']} người dùng BPTT trong {seconds} giây.")
