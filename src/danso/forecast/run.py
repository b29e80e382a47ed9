"""Run a projection: inputs + scenario → step inputs → the engine → a ``Forecast`` with its indicators."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from danso.domain.lifetable import expand_rates, life_table, person_years_by_group, survival_ratios
from danso.domain.projection import Projection, StepInputs, project
from danso.domain.projection_indicators import population_indicators, step_indicators
from danso.forecast.inputs import ProjectionInputs, vn_number
from danso.forecast.scenarios import PHASE_IN_YEARS, Scenario


def decimal_year(d: dt.date) -> float:
    start = dt.date(d.year, 1, 1)
    return d.year + (d - start).days / (dt.date(d.year + 1, 1, 1) - start).days


def interpolate(path: dict[float, float], year: float, default: float) -> float:
    """Linear between the given years, constant before the first and after the last."""
    if not path:
        return default
    xs = sorted(path)
    return float(np.interp(year, xs, [path[x] for x in xs]))


def _tfr_at(inputs: ProjectionInputs, scenario: Scenario, year: float, base_year: float) -> float:
    if scenario.tfr_target is not None:
        target_year = scenario.tfr_target_year or base_year + 20
        tfr = interpolate({base_year: inputs.tfr, float(target_year): scenario.tfr_target}, year, inputs.tfr)
    else:
        tfr = interpolate(inputs.tfr_path, year, inputs.tfr)
    phase = min(1.0, max(0.0, (year - base_year) / PHASE_IN_YEARS))
    return max(0.0, tfr + scenario.tfr_offset * phase)


def _survival(inputs: ProjectionInputs, factor: float) -> tuple[np.ndarray, list[float]]:
    """(2, n) survival ratios, and e0 by sex, with death rates multiplied by ``factor``."""
    m, w = inputs.mortality, inputs.width
    if m.kind == "person_years":
        l0 = m.radix
        return np.vstack([survival_ratios(m.values[s], l0, w) for s in (0, 1)]), [
            float(m.values[s].sum() / l0) for s in (0, 1)]
    rows, e0 = [], []
    for s in (0, 1):
        ages, mx = m.ages, m.values[s]
        if w == 1:
            fine = np.arange(0, max(inputs.open_age, int(ages[-1])) + 1)
            mx, ages = expand_rates(ages, mx, fine), fine
        lt = life_table(ages, mx * factor, s)
        L, l0 = person_years_by_group(lt, w, inputs.open_age)
        rows.append(survival_ratios(L, l0, w))
        e0.append(lt.e0)
    return np.vstack(rows), e0


@dataclass
class Forecast:
    """A finished projection with its years, indicators and the assumptions it rests on."""

    title: str
    base_date: dt.date
    scenario: Scenario
    projection: Projection
    open_age: int
    years: list[float]  # calendar time of each population (decimal years)
    population_indicators: list[dict[str, float]]
    step_indicators: list[dict[str, float]]
    assumptions: list[str] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return self.projection.width

    @property
    def dates(self) -> list[dt.date]:
        """The day each projected population refers to: the base date, then every step's width later."""
        return [_years_after(self.base_date, k * self.width) for k in range(len(self.years))]


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def build_steps(inputs: ProjectionInputs, scenario: Scenario, steps: int) -> tuple[list[StepInputs], list[dict]]:
    """Step inputs for ``steps`` steps, and per step the TFR, SRB and e0 used."""
    base_year = decimal_year(inputs.base_date)
    decline = inputs.mortality_decline if scenario.mortality_decline is None else scenario.mortality_decline
    pattern = inputs.asfr / inputs.asfr.sum() if inputs.asfr.sum() > 0 else inputs.asfr
    out, used = [], []
    for k in range(steps):
        mid = base_year + (k + 0.5) * inputs.width
        tfr = _tfr_at(inputs, scenario, mid, base_year)
        srb = interpolate(inputs.srb_path, mid, inputs.srb)
        survival, e0 = _survival(inputs, (1 - decline) ** (mid - base_year) if decline else 1.0)
        mig = inputs.migration[min(k, len(inputs.migration) - 1)]
        out.append(StepInputs(pattern * tfr / inputs.width, survival, srb,
                              mig if scenario.migration else np.zeros_like(mig)))
        used.append({"tfr": tfr, "srb": srb * 100, "e0_male": e0[0], "e0_female": e0[1]})
    return out, used


def run_forecast(inputs: ProjectionInputs, scenario: Scenario, years: int) -> Forecast:
    """Project ``inputs`` for ``years`` years (rounded up to whole steps) under ``scenario``."""
    steps = -(-years // inputs.width)
    step_inputs, used = build_steps(inputs, scenario, steps)
    proj = project(inputs.population, step_inputs, inputs.width)
    base_year = decimal_year(inputs.base_date)
    years_list = [base_year + k * inputs.width for k in range(steps + 1)]
    pops = [population_indicators(p, inputs.width) for p in proj.population]
    per_step = []
    for k in range(steps):
        ind = step_indicators(proj.population[k], proj.population[k + 1], float(proj.births[k].sum()),
                              float(proj.deaths[k].sum()), float(proj.migration[k].sum()), proj.asfr[k],
                              inputs.width)
        per_step.append({**ind, **{k2: v for k2, v in used[k].items() if k2 != "tfr"}})
    assumptions = [
        f"Phương pháp: thành phần đoàn hệ hai giới (cohort-component), nhóm {inputs.width} tuổi, bước "
        f"{inputs.width} năm, nhóm tuổi mở {inputs.open_age}+.",
        f"Phương án: {scenario.describe()}.",
        f"Mức sinh gốc: TFR {vn_number(inputs.tfr, 2)}; sinh tính trên trung bình số phụ nữ đầu và cuối mỗi bước.",
        f"Tỷ số giới tính khi sinh gốc: {vn_number(inputs.srb * 100)} bé trai/100 bé gái.",
        f"Tỷ suất chết giảm {vn_number(100 * (inputs.mortality_decline if scenario.mortality_decline is None else scenario.mortality_decline))}%/năm.",
        "Di cư thuần: một nửa vào đầu, một nửa vào cuối mỗi bước." if scenario.migration else "Không tính di cư.",
        *inputs.notes,
    ]
    return Forecast(inputs.title, inputs.base_date, scenario, proj, inputs.open_age, years_list, pops, per_step,
                    assumptions, inputs.report)
