"""Two-sex cohort-component projection (CCMPP), pure NumPy. Formulas: docs/forecast.md.

Arrays by sex are shaped ``(2, n)``: row 0 males, row 1 females; column k is the age group
``[k·w, (k+1)·w)`` for a step (and group width) of ``w`` years, the last column the open group.

One step of ``w`` years (the UN Population Division's ``ccmppWPP`` with migration "even over the period",
which reproduces Preston, Heuveline & Guillot 2001, Box 6.2):

1. half the step's net migrants join at the start: ``P* = P(t) + M/2``;
2. survival: ``P(t+w)[k] = S[k]·P*[k−1]`` for ``1 ≤ k < n−1``; the open group
   ``P(t+w)[n−1] = S[n−1]·(P*[n−2] + P*[n−1])``; the other half of the migrants join at the end;
3. births: ``B = w·Σ f[k]·(P*F[k] + PF(t+w)[k]) / 2``, split by the sex ratio at birth ``srb``
   (boys per girl); the first group ``P(t+w)[0] = S[0]·B_sex + M[0]/2``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MALE, FEMALE = 0, 1


@dataclass(frozen=True)
class StepInputs:
    """What one projection step needs.

    Attributes:
        asfr: (n,) annual age-specific fertility rates of women by age group.
        survival: (2, n) survival ratios (``lifetable.survival_ratios``): [0] births, [n−1] the open group.
        srb: sex ratio at birth, boys per girl (1.05, not 105).
        migration: (2, n) net migrants during the step by sex and age group (at the end of the step).
    """

    asfr: np.ndarray
    survival: np.ndarray
    srb: float
    migration: np.ndarray


@dataclass(frozen=True)
class StepResult:
    population: np.ndarray  # (2, n) at the end of the step
    births: np.ndarray  # (2,) by sex of the child
    births_by_age: np.ndarray  # (n,) by age group of the mother
    deaths: np.ndarray  # (2, n) by the age group the cohort reaches at the end; [., 0] among the step's births


def project_step(population: np.ndarray, step: StepInputs, width: int) -> StepResult:
    """Project ``population`` (2, n) by one step of ``width`` years."""
    s = step.survival
    half = step.migration / 2
    start = population + half
    end = np.zeros_like(start)
    deaths = np.zeros_like(start)
    end[:, 1:] = start[:, :-1] * s[:, 1:]
    deaths[:, 1:] = start[:, :-1] * (1 - s[:, 1:])
    end[:, -1] += start[:, -1] * s[:, -1]
    deaths[:, -1] += start[:, -1] * (1 - s[:, -1])
    end += half
    end[:, 0] = 0.0
    births_by_age = width * step.asfr * (start[FEMALE] + end[FEMALE]) / 2
    total = births_by_age.sum()
    births = np.array([total * step.srb / (1 + step.srb), total / (1 + step.srb)])
    end[:, 0] = births * s[:, 0] + half[:, 0]
    deaths[:, 0] = births * (1 - s[:, 0])
    np.maximum(end, 0.0, out=end)
    return StepResult(end, births, births_by_age, deaths)


@dataclass(frozen=True)
class Projection:
    """A projection's trajectory: ``population`` (T+1, 2, n) at the step boundaries; per step (T, …)
    ``births`` (2), ``births_by_age`` (n), ``deaths`` (2, n), ``migration`` (2, n), ``asfr`` (n)."""

    width: int
    population: np.ndarray
    births: np.ndarray
    births_by_age: np.ndarray
    deaths: np.ndarray
    migration: np.ndarray
    asfr: np.ndarray

    @property
    def steps(self) -> int:
        return self.population.shape[0] - 1


def project(base: np.ndarray, steps: Sequence[StepInputs], width: int) -> Projection:
    """Project the base population (2, n) through ``steps`` of ``width`` years each.

    Example:
        >>> n = 3; flat = np.ones((2, n))
        >>> step = StepInputs(np.zeros(n), flat, 1.0, np.zeros((2, n)))
        >>> project(flat, [step], 5).population[-1].tolist()
        [[0.0, 1.0, 2.0], [0.0, 1.0, 2.0]]
    """
    base = np.asarray(base, dtype=float)
    pops, births, by_age, deaths = [base], [], [], []
    for step in steps:
        r = project_step(pops[-1], step, width)
        pops.append(r.population)
        births.append(r.births)
        by_age.append(r.births_by_age)
        deaths.append(r.deaths)
    n = base.shape[1]
    return Projection(
        width, np.stack(pops), np.array(births).reshape(-1, 2), np.array(by_age).reshape(-1, n),
        np.array(deaths).reshape(-1, 2, n), np.array([s.migration for s in steps]).reshape(-1, 2, n),
        np.array([s.asfr for s in steps]).reshape(-1, n))


def control_to_total(parts: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Scale small-area values ``parts`` (areas, …) so that they sum to ``total`` (…) cell by cell
    (proportional adjustment). A cell the areas leave empty while the total does not is shared out in
    proportion to each area's share of the whole array."""
    parts = np.asarray(parts, dtype=float)
    sums = parts.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(sums > 0, total / sums, 0.0)
    out = parts * factor
    empty = (sums <= 0) & (total > 0)
    if empty.any():
        axes = tuple(range(1, parts.ndim))
        weight = parts.sum(axis=axes)
        weight = weight / weight.sum() if weight.sum() > 0 else np.full(len(parts), 1 / len(parts))
        out[:, empty] = weight[:, None] * np.asarray(total)[empty][None, :]
    return out
