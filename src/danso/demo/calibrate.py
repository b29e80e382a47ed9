"""Fit ``households.CELL_WEIGHTS``: the mix of household types and anchor ages that gives the WPP2019 2020
age-sex pyramid, the 2019 household sizes and the marital status of 2020 (demography.md).

    python -m danso.demo.calibrate [samples per cell]

prints the table to paste into households.py. Run it again whenever a household builder changes.

Each cell (type, 5-year age group of the anchor) is sampled to learn what one of its households brings:
persons by sex and age group, the size, marital status. The weights are then a non-negative least-squares
fit (coordinate descent, pure Python) of those contributions to the targets, with soft priors on the
share of each type (the data do not pin them down) and a little smoothing along age.
"""
from __future__ import annotations

import datetime as dt
import random
import sys

from danso.demo import distributions as d
from danso.demo import households as hh

GROUPS = 17  # 0–4 … 75–79, 80+
MARITAL_INDEX = {"1": 0, "2": 1, "3": 2, "4": 3, "5": 3}
# 2020 PCFP survey, 15+: never married, married, widowed, divorced or separated (M, F), %
MARITAL_2020 = ((27.6, 68.3, 2.0, 2.1), (18.9, 67.1, 11.0, 3.0))
# currently married share by (sex 0/1, age group): SMAM F ≈ 24, M ≈ 28 [J]
MARRIED_BY_AGE = ((1, 3, 0.08), (1, 4, 0.45), (1, 5, 0.78), (0, 4, 0.20), (0, 5, 0.55))
MEAN_SIZE = 3.55
# [J] priors: share of households by type, and of one-person households by age (<40, 40–59, 60+)
TYPE_PRIOR = {hh.SOLO: 0.115, hh.COUPLE: 0.50, hh.LONE: 0.08, hh.THREE: 0.23, hh.SKIP: 0.03, hh.SIBS: 0.025}
SOLO_BY_AGE = (((15, 40), 0.35), ((40, 60), 0.20), ((60, 100), 0.45))
ELDERLY_COUPLES = 0.035  # couples with the wife 65+, living without married children
WEIGHTS = {"pyramid": 1.0, "sizes": 0.5, "mean": 10.0, "marital": 0.5, "married_by_age": 2.0, "priors": 1.0,
           "smooth": 5.0, "sum": 50.0}


def cells() -> list[tuple[int, int]]:
    return [(t, lo) for t, (amin, amax) in hh.ANCHOR_AGES.items() for lo in range(amin // 5 * 5, amax, 5)]


def contributions(samples: int, on: dt.date = dt.date(2025, 12, 31), seed: int = 7) -> list[dict]:
    """What one household of each cell brings, on average."""
    fam = hh.Families(random.Random(seed), on, "31")
    on_ord = on.toordinal()
    out = []
    for t, lo in cells():
        pyr = [[0.0] * GROUPS for _ in range(2)]
        married = [[0.0] * GROUPS for _ in range(2)]
        marital = [[0.0] * 4 for _ in range(2)]
        sizes = [0.0] * 6
        for _ in range(samples):
            members, _ = fam.build(t, lo)
            sizes[min(len(members), 6) - 1] += 1
            for m in members:
                age = int((on_ord - m[hh.BORN]) / d.YEAR_DAYS)
                s, g = (0 if m[hh.SEX] == "1" else 1), min(age // 5, GROUPS - 1)
                pyr[s][g] += 1
                if age >= 15:
                    marital[s][MARITAL_INDEX[m[hh.MAR]]] += 1
                if m[hh.MAR] == "2":
                    married[s][g] += 1
        scale = 1.0 / samples
        out.append({"pyr": [[x * scale for x in r] for r in pyr], "married": [[x * scale for x in r] for r in married],
                    "marital": [[x * scale for x in r] for r in marital], "sizes": [x * scale for x in sizes]})
    return out


def targets() -> list[list[float]]:
    total = sum(d.WPP2020_MALE) + sum(d.WPP2020_FEMALE)
    return [[(sum(arr[GROUPS - 1:]) if g == GROUPS - 1 else arr[g]) / total for g in range(GROUPS)]
            for arr in (d.WPP2020_MALE, d.WPP2020_FEMALE)]


def system(cs: list[tuple[int, int]], feats: list[dict]) -> tuple[list[list[float]], list[float]]:
    """Rows of the least-squares problem ``A w ≈ b`` (w: household shares by cell)."""
    w, tg = WEIGHTS, targets()
    rows: list[list[float]] = []
    rhs: list[float] = []

    def add(row, value=0.0, weight=1.0):
        rows.append([weight * x for x in row])
        rhs.append(weight * value)

    for s in range(2):  # share of persons in each age-sex group: sum w (n_g − t_g · size) = 0
        for g in range(GROUPS):
            add([(f["pyr"][s][g] - tg[s][g] * sum(map(sum, f["pyr"]))) / (tg[s][g] * MEAN_SIZE) for f in feats],
                weight=w["pyramid"])
    for k, q in enumerate(d.HOUSEHOLD_SIZE_SHARES):
        add([f["sizes"][k] / q for f in feats], 1.0, w["sizes"])
    add([(sum(map(sum, f["pyr"])) - MEAN_SIZE) / MEAN_SIZE for f in feats], weight=w["mean"])
    for s in range(2):
        for k in range(4):
            tau = MARITAL_2020[s][k] / 100
            add([(f["marital"][s][k] - tau * sum(f["marital"][s])) / (tau * 1.5) for f in feats],
                weight=w["marital"])
    for s, g, share in MARRIED_BY_AGE:
        add([(f["married"][s][g] - share * f["pyr"][s][g]) / (share * tg[s][g] * MEAN_SIZE) for f in feats],
            weight=w["married_by_age"])
    for t, share in TYPE_PRIOR.items():
        add([(1.0 if c[0] == t else 0.0) / share for c in cs], 1.0, w["priors"])
    for (a, b), share in SOLO_BY_AGE:
        add([(1.0 if c[0] == hh.SOLO and a <= c[1] < b else 0.0) / (share * TYPE_PRIOR[hh.SOLO]) for c in cs],
            1.0, w["priors"])
    add([(1.0 if c[0] == hh.COUPLE and c[1] >= 65 else 0.0) / ELDERLY_COUPLES for c in cs], 1.0, w["priors"])
    add([1.0] * len(cs), 1.0, w["sum"])
    for i in range(len(cs) - 1):
        if cs[i][0] == cs[i + 1][0]:
            row = [0.0] * len(cs)
            row[i], row[i + 1] = w["smooth"], -w["smooth"]
            add(row)
    return rows, rhs


def nnls(rows: list[list[float]], rhs: list[float], sweeps: int = 3000) -> list[float]:
    """min ‖A w − b‖², w ≥ 0, by coordinate descent on the normal equations."""
    n = len(rows[0])
    cols = list(zip(*rows))
    gram = [[sum(a * b for a, b in zip(cols[i], cols[j])) for j in range(n)] for i in range(n)]
    atb = [sum(a * b for a, b in zip(cols[i], rhs)) for i in range(n)]
    w = [1.0 / n] * n
    gw = [sum(gram[i][j] * w[j] for j in range(n)) for i in range(n)]
    for _ in range(sweeps):
        moved = 0.0
        for i in range(n):
            if gram[i][i] <= 0:
                continue
            new = max(0.0, w[i] - (gw[i] - atb[i]) / gram[i][i])
            delta = new - w[i]
            if delta:
                w[i] = new
                gi = gram[i]
                for j in range(n):
                    gw[j] += delta * gi[j]
                moved = max(moved, abs(delta))
        if moved < 1e-10:
            break
    return w


def fit(samples: int = 2000) -> dict[tuple[int, int], float]:
    cs = cells()
    rows, rhs = system(cs, contributions(samples))
    return {c: x for c, x in zip(cs, nnls(rows, rhs))}


def table(weights: dict[tuple[int, int], float]) -> str:
    names = {hh.SOLO: "SOLO", hh.COUPLE: "COUPLE", hh.LONE: "LONE", hh.THREE: "THREE", hh.SKIP: "SKIP",
             hh.SIBS: "SIBS"}
    lines, line, current = [], "   ", None
    for (t, lo), x in weights.items():
        if x * 1000 < 0.05:
            continue
        entry = f" ({names[t]}, {lo}): {x * 1000:.1f},"
        if (current is not None and t != current) or len(line) + len(entry) > 114:
            lines.append(line)
            line = "   "
        current = t
        line += entry
    lines.append(line)
    return "CELL_WEIGHTS: dict[tuple[int, int], float] = {\n" + "\n".join(lines) + "\n}"


if __name__ == "__main__":
    print(table(fit(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)))
