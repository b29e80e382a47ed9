"""Rates and builders of the demo's month-by-month stream of collection slips (pure Python, no SQL).

Rates are per 100,000 persons per month, by age band, chosen so that a year of the stream looks like
Viet Nam in the 2020s (demography.md): crude birth rate ≈ 13–14 ‰ (births follow the pregnancies the
register records, about seven months later), crude death rate ≈ 6–7 ‰, first marriages around 20–30,
contraceptive users ≈ 75 % of married women with some starting, switching and stopping every month,
persons 60+ checked about once a year.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from danso.demo import distributions as d
from danso.demo.names import folded, given_weights, middle_weights

# annual deaths per 100,000 by age (a Vietnamese-like schedule, e0 ≈ 74) → monthly
_DEATHS_YEAR = ((0, 0, 1300), (1, 4, 80), (5, 14, 30), (15, 29, 90), (30, 44, 160), (45, 59, 550),
                (60, 69, 1400), (70, 79, 3600), (80, 89, 9500), (90, 130, 22000))
DEATHS = tuple((lo, hi, max(1, r // 12)) for lo, hi, r in _DEATHS_YEAR)
MARRIAGES = ((18, 19, 300), (20, 24, 900), (25, 29, 800), (30, 34, 350), (35, 44, 80))  # never married
MOVES_OUT = ((15, 17, 60), (18, 29, 250), (30, 44, 90), (45, 130, 25))  # not heads of household
ELDERLY_CHECKS = ((60, 130, 4000),)
RESIDENCE_AWAY = ((18, 34, 40),)  # leave for work: tạm vắng
# married women 15–49, per 100,000 a month
CONCEPTION_NON_USER = {15: 4500, 20: 5200, 25: 4500, 30: 3000, 35: 1400, 40: 400, 45: 50}
STOP_METHOD = 900
SWITCH_METHOD = 400
START_METHOD = 1800
PREGNANCY_DAYS = 210  # from being recorded pregnant to delivery
LOSS_SHARE = 0.07  # pregnancies ending in a miscarriage or an abortion
LOSS_DAYS = 50
PRENATAL_SCREENED = 0.65
NEWBORN_SCREENED = 0.85
MOVES_IN_PER_OUT = 0.9


def five_year(age: int) -> int:
    return min(45, max(15, age // 5 * 5))


def month_days(month: str) -> tuple[dt.date, dt.date]:
    y, m = int(month[:4]), int(month[5:])
    first = dt.date(y, m, 1)
    return first, dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)


def months_after(day: dt.date, n: int) -> list[str]:
    out = []
    y, m = day.year, day.month
    for _ in range(n):
        m += 1
        if m == 13:
            y, m = y + 1, 1
        out.append(f"{y:04d}-{m:02d}")
    return out


def a_day(rnd: random.Random, month: str) -> dt.date:
    first, last = month_days(month)
    return first + dt.timedelta(days=int(rnd.random() * ((last - first).days + 1)))


@dataclass
class Namer:
    """Vietnamese given and middle names of today's babies and young adults."""

    rnd: random.Random

    def __post_init__(self) -> None:
        self.given = {s: d.expand(folded(given_weights(s, 3))) for s in ("1", "2")}
        self.middle = {s: d.expand(folded(middle_weights(s, 3))) for s in ("1", "2")}

    def name(self, surname: str, sex: str) -> str:
        middle = self.middle[sex][int(self.rnd.random() * len(self.middle[sex]))][0]
        given = self.given[sex][int(self.rnd.random() * len(self.given[sex]))][0]
        return " ".join(x for x in (surname, middle, given) if x)


def child_relation(mother_relation: str) -> str:
    """The newborn's relation to the head, from the mother's: head or spouse → con đẻ; daughter or
    daughter-in-law → cháu; otherwise another relative."""
    return {"01": "03", "02": "03", "03": "06", "05": "06"}.get(mother_relation, "11")


def baby_sex(rnd: random.Random) -> str:
    return "1" if rnd.random() < d.P_BOY_RECENT else "2"


def method_for(rnd: random.Random, children: int) -> str:
    table = d.METHOD_MIX if children else d.METHOD_MIX_NO_CHILD
    total = sum(w for _, w in table)
    u = rnd.random() * total
    for code, w in table:
        u -= w
        if u <= 0:
            return code if code not in ("2", "3") or children >= 2 else "1"
    return table[-1][0]
