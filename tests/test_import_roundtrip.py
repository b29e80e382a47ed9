"""Property tests: the factories' documents are valid for any seed, and what is imported is read back exactly."""
from __future__ import annotations

import datetime as dt
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danso.domain.registry import household_problems
from danso.domain.sheets import parse_household_sheets
from danso.domain.vntext import fold, parse_date
from danso.services.registry import household_sheet, import_households, search_persons
from factories import Factory, make_area

seeds = st.integers(0, 2**32 - 1)


def shuffled(h: dict, rnd: random.Random) -> None:
    """Put the members of a household in another order, keeping each ``mother`` pointing at the same person."""
    order = list(range(len(h["members"])))
    rnd.shuffle(order)
    position = {old: new + 1 for new, old in enumerate(order)}
    members = []
    for old in order:
        m = dict(h["members"][old])
        if "mother" in m:
            m["mother"] = position[m["mother"] - 1]
        members.append(m)
    h["members"] = members


@settings(max_examples=150, deadline=None)
@given(seed=seeds, households=st.integers(1, 4), on=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)))
def test_the_factories_build_documents_without_any_problem_for_any_seed_and_day(seed, households, on):
    f = Factory(seed, on=on)
    doc = f.document("11602-001-01", households)
    records, problems = parse_household_sheets(doc)
    assert problems == [] and len(records) == households
    for h in records:
        assert household_problems(h, today=on, record=f"hộ {h.number}") == []
        assert sum(m.relation == "01" for m in h.members) == 1
        assert all(m.person.full_name.count(" ") == 2 for m in h.members)


def expected(h: dict) -> dict[str, tuple]:
    """Each member of a document, keyed by BHYT number, as the register should hold them."""
    bhyt_at = [m["bhyt"] for m in h["members"]]
    out = {}
    for m in h["members"]:
        birth = m["birth"]
        born = (int(birth), None, None) if len(birth) == 4 else (lambda d: (d.year, d.month, d.day))(parse_date(birth))
        method = m.get("contraception")
        out[m["bhyt"]] = (
            m["full_name"], m["sex"], born, m["ethnicity"], m["education"], m["marital"], m.get("cccd"), "0",
            m["relation"], m["residence"], parse_date(m["since"]), bhyt_at[m["mother"] - 1] if "mother" in m else None,
            [(method["method"], parse_date(method["since"]))] if method else [],
            (m["living_sons"], m["living_daughters"]) if "living_sons" in m else None)
    return out


def read_back(sheet) -> dict[str, tuple]:
    bhyt_of = {m.person.id: m.person.bhyt for m in sheet.members}
    out = {}
    for m in sheet.members:
        p = m.person
        r = m.reproductive
        out[p.bhyt] = (
            p.full_name, p.sex, (p.birth_year, p.birth_month, p.birth_day), p.ethnicity, p.education, p.marital,
            p.cccd, p.disability, m.relation, m.residence, m.valid_from, bhyt_of.get(p.mother_id),
            [(u.method, u.start_date) for u in m.contraception], (r.living_sons, r.living_daughters) if r else None)
        assert m.valid_to is None and p.death_date is None
    return out


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=seeds, households=st.integers(1, 3), shuffle=st.booleans())
def test_importing_then_reading_back_gives_exactly_what_was_imported(ctx, seed, households, shuffle):
    # the database is shared by the examples: each one gets its own village and area
    area = make_area(ctx, village=f"Thôn {seed}")
    f = Factory(seed)
    doc = f.document(area, households)
    if shuffle:
        for h in doc["households"]:
            shuffled(h, random.Random(seed))
    report = import_households(ctx, doc, today=f.on)
    assert report.persons == sum(len(h["members"]) for h in doc["households"])
    for hid, h in zip(report.households, doc["households"], strict=True):
        sheet = household_sheet(ctx, hid, f.on)
        hh = sheet.household
        assert (sheet.area.code, hh.number, hh.kind, hh.established_on, hh.house_no, hh.street, hh.dissolved_on) == (
            area, h["number"], h["kind"], parse_date(h["established_on"]), h["address"]["house_no"],
            h["address"]["street"], None)
        assert sheet.past_members == []
        assert read_back(sheet) == expected(h)
        for m in h["members"]:
            [hit] = search_persons(ctx, m["bhyt"])
            assert (hit.full_name, hit.birth, hit.cccd, hit.household_id, hit.household_number, hit.area_code) == (
                m["full_name"], m["birth"], m.get("cccd"), hid, h["number"], area)
            assert hit.id in [x.id for x in search_persons(ctx, fold(m["full_name"]).upper(), unit_code=area)]
