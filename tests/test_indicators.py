"""The indicator catalogue, reporting periods and indicator values from counts (pure: no database)."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from danso.domain.indicators import by_code, catalogue, forms, values
from danso.domain.periods import PeriodError, parse_period

ISSUE_4 = {  # the indicators issue 4 asks for, at least
    "households", "family_households", "population", "women_15_49", "married_women_15_49", "persons_60_plus",
    "average_population", "births", "deaths", "infant_deaths", "moves_in", "moves_out", "marriages", "divorces",
    "cbr", "cdr", "natural_increase", "srb", "sex_ratio", "gfr", "tfr", "third_plus_share",
    "contraceptive_users", "cpr", "cpr_modern", "new_users", "discontinuations", "pregnant_women",
    "miscarriages", "abortions", "prenatal_screened", "prenatal_screening_rate", "newborn_screened",
    "newborn_screening_rate", "elderly_checked", "elderly_check_rate"}


def test_the_catalogue_covers_issue_4_and_describes_every_indicator():
    inds = catalogue()
    assert ISSUE_4 <= {i.code for i in inds}
    assert len({i.code for i in inds}) == len(inds)
    for i in inds:
        assert i.name and i.unit and i.definition and i.formula, i.code
        assert i.kind in ("stock", "flow", "average", "rate"), i.code
        assert all(b in ("sex", "age_group", "sex_age_group", "birth_order", "delivery_place", "method")
                   for b in i.breakdowns)
        if i.kind == "rate":
            assert i.numerator and i.denominator and i.scale in (1, 100, 1000), i.code
    assert by_code()["births"].breakdowns == ("sex", "birth_order", "delivery_place")
    assert by_code()["population"].breakdowns == ("sex", "age_group", "sex_age_group")
    assert by_code()["cbr"].unit == "‰" and by_code()["cbr"].annualised
    assert by_code()["pregnant_women"].kind == "stock" and by_code()["miscarriages"].kind == "flow"
    for f in forms().values():
        assert {r.value.split("|")[0] for r in f.rows if r.kind == "value"} <= {i.code for i in inds}


@pytest.mark.parametrize("code, start, end, months, label", [
    ("2026-10", dt.date(2026, 10, 1), dt.date(2026, 10, 31), 1, "Tháng 10 năm 2026"),
    ("2026-2", dt.date(2026, 2, 1), dt.date(2026, 2, 28), 1, "Tháng 2 năm 2026"),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), 1, "Tháng 2 năm 2024"),
    ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30), 3, "Quý III năm 2026"),
    ("2026-q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), 3, "Quý IV năm 2026"),
    ("2026-6T", dt.date(2026, 1, 1), dt.date(2026, 6, 30), 6, "6 tháng đầu năm 2026"),
    ("2026-H1", dt.date(2026, 1, 1), dt.date(2026, 6, 30), 6, "6 tháng đầu năm 2026"),
    ("2026-9T", dt.date(2026, 1, 1), dt.date(2026, 9, 30), 9, "9 tháng đầu năm 2026"),
    ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), 12, "Năm 2026"),
])
def test_periods(code, start, end, months, label):  # noqa: ANN001
    p = parse_period(code)
    assert (p.start, p.end, p.months, p.label) == (start, end, months, label)
    assert parse_period(p.code) == p
    ends = p.month_ends()
    assert len(ends) == months + 1 and ends[0] == start - dt.timedelta(days=1) and ends[-1] == end


@pytest.mark.parametrize("bad", ["2026-13", "2026-0", "2026-Q5", "26-10", "2026-7T", "", "tháng 10", "2026/10"])
def test_a_bad_period_says_how_to_write_one(bad):  # noqa: ANN001
    with pytest.raises(PeriodError, match="2026-Q3 \\(quý\\)"):
        parse_period(bad)


def test_average_population_with_monthly_stocks():
    # P0..P3 = 100, 110, 130, 120: (100/2 + 110 + 130 + 120/2) / 3 = 350 / 3 = 116.67
    c = Counter({"_pop_points": 100 + 2 * 110 + 2 * 130 + 120})
    assert values(c, 3)["average_population"].value == 116.67


def test_rates_annualised_and_per_woman():
    # a quarter: 5 births (3 boys), 2 deaths, average population 1000 (P0 = P1 = P2 = P3 = 1000)
    c = Counter({"_pop_points": 6000, "births": 5, "births|sex=1": 3, "births|sex=2": 2, "deaths": 2,
                 "births|birth_order=3+": 1, "population|sex=1": 490, "population|sex=2": 510,
                 # women 20–24: 50 and 25–29: 40 on each date (points × 6); births: 2 and 3 of them
                 "_women_points": 540, "_women_points|age_group=20": 300, "_women_points|age_group=25": 240,
                 "_births_mother|age_group=20": 2, "_births_mother|age_group=25": 3,
                 "married_women_15_49": 80, "contraceptive_users": 60, "modern_users": 45,
                 "prenatal_screened": 4, "newborn_screened": 5, "elderly_checked": 30, "persons_60_plus": 120})
    v = {k: x.value for k, x in values(c, 3).items()}
    assert v["cbr"] == 20.0  # 5 × 12/3 / 1000 × 1000
    assert v["cdr"] == 8.0 and v["natural_increase"] == 12.0
    assert v["srb"] == 150.0 and v["sex_ratio"] == 96.08  # 490 / 510 × 100
    assert v["gfr"] == 222.22  # 5 × 4 / 90 × 1000
    assert v["tfr"] == 2.3  # 5 × (2 × 4 / 50 + 3 × 4 / 40) = 5 × (0.16 + 0.3)
    assert v["third_plus_share"] == 20.0
    assert (v["cpr"], v["cpr_modern"]) == (75.0, 56.25)
    assert (v["prenatal_screening_rate"], v["newborn_screening_rate"], v["elderly_check_rate"]) == (80.0, 100.0, 25.0)


def test_rates_without_a_denominator_are_empty_not_zero():
    v = values(Counter(), 1)
    assert all(v[i.code].value is None for i in catalogue() if i.kind == "rate")
    assert v["births"].value == 0 and v["average_population"].value == 0.0


def test_a_parents_rates_come_from_summed_counts_not_from_its_childrens_rates():
    a = Counter({"births": 1, "prenatal_screened": 1})  # 100 %
    b = Counter({"births": 3, "prenatal_screened": 0})  # 0 %
    assert values(a + b, 1)["prenatal_screening_rate"].value == 25.0  # 1 / 4, not (100 + 0) / 2


def test_every_indicator_is_documented():
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert [i.code for i in catalogue() if f"`{i.code}`" not in doc] == []
