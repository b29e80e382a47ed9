"""``danso forecast``: population projections from the register or from a hand-given inputs file."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from danso.cli.common import DATE, EXIT_INVALID, console, err_console, get_context, handles_errors
from danso.domain import clock
from danso.forecast import charts, outputs
from danso.forecast.inputs import InputsError, inputs_to_doc
from danso.forecast.run import Forecast, run_forecast
from danso.forecast.scenarios import Scenario, load_scenario, save_scenario
from danso.services import forecasts as svc

FORMATS = ("table", "csv", "json", "xlsx", "svg", "svg-animated", "png")


def _num(x: float, digits: int = 0) -> str:
    text = f"{x:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def _scenario(name: str, overrides: dict[str, Any]) -> Scenario:
    base = load_scenario(name)
    changes = {k: v for k, v in overrides.items() if v is not None}
    return dataclasses.replace(base, **changes) if changes else base


def _print(f: Forecast) -> None:
    console.print(f"[bold]{f.title}[/] — ngày gốc {f.base_date:%d/%m/%Y}, {f.scenario.describe()}")
    t = Table()
    for col in ("Ngày", "Dân số", "Nam", "Nữ", "Tuổi TV", "PT trẻ", "PT già", "Già hóa", "60+ %", "80+ %"):
        t.add_column(col, justify="right")
    for k, p in enumerate(f.population_indicators):
        t.add_row(outputs.date_label(f, k), _num(p["total"]), _num(p["male"]), _num(p["female"]),
                  _num(p["median_age"], 1), _num(p["young_dependency"], 1), _num(p["old_dependency"], 1),
                  _num(p["ageing_index"], 1), _num(p["share_60_plus"], 1), _num(p["share_80_plus"], 1))
    console.print(t)
    s = Table()
    for col in ("Giai đoạn", "Sinh", "Chết", "Di cư thuần", "TFR", "SRB", "e0 nam", "e0 nữ", "CBR ‰", "CDR ‰"):
        s.add_column(col, justify="right")
    for r in outputs.step_rows(f):
        s.add_row(f"{r['from']}–{r['to']}", _num(r["births"]), _num(r["deaths"]), _num(r["net_migration"]),
                  _num(r["tfr"], 2), _num(r["srb"], 1), _num(r["e0_male"], 1), _num(r["e0_female"], 1),
                  _num(r["cbr"], 1), _num(r["cdr"], 1))
    console.print(s)
    console.print("[bold]Phương pháp và giả định[/]")
    for a in f.assumptions:
        console.print(f"  • {a}", markup=False)


def _print_derived(rep: dict[str, Any]) -> None:
    """The derived inputs with the registered counts behind them."""
    w = rep["window"]
    console.print(f"[bold]Đầu vào từ sổ[/] ({w['years']} năm: {dt.date.fromisoformat(w['first']):%d/%m/%Y} – "
                  f"{dt.date.fromisoformat(w['last']):%d/%m/%Y}; lịch chuẩn: {rep['prior']})")
    fert = rep["fertility"]
    t = Table(title="Mức sinh")
    for col in ("Tuổi mẹ", "Số sinh", "Năm-người nữ", "ASFR quan sát ‰", "ASFR dùng ‰"):
        t.add_column(col, justify="right")
    for a, b, e, o, u in zip(fert["ages"], fert["births"], fert["woman_years"], fert["asfr_observed"],
                             fert["asfr_used"]):
        t.add_row(str(a), _num(b), _num(e), _num(1000 * o, 1), _num(1000 * u, 1))
    t.add_row("TFR", "", "", _num(fert["tfr_observed"], 2), _num(fert["tfr"], 2))
    console.print(t)
    mort = rep["mortality"]
    t = Table(title="Mức chết")
    for col in ("Tuổi", "Chết nam", "Năm-người nam", "mx nam dùng", "Chết nữ", "Năm-người nữ", "mx nữ dùng"):
        t.add_column(col, justify="right")
    for k, a in enumerate(mort["ages"]):
        t.add_row(str(a), _num(mort["deaths"][0][k]), _num(mort["person_years"][0][k]),
                  f"{mort['mx_used'][0][k]:.5f}".replace(".", ","), _num(mort["deaths"][1][k]),
                  _num(mort["person_years"][1][k]), f"{mort['mx_used'][1][k]:.5f}".replace(".", ","))
    console.print(t)
    console.print(f"e0: nam {_num(mort['e0']['male'], 1)}, nữ {_num(mort['e0']['female'], 1)}. {mort['note']}",
                  markup=False)
    srb = rep["srb"]
    console.print(f"SRB: {_num(srb['boys'])} bé trai, {_num(srb['girls'])} bé gái → dùng {_num(srb['used'], 1)}.")
    console.print(rep["migration"]["note"], markup=False)


def _emit(f: Forecast, fmt: str, out: Path | None) -> None:
    if fmt == "table":
        _print(f)
        return
    if fmt in ("svg", "svg-animated"):
        text = charts.animated_pyramid_svg(f) if fmt == "svg-animated" else charts.pyramid_svg(f)
        if out is None:
            sys.stdout.write(text)
        else:
            out.write_text(text, encoding="utf-8")
    elif fmt == "png" or fmt == "xlsx":
        if out is None:
            err_console.print(f"[bold red]Định dạng {fmt} cần tệp ra[/]: thêm -o TỆP.")
            sys.exit(EXIT_INVALID)
        charts.pyramid_png(f, out) if fmt == "png" else outputs.write(f, fmt, out)
    else:
        text = outputs.write(f, fmt, out)
        if text is not None:
            sys.stdout.write(text)
    if out is not None:
        console.print(f"Đã ghi {out}.")


def _communes(result: svc.SmallAreaForecast, fmt: str, out: Path | None) -> None:
    p = result.province
    console.print(f"[bold]{p.title}[/] và {len(result.communes)} xã/phường (tổng các xã bằng tỉnh theo năm, "
                  "giới, nhóm tuổi)")
    t = Table()
    for col in ("Mã", "Xã/phường", outputs.date_label(p, 0), outputs.date_label(p, len(p.years) - 1), "Tuổi TV cuối"):
        t.add_column(col, justify="right")
    for unit, f in result.communes:
        first, last = f.population_indicators[0], f.population_indicators[-1]
        t.add_row(unit.code, unit.name, _num(first["total"]), _num(last["total"]), _num(last["median_age"], 1))
    t.add_row("", "[bold]Toàn tỉnh[/]", _num(p.population_indicators[0]["total"]),
              _num(p.population_indicators[-1]["total"]), _num(p.population_indicators[-1]["median_age"], 1))
    console.print(t)
    if out is not None and fmt != "table":
        out.mkdir(parents=True, exist_ok=True)
        suffix = {"svg-animated": "svg"}.get(fmt, fmt)
        for code, f in [("tinh", p)] + [(u.code, f) for u, f in result.communes]:
            _emit(f, fmt, out / f"{code}.{suffix}")


@click.command()
@click.option("--unit", "unit_code", help="Unit code: a province (e.g. 31) or a commune.")
@click.option("--inputs", "inputs_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Hand-given inputs (JSON, docs/forecast.md) instead of the register.")
@click.option("--base-date", type=DATE, help="Base date (dd/mm/yyyy); default today.")
@click.option("--years", type=click.IntRange(1, 200),
              help="Horizon in years; default 30 (or the inputs file's own \"years\").")
@click.option("--step", type=click.Choice(["1", "5"]), default="5", show_default=True,
              help="Step and age-group width in years.")
@click.option("--scenario", "scenario_name", default="medium", show_default=True,
              help="low, medium, high, constant, no-migration, or a saved scenario.")
@click.option("--tfr-target", type=float, help="Scenario: TFR reached by --target-year.")
@click.option("--target-year", type=int, help="Scenario: year the TFR target is reached.")
@click.option("--tfr-offset", type=float, help="Scenario: children per woman added to the TFR path.")
@click.option("--mortality-decline", type=float, help="Scenario: annual decline of death rates (0.01 = 1%).")
@click.option("--migration/--no-migration", default=None, help="Scenario: net migration on or off.")
@click.option("--save-scenario", metavar="NAME", help="Save the scenario so defined under NAME.")
@click.option("--communes", is_flag=True, help="Province: every commune too, summing to the province.")
@click.option("--years-back", type=click.IntRange(1, 10), default=3, show_default=True,
              help="Years of registered births and deaths the rates come from.")
@click.option("--show-inputs", is_flag=True, help="Print the derived inputs and the counts behind them (JSON).")
@click.option("--export-inputs", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the derived inputs as a hand-given inputs file, to edit and run with --inputs.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output file (directory with --communes).")
@handles_errors
def forecast(unit_code: str | None, inputs_file: Path | None, base_date: dt.date | None, years: int | None,
             step: str,
             scenario_name: str, tfr_target: float | None, target_year: int | None, tfr_offset: float | None,
             mortality_decline: float | None, migration: bool | None, save_scenario: str | None, communes: bool,
             years_back: int, show_inputs: bool, export_inputs: Path | None, fmt: str, output: Path | None) -> None:
    """Project the population by sex and age (cohort-component method; docs/forecast.md).

    Example: danso forecast --unit 31 --base-date 31/12/2025 --years 30 --scenario low
    """
    try:
        scenario = _scenario(scenario_name, {"tfr_target": tfr_target, "tfr_target_year": target_year,
                                             "tfr_offset": tfr_offset, "mortality_decline": mortality_decline,
                                             "migration": migration})
        if save_scenario:
            scenario = dataclasses.replace(scenario, name=save_scenario, label=f"Phương án {save_scenario}")
            console.print(f"Đã lưu phương án “{save_scenario}” vào {save_scenario_to_file(scenario)}.")
        _run(unit_code, inputs_file, base_date or clock.today(), years, int(step), scenario, communes,
             years_back, show_inputs, export_inputs, fmt, output)
    except InputsError as e:
        err_console.print(f"[bold red]Đầu vào dự báo không hợp lệ[/] ({len(e.problems)} lỗi):")
        for p in e.problems:
            err_console.print(f"  • {p}", markup=False)
        sys.exit(EXIT_INVALID)


def save_scenario_to_file(scenario: Scenario) -> Path:
    return save_scenario(scenario)


def _run(unit_code: str | None, inputs_file: Path | None, base_date: dt.date, years: int | None, step: int,
         scenario: Scenario, communes: bool, years_back: int, show_inputs: bool, export_inputs: Path | None,
         fmt: str, output: Path | None) -> None:
    if inputs_file is not None:
        try:
            doc = json.loads(inputs_file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise InputsError([f"{inputs_file.name}: không đọc được JSON ({e})."]) from e
        _emit(svc.forecast_inputs(doc, years, scenario), fmt, output)
        return
    if not unit_code:
        raise InputsError(["--unit: cần mã đơn vị (hoặc --inputs TỆP)."])
    years = years or 30
    ctx = get_context()
    if communes:
        _communes(svc.forecast_communes(ctx, unit_code, base_date, years, scenario, width=step,
                                        years_back=years_back), fmt, output)
        return
    derived = svc.derive_inputs(ctx, unit_code, base_date, width=step, years_back=years_back)
    if export_inputs is not None:
        export_inputs.write_text(json.dumps(inputs_to_doc(derived.inputs), ensure_ascii=False, indent=1),
                                 encoding="utf-8")
        console.print(f"Đã ghi đầu vào vào {export_inputs}.")
    if show_inputs:
        _print_derived(derived.inputs.report)
    _emit(run_forecast(derived.inputs, scenario, years), fmt, output)
