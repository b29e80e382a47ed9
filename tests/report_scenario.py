"""A small hand-built register for the report tests: four households in two communes of Hải Phòng, imported on
31/12/2025, then one quarter (Q1 2026) of accepted slips. Every expected figure in tests/test_reports.py is
worked out by hand from the people and events listed here.

    11602 (Phường Hồng An)  village 1, area A1: H1, H2      village 2, area A2: H3 (hộ tập thể)
    10507                   area B1: H4
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from danso.bootstrap import Context
from danso.domain.vntext import format_date
from danso.services.registry import household_sheet, import_households
from danso.services.units import add_area, add_village
from factories import COMMUNE, ON, Factory
from slip_factories import Slips

OTHER_COMMUNE = "10507"
TODAY = dt.date(2026, 6, 30)


@dataclass
class Scenario:
    areas: dict[str, str]
    ids: dict[str, int] = field(default_factory=dict)  # person key → id
    households: dict[str, int] = field(default_factory=dict)
    slips: dict[str, Slips] = field(default_factory=dict)  # area key → slip helper


NAMES = {"h1_head": "Nguyễn Văn Hùng", "h1_wife": "Trần Thị Lan", "h1_child": "Nguyễn Minh Khôi",
         "h1_grandma": "Phạm Thị Tư", "h2_head": "Lê Văn Dũng", "h2_wife": "Vũ Thị Hoa", "h2_lodger": "Đỗ Văn Sơn",
         "h2_daughter": "Lê Thu Nhi", "h3_woman": "Bùi Thị Thảo", "h4_head": "Ngô Văn Long", "h4_wife": "Đặng Thị Yến"}


def _m(f: Factory, key: str, *, relation: str, sex: str, born: str | dt.date, marital: str, residence: str = "1",
       since: dt.date = dt.date(2015, 1, 1), **extra) -> dict:  # noqa: ANN003
    year_only = isinstance(born, str)
    day = dt.date(int(born), 1, 1) if year_only else born
    m = f.person(relation=relation, sex=sex, born=day, since=max(since, day), marital=marital, residence=residence,
                 name=NAMES[key],
                 year_only=year_only, **extra)
    m["key"] = key
    return m


def build(ctx: Context) -> Scenario:
    v1 = add_village(ctx, COMMUNE, "Tổ dân phố Một", "Tổ dân phố")
    v2 = add_village(ctx, COMMUNE, "Tổ dân phố Hai", "Tổ dân phố")
    v3 = add_village(ctx, OTHER_COMMUNE, "Thôn Một")
    areas = {"A1": add_area(ctx, v1.code, "Địa bàn 1").code, "A2": add_area(ctx, v2.code, "Địa bàn 1").code,
             "B1": add_area(ctx, v3.code, "Địa bàn 1").code}
    f = Factory(seed=7)
    M, F, MARRIED, SINGLE, WIDOWED = "1", "2", "2", "1", "3"
    homes = {
        "H1": ("A1", "1", [
            _m(f, "h1_head", relation="01", sex=M, born=dt.date(1980, 5, 15), marital=MARRIED),
            _m(f, "h1_wife", relation="02", sex=F, born=dt.date(1990, 3, 10), marital=MARRIED,
               contraception={"method": "1", "since": "01/06/2020"}, living_sons=1),
            _m(f, "h1_child", relation="03", sex=M, born=dt.date(2020, 2, 1), marital=SINGLE, mother=2),
            _m(f, "h1_grandma", relation="07", sex=F, born="1950", marital=WIDOWED)]),
        "H2": ("A1", "1", [
            _m(f, "h2_head", relation="01", sex=M, born=dt.date(1985, 7, 1), marital=MARRIED),
            _m(f, "h2_wife", relation="02", sex=F, born=dt.date(1996, 9, 20), marital=MARRIED, pregnant=True),
            _m(f, "h2_lodger", relation="12", sex=M, born=dt.date(2000, 1, 1), marital=SINGLE, residence="3"),
            _m(f, "h2_daughter", relation="04", sex=F, born=dt.date(2015, 4, 4), marital=SINGLE, residence="4")]),
        "H3": ("A2", "2", [
            _m(f, "h3_woman", relation="01", sex=F, born=dt.date(2001, 2, 2), marital=SINGLE)]),
        "H4": ("B1", "1", [
            _m(f, "h4_head", relation="01", sex=M, born=dt.date(1960, 6, 6), marital=MARRIED),
            _m(f, "h4_wife", relation="02", sex=F, born=dt.date(1978, 8, 8), marital=MARRIED,
               contraception={"method": "9", "since": "01/01/2010"})]),
    }
    doc = {"households": []}
    for number, (area, kind, members) in enumerate(homes.values(), start=1):
        doc["households"].append({"area": areas[area], "number": str(number), "kind": kind,
                                  "established_on": "01/01/2015", "address": {"street": "Phố Hùng Vương"},
                                  "members": [{k: v for k, v in m.items() if k != "key"} for m in members]})
    report = import_households(ctx, doc, today=ON)
    s = Scenario(areas)
    for hid, (key, (_area, _kind, members)) in zip(report.households, homes.items(), strict=True):
        s.households[key] = hid
        by_name = {m.person.full_name: m.person.id for m in household_sheet(ctx, hid, ON).members}
        for m in members:
            s.ids[m["key"]] = by_name[m["full_name"]]
    s.slips = {k: Slips(ctx, code, today=TODAY) for k, code in areas.items()}
    return s


def first_quarter(ctx: Context) -> Scenario:
    """The register above and the slips of Q1 2026 (the comment of each line says what it changes)."""
    s = build(ctx)
    a1, a2, b1 = s.slips["A1"], s.slips["A2"], s.slips["B1"]
    i, h = s.ids, s.households
    d = format_date
    # births: H2 girl at home, 1st child; H1 boy in a facility, 2nd; H4 boy in a facility, 3rd (confirmed)
    a1.accept("birth", household=h["H2"], date=d(dt.date(2026, 2, 15)), mother=i["h2_wife"], full_name="Nguyễn Thị Bé",
              sex="2", ethnicity="01", relation="03", place="2", birth_order=1, confirm=True)
    a1.accept("birth", household=h["H1"], date=d(dt.date(2026, 3, 10)), mother=i["h1_wife"],
              full_name="Nguyễn Văn Bé", sex="1", ethnicity="01", relation="03", place="1", birth_order=2)
    b1.accept("birth", household=h["H4"], date=d(dt.date(2026, 1, 20)), mother=i["h4_wife"],
              full_name="Trần Văn Bé", sex="1", ethnicity="01", relation="03", place="1", birth_order=3, confirm=True)
    a1.accept("death", person=i["h1_grandma"], date=d(dt.date(2026, 3, 5)))
    a1.accept("move_out", person=i["h1_child"], date=d(dt.date(2026, 3, 20)), destination="Hà Nội")
    a2.accept("move_in", household=h["H3"], date=d(dt.date(2026, 1, 10)), origin="Nam Định",
              full_name="Lê Văn Đến", sex="1", birth="17/05/1990", ethnicity="01", relation="12")
    a2.accept("marriage", person=i["h3_woman"], date=d(dt.date(2026, 2, 14)))
    b1.accept("divorce", person=i["h4_wife"], spouse=i["h4_head"], date=d(dt.date(2026, 3, 25)))
    a1.accept("contraception_start", person=i["h1_wife"], date=d(dt.date(2026, 2, 1)), method="6", place="1")
    a1.accept("contraception_start", person=i["h2_wife"], date=d(dt.date(2026, 3, 20)), method="7", place="1")
    b1.accept("contraception_stop", person=i["h4_wife"], date=d(dt.date(2026, 3, 15)))
    for day, event in ((dt.date(2026, 1, 5), "1"), (dt.date(2026, 1, 20), "3"), (dt.date(2026, 2, 1), "1"),
                       (dt.date(2026, 2, 20), "2"), (dt.date(2026, 3, 25), "1")):
        a2.accept("pregnancy", person=i["h3_woman"], date=d(day), event=event, confirm=True)
    a1.accept("prenatal_screening", person=i["h2_wife"], date=d(dt.date(2026, 1, 10)), week=30, conditions=["1"],
              place="1", confirm=True)
    a1.accept("prenatal_screening", person=i["h2_wife"], date=d(dt.date(2026, 2, 1)), week=33, conditions=["2"],
              place="1", confirm=True)
    a2.accept("prenatal_screening", person=i["h3_woman"], date=d(dt.date(2026, 3, 28)), week=1, conditions=["1"],
              place="1", confirm=True)
    baby = household_sheet(ctx, h["H2"], dt.date(2026, 3, 31))
    i["h2_baby"] = next(m.person.id for m in baby.members if m.person.full_name == "Nguyễn Thị Bé")
    a1.accept("newborn_screening", person=i["h2_baby"], date=d(dt.date(2026, 2, 20)), results={"1": "1"})
    b1.accept("elderly_checkup", person=i["h4_head"], date=d(dt.date(2026, 2, 12)))
    b1.accept("elderly_checkup", person=i["h4_head"], date=d(dt.date(2026, 3, 20)), confirm=True)
    return s
