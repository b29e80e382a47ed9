"""The synthetic-population generator: determinism, counts, every register invariant, realism."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import itertools
import math
import random
import unicodedata
from collections import Counter, defaultdict
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danso.demo import distributions as d
from danso.demo.generator import generate, plan_areas
from danso.demo.rows import (CONTRACEPTIVE_COLUMNS, HOUSEHOLD_COLUMNS, MEMBERSHIP_COLUMNS, PERSON_COLUMNS,
                             PREGNANCY_COLUMNS, REPRODUCTIVE_COLUMNS, UNIT_COLUMNS, UNIT_LINK_COLUMNS, Batch, CommuneInput, IdStart)
from danso.demo.writer import _BHXH_MOD, _BHXH_MULT, _SERIAL_MOD, _SERIAL_MULT
from danso.domain import codes
from danso.domain.ages import age_on
from danso.domain.identifiers import bhyt_problems, cccd_problems, make_cccd
from danso.domain.registry import (HEAD, MARRIED, MIN_MOTHER_AGE, HouseholdRecord, MemberRecord, PersonRecord,
                                   household_problems)
from danso.domain.units import AREA_MAX_HOUSEHOLDS, AREA_MIN_HOUSEHOLDS, LEGACY_LAST_DAY, REFORM_DATE
from danso.domain.vntext import fold

ON = dt.date(2025, 12, 31)
XA = CommuneInput(100, "11296", "Xã An Lư", "Xã", ((50, "11290"), (51, "11291")))
PHUONG = CommuneInput(101, "11311", "Phường Thủy Nguyên", "Phường", ((52, "11305"),))
DAC_KHU = CommuneInput(102, "11320", "Đặc khu Cát Hải", "Đặc khu")
COMMUNES = (XA, PHUONG, DAC_KHU)


def run(persons: int, communes=COMMUNES, seed: int = 1, ids: IdStart = IdStart(), province: str = "31",
        on: dt.date = ON) -> list[Batch]:
    return list(generate(communes, province_code=province, persons=persons, seed=seed, on=on, ids=ids))


@cache
def realistic() -> tuple[Batch, ...]:
    """One run shared by the realism tests (generated once, ~1 s). 100,000 persons rather than 50,000: the sex
    ratio of the ~8,000 children under 5 then has a sampling s.d. of ~2.5 (~3.5 with half as many)."""
    return tuple(run(100_000, seed=2025))


def rows(batches, name):
    return [r for b in batches for r in getattr(b, name)]


def age(p, on=ON) -> int:
    return age_on(p[4], p[5], p[6], on)


def earliest_birth(p) -> dt.date:
    return dt.date(p[4], p[5] or 1, p[6] or 1)


# -- the invariants, checked on any run ------------------------------------------------------------------


def check_invariants(batches: list[Batch], communes, persons: int, ids: IdStart, on: dt.date = ON,
                     province: str = "31") -> None:
    check_shapes(batches)
    check_units(batches, communes, ids)
    check_ids(batches, ids)
    check_counts(batches, persons)
    check_identifiers(batches, province, on)
    check_households(batches, on)


def check_shapes(batches):
    for b in batches:
        for name, cols in (("units", UNIT_COLUMNS), ("unit_links", UNIT_LINK_COLUMNS),
                           ("households", HOUSEHOLD_COLUMNS), ("persons", PERSON_COLUMNS),
                           ("memberships", MEMBERSHIP_COLUMNS), ("contraceptive_uses", CONTRACEPTIVE_COLUMNS),
                           ("reproductive_status", REPRODUCTIVE_COLUMNS), ("pregnancies", PREGNANCY_COLUMNS)):
            assert all(isinstance(r, tuple) and len(r) == len(cols) for r in getattr(b, name)), name
        # a batch holds either a commune's units or an area's households
        assert not (b.units and b.households)


def check_units(batches, communes, ids):
    units = {u[0]: u for u in rows(batches, "units")}
    links = rows(batches, "unit_links")
    assert sorted(units) == list(range(ids.unit, ids.unit + len(units)))
    assert len({(u[1], u[2]) for u in units.values()}) == len(units)
    parents = defaultdict(list)
    for child, parent, start, end in links:
        parents[child].append((parent, start, end))
    by_id = {c.id: c for c in communes}
    legacy_ids = {lid for c in communes for lid, _ in c.legacy}
    household_area = Counter(h[1] for h in rows(batches, "households"))
    for u in units.values():
        uid, code, level, name, kind, vfrom, vto, source = u
        assert (vfrom, vto, source) == (None, None, "danso demo")
        if level == "village":
            commune_links = [p for p in parents[uid] if p[0] in by_id]
            assert len(commune_links) == 1 and commune_links[0][1:] == (REFORM_DATE, None)
            commune = by_id[commune_links[0][0]]
            assert code.startswith(commune.code + "-") and len(code) == len(commune.code) + 4
            assert kind == ("Tổ dân phố" if commune.kind == "Phường" else "Thôn")
            assert name == f"{kind} {int(code[-3:])}"
            old = [p for p in parents[uid] if p[0] in legacy_ids]
            if commune.legacy:
                assert len(old) == 1 and old[0][1:] == (None, LEGACY_LAST_DAY)
                assert old[0][0] in {lid for lid, _ in commune.legacy}
            else:
                assert not old
        else:
            assert level == "area" and kind == "Địa bàn" and name.startswith("Địa bàn ")
            (village, start, end), = parents[uid]
            assert (start, end) == (None, None) and units[village][2] == "village"
            assert code.startswith(units[village][1] + "-")
    # villages hold 1–3 areas; legacy communes are used round-robin
    areas_per_village = Counter(p[0][0] for uid, p in parents.items() if units[uid][2] == "area")
    assert set(areas_per_village.values()) <= {1, 2, 3}
    # area sizes: 350–450 households, except the one small area of a commune whose share is too small or
    # cannot be split into areas of that size
    for c in communes:
        areas = sorted(uid for uid, p in parents.items()
                       if units[uid][2] == "area" and units[uid][1].startswith(c.code + "-"))
        sizes = [household_area[a] for a in areas]
        total = sum(sizes)
        for s in sizes[:-1]:
            assert AREA_MIN_HOUSEHOLDS <= s <= AREA_MAX_HOUSEHOLDS, (c.code, sizes)
        assert sizes[-1] <= AREA_MAX_HOUSEHOLDS, (c.code, sizes)
        if sizes[-1] < AREA_MIN_HOUSEHOLDS and len(sizes) > 1:  # only when no split into 350–450 exists
            assert not any(AREA_MIN_HOUSEHOLDS * k <= total <= AREA_MAX_HOUSEHOLDS * k
                           for k in range(1, total // AREA_MIN_HOUSEHOLDS + 1)), (c.code, sizes)


def check_ids(batches, ids):
    for name, start in (("households", ids.household), ("persons", ids.person),
                        ("memberships", ids.membership), ("contraceptive_uses", ids.contraceptive)):
        got = [r[0] for r in rows(batches, name)]
        assert got == list(range(start, start + len(got))), name


def check_counts(batches, persons):
    """The total reaches the target with the last household, never more than one household beyond."""
    sizes = Counter(m[2] for m in rows(batches, "memberships"))
    total = sum(sizes.values())
    last = sizes[max(sizes)] if sizes else 0
    assert persons <= total < persons + last, (persons, total, last)


def check_identifiers(batches, province, on):
    people = rows(batches, "persons")
    cccds = [p[10] for p in people if p[10]]
    cards = [p[11] for p in people if p[11]]
    assert len(set(cccds)) == len(cccds)
    assert len(set(cards)) == len(cards)
    assert len({c[5:] for c in cards}) == len(cards)  # the 10-digit number alone is unique
    for p in people:
        if p[10]:
            assert cccd_problems(p[10], sex=p[3], birth_year=p[4]) == []
            assert p[10][:6] == make_cccd(province, p[3], p[4], 0)[:6]
        else:
            assert age(p, on) < 14
        if p[11]:
            assert len(p[11]) == 15 and bhyt_problems(p[11]) == [] and p[11][3:5] == province


def check_households(batches, on):
    for b in batches:
        if not b.households:
            continue
        people = {p[0]: p for p in b.persons}
        order = {p[0]: i for i, p in enumerate(b.persons)}
        members = defaultdict(list)
        for m in b.memberships:
            members[m[2]].append(m)
        methods = {c[1]: c for c in b.contraceptive_uses}
        repro = {r[0]: r for r in b.reproductive_status}
        pregnant = {g[1] for g in b.pregnancies}
        assert pregnant <= set(repro) and len(pregnant) == len(b.pregnancies)
        assert all(g[3] is None and g[4] is None and g[2] <= on for g in b.pregnancies)
        check_registrations(b)
        assert len(methods) == len(b.contraceptive_uses) and len(repro) == len(b.reproductive_status)
        assert set(methods) <= set(repro)
        assert len(b.memberships) == len(b.persons) == len({m[1] for m in b.memberships})
        numbers = [h[2] for h in b.households]
        assert numbers == [str(i) for i in range(1, len(numbers) + 1)]
        for h in b.households:
            hid, _area, number, kind, hamlet, alley, lane, sub_lane, house_no, street, status, est, gone = h
            assert status == "active" and gone is None and est <= on
            assert all(isinstance(x, str) for x in (hamlet, alley, lane, sub_lane, house_no, street))
            assert hamlet or street
            ms = members[hid]
            index = {m[1]: i for i, m in enumerate(ms)}
            record = HouseholdRecord("A", number, kind, est, hamlet=hamlet, alley=alley, lane=lane,
                                     sub_lane=sub_lane, house_no=house_no, street=street)
            for m in ms:
                p = people[m[1]]
                assert m[6] is None and m[5] <= on
                # since the household was set up or the person was born; in-laws since their marriage
                assert m[5] == max(earliest_birth(p), est) or (m[5] > est and m[3] in ("02", "05"))
                if p[13] is not None:
                    assert p[13] in index and order[p[13]] < order[p[0]]
                c, r = methods.get(p[0]), repro.get(p[0])
                record.members.append(MemberRecord(
                    PersonRecord(p[1], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[0], p[13],
                                 p[14]),
                    m[3], m[4], m[5], mother=index[p[13]] + 1 if p[13] is not None else None,
                    contraceptive_method=c[2] if c else None, contraceptive_since=c[3] if c else None,
                    living_sons=r[1] if r else None, living_daughters=r[2] if r else None,
                    pregnant=p[0] in pregnant if r else None))
            assert household_problems(record, today=on, record=f"hộ {number}") == []
            check_kinship(record, methods, repro, pregnant, on)


def check_registrations(b: Batch) -> None:
    """One registration event per household, carrying exactly that household's rows (the log replays them)."""
    assert len(b.events) == len(b.households)
    by_household = {e[6]: json.loads(e[7]) for e in b.events}
    assert all(e[1] == "household_registered" and e[4] is None for e in b.events)
    persons_in = defaultdict(set)
    for m in b.memberships:
        persons_in[m[2]].add(m[1])
    for h in b.households:
        data = by_household[h[0]]
        assert [tuple(x) for x in data["households"]] == [tuple(v.isoformat() if hasattr(v, "isoformat") else v
                                                                for v in h)]
        assert {p[0] for p in data["persons"]} == persons_in[h[0]]


def check_kinship(h: HouseholdRecord, methods, repro, pregnant, on):
    ms = h.members
    heads = [m for m in ms if m.relation == HEAD]
    assert len(heads) == 1  # also for collective households: one representative
    head = heads[0]
    if h.kind == "2":
        assert 5 <= len(ms) <= 30 and all(m.relation == "12" for m in ms if m is not head)
    spouses = [m for m in ms if m.relation == "02"]
    assert len(spouses) <= 1
    for s in spouses:
        assert s.person.sex != head.person.sex
        assert head.person.marital == s.person.marital == MARRIED
        assert abs(head.person.birth_year - s.person.birth_year) <= 20
    for m in ms:
        p = m.person
        if m.relation == "03":  # the head's child
            assert head.person.birth_year + 15 <= p.birth_year
        if m.relation == "07":
            assert p.birth_year + 15 <= head.person.birth_year
        if m.relation == "08":  # the spouse's parent
            assert spouses and p.birth_year + 15 <= spouses[0].person.birth_year
        if m.relation == "06":
            assert head.person.birth_year + 30 <= p.birth_year
        if m.mother is not None:  # 15–49 at the birth (a year more when only her year of birth is known)
            mother = ms[m.mother - 1].person
            at_birth = mother.age_on(p.earliest_birth())
            assert MIN_MOTHER_AGE < 15 <= at_birth <= (49 if mother.birth_month else 50)
        if p.age_on(on) < 15:
            assert p.marital == "1"
        eligible = p.sex == "2" and p.marital == MARRIED and 15 <= p.age_on(on) <= 49
        assert (p.id in repro) == eligible
        if eligible:
            _, sons, daughters, recorded = repro[p.id]
            kids = [k.person for k in ms if k.mother is not None and ms[k.mother - 1] is m]
            assert sons >= sum(k.sex == "1" for k in kids) and daughters >= sum(k.sex == "2" for k in kids)
            assert recorded == on
            if p.id in methods:
                assert p.id not in pregnant
                _, _, method, start, end = methods[p.id]
                assert end is None and p.earliest_birth() < start <= on
                assert method in codes.code_list(codes.CONTRACEPTIVE_METHOD)
                if method in ("2", "3"):
                    assert sons + daughters >= 2


# -- tests -----------------------------------------------------------------------------------------------


def test_same_arguments_give_the_same_rows_and_another_seed_others():
    a, b = run(3000, seed=7), run(3000, seed=7)
    assert [dataclasses.astuple(x) for x in a] == [dataclasses.astuple(x) for x in b]
    c = run(3000, seed=8)
    assert rows(a, "persons") != rows(c, "persons")


def test_batches_stream_a_units_batch_per_commune_then_one_per_area():
    batches = run(4000)
    kinds = ["units" if b.units else "area" for b in batches]
    assert kinds[0] == "units" and kinds.count("units") == len(COMMUNES)
    areas = {u[0] for u in rows(batches, "units") if u[2] == "area"}
    assert [b.households[0][1] for b in batches if b.households] == sorted(areas)


def test_generation_is_lazy_whatever_the_size():
    stream = generate(COMMUNES, province_code="31", persons=50_000_000, seed=1, on=ON, ids=IdStart())
    first, *areas = itertools.islice(stream, 4)
    villages = [u for u in first.units if u[2] == "village"]
    assert len([u for u in first.units if u[2] == "area"]) > 3000  # ~16 M persons in the first commune
    legacy = Counter(link[1] for link in first.unit_links if link[3] == LEGACY_LAST_DAY)
    assert set(legacy) == {50, 51} and abs(legacy[50] - legacy[51]) <= 1  # villages spread over the old communes
    assert len(legacy) and sum(legacy.values()) == len(villages)
    assert all(AREA_MIN_HOUSEHOLDS <= len(a.households) <= AREA_MAX_HOUSEHOLDS for a in areas)


@pytest.mark.parametrize("persons, communes", [(1, (XA,)), (7, COMMUNES), (600, (PHUONG,)), (2_000, (XA,)),
                                               (3_700, (XA, PHUONG)), (12_345, COMMUNES)])
def test_the_total_is_reached_with_the_last_household(persons, communes):
    ids = IdStart(unit=900, household=10, person=999_000, membership=5, contraceptive=77)
    check_invariants(run(persons, communes, ids=ids), communes, persons, ids)


def test_every_invariant_holds_on_a_realistic_run():
    check_invariants(list(realistic()), COMMUNES, 100_000, IdStart())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), persons=st.integers(500, 5000), n=st.integers(1, 3),
       start=st.integers(1, 3_000_000), on=st.sampled_from([ON, dt.date(2024, 2, 29), dt.date(2030, 7, 1)]))
def test_invariants_hold_for_any_seed_and_size(seed, persons, n, start, on):
    communes = COMMUNES[:n]
    ids = IdStart(unit=start, household=start, person=start, membership=start, contraceptive=start)
    check_invariants(run(persons, communes, seed=seed, ids=ids, on=on), communes, persons, ids, on=on)


def test_planning_gives_areas_of_350_to_450_households_for_a_large_province():
    communes = [CommuneInput(1000 + i, f"{11000 + i}", f"Xã {i}", "Phường" if i % 4 == 0 else "Xã")
                for i in range(114)]
    plan = plan_areas(communes, 2_130_000, random.Random(1))
    assert not any(c.ragged for c in plan) and {c.last_low for c in plan} == {AREA_MIN_HOUSEHOLDS}
    for c in plan:
        assert 370 * c.areas <= c.households <= 430 * c.areas
        assert (c.low, c.high) == (350 * c.areas, 450 * c.areas)
    assert abs(sum(c.households for c in plan) - 2_130_000 / 3.55) <= 1


@pytest.mark.parametrize("persons, n", [(2405, 1), (1700, 1), (3400, 1), (4900, 1), (5000, 2), (100_000, 3),
                                        (1000, 3)])
def test_plans_split_what_can_be_split(persons, n):
    plan = plan_areas(COMMUNES[:n], persons, random.Random(3))
    for c in plan:
        splittable = any(350 * k <= c.households <= 450 * k for k in range(1, c.households // 350 + 1))
        assert c.ragged == (c.households >= 350 and not splittable)
        if n > 1:
            assert not c.ragged


def test_identifier_numbers_cannot_collide():
    # the CCCD serial scramble and the BHYT number are bijections …
    assert math.gcd(_SERIAL_MULT, _SERIAL_MOD) == 1 and math.gcd(_BHXH_MULT, _BHXH_MOD) == 1
    # … and a serial counts persons of one sex and year: at 2.13 M persons the largest such group is far below
    # the 10⁶ serials (here measured on 100,000 persons and scaled)
    groups = Counter((p[3], p[4]) for p in rows(realistic(), "persons") if p[10])
    assert max(groups.values()) * 2_130_000 / 100_000 < 100_000
    # person ids crossing a multiple of 10⁶ do not reuse serials (person_id % 10⁶ alone would)
    ids = IdStart(person=997_000)
    people = rows(run(6000, ids=ids), "persons")
    assert people[0][0] < 1_000_000 < people[-1][0]
    assert len({p[10] for p in people if p[10]}) == sum(1 for p in people if p[10])


def test_names_are_vietnamese_nfc_and_folded_for_search():
    people = rows(realistic(), "persons")
    for p in people[:5000]:
        assert unicodedata.is_normalized("NFC", p[1]) and p[2] == fold(p[1])
        assert len(p[1].split()) >= 3
    surnames = Counter(p[1].split()[0] for p in people)
    assert 0.30 <= surnames["Nguyễn"] / len(people) <= 0.40
    assert surnames["Hoàng"] > surnames["Huỳnh"] and surnames["Vũ"] > surnames["Võ"]  # a northern province
    women = [p for p in people if p[3] == "2"]
    old, young = ([p for p in women if p[4] < 1970], [p for p in women if p[4] >= 2000])
    thi = lambda ps: sum(p[1].split()[1] == "Thị" for p in ps) / len(ps)  # noqa: E731
    assert 0.4 < thi(old) < 0.75 and thi(young) < 0.35
    assert len({p[1].split()[-1] for p in women}) >= 60 and len({p[1].split()[-1] for p in people if p[3] == "1"}) >= 60
    # children carry their father's family name
    by_id = {p[0]: p for p in people}
    for b in realistic()[:20]:
        ms = defaultdict(dict)
        for m in b.memberships:
            ms[m[2]][m[3]] = by_id[m[1]]
        for rel in ms.values():
            if "01" in rel and "02" in rel and "03" in rel and rel["01"][3] == "1":
                assert rel["03"][1].split()[0] == rel["01"][1].split()[0]


def test_the_population_looks_like_viet_nam():
    batches = realistic()
    people = rows(batches, "persons")
    n = len(people)
    ages = [age(p) for p in people]
    assert 0.21 <= sum(a < 15 for a in ages) / n <= 0.26
    assert 0.10 <= sum(a >= 60 for a in ages) / n <= 0.145
    males = sum(p[3] == "1" for p in people)
    assert 95 <= 100 * males / (n - males) <= 103
    young = [p for p, a in zip(people, ages) if a < 5]
    boys = sum(p[3] == "1" for p in young)
    assert 106 <= 100 * boys / (len(young) - boys) <= 116
    sizes = Counter(m[2] for m in rows(batches, "memberships"))
    assert 3.4 <= n / len(sizes) <= 3.8
    share = Counter(min(s, 6) for s in sizes.values())
    assert 0.09 <= share[1] / len(sizes) <= 0.15 and share[6] / len(sizes) <= 0.14
    # marital status of persons 15+
    adults = [p for p, a in zip(people, ages) if a >= 15]
    marital = Counter((p[3], p[9]) for p in adults)
    women = sum(v for (s, _), v in marital.items() if s == "2")
    assert 0.6 <= marital["2", "2"] / women <= 0.75 and 0.07 <= marital["2", "3"] / women <= 0.16
    # married women 15–49: ~75 % use a method, ~5 % pregnant; the method mix
    repro = rows(batches, "reproductive_status")
    uses = rows(batches, "contraceptive_uses")
    assert 0.70 <= len(uses) / len(repro) <= 0.80
    assert 0.03 <= len(rows(batches, "pregnancies")) / len(repro) <= 0.07
    mix = Counter(u[2] for u in uses)
    assert 0.30 <= mix["1"] / len(uses) <= 0.40 and 0.12 <= mix["6"] / len(uses) <= 0.22
    # ethnicity (Hải Phòng: almost all Kinh), education, residence, identifiers
    assert Counter(p[7] for p in people)["01"] / n > 0.98
    educ = Counter(p[8] for p, a in zip(people, ages) if 25 <= a <= 40)
    assert 0.10 <= (educ["7"] + educ["8"]) / sum(educ.values()) <= 0.30
    assert all(p[8] == "0" for p, a in zip(people, ages) if a < 6)
    residence = Counter(m[4] for m in rows(batches, "memberships"))
    assert residence["1"] / n > 0.85 and all(0.01 <= residence[c] / n <= 0.05 for c in "234")
    assert sum(p[11] is not None for p in people) / n == pytest.approx(0.92, abs=0.03)
    children = [p for p, a in zip(people, ages) if a < 14]
    assert sum(p[10] is not None for p in children) / len(children) == pytest.approx(0.85, abs=0.03)
    assert sum(p[12] != "0" for p in people) / n == pytest.approx(0.03, abs=0.015)
    old = [p for p, a in zip(people, ages) if a >= 60]
    assert 0.01 <= sum(p[5] is None for p in old) / len(old) <= 0.05
    assert all(p[5] is not None for p, a in zip(people, ages) if a < 60)
    kinds = Counter(h[3] for h in rows(batches, "households"))
    assert 0 < kinds["2"] / sum(kinds.values()) < 0.01


def test_a_southern_province_uses_southern_names_and_its_own_ethnic_mix():
    people = rows(run(6000, (PHUONG,), province="79"), "persons")
    surnames = Counter(p[1].split()[0] for p in people)
    assert surnames["Huỳnh"] > surnames["Hoàng"] and surnames["Võ"] > surnames["Vũ"]
    assert Counter(p[7] for p in people)["04"] > 0  # Hoa
    assert all(p[10] is None or p[10].startswith("079") for p in people)
    assert d.ethnic_mix("99") is d.NATIONAL_ETHNIC_MIX
