"""Household composition: who lives together, with birth dates, kinship and marital status.

Each builder returns ``(members, established)``: members are small lists (fields below), mothers always
before their children; ``established`` is an ordinal date. Names, identifiers, education and the other
per-person fields are added later by the generator, in one tight loop.

A household is drawn from a *cell* (type, age of its anchor person in 5-year groups) with the weights of
``CELL_WEIGHTS``, fitted so that the persons make the WPP2019 pyramid and the households the 2019 sizes.
"""
from __future__ import annotations

import datetime as dt
import random

from danso.demo import distributions as d
from danso.demo.names import ETHNIC_SURNAMES, folded, surnames

# member fields
SEX, BORN, SUR, ETH, MAR, REL, MOTHER, RES, JOIN, BIRTHS = range(10)

SOLO, COUPLE, LONE, THREE, SKIP, SIBS, COLLECTIVE = range(7)
TYPE_NAMES = ("solo", "couple", "lone parent", "three generations", "grandparents", "siblings", "collective")
# the anchor: the person alone (SOLO), the wife (COUPLE, THREE: the younger wife), the parent (LONE),
# the grandmother (SKIP), the head (SIBS)
ANCHOR_AGES = {SOLO: (18, 100), COUPLE: (17, 95), LONE: (20, 90), THREE: (17, 60), SKIP: (50, 90), SIBS: (18, 40)}

# (type, lower bound of the anchor's 5-year age group) → weight (‰ of households);
# fitted by ``python -m danso.demo.calibrate 3000`` (see there)
CELL_WEIGHTS: dict[tuple[int, int], float] = {
    (SOLO, 20): 11.5, (SOLO, 25): 10.5, (SOLO, 30): 10.6, (SOLO, 35): 6.4, (SOLO, 40): 5.4, (SOLO, 45): 4.9,
    (SOLO, 50): 4.1, (SOLO, 55): 8.1, (SOLO, 60): 19.7, (SOLO, 65): 18.2, (SOLO, 70): 7.7, (SOLO, 75): 3.0,
    (COUPLE, 20): 21.5, (COUPLE, 25): 58.9, (COUPLE, 30): 77.4, (COUPLE, 35): 86.6, (COUPLE, 40): 88.1,
    (COUPLE, 45): 73.3, (COUPLE, 50): 46.6, (COUPLE, 55): 23.2, (COUPLE, 60): 9.1, (COUPLE, 65): 14.4,
    (COUPLE, 70): 4.5, (COUPLE, 75): 4.0, (COUPLE, 80): 2.5, (COUPLE, 85): 2.0, (COUPLE, 90): 1.6,
    (LONE, 25): 1.7, (LONE, 30): 10.6, (LONE, 35): 16.1, (LONE, 40): 19.9, (LONE, 45): 17.3, (LONE, 50): 7.3,
    (LONE, 55): 0.8, (LONE, 60): 1.9,
    (THREE, 15): 9.0, (THREE, 20): 29.5, (THREE, 25): 57.3, (THREE, 30): 48.9, (THREE, 35): 29.0,
    (THREE, 40): 16.4, (THREE, 45): 16.7, (THREE, 50): 18.1, (THREE, 55): 21.1,
    (SKIP, 50): 7.6, (SKIP, 55): 9.7, (SKIP, 60): 12.3,
    (SIBS, 20): 3.0, (SIBS, 25): 5.9, (SIBS, 30): 8.7, (SIBS, 35): 7.3,
}

_N = d.TABLE_SIZE
_Y = d.YEAR_DAYS
_MAX_AGE_DAYS = int(99.5 * _Y)


class Families:
    """Builds households for one run (one random stream, one reference date, one province)."""

    def __init__(self, rng: random.Random, on: dt.date, province: str,
                 cell_weights: dict[tuple[int, int], float] | None = None):
        self.rnd = rng.random
        self.on = on.toordinal()
        self.on_year = on.year
        self.ord_2005 = dt.date(2005, 1, 1).toordinal()
        self.eth = d.expand(list(d.ethnic_mix(province).items()), 10_000)
        self.sur_kinh = d.expand(folded(surnames(d.region(province))), 10_000)
        self.sur_eth = {code: d.expand(folded(pairs), 1024) for code, pairs in ETHNIC_SURNAMES.items()}
        cells = sorted((cell_weights or CELL_WEIGHTS).items())
        self.cells = d.expand([((t, lo), w) for (t, lo), w in cells if w > 0], 16_384)
        self.builders = {SOLO: self.solo, COUPLE: self.couple_household, LONE: self.lone_parent,
                         THREE: self.three_generations, SKIP: self.grandparents, SIBS: self.siblings}

    # -- small draws ---------------------------------------------------------------------------------------
    def surname(self, eth: str) -> tuple[str, str]:
        table = self.sur_eth.get(eth, self.sur_kinh)
        return table[int(self.rnd() * len(table))]

    def ethnicity(self) -> str:
        return self.eth[int(self.rnd() * 10_000)]

    def spouse_ethnicity(self, eth: str) -> str:
        return eth if self.rnd() < 0.93 else self.ethnicity()

    def born(self, age: float) -> int:
        return self.on - int(age * _Y)

    def ago(self, years: float) -> int:
        return self.on - int(years * _Y)

    # -- marriage and births -----------------------------------------------------------------------------------
    def marriage(self, wb: int, wife_age: float) -> tuple[int, int]:
        """(husband's birth, marriage date) for a wife born ``wb``, married by now (``wife_age`` ≥ 17)."""
        rnd = self.rnd
        year = self.on_year - int(wife_age)
        m = d.FEMALE_MARRIAGE_AGE[d.cohort(year)][int(rnd() * _N)]
        if m > wife_age - 0.1:
            m = 16.0 + rnd() * (wife_age - 16.1)
        married = wb + int(m * _Y)
        hb = wb - int(d.SPOUSE_GAP[int(rnd() * _N)] * _Y)
        if married - hb < 18 * _Y:
            hb = married - int((18.0 + 2.0 * rnd()) * _Y)
        if self.on - hb > _MAX_AGE_DAYS:
            hb = self.on - _MAX_AGE_DAYS + int(rnd() * 700)
        return hb, married

    def births(self, wb: int, married: int) -> list[tuple[int, str]]:
        """Children born to a woman born ``wb`` married on ``married``: (birth ordinal, sex), up to today."""
        rnd = self.rnd
        pc = d.parity_cohort(dt.date.fromordinal(wb).year)
        k = d.PARITY[pc][int(rnd() * _N)]
        out: list[tuple[int, str]] = []
        if not k:
            return out
        t = married + d.FIRST_BIRTH_MIN_DAYS + d.exp_days(rnd(), d.FIRST_BIRTH_EXTRA_MEAN)
        limit = min(self.on, wb + int(d.LAST_BIRTH_AGE * _Y))
        spacing = d.SPACING_EXTRA_MEAN[pc]
        for _ in range(k):
            if t > limit:
                break
            boy = rnd() < (d.P_BOY_RECENT if t >= self.ord_2005 else d.P_BOY_EARLIER)
            out.append((t, "1" if boy else "2"))
            t += d.SPACING_MIN_DAYS + d.exp_days(rnd(), spacing)
        return out

    def children_at_home(self, births: list[tuple[int, str]], sur: tuple[str, str], eth: str, mother: int,
                         rel: str, members: list[list]) -> None:
        """Append the children who still live with their parents: the young, and unmarried adults mostly."""
        rnd, on = self.rnd, self.on
        for t, sex in births:
            age = (on - t) / _Y
            res = None
            if age < 15:
                if rnd() >= 0.97:
                    continue  # living with grandparents elsewhere
            else:
                table = d.SON_MARRIAGE_AGE if sex == "1" else d.DAUGHTER_MARRIAGE_AGE
                if age >= table[int(rnd() * _N)]:
                    continue  # married and moved out
                if rnd() >= ((0.96 if age < 30 else 0.88) if sex == "1" else
                             (0.95 if age < 23 else 0.85 if age < 30 else 0.7)):
                    continue
                if 18 <= age < 35 and rnd() < d.P_AWAY_YOUNG:
                    res = "4"
            members.append([sex, t, sur, eth, "1", rel, mother, res, 0, None])

    # -- household types ---------------------------------------------------------------------------------------
    def draw(self) -> tuple[list[list], int]:
        t, lo = self.cells[int(self.rnd() * 16_384)]
        return self.build(t, lo)

    def build(self, t: int, lo: int) -> tuple[list[list], int]:
        amin, amax = ANCHOR_AGES[t]
        lo_ = max(lo, amin)
        age = lo_ + (min(lo + 5, amax) - lo_) * self.rnd()
        return self.builders[t](age)

    def solo(self, age: float) -> tuple[list[list], int]:
        rnd = self.rnd
        eth = self.ethnicity()
        if age < 40:
            sex = "1" if rnd() < 0.6 else "2"
            u = rnd()
            mar = "1" if age < 27 or u < 0.86 else "4" if u < 0.96 else "5" if u < 0.98 else "3"
            res = "3" if rnd() < 0.35 else None
            est = self.ago(rnd() * min(age - 18.0, 8.0))
        else:
            sex = "2" if rnd() < (0.78 if age >= 60 else 0.5) else "1"
            u = rnd()
            if age >= 60:
                mar = "3" if u < 0.8 else "4" if u < 0.88 else "1" if u < 0.96 else "5"
            else:
                mar = "3" if u < 0.3 else "4" if u < 0.62 else "1" if u < 0.92 else "5"
            res = None
            est = self.ago(rnd() * min(age - 35.0, 25.0))
        return [[sex, self.born(age), self.surname(eth), eth, mar, "01", -1, res, 0, None]], est

    def couple_household(self, age: float) -> tuple[list[list], int]:
        rnd = self.rnd
        wb = self.born(age)
        hb, married = self.marriage(wb, age)
        births = self.births(wb, married)
        eth = self.ethnicity()
        weth = self.spouse_ethnicity(eth)
        sur = self.surname(eth)
        wife_head = rnd() < 0.12
        husband = ["1", hb, sur, eth, "2", "02" if wife_head else "01", -1, None, 0, None]
        wife = ["2", wb, self.surname(weth), weth, "2", "01" if wife_head else "02", -1, None, 0, births]
        if self.on - hb < 50 * _Y and rnd() < d.P_AWAY_HUSBAND:
            husband[RES] = "4"
        members = [wife, husband] if wife_head else [husband, wife]
        mother = 0 if wife_head else 1
        self.children_at_home(births, sur, eth if rnd() < 0.9 else weth, mother, "03", members)
        est = married if rnd() < 0.5 else married + int(rnd() * 5 * _Y)
        self.extras(members, eth)
        return members, min(est, self.on)

    def lone_parent(self, age: float) -> tuple[list[list], int]:
        rnd = self.rnd
        eth = self.ethnicity()
        u = rnd()
        if age < 45:
            mar = "4" if u < 0.45 else "3" if u < 0.63 else "5" if u < 0.75 else "2"
        elif age < 60:
            mar = "3" if u < 0.5 else "4" if u < 0.8 else "5" if u < 0.88 else "2"
        else:
            mar = "3" if u < 0.86 else "4" if u < 0.94 else "5" if u < 0.97 else "2"
        if rnd() < 0.82:  # a mother
            wb = self.born(age)
            _, married = self.marriage(wb, age)
            births = self.births(wb, married)
            members = [["2", wb, self.surname(eth), eth, mar, "01", -1, None, 0, births]]
            self.children_at_home(births, self.surname(eth), eth, 0, "03", members)
        else:  # a father; the children's mother lives elsewhere or has died
            fb = self.born(age)
            wb = fb + int(abs(d.SPOUSE_GAP[int(rnd() * _N)]) * _Y)
            wife_age = (self.on - wb) / _Y
            if wife_age < 17:
                wb, wife_age = self.born(17.0), 17.0
            _, married = self.marriage(wb, wife_age)
            married = max(married, fb + int(18.5 * _Y))
            sur = self.surname(eth)
            members = [["1", fb, sur, eth, mar, "01", -1, None, 0, None]]
            self.children_at_home(self.births(wb, married), sur, eth, -1, "03", members)
        return members, married + int(rnd() * (self.on - married))

    def three_generations(self, age: float) -> tuple[list[list], int]:
        """A married child with spouse and children, living with his (or her) parent(s)."""
        rnd, on = self.rnd, self.on
        wb = self.born(age)
        hb, married = self.marriage(wb, age)
        births = self.births(wb, married)
        eth = self.ethnicity()
        weth = self.spouse_ethnicity(eth)
        hsur, wsur = self.surname(eth), self.surname(weth)
        husband_side = rnd() < 0.88
        cb = hb if husband_side else wb  # the elders' child
        gm = cb - int(d.MOTHER_AGE_AT_BIRTH[int(rnd() * _N)] * _Y)
        if on - gm > _MAX_AGE_DAYS:
            gm = on - _MAX_AGE_DAYS + int(rnd() * 365)
        gf = min(gm - int(d.SPOUSE_GAP[int(rnd() * _N)] * _Y), cb - int(20 * _Y))
        if on - gf > _MAX_AGE_DAYS:
            gf = on - _MAX_AGE_DAYS + int(rnd() * 365)
        elder_age = (on - gm) / _Y
        u = rnd()
        both, mother_only = ((0.65, 0.94) if elder_age < 65 else (0.45, 0.93) if elder_age < 75
                             else (0.28, 0.93) if elder_age < 85 else (0.12, 0.93))
        has_gf, has_gm = u < both or u >= mother_only, u < mother_only
        elder_head = rnd() < (0.6 if elder_age < 70 else 0.45 if elder_age < 80 else 0.25)
        elder_mar = "2" if has_gf and has_gm else ("3" if rnd() < 0.93 else "4")
        ceth = eth if husband_side else weth
        csur = hsur if husband_side else wsur
        members: list[list] = []
        if has_gf:
            members.append(["1", gf, csur, ceth, elder_mar, "01" if elder_head else "07", -1, None, 0, None])
        if has_gm:
            gm_rel = ("02" if has_gf else "01") if elder_head else "07"
            members.append(["2", gm, self.surname(ceth), ceth, elder_mar, gm_rel, -1, None, 0, None])
        gm_idx = len(members) - 1 if has_gm else -1
        if not elder_head and not husband_side:
            for m in members:
                m[REL] = "08"
        h_rel, w_rel, kid_rel = (("03", "05", "06") if husband_side else ("05", "03", "06")) if elder_head \
            else ("01", "02", "03")
        members.append(["1", hb, hsur, eth, "2", h_rel, gm_idx if husband_side else -1, None,
                        0 if husband_side else married, None])
        members.append(["2", wb, wsur, weth, "2", w_rel, -1 if husband_side else gm_idx, None,
                        married if husband_side else 0, births])
        wife_idx = len(members) - 1
        if has_gm and rnd() < 0.35:  # an unmarried brother or sister of the elders' child
            sb = cb + int((1.5 + 6.5 * rnd()) * _Y) * (1 if rnd() < 0.6 else -1)
            sib_age, mother_age = (on - sb) / _Y, (sb - gm) / _Y
            if 15 <= sib_age < 32 and 18 <= mother_age <= 43 and sb - gf > 18 * _Y:
                sex = "1" if rnd() < 0.5 else "2"
                rel = "03" if elder_head else ("10" if husband_side else "11")
                members.append([sex, sb, csur, ceth, "1", rel, gm_idx, None, 0, None])
        self.children_at_home(births, hsur, eth, wife_idx, kid_rel, members)
        if elder_head:
            est = min(cb, gm + int(16 * _Y) + int(rnd() * 8 * _Y)) - int(rnd() * 3 * _Y)
            est = max(est, gm + int(16 * _Y))
        else:
            est = married + int(rnd() * (on - married))
        return members, est

    def grandparents(self, age: float) -> tuple[list[list], int]:
        """Grandparents raising grandchildren whose parents work elsewhere."""
        rnd = self.rnd
        eth = self.ethnicity()
        gm = self.born(age)
        gf = gm - int(d.SPOUSE_GAP[int(rnd() * _N)] * _Y)
        has_gf = rnd() < 0.55 and self.on - gf < _MAX_AGE_DAYS
        sur = self.surname(eth)
        members = []
        if has_gf:
            members.append(["1", gf, sur, eth, "2", "01", -1, None, 0, None])
        members.append(["2", gm, self.surname(eth), eth, "2" if has_gf else "3", "02" if has_gf else "01", -1,
                        None, 0, None])
        kid_sur = sur if rnd() < 0.7 else self.surname(eth)
        u = rnd()
        oldest = min(17.0, age - 37.0)
        for _ in range(1 if u < 0.5 else 2 if u < 0.85 else 3):
            sex = "1" if rnd() < d.P_BOY_RECENT else "2"
            members.append([sex, self.born(rnd() * oldest), kid_sur, eth, "1", "06", -1, None, 0, None])
        return members, gm + int((19.0 + 4.0 * rnd()) * _Y)

    def siblings(self, age: float) -> tuple[list[list], int]:
        """Unmarried brothers and sisters living together (students, young workers)."""
        rnd = self.rnd
        eth = self.ethnicity()
        sur = self.surname(eth)
        res = "3" if rnd() < 0.4 else None
        members = [["1" if rnd() < 0.5 else "2", self.born(age), sur, eth, "1", "01", -1, res, 0, None]]
        for _ in range(1 if rnd() < 0.75 else 2):
            sib = min(max(age + (1.5 + 6.5 * rnd()) * (1 if rnd() < 0.5 else -1), 15.0), 40.0)
            members.append(["1" if rnd() < 0.5 else "2", self.born(sib), sur, eth, "1", "10", -1, res, 0, None])
        return members, self.ago(rnd() * min(age - 18.0, 6.0))

    def collective(self, n: int = 0) -> tuple[list[list], int]:
        """Hộ tập thể: 5–30 unrelated adults (a dormitory, a workers' hostel), one of them the representative."""
        rnd = self.rnd
        n = max(n, 5 + int(rnd() ** 2 * 26))
        single_sex = "1" if rnd() < 0.35 else "2" if rnd() < 0.55 else None
        members = []
        for i in range(n):
            eth = self.ethnicity()
            sex = single_sex or ("1" if rnd() < 0.5 else "2")
            age = (30.0 + 25.0 * rnd()) if i == 0 else (18.0 + 20.0 * rnd() ** 1.5)
            mar = "1" if age < 25 or rnd() < 0.8 else "2"
            members.append([sex, self.born(age), self.surname(eth), eth, mar, "01" if i == 0 else "12", -1,
                            "3" if rnd() < 0.8 else None, 0, None])
        return members, self.ago(1.0 + 19.0 * rnd())

    def extras(self, members: list[list], eth: str) -> None:
        """Now and then an unmarried brother or sister of the head, another relative (a niece studying in
        town) or a live-in helper."""
        rnd = self.rnd
        u = rnd()
        if u < 0.025:
            head = members[0]
            age = (self.on - head[BORN]) / _Y + 5.0 - 17.0 * rnd()
            if 16.0 <= age < 40.0:
                members.append(["1" if rnd() < 0.65 else "2", self.born(age), head[SUR], head[ETH], "1", "10", -1,
                                "4" if rnd() < 0.2 else None, 0, None])
        elif u < 0.05:
            members.append(["1" if rnd() < 0.55 else "2", self.born(15.0 + 15.0 * rnd()), self.surname(eth), eth,
                            "1", "11", -1, "3" if rnd() < 0.5 else None, 0, None])
        elif u < 0.054:
            e = self.ethnicity()
            members.append(["2", self.born(20.0 + 35.0 * rnd()), self.surname(e), e, "1" if rnd() < 0.6 else "3",
                            "12", -1, "3", 0, None])
