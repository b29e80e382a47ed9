"""The register (Sổ A0) on both engines: import, refusals that write nothing, moves with history, the household
sheet on a date, person search and the resident population on a date."""
from __future__ import annotations

import copy
import datetime as dt

import pytest

from danso.demo.rows import Batch
from danso.domain import clock
from danso.domain.identifiers import SEX_FEMALE, SEX_MALE, make_cccd
from danso.domain.problems import InvalidInput, NotFound
from danso.domain.units import LEGACY_LAST_DAY
from danso.domain.vntext import format_date
from danso.messages_vi import word
from danso.services.demo import load_batch
from danso.services.registry import household_sheet, import_households, move_person, search_persons, summary
from danso.services.units import resolve
from danso.storage import registry_repo
from factories import CHILD, MARRIED, ON, SPOUSE, Factory, add_years, make_area, row_counts

HEAD = "01"


def refused(ctx, doc, today: dt.date = ON) -> list:
    """Import ``doc``, expect a refusal, check that nothing was written; the problems."""
    before = row_counts(ctx)
    with pytest.raises(InvalidInput) as e:
        import_households(ctx, doc, today=today)
    assert row_counts(ctx) == before
    return e.value.problems


def d(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def family(f: Factory, area: str, **kw) -> dict:
    """Head, wife and two children, no grandparent: members 1–4."""
    return f.family(area, children=2, grandparent=False, **kw)


def edit(member: dict, **changes) -> dict:
    """Change a member's fields; the CCCD is dropped, as it would no longer match a changed birth or sex."""
    member.pop("cccd", None)
    member.update(changes)
    return member


@pytest.fixture
def area(ctx) -> str:
    return make_area(ctx, legacy_commune="11296")


# -- import ------------------------------------------------------------------------------------------------------

def test_valid_households_are_recorded_with_every_member_and_shown_on_their_sheet(ctx, area):
    f = Factory(seed=1)
    doc = f.document(area, households=3, grandparent=True)
    report = import_households(ctx, doc, today=ON)
    n = sum(len(h["members"]) for h in doc["households"])
    assert len(report.households) == 3 and report.persons == n
    assert row_counts(ctx)["households"] == 3 and row_counts(ctx)["persons"] == row_counts(ctx)["memberships"] == n
    sheet = household_sheet(ctx, report.households[0], ON)
    h = doc["households"][0]
    assert sheet.household.number == h["number"] and sheet.household.house_no == h["address"]["house_no"]
    assert sheet.area.code == area
    assert [u.code for u in sheet.hierarchy] == ["11602-001", "11602", "31", "VN"]
    assert sorted(m.person.full_name for m in sheet.members) == sorted(m["full_name"] for m in h["members"])
    assert [m.relation for m in sheet.members][0] == HEAD
    assert sheet.past_members == []


def test_the_example_file_of_the_documentation_imports(ctx):
    import json
    from pathlib import Path

    area = make_area(ctx)
    assert area == "11602-001-01"
    doc = json.loads((Path(__file__).parents[1] / "docs" / "examples" / "households.json").read_text("utf-8"))
    report = import_households(ctx, doc, today=ON)
    assert report.persons == 5
    sheet = household_sheet(ctx, report.households[0], ON)
    lan = next(m for m in sheet.members if m.person.full_name == "Trần Thị Lan")
    assert [(u.method, u.start_date) for u in lan.contraception] == [("1", dt.date(2019, 6, 1))]
    assert (lan.reproductive.living_sons, lan.reproductive.living_daughters) == (1, 1)
    khoi = next(m for m in sheet.members if m.person.full_name == "Nguyễn Minh Khôi")
    assert khoi.person.mother_id == lan.person.id
    man = next(m for m in sheet.members if m.person.full_name == "Phạm Thị Mận")
    assert (man.person.birth_year, man.person.birth_month, man.residence) == (1952, None, "4")


def test_names_are_tidied_and_identifiers_normalised_on_import(ctx, area):
    f = Factory(seed=2)
    h = family(f, area)
    head = h["members"][0]
    head["full_name"] = "  nguyễn   văn  AN "
    cccd = head["cccd"]
    head["cccd"] = f"{cccd[:3]} {cccd[3:6]}.{cccd[6:]}"
    head["bhyt"] = head["bhyt"].lower()
    [hid] = import_households(ctx, {"households": [h]}, today=ON).households
    p = next(m.person for m in household_sheet(ctx, hid, ON).members if m.relation == HEAD)
    assert (p.full_name, p.name_folded, p.cccd, p.bhyt) == ("Nguyễn Văn An", "nguyen van an", cccd,
                                                            h["members"][0]["bhyt"].upper())


def test_a_collective_household_needs_no_head_and_is_not_counted_as_a_family_household(ctx, area):
    f = Factory(seed=16)
    members = [f.person(relation="12", sex=sex, born=f.born_aged(18, 25), since=dt.date(2025, 9, 1), marital="1")
               for sex in (SEX_MALE, SEX_FEMALE, SEX_FEMALE)]
    dorm = {"area": area, "number": "K1", "kind": "2", "established_on": "01/09/2020", "members": members}
    [hid] = import_households(ctx, {"households": [dorm, family(f, area)]}, today=ON).households[:1]
    assert household_sheet(ctx, hid, ON).household.kind == "2"
    s = summary(ctx, area, ON)
    assert (s.households, s.family_households) == (2, 1)
    [p] = refused(ctx, {"households": [dict(family(f, area), kind="3")]})
    assert (p.code, p.field) == ("code.unknown", "kind")


def test_a_child_listed_before_a_mother_whose_own_mother_is_in_the_household_is_recorded(ctx, area):
    """Mothers must be written before their children whatever the order of the lines (three generations)."""
    f = Factory(seed=3)
    h = family(f, area)
    head, wife, child1, child2 = h["members"]
    grandma = f.person(relation="08", sex=SEX_FEMALE, born=add_years(d(wife["birth"]), -25),
                       since=d(h["established_on"]), marital="3")
    h["members"] = [head, child1, child2, wife, grandma]
    child1["mother"] = child2["mother"] = 4
    wife["mother"] = 5
    [hid] = import_households(ctx, {"households": [h]}, today=ON).households
    by_name = {m.person.full_name: m.person for m in household_sheet(ctx, hid, ON).members}
    assert by_name[child1["full_name"]].mother_id == by_name[wife["full_name"]].id
    assert by_name[wife["full_name"]].mother_id == by_name[grandma["full_name"]].id


def _set(path: tuple, value):
    def change(h: dict) -> None:
        target = h
        for key in path[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value(h) if callable(value) else value
    return change


_DELETE = object()


def _born_before_mother(h: dict) -> str:
    wife = d(h["members"][1]["birth"])
    return format_date(wife - dt.timedelta(days=400))


BAD_INPUT = {
    # case: (change, problem code, field, person number or None for the household, words of the message)
    "unknown area": (_set(("area",), "11602-009-01"), "unit.unknown", "area", None,
                     "không có đơn vị hành chính mã “11602-009-01”"),
    "area of a former commune": (_set(("area",), "11296"), "unit.unknown", "area", None, "“11296”"),
    "unknown ethnicity code": (_set(("members", 0, "ethnicity"), "77"), "code.unknown", "ethnicity", 1,
                               "Dân tộc “77” không có trong danh mục"),
    "unknown relation code": (_set(("members", 2, "relation"), "99"), "code.unknown", "relation", 3,
                              "Quan hệ với chủ hộ “99” không có trong danh mục"),
    "unknown residence code": (_set(("members", 1, "residence"), "5"), "code.unknown", "residence", 2,
                               "Tình trạng cư trú “5”"),
    "CCCD of the other sex": (_set(("members", 0, "cccd"), lambda h: make_cccd(
        "31", SEX_FEMALE, int(h["members"][0]["birth"][-4:]), 424242)), "cccd.sex_mismatch", "cccd", 1,
        "không khớp giới tính"),
    "CCCD of another year": (_set(("members", 1, "cccd"), lambda h: make_cccd(
        "31", SEX_FEMALE, int(h["members"][1]["birth"][-4:]) - 1, 424243)), "cccd.year_mismatch", "cccd", 2,
        "nhưng năm sinh ghi là"),
    "CCCD too short": (_set(("members", 0, "cccd"), "03108500123"), "cccd.shape", "cccd", 1,
                       "phải gồm đúng 12 chữ số"),
    "CCCD of no province": (_set(("members", 0, "cccd"), lambda h: "099" + h["members"][0]["cccd"][3:]),
                            "cccd.province", "cccd", 1, "mã tỉnh nơi đăng ký khai sinh “099” không tồn tại"),
    "BHYT of a bad shape": (_set(("members", 3, "bhyt"), "XX12345"), "bhyt.shape", "bhyt", 4, "phải gồm 15 ký tự"),
    "impossible birth date": (_set(("members", 2, "birth"), "30/02/2015"), "date.invalid", "birth", 3,
                              "Ngày sinh “30/02/2015” không phải ngày hợp lệ"),
    "birth date not dd/mm/yyyy": (_set(("members", 2, "birth"), "2015/02/03"), "date.invalid", "birth", 3,
                                  "dd/mm/yyyy"),
    "contraception since a future date": (_set(("members", 1, "contraception"), {"method": "6", "since": "02/01/2026"}),
                                          "date.future", "contraceptive_since", 2,
                                          "Ngày bắt đầu dùng BPTT 02/01/2026 ở tương lai"),
    "joined in the future": (_set(("members", 0, "since"), "01/06/2026"), "date.future", "since", 1,
                             "Ngày vào hộ 01/06/2026 ở tương lai"),
    "joined before birth": (_set(("members", 2, "since"), lambda h: format_date(
        d(h["members"][2]["birth"]) - dt.timedelta(days=1))), "date.before_birth", "since", 3,
        "trước ngày sinh"),
    "impossible date the household was set up": (_set(("established_on",), "31/04/2010"), "date.invalid",
                                                 "established_on", None, "Ngày lập hộ “31/04/2010”"),
    "child older than its mother": (_set(("members", 2, "birth"), _born_before_mother), "person.older_than_mother",
                                    "birth", 3, "sinh trước hoặc cùng năm với mẹ"),
    "mother not a woman": (_set(("members", 3, "mother"), 1), "person.mother_not_female", "mother", 4,
                           "không phải nữ"),
    "mother not in the household": (_set(("members", 3, "mother"), 9), "person.mother_unknown", "mother", 4,
                                    "số thứ tự “9”"),
    "no head": (_set(("members", 0, "relation"), "10"), "household.heads", "members", None,
                "đúng một chủ hộ (quan hệ 01), đang có 0"),
    "two heads": (_set(("members", 1, "relation"), HEAD), "household.heads", "members", None, "đang có 2"),
    "contraception of a man": (_set(("members", 0, "contraception"), {"method": "7", "since": "01/01/2020"}),
                               "women.not_eligible", "contraceptive_method", 1, "chỉ ghi BPTT"),
    "unknown contraceptive method": (_set(("members", 1, "contraception"), {"method": "X", "since": "01/01/2020"}),
                                     "code.unknown", "contraceptive_method", 2, "Biện pháp tránh thai “X”"),
    "missing sex": (_set(("members", 1, "sex"), _DELETE), "field.missing", "sex", 2, "chưa ghi Giới tính"),
    "number of sons not a number": (_set(("members", 1, "living_sons"), "hai"), "field.not_number", "living_sons", 2,
                                    "phải là một số"),
}


def test_bad_input_is_refused_naming_the_record_and_the_field_and_nothing_is_written(ctx, area):
    # one database for every case (a refusal writes nothing, which is what is checked): faster than one each
    f = Factory(seed=4)
    good = family(f, area)
    for m in good["members"][2:]:
        m.pop("cccd", None)  # the children's: changing their birth would also make it inconsistent
    first = family(f, area)
    for case, (change, code, fld, person, words) in BAD_INPUT.items():
        bad = copy.deepcopy(good)
        change(bad)
        problems = refused(ctx, {"households": [first, bad]})
        assert [(p.code, p.field) for p in problems] == [(code, fld)], case
        [p] = problems
        record = f"hộ {bad['number']}"
        if person is not None:
            record += f", người {person} ({good['members'][person - 1]['full_name']})"
        assert p.record == record, case
        assert word(p).startswith(record + ": "), case
        assert words in word(p), (case, word(p))
    import_households(ctx, {"households": [first, good]}, today=ON)  # and without the change, it is accepted
    assert row_counts(ctx)["households"] == 2


def test_a_birth_in_the_future_is_refused_with_the_joining_date_before_it(ctx, area):
    f = Factory(seed=4)
    h = family(f, area)
    edit(h["members"][3], birth="01/01/2026")
    problems = refused(ctx, {"households": [h]})
    assert [(p.code, p.field) for p in problems] == [("date.future", "birth"), ("date.before_birth", "since")]
    assert {p.record for p in problems} == {f"hộ {h['number']}, người 4 ({h['members'][3]['full_name']})"}
    assert word(problems[0]).endswith(": Ngày sinh 01/01/2026 ở tương lai; kiểm tra lại ngày.")


def test_every_problem_of_a_file_is_listed_at_once_even_those_found_in_the_database(ctx, area):
    f = Factory(seed=5)
    first, second = family(f, area), family(f, "11602-009-01")
    first["members"][0]["ethnicity"] = "77"
    second["members"][1]["birth"] = "31/02/1990"
    third = family(f, "11602-009-01")
    problems = refused(ctx, {"households": [first, second, third]})
    assert sorted((p.record.split(",")[0], p.code, p.field) for p in problems) == sorted([
        (f"hộ {first['number']}", "code.unknown", "ethnicity"),
        (f"hộ {second['number']}", "date.invalid", "birth"),
        (f"hộ {third['number']}", "unit.unknown", "area")])


def test_a_person_already_in_a_household_cannot_be_imported_into_another(ctx, area):
    f = Factory(seed=6)
    first = family(f, area)
    import_households(ctx, {"households": [first]}, today=ON)
    second = family(f, area)
    second["members"][2]["cccd"] = first["members"][0]["cccd"]
    second["members"][2]["sex"] = first["members"][0]["sex"]
    second["members"][2]["birth"] = first["members"][0]["birth"]
    second["members"][2]["marital"] = MARRIED
    second["members"][2]["since"] = ON.strftime("%d/%m/%Y")
    del second["members"][2]["mother"]
    [p] = refused(ctx, {"households": [second]})
    assert (p.code, p.field) == ("person.in_other_household", "cccd")
    assert p.record == f"hộ {second['number']}, người 3 ({second['members'][2]['full_name']})"
    assert "không thể ở hai hộ cùng lúc" in word(p) and first["members"][0]["full_name"] in word(p)
    third = family(f, area)
    third["members"][3]["bhyt"] = first["members"][3]["bhyt"].lower()
    [p] = refused(ctx, {"households": [third]})
    assert (p.code, p.field) == ("person.in_other_household", "bhyt")


def test_the_same_identifier_twice_in_one_file_is_refused(ctx, area):
    f = Factory(seed=7)
    first, second = family(f, area), family(f, area)
    second["members"][3]["bhyt"] = first["members"][2]["bhyt"]
    [p] = refused(ctx, {"households": [first, second]})
    assert (p.code, p.field) == ("person.duplicate_in_file", "bhyt")
    assert p.record.startswith(f"hộ {second['number']}, người 4")
    assert f"hộ {first['number']}, người 3" in word(p)


def test_a_file_that_is_not_a_list_of_households_is_refused(ctx):
    [p] = refused(ctx, [{"area": "x"}])
    assert (p.code, p.field, p.record) == ("sheet.not_households", "households", "tệp")
    [p] = refused(ctx, {"households": ["hộ 1"]})
    assert (p.code, p.record) == ("sheet.not_object", "hộ thứ 1")


# -- moves and history -----------------------------------------------------------------------------------------

@pytest.fixture
def two_households(ctx, area):
    """Two households of four residents since 2024 at the latest, one in 11602 (area given), one in 10507."""
    other = make_area(ctx, "10507")
    f = Factory(seed=8, on=dt.date(2024, 12, 31))
    first, second = family(f, area), family(f, other)
    for h in (first, second):
        for m in h["members"]:
            m["residence"] = "1"
    report = import_households(ctx, {"households": [first, second]}, today=ON)
    return report.households, first, second


def person_id(ctx, hid: int, name: str) -> int:
    return next(m.person.id for m in household_sheet(ctx, hid, ON).members if m.person.full_name == name)


def test_a_move_closes_the_old_membership_and_opens_a_new_one_keeping_the_history(ctx, two_households):
    (a, b), first, _ = two_households
    name = first["members"][0]["full_name"]
    pid = person_id(ctx, a, name)
    move_person(ctx, pid, b, on=dt.date(2025, 9, 1), relation="10", residence="2")
    with ctx.engine.connect() as conn:
        history = [(m.household_id, m.relation, m.residence, m.valid_from, m.valid_to)
                   for m in registry_repo.person_memberships(conn, pid)]
    since = d(first["members"][0]["since"])
    assert history == [(a, HEAD, "1", since, dt.date(2025, 8, 31)), (b, "10", "2", dt.date(2025, 9, 1), None)]
    old_before = household_sheet(ctx, a, dt.date(2025, 8, 31))
    old_after = household_sheet(ctx, a, dt.date(2025, 9, 1))
    assert pid in [m.person.id for m in old_before.members]
    assert pid not in [m.person.id for m in old_after.members]
    assert [(m.person.id, m.valid_to) for m in old_after.past_members] == [(pid, dt.date(2025, 8, 31))]
    new_after = household_sheet(ctx, b, dt.date(2025, 9, 1))
    assert [(m.relation, m.residence) for m in new_after.members if m.person.id == pid] == [("10", "2")]
    assert pid not in [m.person.id for m in household_sheet(ctx, b, dt.date(2025, 8, 31)).members]
    [hit] = [h for h in search_persons(ctx, name) if h.id == pid]
    assert hit.household_id == b


def test_moving_back_later_adds_a_third_stay(ctx, two_households):
    (a, b), first, _ = two_households
    pid = person_id(ctx, a, first["members"][2]["full_name"])
    move_person(ctx, pid, b, on=dt.date(2025, 3, 1), relation="06")
    move_person(ctx, pid, a, on=dt.date(2025, 10, 1), relation=CHILD)
    with ctx.engine.connect() as conn:
        stays = [(m.household_id, m.valid_from, m.valid_to) for m in registry_repo.person_memberships(conn, pid)]
    assert stays[1:] == [(b, dt.date(2025, 3, 1), dt.date(2025, 9, 30)), (a, dt.date(2025, 10, 1), None)]
    assert stays[0][2] == dt.date(2025, 2, 28)
    assert [m.person.id for m in household_sheet(ctx, a, dt.date(2025, 6, 1)).members].count(pid) == 0
    assert [m.person.id for m in household_sheet(ctx, a, ON).members].count(pid) == 1


def test_a_move_overlapping_the_history_is_refused_and_changes_nothing(ctx, two_households):
    (a, b), first, _ = two_households
    pid = person_id(ctx, a, first["members"][1]["full_name"])
    move_person(ctx, pid, b, on=dt.date(2025, 9, 1), relation=SPOUSE)
    before = row_counts(ctx)
    for day in (dt.date(2025, 9, 1), dt.date(2025, 8, 1), dt.date(2015, 1, 1)):
        with pytest.raises(InvalidInput) as e:
            move_person(ctx, pid, a, on=day, relation=SPOUSE)
        [p] = e.value.problems
        assert (p.code, p.field, p.record) == ("person.overlapping_membership", "on", f"người {pid}")
        assert word(p).startswith(f"người {pid}: từ ngày {format_date(day)} người này đã có hộ khác")
    with pytest.raises(InvalidInput) as e:
        move_person(ctx, pid, b, on=dt.date(2025, 10, 1), relation=SPOUSE)
    assert [p.code for p in e.value.problems] == ["person.same_household"]
    assert row_counts(ctx) == before
    with ctx.engine.connect() as conn:
        assert [m.valid_to for m in registry_repo.person_memberships(conn, pid)] == [dt.date(2025, 8, 31), None]


def test_a_move_with_bad_codes_a_future_date_or_unknown_ids_is_refused(ctx, two_households):
    (a, b), first, _ = two_households
    pid = person_id(ctx, a, first["members"][0]["full_name"])
    before = row_counts(ctx)
    with pytest.raises(InvalidInput) as e:
        move_person(ctx, pid, b, on=dt.date(2025, 9, 1), relation="99", residence="7")
    assert [(p.code, p.field) for p in e.value.problems] == [("code.unknown", "relation"),
                                                             ("code.unknown", "residence")]
    with pytest.raises(InvalidInput) as e:
        move_person(ctx, pid, b, on=clock.today() + dt.timedelta(days=1), relation="10")
    assert [(p.code, p.field) for p in e.value.problems] == [("date.future", "on")]
    with pytest.raises(NotFound):
        move_person(ctx, 999_999, b, on=dt.date(2025, 9, 1), relation="10")
    with pytest.raises(NotFound):
        move_person(ctx, pid, 999_999, on=dt.date(2025, 9, 1), relation="10")
    assert row_counts(ctx) == before


def test_the_household_sheet_on_a_past_date_lists_the_members_of_that_day(ctx, area):
    f = Factory(seed=9)
    h = family(f, area)
    h["established_on"] = "01/03/2012"
    h["members"][0]["since"] = h["members"][1]["since"] = "01/03/2012"
    edit(h["members"][2], birth="10/05/2014", since="10/05/2014")
    edit(h["members"][3], birth="20/08/2019", since="20/08/2019")
    [hid] = import_households(ctx, {"households": [h]}, today=ON).households
    names = [m["full_name"] for m in h["members"]]

    def on(day: str) -> list[str]:
        return sorted(m.person.full_name for m in household_sheet(ctx, hid, d(day)).members)

    assert on("01/03/2012") == sorted(names[:2])
    assert on("09/05/2014") == sorted(names[:2])
    assert on("10/05/2014") == sorted(names[:3])
    assert on("19/08/2019") == sorted(names[:3])
    assert on("20/08/2019") == sorted(names)
    with pytest.raises(NotFound):
        household_sheet(ctx, 999_999)


def test_the_sheet_shows_the_hierarchy_in_force_on_its_date(ctx, area):
    [hid] = import_households(ctx, Factory(seed=10).document(area), today=ON).households
    before = household_sheet(ctx, hid, LEGACY_LAST_DAY)
    after = household_sheet(ctx, hid, ON)
    assert [u.code for u in before.hierarchy] == ["11602-001", "11296", "303", "31", "VN"]
    assert [u.name for u in before.hierarchy][1:3] == ["Phường Quán Toan", "Quận Hồng Bàng"]
    assert [u.code for u in after.hierarchy] == ["11602-001", "11602", "31", "VN"]


# -- search ------------------------------------------------------------------------------------------------------

@pytest.fixture
def named(ctx, area):
    """Households in two communes holding people with close names."""
    other = make_area(ctx, "10507")
    f = Factory(seed=11)
    h1, h2 = family(f, area), family(f, other)
    h1["members"][0]["full_name"] = "Nguyễn Văn An"
    edit(h1["members"][2], full_name="Nguyễn Văn Anh", sex=SEX_MALE)
    h1["members"][3]["full_name"] = "Nguyễn Thị Ánh"
    h2["members"][0]["full_name"] = "Nguyễn Văn Hùng"
    edit(h2["members"][2], full_name="Nguyễn Văn An", sex=SEX_MALE)
    h2["members"][3]["full_name"] = "Đặng Thị Hồng"
    import_households(ctx, {"households": [h1, h2]}, today=ON)
    return h1, h2, other


def names(hits) -> list[str]:
    return [h.full_name for h in hits]


def test_search_ignores_diacritics_and_case(ctx, named):
    assert names(search_persons(ctx, "nguyen van an"))[:2] == ["Nguyễn Văn An", "Nguyễn Văn An"]
    assert names(search_persons(ctx, "NGUYEN VAN AN")) == names(search_persons(ctx, "nguyen van an"))
    assert names(search_persons(ctx, "Nguyễn Văn An")) == names(search_persons(ctx, "nguyen van an"))
    assert names(search_persons(ctx, "dang thi hong")) == ["Đặng Thị Hồng"]
    assert names(search_persons(ctx, "ĐẶNG hồng")) == ["Đặng Thị Hồng"]


def test_search_puts_the_exact_name_first_and_treats_the_last_word_as_a_prefix(ctx, named):
    found = names(search_persons(ctx, "nguyen van an"))
    assert found == ["Nguyễn Văn An", "Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert names(search_persons(ctx, "nguyen van h")) == ["Nguyễn Văn Hùng"]
    assert set(names(search_persons(ctx, "nguyen a"))) >= {"Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Thị Ánh"}
    assert search_persons(ctx, "tran van an") == []


def test_search_by_cccd_or_bhyt_finds_the_one_person_with_their_household(ctx, named):
    h1, h2, other = named
    wife = h2["members"][1]
    [hit] = search_persons(ctx, wife["cccd"])
    assert (hit.full_name, hit.cccd, hit.household_number, hit.area_code) == (
        wife["full_name"], wife["cccd"], h2["number"], other)
    [hit] = search_persons(ctx, h1["members"][3]["bhyt"].lower())
    assert (hit.full_name, hit.bhyt) == ("Nguyễn Thị Ánh", h1["members"][3]["bhyt"])
    assert hit.birth == h1["members"][3]["birth"]
    assert search_persons(ctx, make_cccd("31", SEX_MALE, 1950, 999_999)) == []


def test_search_finds_a_cccd_or_bhyt_number_typed_in_groups_as_the_import_accepts_them(ctx, named):
    h1, h2, _ = named
    wife = h2["members"][1]
    cccd, bhyt = wife["cccd"], wife["bhyt"]
    assert names(search_persons(ctx, f"{cccd[:3]} {cccd[3:6]} {cccd[6:]}")) == [wife["full_name"]]
    assert names(search_persons(ctx, f"{cccd[:6]}.{cccd[6:]}")) == [wife["full_name"]]
    assert names(search_persons(ctx, f"{bhyt[:2]} {bhyt[2]} {bhyt[3:5]} {bhyt[5:]}")) == [wife["full_name"]]
    assert names(search_persons(ctx, f"{bhyt[:3]}-{bhyt[3:5]}-{bhyt[5:]}".lower())) == [wife["full_name"]]


def test_search_within_a_unit_keeps_only_its_current_members(ctx, named, area):
    _, h2, other = named
    assert names(search_persons(ctx, "nguyen van an", unit_code="11602")) == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert [h.area_code for h in search_persons(ctx, "nguyen van an", unit_code="10507")] == [other]
    assert len(search_persons(ctx, "nguyen van an", unit_code="31")) == 3
    assert len(search_persons(ctx, "nguyen van an", unit_code=area)) == 2
    assert search_persons(ctx, h2["members"][1]["cccd"], unit_code="11602") == []
    with pytest.raises(InvalidInput) as e:
        search_persons(ctx, "nguyen", unit_code="99999")
    assert [p.code for p in e.value.problems] == ["unit.unknown"]


def test_an_empty_search_is_refused(ctx):
    with pytest.raises(InvalidInput) as e:
        search_persons(ctx, " ,. ")
    assert word(e.value.problems[0]).endswith("nhập tên, số CCCD hoặc mã BHYT để tìm.")


# -- resident population -------------------------------------------------------------------------------------------

def test_the_resident_population_counts_the_temporarily_absent_but_not_the_temporary_residents(ctx, area):
    f = Factory(seed=12)
    h = family(f, area)
    for m, residence in zip(h["members"], "1234"):  # thường trú, chưa đăng ký, tạm trú, tạm vắng
        m["residence"] = residence
    import_households(ctx, {"households": [h]}, today=ON)
    counted = [m for m in h["members"] if m["residence"] != "3"]
    for code in ("VN", "31", "11602", "11602-001", area):
        s = summary(ctx, code, ON)
        assert (s.households, s.family_households, s.persons) == (1, 1, 3), code
        assert s.by_sex[SEX_MALE] + s.by_sex[SEX_FEMALE] == 3
        assert sum(sum(c.values()) for c in s.pyramid.values()) == 3
    assert s.by_sex[SEX_FEMALE] == sum(m["sex"] == SEX_FEMALE for m in counted)
    [(commune, households, persons, _)] = summary(ctx, "31", ON).communes
    assert (commune.code, commune.name, households, persons) == ("11602", "Phường Hồng An", 1, 3)
    assert summary(ctx, "10507", ON).persons == 0


def test_before_the_reform_the_population_is_counted_under_the_old_commune_district_and_province(ctx, area):
    f = Factory(seed=13)
    h = family(f, area)
    h["established_on"] = "01/01/2015"
    for m in h["members"][:2]:
        m["since"] = "01/01/2015"
    edit(h["members"][2], birth="01/02/2016", since="01/02/2016")
    edit(h["members"][3], birth="01/09/2025", since="01/09/2025")  # born after the reform
    import_households(ctx, {"households": [h]}, today=ON)
    for code in ("VN", "31", "303", "11296"):
        s = summary(ctx, code, LEGACY_LAST_DAY)
        assert (s.households, s.persons) == (1, 3), code
    s = summary(ctx, "31", LEGACY_LAST_DAY)
    assert s.unit.valid_to == LEGACY_LAST_DAY
    assert [(c.code, c.name, n) for c, _, n, _ in s.communes] == [("11296", "Phường Quán Toan", 3)]
    assert summary(ctx, "11602", LEGACY_LAST_DAY).persons == 0  # Phường An Hồng, the old 11602
    assert summary(ctx, "11602", ON).persons == 4
    assert summary(ctx, "31", dt.date(2014, 12, 31)).households == 0
    assert summary(ctx, "31", dt.date(2016, 1, 31)).persons == 2


def test_ages_in_the_summary_are_completed_years_on_the_date(ctx, area):
    f = Factory(seed=14)
    h = family(f, area, contraception=False)
    h["established_on"] = "01/01/2024"
    head, wife, son, daughter = h["members"]
    edit(head, birth="15/09/1990", since="01/01/2024")
    edit(wife, birth="1995", since="01/01/2024")
    edit(son, birth="10/02/2024", since="10/02/2024", sex=SEX_MALE)
    edit(daughter, birth="10/02/2024", since="10/02/2024", sex=SEX_FEMALE)
    import_households(ctx, {"households": [h]}, today=ON)
    on_eve, on_birthday = summary(ctx, area, dt.date(2025, 9, 14)), summary(ctx, area, dt.date(2025, 9, 15))
    # the wife, born in 1995 (year only), is 30 from 1 January 2025
    assert on_eve.pyramid[30] == {SEX_MALE: 1, SEX_FEMALE: 1} and 35 not in on_eve.pyramid
    assert on_birthday.pyramid[30] == {SEX_FEMALE: 1} and on_birthday.pyramid[35] == {SEX_MALE: 1}
    assert summary(ctx, area, dt.date(2024, 12, 31)).pyramid[25][SEX_FEMALE] == 1
    assert on_eve.pyramid[0] == {SEX_MALE: 1, SEX_FEMALE: 1}
    assert summary(ctx, area, dt.date(2024, 2, 9)).persons == 2


def test_after_a_move_a_person_counts_in_the_new_household_and_before_it_in_the_old(ctx, two_households):
    (a, b), first, _ = two_households
    pid = person_id(ctx, a, first["members"][0]["full_name"])
    move_person(ctx, pid, b, on=dt.date(2025, 9, 1), relation="10")
    eve, day = dt.date(2025, 8, 31), dt.date(2025, 9, 1)
    assert (summary(ctx, "11602", eve).persons, summary(ctx, "10507", eve).persons) == (4, 4)
    assert (summary(ctx, "11602", day).persons, summary(ctx, "10507", day).persons) == (3, 5)
    assert summary(ctx, "31", eve).persons == summary(ctx, "31", day).persons == 8
    assert summary(ctx, "31", day).households == 2


def test_a_person_who_died_is_counted_until_the_day_before_the_death(ctx, area):
    # No service records a death yet: the dead person is loaded through the bulk-load path of the demo.
    f = Factory(seed=15, on=dt.date(2024, 12, 31))
    import_households(ctx, {"households": [family(f, area)]}, today=ON)
    with ctx.engine.begin() as conn:
        ids = registry_repo.next_ids(conn)
        area_id = resolve(conn, area).id
        hid, pid = ids["household"], ids["person"]
        load_batch(conn, Batch(
            households=[(hid, area_id, "99", "1", "", "", "", "", "", "", "active", dt.date(2000, 1, 1), None)],
            persons=[(pid, "Lê Văn Tư", "le van tu", SEX_MALE, 1940, 5, 5, "01", "2", "3", None, None, "0", None,
                      dt.date(2025, 10, 1))],
            memberships=[(ids["membership"], pid, hid, HEAD, "1", dt.date(2000, 1, 1), None)]))
    assert summary(ctx, area, dt.date(2025, 9, 30)).persons == 5
    assert summary(ctx, area, dt.date(2025, 10, 1)).persons == 4
    assert summary(ctx, area, ON).households == 2


def test_a_household_sheet_on_a_past_date_does_not_list_members_who_joined_later(ctx, two_households):
    (a, b), first, _ = two_households
    pid = person_id(ctx, a, first["members"][0]["full_name"])
    move_person(ctx, pid, b, on=dt.date(2025, 9, 1), relation="10")
    before = household_sheet(ctx, b, dt.date(2025, 8, 31))
    assert pid not in [m.person.id for m in before.members + before.past_members]
    after = household_sheet(ctx, b, dt.date(2025, 9, 1))
    assert pid in [m.person.id for m in after.members]
