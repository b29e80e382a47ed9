"""``danso report`` (the statistical report of a unit for a period) and ``danso indicators`` (the catalogue)."""
from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from danso.cli import report_submissions
from danso.cli.common import DATE, EXIT_INVALID, console, err_console, fmt_date, get_context, handles_errors
from danso.domain.indicators import catalogue, catalogue_meta, forms
from danso.domain.periods import ACCEPTED
from danso.domain.problems import InvalidInput
from danso.exports.formats import FORMATS as EXPORTS
from danso.messages_vi import word
from danso.services.reports import Report, ReportInputError, build_report, build_reports

FORMATS = ("table", *EXPORTS)
MAX_SCREEN_COLUMNS = 8


def _report_errors(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ReportInputError as e:
            err_console.print("[bold red]Không lập được báo cáo[/]: ", end="")
            err_console.print(str(e), markup=False)
            sys.exit(EXIT_INVALID)
        except InvalidInput as e:  # an unknown unit, or one not in force on the date of the units
            err_console.print("[bold red]Không lập được báo cáo[/]: ", end="")
            err_console.print("; ".join(word(p) for p in e.problems), markup=False)
            sys.exit(EXIT_INVALID)
    return wrapper


@click.group(invoke_without_command=True)
@click.option("--unit", "unit_code", metavar="CODE", help="Unit code (VN, province, district before 2025, commune…).")
@click.option("--period", metavar="PERIOD", help=f"Reporting period: {ACCEPTED}.")
@click.option("--form", "form_code", metavar="FORM", help="Report form: " + ", ".join(forms()) + " (default DANSO).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.option("--units-on", type=DATE, help="Draw the report on the units in force on this date (dd/mm/yyyy); "
              "default the period's last day. A date from 01/07/2025 reports an older period under the two tiers.")
@click.option("--each-child", "each_child", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Write the unit's report and every child unit's own report (e.g. each commune's, by village) "
              "into DIR, one file per unit named by its code, all computed in one pass (--format other than table).")
@click.pass_context
@handles_errors
@_report_errors
def report(ctx: click.Context, unit_code: str | None, period: str | None, form_code: str | None, fmt: str,
           output: Path | None, units_on, each_child: Path | None) -> None:  # noqa: ANN001
    """Statistical report of a unit for a period (Circular 01/2022/TT-BYT).

    Example: danso report --unit 31 --period 2026-Q3 --format xlsx -o hai-phong-q3.xlsx
    """
    if ctx.invoked_subcommand is not None:
        return
    missing = [name for name, v in (("--unit", unit_code), ("--period", period)) if not v]
    if missing:
        raise ReportInputError(f"thiếu {' và '.join(missing)}; ví dụ: danso report --unit 31 --period 2026-Q3.")
    if each_child is not None:
        _write_each(unit_code, period, form_code, fmt, units_on, each_child)
        return
    if fmt in EXPORTS and EXPORTS[fmt].binary and output is None:
        raise ReportInputError(f"định dạng {fmt} cần tệp kết quả: thêm -o TÊN_TỆP.{EXPORTS[fmt].suffix}.")
    r = build_report(get_context(), unit_code, period, form=form_code, units_on=units_on)
    if fmt == "table":
        _print(r)
        return
    data = EXPORTS[fmt].write(r)
    if output is None:
        click.echo(data, nl=False)
        return
    if isinstance(data, bytes):
        output.write_bytes(data)
    else:
        output.write_text(data, encoding="utf-8")
    err_console.print(f"Đã ghi {output} ({r.form.code}, {r.unit.name}, {r.period.label}).")


def _write_each(unit_code: str, period: str, form_code: str | None, fmt: str, units_on, folder: Path) -> None:  # noqa: ANN001
    if fmt not in EXPORTS:
        raise ReportInputError(f"--each-child ghi tệp: chọn --format {'|'.join(EXPORTS)}.")
    reports = build_reports(get_context(), unit_code, period, form=form_code, units_on=units_on)
    folder.mkdir(parents=True, exist_ok=True)
    export = EXPORTS[fmt]
    for r in reports:
        data = export.write(r)
        path = folder / f"{r.unit.code}.{export.suffix}"
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    err_console.print(f"Đã ghi {len(reports)} báo cáo ({reports[0].unit.name} và {len(reports) - 1} đơn vị trực thuộc, "
                      f"{reports[0].period.label}) vào {folder}.")


def _print(r: Report) -> None:
    from danso.exports.rows import cell_text, report_rows

    cols = [c for c in r.columns if c.unit is not None]
    shown = cols if len(cols) <= MAX_SCREEN_COLUMNS else []
    t = Table(title=f"{r.form.title} — {r.unit.name} (mã {r.unit.code}) — {r.period.label} "
                    f"({fmt_date(r.period.start)} – {fmt_date(r.period.end)})", title_justify="left")
    for h in ("STT", "Tên chỉ tiêu", "Đơn vị tính", "Tổng số", *(c.unit.name for c in shown)):
        t.add_column(h, justify="right" if h not in ("Tên chỉ tiêu", "Đơn vị tính") else "left")
    for row in report_rows(r):
        t.add_row(row.number, row.label, row.unit, cell_text(row),
                  *(cell_text(row, i) for i, c in enumerate(r.columns) if c in shown))
    console.print(t)
    if cols and not shown:
        console.print(f"[dim]{len(cols)} đơn vị trực thuộc: xem từng đơn vị bằng --format xlsx hoặc csv.[/]")


@click.command()
@click.option("--format", "fmt", type=click.Choice(("table", "json", "adx-schema")), default="table",
              show_default=True, help="adx-schema: the XML schema of `danso report --format adx`.")
def indicators(fmt: str) -> None:
    """The indicator catalogue: code, Vietnamese name, unit, stock/flow, formula, breakdowns."""
    if fmt == "adx-schema":
        from danso.exports.exchange import adx_schema

        click.echo(adx_schema(), nl=False)
        return
    meta = catalogue_meta()
    if fmt == "json":
        click.echo(json.dumps({**meta, "indicators": [
            {"code": i.code, "name": i.name, "unit": i.unit, "kind": i.kind, "definition": i.definition,
             "formula": i.formula, "breakdowns": list(i.breakdowns)} for i in catalogue()]},
            ensure_ascii=False, indent=1))
        return
    kinds = {"stock": "cuối kỳ", "flow": "trong kỳ", "average": "bình quân kỳ", "rate": "tỷ suất/tỷ lệ"}
    t = Table(title=f"Danh mục chỉ tiêu (phiên bản {meta['version']})", title_justify="left")
    for h in ("Mã", "Tên chỉ tiêu", "Đơn vị tính", "Loại", "Công thức", "Phân tổ"):
        t.add_column(h)
    for i in catalogue():
        t.add_row(i.code, i.name, i.unit, kinds[i.kind], i.formula,
                  ", ".join(meta["breakdowns"][b]["name"] for b in i.breakdowns))
    console.print(t)
    console.print(f"[dim]Nguồn: {meta['source']}[/]")


for _command in report_submissions.COMMANDS:  # submit, approve, return, reopen, status, history
    report.add_command(_command)
