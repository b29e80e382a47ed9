"""Indicators of a projected population (pure NumPy): crude rates, median age, dependency and ageing.

Definitions (UN / GSO usage): young dependency = P(0–14)/P(15–64)·100, old = P(65+)/P(15–64)·100,
total = their sum; ageing index (chỉ số già hóa) = P(60+)/P(0–14)·100; shares of 60+ and 80+ in %;
crude rates per 1,000 person-years, the person-years of a step taken as ``w·(P(t) + P(t+w))/2``.
"""
from __future__ import annotations

import numpy as np


def ages_of(width: int, n: int) -> np.ndarray:
    """Lower bounds of the age groups."""
    return np.arange(n) * width


def share_between(pop_by_age: np.ndarray, width: int, low: int, high: int | None) -> float:
    """Persons aged ``low`` to ``high − 1`` (``high=None``: and over). Bounds must fall on group edges."""
    lows = ages_of(width, pop_by_age.shape[-1])
    mask = (lows >= low) & (lows < high if high is not None else True)
    return float(pop_by_age[..., mask].sum())


def median_age(pop_by_age: np.ndarray, width: int) -> float:
    """Median age, interpolated linearly within the group holding the middle person (open group: width)."""
    total = pop_by_age.sum()
    if total <= 0:
        return float("nan")
    cum = np.cumsum(pop_by_age)
    k = int(np.searchsorted(cum, total / 2))
    before = cum[k - 1] if k > 0 else 0.0
    return float(k * width + width * (total / 2 - before) / pop_by_age[k])


def population_indicators(pop: np.ndarray, width: int) -> dict[str, float]:
    """Indicators of one population (2, n) by sex and age group."""
    both = pop.sum(axis=0)
    total = float(both.sum())
    young = share_between(both, width, 0, 15)
    working = share_between(both, width, 15, 65)
    old = share_between(both, width, 65, None)
    p60 = share_between(both, width, 60, None)
    p80 = share_between(both, width, 80, None)

    def ratio(a: float, b: float) -> float:
        return 100 * a / b if b > 0 else float("nan")

    return {
        "total": total, "male": float(pop[0].sum()), "female": float(pop[1].sum()),
        "sex_ratio": ratio(float(pop[0].sum()), float(pop[1].sum())),
        "median_age": median_age(both, width),
        "young_dependency": ratio(young, working), "old_dependency": ratio(old, working),
        "total_dependency": ratio(young + old, working),
        "ageing_index": ratio(p60, young), "share_60_plus": ratio(p60, total), "share_80_plus": ratio(p80, total),
    }


def step_indicators(start: np.ndarray, end: np.ndarray, births: float, deaths: float, migration: float,
                    asfr: np.ndarray, width: int) -> dict[str, float]:
    """Crude rates of one step (per 1,000 person-years) and its total fertility rate."""
    person_years = float(width * (start.sum() + end.sum()) / 2)
    per_1000 = 1000 / person_years if person_years > 0 else float("nan")
    return {"births": births, "deaths": deaths, "net_migration": migration, "tfr": float(width * asfr.sum()),
            "cbr": births * per_1000, "cdr": deaths * per_1000, "cnmr": migration * per_1000,
            "growth_rate": (births - deaths + migration) * per_1000 / 10}
