"""The cohort-component engine: a published textbook projection reproduced exactly, and its invariants."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from danso.domain.lifetable import expand_rates, life_table, person_years_by_group, survival_ratios
from danso.domain.projection import FEMALE, MALE, StepInputs, control_to_total, project, project_step
from danso.domain.projection_indicators import median_age, population_indicators
from danso.forecast.inputs import parse_inputs
from danso.forecast.run import run_forecast
from danso.forecast.scenarios import BUILTIN

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "forecast-inputs.json"

# Preston, S. H., Heuveline, P. and Guillot, M. (2001), Demography: Measuring and Modeling Population
# Processes, Oxford: Blackwell, ch. 6, Boxes 6.1 and 6.2: projection of the female population of Sweden from
# 1 January 1993 to 1998 with net migration (half at the start, half at the end of the step), SRB 1.05, the
# 1993 female life table (nLx, radix 100,000; the last value is T85) and the 1993 fertility rates.
# Transcribed as in the UN Population Division's ccmppWPP R package (data-raw/sweden_1993.R; test
# "All functions reproduce Preston et al. Box 6.2") and in markalava/CCMPP (tests/testthat/
# preseton_sweden_box_6_2.R).
SWEDEN_1993 = [293395, 248369, 240012, 261346, 285209, 314388, 281290, 286923, 304108, 324946, 247613,
               211351, 215140, 221764, 223506, 183654, 141990, 112424]
SWEDEN_LX = [497487, 497138, 496901, 496531, 495902, 495168, 494213, 492760, 490447, 486613, 480665, 471786,
             457852, 436153, 402775, 350358, 271512, 291707]
SWEDEN_ASFR_15_49 = [0.0120, 0.0908, 0.1499, 0.1125, 0.0441, 0.0074, 0.0003]
SWEDEN_MIGRANTS = [6840, 4150, 3365, 5270, 9240, 8230, 5470, 3155, 1770, 1115, 1075, 845, 645, 530, 465, 300,
                   250, 175]
# Box 6.2's published result: females by age group on 1 January 1998, and births by age of mother 1993–98.
SWEDEN_1998 = [302392, 298682, 252007, 244150, 268267, 293515, 320624, 284767, 288031, 303166, 322062,
               243989, 205841, 205516, 205270, 194771, 142565, 131966]
SWEDEN_BIRTHS_15_49 = [15244, 126688, 229354, 170057, 63203, 10971, 472]


def sweden_doc() -> dict:
    both = {"male": SWEDEN_1993, "female": SWEDEN_1993}
    return {"title": "Sweden 1993", "base_date": "01/01/1993", "step": 5, "open_age": 85, "population": both,
            "fertility": {"first_age": 15, "asfr": SWEDEN_ASFR_15_49},
            "mortality": {"person_years": {"radix": 100000, "male": SWEDEN_LX, "female": SWEDEN_LX}},
            "srb": 105, "migration": {"male": SWEDEN_MIGRANTS, "female": SWEDEN_MIGRANTS}}


def test_the_engine_reproduces_preston_heuveline_guillot_box_6_2_to_the_person():
    forecast = run_forecast(parse_inputs(sweden_doc()), BUILTIN["constant"], 5)
    females_1998 = forecast.projection.population[1, FEMALE]
    assert np.round(females_1998).astype(int).tolist() == SWEDEN_1998
    assert np.round(forecast.projection.births_by_age[0, 3:10]).astype(int).tolist() == SWEDEN_BIRTHS_15_49
    # with the same inputs for males, only the boys differ: 1.05 boys per girl born
    males = forecast.projection.population[1, MALE]
    assert np.round(males[1:]).astype(int).tolist() == SWEDEN_1998[1:]
    born_f = forecast.projection.births[0, FEMALE]
    assert forecast.projection.births[0, MALE] == pytest.approx(1.05 * born_f)
    assert round(males[0]) == 317340


def _stationary_inputs(width: int, open_age: int) -> tuple[np.ndarray, float, np.ndarray]:
    """Female survival ratios of a fixed life table, l0 and the person-years by group."""
    ages = [0, 1] + list(range(5, 105, 5))
    mx = np.array([0.02, 0.002] + [0.0005 * np.exp(0.085 * a) for a in range(5, 105, 5)])
    L, l0 = person_years_by_group(life_table(ages, mx, FEMALE), width, open_age)
    return survival_ratios(L, l0, width), l0, L


def test_replacement_fertility_and_a_fixed_life_table_converge_to_the_stationary_population():
    width, open_age = 5, 85
    s, l0, L = _stationary_inputs(width, open_age)
    n = len(L)
    pattern = np.zeros(n)
    pattern[3:10] = [0.05, 0.2, 0.3, 0.25, 0.15, 0.04, 0.01]
    survival = np.vstack([s, s])
    # the net reproduction of the discrete model is linear in the rates: measure it once, then scale to 1
    unit = StepInputs(pattern, survival, 1.0, np.zeros((2, n)))
    nrr = sum(project_step(np.eye(n)[k] * np.array([[0.0], [1.0]]), unit, width).population[FEMALE, 0]
              * np.prod(s[1:k + 1]) for k in range(n))
    steps = [StepInputs(pattern / nrr, survival, 1.0, np.zeros((2, n)))] * 200
    rng = np.random.default_rng(1)
    base = rng.uniform(1_000, 50_000, size=(2, n))
    proj = project(base, steps, width)
    final = proj.population[-1]
    assert final.sum() == pytest.approx(proj.population[-2].sum(), rel=1e-9)
    np.testing.assert_allclose(final[FEMALE] / final[FEMALE].sum(), L / L.sum(), rtol=1e-6)
    # stationary: the total equals annual births × life expectancy at birth
    annual_births = proj.births[-1, FEMALE] / width
    assert final[FEMALE].sum() == pytest.approx(annual_births * L.sum() / l0, rel=1e-6)


def test_zero_fertility_leaves_only_the_survivors():
    width, open_age = 5, 85
    s, _, L = _stationary_inputs(width, open_age)
    n = len(L)
    base = np.full((2, n), 1000.0)
    steps = [StepInputs(np.zeros(n), np.vstack([s, s]), 1.05, np.zeros((2, n)))] * 3
    proj = project(base, steps, width)
    assert proj.births.sum() == 0
    final = proj.population[-1]
    assert (final[:, :3] == 0).all()
    # group 3 holds the survivors of group 0 three steps ago
    assert final[FEMALE, 3] == pytest.approx(1000 * s[1] * s[2] * s[3])
    assert final.sum() + proj.deaths.sum() == pytest.approx(base.sum())


def _single_year_example() -> tuple[dict, dict]:
    """The docs example in 5-year groups, and the same inputs in single years of age (persons spread evenly
    within each group; fertility constant within each group; death rates as given, by abridged groups)."""
    doc5 = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc1 = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc1["step"] = 1
    doc1["population"] = {s: [v / 5 for v in doc5["population"][s][:-1] for _ in range(5)]
                          + [doc5["population"][s][-1]] for s in ("male", "female")}
    doc1["fertility"] = {"first_age": 15, "asfr": [r for r in doc5["fertility"]["asfr"] for _ in range(5)]}
    doc1["migration"] = {s: [0] * 86 for s in ("male", "female")}
    return doc5, doc1


def test_a_single_year_and_a_five_year_run_of_the_same_inputs_agree_on_totals_within_half_a_percent():
    doc5, doc1 = _single_year_example()
    f5 = run_forecast(parse_inputs(doc5), BUILTIN["medium"], 30)
    f1 = run_forecast(parse_inputs(doc1), BUILTIN["medium"], 30)
    totals5 = [p["total"] for p in f5.population_indicators]
    totals1 = [p["total"] for k, p in enumerate(f1.population_indicators) if k % 5 == 0]
    np.testing.assert_allclose(totals1, totals5, rtol=0.005)
    births5 = f5.projection.births.sum()
    births1 = f1.projection.births.sum()
    assert births1 == pytest.approx(births5, rel=0.01)


def test_life_table_closes_the_open_group_with_one_over_m():
    lt = life_table([0, 1, 5], [0.02, 0.002, 0.05], MALE)
    assert lt.Lx[-1] == pytest.approx(lt.lx[-1] / 0.05)
    assert lt.ax[0] == pytest.approx(0.045 + 2.684 * 0.02)
    assert lt.e0 == pytest.approx(lt.Lx.sum())
    np.testing.assert_allclose(expand_rates([0, 1, 5], [3, 2, 1], [0, 1, 2, 5, 7]), [3, 2, 2, 1, 1])


def test_indicators_of_a_known_population():
    pop = np.zeros((2, 18))
    pop[:, 0:3] = 100  # 0–14: 600
    pop[:, 3:13] = 100  # 15–64: 2000
    pop[:, 13:] = 50  # 65+: 500; 60+: 700; 80+: 200
    ind = population_indicators(pop, 5)
    assert ind["total"] == 3100
    assert ind["young_dependency"] == pytest.approx(30.0)
    assert ind["old_dependency"] == pytest.approx(25.0)
    assert ind["ageing_index"] == pytest.approx(700 / 600 * 100)
    assert ind["share_80_plus"] == pytest.approx(200 / 3100 * 100)
    assert median_age(np.array([10.0, 10.0, 10.0, 10.0]), 5) == pytest.approx(10.0)


def test_small_areas_are_controlled_to_the_total_cell_by_cell():
    parts = np.array([[[1.0, 2.0], [0.0, 3.0]], [[3.0, 2.0], [0.0, 1.0]]])
    total = np.array([[8.0, 8.0], [5.0, 8.0]])
    out = control_to_total(parts, total)
    np.testing.assert_allclose(out.sum(axis=0), total)
    assert out[0, 0, 0] == pytest.approx(2.0)
    assert out[:, 1, 0].sum() == pytest.approx(5.0)  # a cell both areas left empty is shared out
