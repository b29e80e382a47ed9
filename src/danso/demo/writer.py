"""Turn built households into rows: names, dates, identifiers, education, follow-up of married women.

This is the generator's hot loop (millions of persons), so it works on plain lists and tuples with the
lookup tables bound to locals, one random number per draw.

Identifiers are unique over a run by construction:

* CCCD / mã định danh ``0 PP G YY SSSSSS``: the 6-digit serial is a counter per (sex, year of birth) — the only
  digits not already fixed by those two — offset by the run's first person id and scrambled by a bijection
  of 0…999,999. Two persons of the same sex and year never share a serial while a run holds fewer than a
  million of them (a run of 2.13 M persons holds at most ≈ 20,000 per sex and year). (``person_id % 1_000_000``
  alone would not do: persons 1 and 1,000,001 may share sex and year.)
* BHYT ``GG B PP NNNNNNNNNN``: the 10-digit number is a bijection of the person id, so it is unique for
  every id below 10¹⁰, across runs too.
"""
from __future__ import annotations

import datetime as dt

from danso.demo import distributions as d
from danso.demo.households import MOTHER, SOLO, Families
from danso.demo.names import folded, given_weights, middle_weights
from danso.demo.rows import Batch, IdStart
from danso.domain.events import REGISTERED, registration_data, to_json
from danso.domain.identifiers import make_cccd

MEAN_HOUSEHOLD_SIZE = 3.55  # what the household mix gives on average (used to plan communes and areas)
_BHXH_MULT, _BHXH_ADD, _BHXH_MOD = 6_364_136_223, 1_442_695_041, 10**10  # multiplier prime to 10: a bijection
_SERIAL_MULT, _SERIAL_ADD, _SERIAL_MOD = 7_919, 104_729, 10**6
_FIRST_YEAR = 1850
_Y = d.YEAR_DAYS


class Writer:
    def __init__(self, families: Families, on: dt.date, province: str, ids: IdStart):
        self.families = families
        self.rnd = families.rnd
        self.on = on
        self.on_ord = on.toordinal()
        self.province = province
        self.next_household, self.next_person = ids.household, ids.person
        self.next_membership, self.next_contraceptive = ids.membership, ids.contraceptive
        self.next_pregnancy, self.next_event = ids.pregnancy, ids.event
        self.recorded_at = dt.datetime.combine(on, dt.time(), dt.timezone.utc)
        self.persons_written = self.households_written = 0
        years = range(_FIRST_YEAR, on.year + 2)
        self.cohort = [d.cohort(y) for y in years]
        self.jan1 = [dt.date(y, 1, 1).toordinal() for y in years]
        self.band = [d.age_band(a) for a in range(0, 140)]
        # [sex 0 male / 1 female][cohort] → expanded (name, folded) tables
        self.middle = [[d.expand(folded(middle_weights(s, c))) for c in range(4)] for s in ("1", "2")]
        self.given = [[d.expand(folded(given_weights(s, c))) for c in range(4)] for s in ("1", "2")]
        edu = d.education_tables()
        self.edu = [[[d.expand(edu[b, c, u], 1024) for b in range(7)] for c in range(4)] for u in (False, True)]
        # CCCD: fixed prefix per (year, sex), a serial counter per (year, sex)
        self.cccd_prefix = [make_cccd(province, s, y, 0)[:6] if y >= 1900 else "" for y in years for s in "12"]
        self.cccd_count = [0] * len(self.cccd_prefix)
        self.cccd_base = ids.person
        cats = ("child", "pupil", "young", "adult", "old")
        self.bhyt = [d.expand([(g + b + province, w) for (g, b), w in d.BHYT_GROUPS[c]], 1024) for c in cats]
        self.bhyt_cover = [d.BHYT_COVERAGE[c] for c in cats]
        self.methods = d.expand(d.METHOD_MIX, 4096)
        self.methods_no_child = d.expand(d.METHOD_MIX_NO_CHILD, 4096)

    def draw(self, smin: int = 1, smax: int = 99) -> tuple[list[list], int, str]:
        """A household (members, established ordinal, kind), its size within [smin, smax] when steering."""
        rnd, f = self.rnd, self.families
        best = None
        for _ in range(60):
            if rnd() < d.P_COLLECTIVE:
                (members, est), kind = f.collective(), "2"
            else:
                (members, est), kind = f.draw(), "1"
            if smin <= len(members) <= smax:
                return members, est, kind
            if best is None or len(members) > len(best[0]):
                best = members, est, kind
        if smax < 99:
            members, est = f.build(SOLO, 20 + 5 * int(rnd() * 14))
            return members, est, "1"
        if smin > len(best[0]):  # only a dormitory is that big
            members, est = f.collective(min(smin, 30))
            return members, est, "2"
        return best  # type: ignore[return-value]

    def household(self, batch: Batch, members: list[list], est: int, kind: str, area_id: int, number: int,
                  address: tuple[str, ...], urban: bool) -> None:
        rnd = self.rnd
        fromordinal = dt.date.fromordinal
        on = self.on
        on_year, on_md = on.year, on.month * 100 + on.day
        cohort_of, jan1, band_of = self.cohort, self.jan1, self.band
        middle, given, edu = self.middle, self.given, self.edu[urban]
        prefix, count, base = self.cccd_prefix, self.cccd_count, self.cccd_base
        bhyt, cover = self.bhyt, self.bhyt_cover
        dis_p, dis_kind = d.DISABILITY_BY_AGE, d.DISABILITY_KIND
        p_year_only, p_child_id = d.P_YEAR_ONLY, d.P_CHILD_ID
        p_res2, p_res23 = d.P_RESIDENCE_2, d.P_RESIDENCE_2 + d.P_RESIDENCE_3
        persons, memberships = batch.persons, batch.memberships
        starts = (len(persons), len(memberships), len(batch.contraceptive_uses), len(batch.reproductive_status),
                  len(batch.pregnancies))
        hid = self.next_household
        self.next_household = hid + 1
        batch.households.append((hid, area_id, str(number), kind, *address, "active", fromordinal(est), None))
        pid0 = self.next_person
        mid = self.next_membership
        for i, (sex, born, sur, eth, mar, rel, mother, res, join, births) in enumerate(members):
            pid = pid0 + i
            day = fromordinal(born)
            y, month, dd = day.year, day.month, day.day
            age = on_year - y - (month * 100 + dd > on_md)
            yi = y - _FIRST_YEAR
            coh = cohort_of[yi]
            s = 0 if sex == "1" else 1
            mids = middle[s][coh]
            m_name = mids[int(rnd() * 4096)]
            gives = given[s][coh]
            g_name = gives[int(rnd() * 4096)]
            if m_name[0].endswith(g_name[0]):
                g_name = gives[int(rnd() * 4096)]
            start = born
            if age >= 60 and rnd() < p_year_only:
                month = dd = None
                age = on_year - y
                start = jan1[yi]
            e = edu[coh][band_of[age]]
            education = e[int(rnd() * 1024)]
            if rnd() < dis_p[0 if age < 15 else 1 if age < 60 else 2]:
                disability = dis_kind[int(rnd() * 256)]
            else:
                disability = "0"
            cccd = None
            if age >= 14 or rnd() < p_child_id:
                k = yi * 2 + s
                c = count[k]
                count[k] = c + 1
                cccd = "%s%06d" % (prefix[k], ((base + c) * _SERIAL_MULT + _SERIAL_ADD) % _SERIAL_MOD)
            cat = 0 if age < 6 else 1 if age < 18 else 2 if age < 23 else 3 if age < 60 else 4
            card = None
            if rnd() < cover[cat]:
                card = "%s%010d" % (bhyt[cat][int(rnd() * 1024)], (pid * _BHXH_MULT + _BHXH_ADD) % _BHXH_MOD)
            if res is None:
                u = rnd()
                res = "1" if u >= p_res23 else "2" if u < p_res2 else "3"
            persons.append((pid, f"{sur[0]} {m_name[0]} {g_name[0]}", f"{sur[1]} {m_name[1]} {g_name[1]}", sex, y,
                            month, dd, eth, education, mar, cccd, card, disability,
                            pid0 + mother if mother >= 0 else None, None))
            if est > start:
                start = est
            if join > start:
                start = join
            memberships.append((mid, pid, hid, rel, res, fromordinal(start), None))
            mid += 1
            if sex == "2" and mar == "2" and 15 <= age <= 49:
                self._follow_up(batch, members, i, pid, age, births, max(born + int(16 * _Y), est, join))
        self.next_person = pid0 + len(members)
        self.next_membership = mid
        self.persons_written += len(members)
        self.households_written += 1
        self._registration(batch, starts)

    def _registration(self, batch: Batch, starts: tuple[int, ...]) -> None:
        """The household's registration event: the rows just written (the log from which replay rebuilds it)."""
        p, m, c, r, g = starts
        rows = {"households": batch.households[-1:], "persons": batch.persons[p:], "memberships": batch.memberships[m:],
                "contraceptive_uses": batch.contraceptive_uses[c:], "reproductive_status": batch.reproductive_status[r:],
                "pregnancies": batch.pregnancies[g:]}
        hid = batch.households[-1][0]
        batch.events.append((self.next_event, REGISTERED, self.on, self.recorded_at, None, None, hid,
                             to_json(registration_data(rows)), None, None))
        self.next_event += 1

    def _follow_up(self, batch: Batch, members: list[list], i: int, pid: int, age: int,
                   births: list[tuple[int, str]] | None, earliest: int) -> None:
        """Reproductive status of a married woman 15–49 and, for most, the method she uses."""
        rnd, on_ord = self.rnd, self.on_ord
        if births is None:  # only her children in this household are known
            births = sorted((m[1], m[0]) for m in members if m[MOTHER] == i)
        sons = sum(1 for _, s in births if s == "1")
        last = births[-1][0] if births else 0
        pregnant = rnd() < d.PREGNANT_BY_AGE[age - 15] and on_ord - last > 100
        batch.reproductive_status.append((pid, sons, len(births) - sons, self.on))
        if pregnant:
            # recorded as pregnant some time in the last 8 months, not before her last delivery + 100 days
            start = max(on_ord - int(rnd() * 240), last + 100, earliest)
            batch.pregnancies.append((self.next_pregnancy, pid, dt.date.fromordinal(min(start, on_ord)), None, None))
            self.next_pregnancy += 1
        if pregnant or rnd() >= d.USER_BY_PARITY[min(len(births), 2)]:
            return
        if births:
            method = self.methods[int(rnd() * 4096)]
            if method in ("2", "3") and (len(births) < 2 or age < 28):
                method = "1"
        else:
            method = self.methods_no_child[int(rnd() * 4096)]
        base = max(earliest, last + 42)
        span = max(on_ord - base, 0)
        if method in d.LONG_ACTING:
            start = base + int(rnd() * min(span, 730))
        else:
            start = on_ord - int(rnd() * min(span, 1095))
        cid = self.next_contraceptive
        self.next_contraceptive = cid + 1
        batch.contraceptive_uses.append((cid, pid, method, dt.date.fromordinal(min(start, on_ord)), None))
