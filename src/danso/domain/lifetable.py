"""Period life tables from central death rates (pure NumPy).

Conventions (Preston, Heuveline & Guillot 2001, *Demography*, ch. 3):

* ``nqx = n·nmx / (1 + (n − nax)·nmx)`` (capped at 1), ``lx+n = lx·(1 − nqx)``, ``ndx = lx − lx+n``;
* ``nLx = n·lx+n + nax·ndx``; in the open interval ``L∞ = lx / m∞`` (the open-group rule);
* ``nax``: at age 0 (interval of 1 year) and 1–4 the Coale–Demeny formulas (PHG table 3.3); elsewhere
  ``n/2``, and ``1/m`` in the open interval.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MALE, FEMALE = 0, 1


@dataclass(frozen=True)
class LifeTable:
    """One sex's life table on the age intervals starting at ``ages`` (the last one open), radix 1."""

    ages: np.ndarray
    mx: np.ndarray
    ax: np.ndarray
    qx: np.ndarray
    lx: np.ndarray
    Lx: np.ndarray
    Tx: np.ndarray

    @property
    def ex(self) -> np.ndarray:
        return self.Tx / self.lx

    @property
    def e0(self) -> float:
        return float(self.Tx[0])


def _coale_demeny_ax(m0: float, sex: int) -> tuple[float, float]:
    """(1a0, 4a1) from the infant death rate 1m0 (Coale–Demeny West, as in PHG table 3.3)."""
    if sex == MALE:
        return (0.330, 1.352) if m0 >= 0.107 else (0.045 + 2.684 * m0, 1.651 - 2.816 * m0)
    return (0.350, 1.361) if m0 >= 0.107 else (0.053 + 2.800 * m0, 1.522 - 1.518 * m0)


def life_table(ages: np.ndarray | list[int], mx: np.ndarray | list[float], sex: int) -> LifeTable:
    """Life table from central death rates ``mx`` on intervals starting at ``ages``; the last is open.

    Example:
        >>> lt = life_table([0, 1, 5], [0.02, 0.002, 0.05], MALE)
        >>> round(lt.e0, 2) > 0
        True
    """
    ages = np.asarray(ages, dtype=float)
    mx = np.asarray(mx, dtype=float)
    if ages.shape != mx.shape or ages.ndim != 1 or len(ages) < 2:
        raise ValueError("ages and mx must be 1-D of the same length (at least 2)")
    if (mx < 0).any() or mx[-1] <= 0:
        raise ValueError("death rates must be ≥ 0, and > 0 in the open age group")
    n = np.diff(ages)
    ax = n / 2
    if ages[0] == 0 and n[0] == 1:
        a0, a1 = _coale_demeny_ax(float(mx[0]), sex)
        ax[0] = a0
        if len(n) > 1 and ages[1] == 1 and n[1] == 4:
            ax[1] = a1
    qx = np.minimum(n * mx[:-1] / (1 + (n - ax) * mx[:-1]), 1.0)
    lx = np.concatenate(([1.0], np.cumprod(1 - qx)))
    dx = lx[:-1] - lx[1:]
    Lx_closed = n * lx[1:] + ax * dx
    L_open = lx[-1] / mx[-1]
    Lx = np.concatenate((Lx_closed, [L_open]))
    Tx = np.cumsum(Lx[::-1])[::-1]
    return LifeTable(ages, mx, np.concatenate((ax, [1 / mx[-1]])), np.concatenate((qx, [1.0])), lx, Lx, Tx)


def expand_rates(ages: np.ndarray | list[int], rates: np.ndarray | list[float], new_ages: np.ndarray | list[int]) -> np.ndarray:
    """Rates on the intervals starting at ``new_ages``, each taken from the given interval that contains it
    (piecewise constant; the last given interval is open)."""
    ages = np.asarray(ages, dtype=float)
    idx = np.searchsorted(ages, np.asarray(new_ages, dtype=float), side="right") - 1
    if (idx < 0).any():
        raise ValueError("new ages start before the first given age")
    return np.asarray(rates, dtype=float)[idx]


def person_years_by_group(lt: LifeTable, width: int, open_age: int) -> tuple[np.ndarray, float]:
    """(nLx of the groups 0, width, …, open_age − width followed by T(open_age); l0) from a life table whose
    interval starts include every group boundary."""
    starts = np.arange(0, open_age + 1, width)
    pos = np.searchsorted(lt.ages, starts)
    if (pos >= len(lt.ages)).any() or (lt.ages[np.minimum(pos, len(lt.ages) - 1)] != starts).any():
        raise ValueError(f"life table lacks some of the group boundaries {starts.tolist()}")
    closed = np.add.reduceat(lt.Lx[:pos[-1]], pos[:-1]) if len(pos) > 1 else np.array([])
    return np.concatenate((closed, [lt.Tx[pos[-1]]])), float(lt.lx[0])


def survival_ratios(person_years: np.ndarray, l0: float, width: int) -> np.ndarray:
    """Cohort survival ratios for one step of ``width`` years from person-years by group (last = T of the
    open group): ``S[0] = L0/(width·l0)`` for births, ``S[k] = Lk/Lk−1``, and for the open group
    ``S[−1] = T(open)/(L(open−width) + T(open))`` applied to the last two groups together."""
    L = np.asarray(person_years, dtype=float)
    s = np.empty_like(L)
    s[0] = L[0] / (width * l0)
    with np.errstate(divide="ignore", invalid="ignore"):
        s[1:-1] = np.where(L[:-2] > 0, L[1:-1] / L[:-2], 0.0)
        s[-1] = L[-1] / (L[-2] + L[-1]) if (L[-2] + L[-1]) > 0 else 0.0
    return s
