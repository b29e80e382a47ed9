"""A forecast as tables (population by year, sex and age; components and indicators by step and year), and
the CSV, XLSX and JSON writers."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from danso.domain.vntext import format_date
from danso.forecast.run import Forecast

SEX_LABELS = ("Nam", "Nữ")
POP_HEADER = ("ngay", "gioi_tinh", "nhom_tuoi", "dan_so")
YEAR_COLUMNS = {
    "total": "Tổng dân số", "male": "Nam", "female": "Nữ", "sex_ratio": "Tỷ số giới tính (nam/100 nữ)",
    "median_age": "Tuổi trung vị", "young_dependency": "Tỷ số phụ thuộc trẻ (0–14)",
    "old_dependency": "Tỷ số phụ thuộc già (65+)", "total_dependency": "Tỷ số phụ thuộc chung",
    "ageing_index": "Chỉ số già hóa (60+/0–14)", "share_60_plus": "Tỷ lệ 60+ (%)", "share_80_plus": "Tỷ lệ 80+ (%)",
}
STEP_COLUMNS = {
    "births": "Số sinh", "deaths": "Số chết", "net_migration": "Di cư thuần", "tfr": "TFR", "srb": "SRB",
    "e0_male": "e0 nam", "e0_female": "e0 nữ", "cbr": "CBR (‰)", "cdr": "CDR (‰)", "cnmr": "Tỷ suất di cư thuần (‰)",
    "growth_rate": "Tỷ lệ tăng (%/năm)",
}


def date_label(f: Forecast, t: int) -> str:
    """The day of the ``t``-th projected population, dd/mm/yyyy."""
    return format_date(f.dates[t])


def age_labels(f: Forecast) -> list[str]:
    w, n = f.width, f.projection.population.shape[2]
    if w == 1:
        return [str(k) for k in range(n - 1)] + [f"{f.open_age}+"]
    return [f"{k * w}–{k * w + w - 1}" for k in range(n - 1)] + [f"{f.open_age}+"]


def population_rows(f: Forecast) -> list[tuple[str, str, str, float]]:
    labels = age_labels(f)
    return [(date_label(f, t), SEX_LABELS[s], labels[a], float(f.projection.population[t, s, a]))
            for t in range(len(f.years)) for s in (0, 1) for a in range(len(labels))]


def year_rows(f: Forecast) -> list[dict[str, Any]]:
    return [{"date": date_label(f, t), **ind} for t, ind in enumerate(f.population_indicators)]


def step_rows(f: Forecast) -> list[dict[str, Any]]:
    return [{"from": date_label(f, k), "to": date_label(f, k + 1), **ind}
            for k, ind in enumerate(f.step_indicators)]


def to_csv(f: Forecast) -> str:
    """Population by year, sex and age group (long form), UTF-8 with a header row."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(POP_HEADER)
    w.writerows((y, s, a, round(v, 3)) for y, s, a, v in population_rows(f))
    return out.getvalue()


def to_json(f: Forecast) -> dict[str, Any]:
    """Everything: inputs report, assumptions, population by year/sex/age, components and indicators."""
    return {
        "title": f.title, "base_date": format_date(f.base_date), "scenario": f.scenario.name,
        "scenario_label": f.scenario.describe(), "step": f.width, "open_age": f.open_age,
        "age_groups": age_labels(f), "dates": [date_label(f, t) for t in range(len(f.years))],
        "population": {"male": f.projection.population[:, 0].round(3).tolist(),
                       "female": f.projection.population[:, 1].round(3).tolist()},
        "indicators_by_year": year_rows(f), "components_by_step": step_rows(f),
        "assumptions": f.assumptions, "derived_inputs": f.report,
    }


def write(f: Forecast, fmt: str, path: Path | None) -> str | None:
    """Write the forecast as csv, json or xlsx to ``path``; csv and json go to the returned text when no path."""
    if fmt == "csv":
        text = to_csv(f)
    elif fmt == "json":
        text = json.dumps(to_json(f), ensure_ascii=False, indent=1, default=_plain)
    elif fmt == "xlsx":
        if path is None:
            raise ValueError("xlsx needs an output file (-o)")
        write_xlsx(f, path)
        return None
    else:
        raise ValueError(f"unknown format {fmt}")
    if path is None:
        return text
    path.write_text(text, encoding="utf-8")
    return None


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def write_xlsx(f: Forecast, path: Path) -> None:
    """Sheets: Chỉ tiêu (by date), Biến động (by step), Dân số (date × sex × age), Giả định."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Chỉ tiêu"
    _table(ws, ["Ngày", *YEAR_COLUMNS.values()], [[r["date"], *(r[k] for k in YEAR_COLUMNS)] for r in year_rows(f)])
    ws = wb.create_sheet("Biến động")
    _table(ws, ["Từ ngày", "Đến ngày", *STEP_COLUMNS.values()],
           [[r["from"], r["to"], *(r.get(k) for k in STEP_COLUMNS)] for r in step_rows(f)])
    ws = wb.create_sheet("Dân số")
    labels = age_labels(f)
    header = ["Ngày", "Giới tính", *labels, "Tổng"]
    rows = []
    for t in range(len(f.years)):
        for s in (0, 1):
            values = f.projection.population[t, s].tolist()
            rows.append([date_label(f, t), SEX_LABELS[s], *values, sum(values)])
    _table(ws, header, rows)
    ws = wb.create_sheet("Giả định")
    ws.append([f.title])
    ws["A1"].font = Font(bold=True)
    ws.append([f"Ngày gốc: {format_date(f.base_date)}"])
    for a in f.assumptions:
        ws.append([a])
    wb.save(path)


def _table(ws, header: list[str], rows: list[list[Any]]) -> None:  # noqa: ANN001
    from openpyxl.styles import Font

    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([round(v, 4) if isinstance(v, float) else v for v in r])
    ws.freeze_panes = "A2"
