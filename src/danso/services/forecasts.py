"""Use cases of forecasts: derive inputs from the register, project a unit, project every commune of a
province consistently with the province, and project hand-given inputs."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import Connection

from danso.bootstrap import Context
from danso.domain import codes
from danso.domain.projection import Projection, control_to_total
from danso.domain.projection_indicators import population_indicators, step_indicators
from danso.domain.units import Level, Unit
from danso.forecast.derive import Counts, derive, national_prior
from danso.forecast.inputs import InputsError, ProjectionInputs, parse_inputs
from danso.forecast.run import Forecast, run_forecast
from danso.forecast.scenarios import Scenario
from danso.services.units import resolve
from danso.storage import forecast_repo, units_repo

DEFAULT_YEARS_BACK = 3
DEFAULT_OPEN_AGE = 85


@dataclass
class DerivedInputs:
    """Inputs of the unit asked for and, when it is a province, of each of its communes."""

    unit: Unit
    inputs: ProjectionInputs
    communes: list[tuple[Unit, ProjectionInputs]] = field(default_factory=list)


def _window(base_date: dt.date, years_back: int) -> tuple[dt.date, dt.date, dt.date]:
    """(first day, last day, middle) of the ``years_back`` years ending on the base date."""
    year = base_date.year - years_back
    # 29 February of a leap year: the same day N years back is 28 February when that year has none
    start = base_date.replace(year=year) if calendar.isleap(year) or base_date.month != 2 or base_date.day != 29 \
        else dt.date(year, 2, 28)
    first = start + dt.timedelta(days=1)
    return first, base_date, first + (base_date - first) / 2


class _Row(NamedTuple):
    commune_id: int | None
    sex: str
    age: int
    n: int


def _ages(rows: list, year: int, day: str, open_age: int) -> list[_Row]:
    """Rows of ``populations_by_age`` as (commune, sex, age, n) on its ``first`` or ``second`` day."""
    out = []
    for r in rows:
        n = getattr(r, f"n_{day}")
        age = year - r.birth_year - (1 if getattr(r, f"late_{day}") else 0)
        if n and age >= 0:
            out.append(_Row(r.commune_id, r.sex, min(age, open_age), n))
    return out


def _tally(rows: list, key: str, open_age: int, sex_index: dict[str, int]) -> dict[Any, np.ndarray]:
    out: dict[Any, np.ndarray] = {}
    for r in rows:
        arr = out.setdefault(getattr(r, key), np.zeros((2, open_age + 1)))
        age = int(r.age)
        if 0 <= age <= open_age and r.sex in sex_index:
            arr[sex_index[r.sex], age] += r.n
    return out


def _collect(conn: Connection, root_id: int, base_date: dt.date, years_back: int,
             open_age: int) -> tuple[dict[Any, Counts], bool]:
    """Counts per commune (key None: areas outside any commune) under the root unit."""
    resident = sorted(codes.code_list(codes.RESIDENCE).where("resident"))
    first, last, middle = _window(base_date, years_back)
    sexes = {"1": 0, "2": 1}
    both = forecast_repo.populations_by_age(conn, root_id, base_date, base_date, middle, resident)
    pop = _tally(_ages(both, base_date.year, "first", open_age), "commune_id", open_age, sexes)
    mid = _tally(_ages(both, middle.year, "second", open_age), "commune_id", open_age, sexes)
    births = _tally(forecast_repo.births_by_mother_age(conn, root_id, base_date, first, last, resident, open_age),
                    "commune_id", open_age, sexes)
    deaths = _tally(forecast_repo.deaths_by_age(conn, root_id, base_date, first, last, resident, open_age),
                    "commune_id", open_age, sexes)
    events = forecast_repo.has_events(conn)
    moves = forecast_repo.moves_by_age(conn, root_id, base_date, first, last, open_age) if events else []
    moved = {k: _tally([r for r in moves if r.kind == k], "commune_id", open_age, sexes)
             for k in ("moved_in", "moved_out")}
    zero = np.zeros((2, open_age + 1))
    out = {}
    for cid in set(pop) | set(mid) | set(births) | set(deaths) | set(moved["moved_in"]) | set(moved["moved_out"]):
        out[cid] = Counts(pop.get(cid, zero), years_back * mid.get(cid, zero), births.get(cid, zero),
                          deaths.get(cid, zero), moved["moved_in"].get(cid, zero) if events else None,
                          moved["moved_out"].get(cid, zero) if events else None)
    return out, events


def _sum(counts: list[Counts], open_age: int, events: bool) -> Counts:
    z = np.zeros((2, open_age + 1))
    total = Counts(z, z, z, z, z if events else None, z if events else None)
    for c in counts:
        total = total + c
    return total


def derive_inputs(ctx: Context, unit_code: str, base_date: dt.date, *, width: int = 5,
                  years_back: int = DEFAULT_YEARS_BACK, open_age: int = DEFAULT_OPEN_AGE,
                  with_communes: bool = False) -> DerivedInputs:
    """Inputs of a unit from the register on ``base_date`` (see docs/forecast.md). A commune's rates are shrunk
    toward its province's, a province's toward the national schedule. ``with_communes`` (province only) also
    derives every commune's inputs.

    Example:
        >>> derived = derive_inputs(ctx, "31", dt.date(2025, 12, 31), with_communes=True)  # doctest: +SKIP
    """
    window = _window(base_date, years_back)[:2]
    kw = {"base_date": base_date, "window": window, "years_back": years_back, "width": width, "open_age": open_age}
    with ctx.engine.connect() as conn:
        row = resolve(conn, unit_code, base_date)
        province = _province_of(conn, row, base_date)
        counts, events = _collect(conn, (province or row).id, base_date, years_back, open_age)
        names = {cid: units_repo.get(conn, cid) for cid in counts if cid is not None}
    top_counts = _sum(list(counts.values()), open_age, events)
    top, top_prior = derive(top_counts, national_prior(open_age), title=_title((province or row).unit), **kw)
    if row.unit.level == Level.COMMUNE and province is not None:
        own = counts.get(row.id) or _sum([], open_age, events)
        inputs, _ = derive(own, top_prior, title=_title(row.unit), **kw)
        return DerivedInputs(row.unit, inputs)
    communes = []
    if with_communes:
        for cid in sorted((c for c in counts if c is not None), key=lambda c: names[c].code):
            inputs, _ = derive(counts[cid], top_prior, title=_title(names[cid]), **kw)
            communes.append((names[cid], inputs))
    return DerivedInputs(row.unit, top, communes)


def _province_of(conn: Connection, row: units_repo.UnitRow, on: dt.date) -> units_repo.UnitRow | None:
    if row.unit.level == Level.PROVINCE:
        return row
    if row.unit.level == Level.COMMUNE:
        return next((a for a in units_repo.ancestors(conn, row.id, on) if a.unit.level == Level.PROVINCE), None)
    return None


def _title(unit: Unit) -> str:
    return f"{unit.name} ({unit.code})"


def forecast_unit(ctx: Context, unit_code: str, base_date: dt.date, years: int, scenario: Scenario, *,
                  width: int = 5, years_back: int = DEFAULT_YEARS_BACK) -> Forecast:
    """Project a unit's population from the register for ``years`` years under a scenario."""
    derived = derive_inputs(ctx, unit_code, base_date, width=width, years_back=years_back)
    return run_forecast(derived.inputs, scenario, years)


def forecast_inputs(doc: Any, years: int | None, scenario: Scenario) -> Forecast:
    """Project hand-given inputs (docs/forecast.md); ``years`` defaults to the file's ``years`` or 30."""
    inputs = parse_inputs(doc)
    return run_forecast(inputs, scenario, years or int(doc.get("years", 30)))


@dataclass
class SmallAreaForecast:
    province: Forecast
    communes: list[tuple[Unit, Forecast]]


def forecast_communes(ctx: Context, province_code: str, base_date: dt.date, years: int, scenario: Scenario, *,
                      width: int = 5, years_back: int = DEFAULT_YEARS_BACK) -> SmallAreaForecast:
    """Project the province and each of its communes, then control the communes to the province: in every
    year, sex and age group the communes' populations (and per step their births and deaths) are scaled in
    proportion so that they sum to the province's own projection."""
    derived = derive_inputs(ctx, province_code, base_date, width=width, years_back=years_back, with_communes=True)
    if derived.unit.level != Level.PROVINCE:
        raise InputsError([f"--communes: “{province_code}” là {derived.unit.level.label}, không phải tỉnh/thành phố; "
                           "dự báo theo xã cần mã tỉnh."])
    province = run_forecast(derived.inputs, scenario, years)
    raw = [run_forecast(inputs, scenario, years) for _, inputs in derived.communes]
    if not raw:
        return SmallAreaForecast(province, [])
    controlled = controlled_projections(province.projection, [f.projection for f in raw])
    out = []
    for (unit, _), f, proj in zip(derived.communes, raw, controlled):
        f.projection = proj
        _reindicate(f)
        f.assumptions.append("Xã/phường được hiệu chỉnh theo tỷ lệ để tổng các xã bằng dự báo của tỉnh theo "
                             "từng năm, giới và nhóm tuổi (sinh, tử theo từng bước cũng vậy).")
        out.append((unit, f))
    return SmallAreaForecast(province, out)


def controlled_projections(total: Projection, parts: list[Projection]) -> list[Projection]:
    """The parts' projections scaled cell by cell to sum to the total (population, births, deaths)."""
    pop = control_to_total(np.stack([p.population for p in parts]), total.population)
    births = control_to_total(np.stack([p.births for p in parts]), total.births)
    deaths = control_to_total(np.stack([p.deaths for p in parts]), total.deaths)
    return [Projection(p.width, pop[i], births[i], p.births_by_age, deaths[i], p.migration, p.asfr)
            for i, p in enumerate(parts)]


def _reindicate(f: Forecast) -> None:
    p, w = f.projection, f.projection.width
    f.population_indicators = [population_indicators(x, w) for x in p.population]
    for k, ind in enumerate(f.step_indicators):
        ind.update(step_indicators(p.population[k], p.population[k + 1], float(p.births[k].sum()),
                                   float(p.deaths[k].sum()), float(p.migration[k].sum()), p.asfr[k], w))

