"""Projection inputs from registry counts (pure NumPy): rates with their counts, shrunk toward a prior
schedule where the numbers are small. Method and constants: docs/forecast.md, "Inputs from the register".

Counts are by sex (row 0 male, 1 female) and single year of age 0 … ``open_age`` (the last open).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from danso.domain.lifetable import MALE, life_table
from danso.forecast import national
from danso.forecast.inputs import Mortality, ProjectionInputs, vn_number

MORTALITY_PRIOR_DEATHS = 10.0  # prior weight, in expected deaths, of each age-sex death rate
FERTILITY_PRIOR_BIRTHS = 5.0  # prior weight, in expected births, of each age-specific fertility rate
SRB_PRIOR_BIRTHS = 500.0  # prior weight, in births, of the sex ratio at birth
MIN_DEATH_COMPLETENESS = 0.5  # below this share of the expected deaths the register's deaths are not used
DEFAULT_MORTALITY_DECLINE = 0.01  # per year, the medium assumption for death rates
FERTILE = (15, 50)


@dataclass
class Counts:
    """Registry counts of one unit: ``population`` on the base date; ``exposure`` person-years over the
    window (years × population at its middle); ``births`` by sex of the child and age of the mother;
    ``deaths``; ``moved_in`` / ``moved_out`` (None when the register has no event log)."""

    population: np.ndarray
    exposure: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    moved_in: np.ndarray | None
    moved_out: np.ndarray | None

    def __add__(self, other: Counts) -> Counts:
        def add(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
            return None if a is None or b is None else a + b
        return Counts(self.population + other.population, self.exposure + other.exposure,
                      self.births + other.births, self.deaths + other.deaths,
                      add(self.moved_in, other.moved_in), add(self.moved_out, other.moved_out))


@dataclass(frozen=True)
class Prior:
    """Schedules the unit's own rates are shrunk toward: death rates on ``mx_ages`` (last open), annual
    fertility by single year of age 15–49, boys per girl."""

    mx_ages: np.ndarray
    mx: np.ndarray
    asfr_single: np.ndarray
    srb: float
    label: str


def national_prior(open_age: int) -> Prior:
    """Viet Nam's schedule (UN WPP 2019) on the groups 0, 1, 5, …, ``open_age``+; the open group's rate is
    the life table's ``l(open)/T(open)`` over the full schedule to 100+."""
    ages = mortality_ages(open_age)
    k = len(ages) - 1
    mx = np.empty((2, len(ages)))
    for s in (0, 1):
        lt = life_table(national.MX_AGES, national.MX[s], s)
        mx[s, :k] = national.MX[s, :k]
        pos = int(np.searchsorted(national.MX_AGES, open_age))
        mx[s, k] = lt.lx[pos] / lt.Tx[pos]
    return Prior(ages, mx, np.repeat(national.ASFR_5Y_15_49, 5), national.SRB, national.SOURCE)


def mortality_ages(open_age: int) -> np.ndarray:
    return np.array([0, 1] + list(range(5, open_age + 1, 5)))


def shrink(events: np.ndarray, exposure: np.ndarray, prior: np.ndarray, weight: float) -> np.ndarray:
    """Poisson–gamma shrinkage: ``(D + k) / (E + k/m0)``, the prior worth ``k`` expected events at rate m0.
    Where the prior rate is 0, the observed rate (or 0 without exposure)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        shrunk = (events + weight) / (exposure + weight / prior)
        observed = np.where(exposure > 0, events / exposure, 0.0)
    return np.where(prior > 0, shrunk, observed)


def _by_groups(a: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sum single-year columns into groups starting at ``starts`` (the last group open)."""
    return np.add.reduceat(a, starts, axis=-1)


def _mortality(c: Counts, prior: Prior) -> tuple[np.ndarray, dict[str, Any], str]:
    starts = prior.mx_ages
    deaths, exposure = _by_groups(c.deaths, starts), _by_groups(c.exposure, starts)
    expected = float((exposure * prior.mx).sum())
    completeness = float(deaths.sum() / expected) if expected > 0 else 0.0
    if completeness < MIN_DEATH_COMPLETENESS:
        used = prior.mx.copy()
        note = (f"Tử vong đăng ký ({int(deaths.sum())}) chỉ bằng {100 * completeness:.0f}% số dự kiến theo lịch "
                f"chuẩn ({expected:.0f}): sổ chưa ghi đủ tử vong, dùng lịch chuẩn ({prior.label}).")
    else:
        used = shrink(deaths, exposure, prior.mx, MORTALITY_PRIOR_DEATHS)
        note = (f"Tỷ suất chết từ {int(deaths.sum())} ca tử vong đăng ký, co về lịch chuẩn ({prior.label}) với "
                f"trọng số {MORTALITY_PRIOR_DEATHS:.0f} ca dự kiến mỗi nhóm tuổi-giới.")
    e0 = [life_table(starts, used[s], s).e0 for s in (0, 1)]
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.where(exposure > 0, deaths / exposure, 0.0)
    report = {"ages": starts.tolist(), "deaths": deaths.tolist(), "person_years": exposure.tolist(),
              "mx_observed": observed.tolist(), "mx_used": used.tolist(), "expected_deaths": expected,
              "completeness": completeness, "e0": {"male": e0[MALE], "female": e0[1]}, "note": note}
    return used, report, note


def _fertility(c: Counts, prior: Prior, width: int) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    lo, hi = FERTILE
    births = c.births.sum(axis=0)[lo:hi]
    women = c.exposure[1, lo:hi]
    single = shrink(births, women, prior.asfr_single, FERTILITY_PRIOR_BIRTHS / width)
    starts = np.arange(0, hi - lo, width)
    b_g, w_g = _by_groups(births, starts), _by_groups(women, starts)
    with np.errstate(divide="ignore", invalid="ignore"):
        grouped = np.where(w_g > 0, _by_groups(single * women, starts) / w_g, _by_groups(single, starts) / width)
        observed = np.where(w_g > 0, b_g / w_g, 0.0)
    report = {"ages": (starts + lo).tolist(), "births": b_g.tolist(), "woman_years": w_g.tolist(),
              "asfr_observed": observed.tolist(), "asfr_used": grouped.tolist(),
              "tfr_observed": float(width * observed.sum()), "tfr": float(width * grouped.sum())}
    return grouped, single, report


def _srb(c: Counts, prior: Prior) -> tuple[float, dict[str, Any]]:
    boys, girls = float(c.births[0].sum()), float(c.births[1].sum())
    p0 = prior.srb / (1 + prior.srb)
    p = (boys + SRB_PRIOR_BIRTHS * p0) / (boys + girls + SRB_PRIOR_BIRTHS)
    return p / (1 - p), {"boys": boys, "girls": girls,
                         "observed": 100 * boys / girls if girls else None, "used": 100 * p / (1 - p)}


def _migration(c: Counts, width: int, years_back: int, n: int) -> tuple[np.ndarray, dict[str, Any], str]:
    if c.moved_in is None or c.moved_out is None:
        note = ("Sổ chưa có nhật ký sự kiện (bảng events): chưa có số liệu chuyển đi/chuyển đến, "
                "di cư thuần được đặt bằng 0.")
        return np.zeros((2, n)), {"source": None, "note": note}, note
    starts = np.arange(n) * width
    net = _by_groups(c.moved_in - c.moved_out, starts) * width / years_back
    note = (f"Di cư thuần từ sự kiện chuyển đến ({int(c.moved_in.sum())}) và chuyển đi ({int(c.moved_out.sum())}) "
            f"đã đăng ký trong {years_back} năm, tính theo năm rồi nhân với độ dài bước.")
    return net, {"source": "events", "moved_in": c.moved_in.sum(axis=1).tolist(),
                 "moved_out": c.moved_out.sum(axis=1).tolist(), "net_per_step": net.tolist(), "note": note}, note


def derive(c: Counts, prior: Prior, *, title: str, base_date: dt.date, window: tuple[dt.date, dt.date],
           years_back: int, width: int, open_age: int) -> tuple[ProjectionInputs, Prior]:
    """Inputs of one unit from its counts, and the prior its sub-units are shrunk toward."""
    n = open_age // width + 1
    mx, mort_report, mort_note = _mortality(c, prior)
    asfr_g, asfr_single, fert_report = _fertility(c, prior, width)
    asfr = np.zeros(n)
    asfr[FERTILE[0] // width:FERTILE[0] // width + len(asfr_g)] = asfr_g
    srb, srb_report = _srb(c, prior)
    migration, mig_report, mig_note = _migration(c, width, years_back, n)
    population = _by_groups(c.population, np.arange(n) * width)
    report = {
        "window": {"first": window[0].isoformat(), "last": window[1].isoformat(), "years": years_back},
        "population": {"male": float(population[0].sum()), "female": float(population[1].sum())},
        "fertility": fert_report, "mortality": mort_report, "srb": srb_report, "migration": mig_report,
        "prior": prior.label,
    }
    notes = [
        f"Dân số gốc: nhân khẩu thực tế thường trú ngày {base_date:%d/%m/%Y} theo Sổ A0.",
        f"Mức sinh: {int(c.births.sum())} trẻ sinh từ {window[0]:%d/%m/%Y} đến {window[1]:%d/%m/%Y} có mẹ "
        f"thường trú trên địa bàn, chia cho số năm-người phụ nữ (số phụ nữ giữa kỳ × {years_back}); co về lịch "
        f"chuẩn ({prior.label}); TFR {vn_number(fert_report['tfr'], 2)} (quan sát {vn_number(fert_report['tfr_observed'], 2)}).",
        mort_note,
        f"SRB {vn_number(srb_report['used'])} từ {int(srb_report['boys'])} bé trai và {int(srb_report['girls'])} bé gái, "
        f"co về {vn_number(100 * prior.srb)} với trọng số {SRB_PRIOR_BIRTHS:.0f} ca sinh.",
        mig_note,
    ]
    inputs = ProjectionInputs(title, base_date, width, open_age, population, asfr,
                              Mortality("mx", mx, prior.mx_ages), srb, [migration],
                              mortality_decline=DEFAULT_MORTALITY_DECLINE, notes=notes, report=report)
    return inputs, Prior(prior.mx_ages, mx, asfr_single, srb, f"lịch của {title}")
