"""``danso demo``"""
from __future__ import annotations

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from danso.cli.common import DATE, console, describe, get_context, handles_errors
from danso.cli.render import vn_dec, vn_int
from danso.domain.slips import KINDS
from danso.services.demo import DEFAULT_DEMO_DATE, run_demo
from danso.services.demo_stream import run_stream


@click.command()
@click.option("--province", required=True, help="Province code since 01/07/2025 (e.g. 31 Hải Phòng).")
@click.option("--communes", type=click.IntRange(1), help="Only the first N communes (by code); default all.")
@click.option("--persons", type=int, default=30_000, show_default=True, help="Persons in total.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same population.")
@click.option("--on", type=DATE, default=DEFAULT_DEMO_DATE.strftime("%d/%m/%Y"), show_default=True,
              help="Date the register describes.")
@click.option("--months", type=click.IntRange(0, 120), default=0, show_default=True,
              help="Then generate, submit and accept this many months of collection slips after --on.")
@handles_errors
def demo(province: str, communes: int | None, persons: int, seed: int, on, months: int) -> None:  # noqa: ANN001
    """Fill the register with a realistic synthetic population (deterministic for a seed), and optionally a
    month-by-month stream of collection slips, accepted as a commune officer would."""
    with Progress(TextColumn("Sinh dữ liệu mẫu"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as bar:
        task = bar.add_task("demo", total=persons)
        report = run_demo(get_context(), province, communes=communes, persons=persons, seed=seed, on=on,
                          progress=lambda done, total: bar.update(task, completed=done))
    c = {k: vn_int(v) for k, v in report.counts.items()}
    console.print(f"Đã tạo {report.communes} xã/phường: {c['units']} thôn/địa bàn, {c['households']} hộ, "
                  f"{c['persons']} người, {c['contraceptive_uses']} người dùng BPTT trong {vn_dec(report.seconds)} "
                  "giây.")
    if months:
        with Progress(TextColumn("Phiếu thu tin hằng tháng"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=False) as bar:
            task = bar.add_task("slips", total=months)
            stream = run_stream(get_context(), province, months=months, seed=seed, start=on,
                                progress=lambda month, _n: bar.advance(task))
        kinds = ", ".join(f"{KINDS[k].label.lower()} {vn_int(n)}" for k, n in sorted(stream.by_kind.items(),
                                                                                  key=lambda kv: -kv[1]))
        console.print(f"Đã duyệt {vn_int(stream.accepted)}/{vn_int(stream.slips)} phiếu của {months} tháng "
                      f"({stream.months[0]} – {stream.months[-1]}) trong {vn_dec(stream.seconds)} giây: {kinds}.")
        for sid, why in stream.failed[:10]:
            console.print(f"  phiếu {sid} không duyệt được: {describe(why) if why else ''}", markup=False)
