"""Several months of slips of each kind on a small register, checked through what users read: the household
sheet (Sổ A0) and the population summary on dates before and after each change, search, and the history."""
from __future__ import annotations

import datetime as dt

import pytest

from danso.domain.problems import InvalidInput
from danso.messages_vi import word
from danso.services import slips as svc
from danso.services.registry import household_sheet, search_persons, summary
from danso.services.units import add_area
from factories import COMMUNE
from slip_factories import SEX_FEMALE, SEX_MALE, Slips, new_person, small_register

D = dt.date


def members(ctx, household: int, on: dt.date) -> dict[int, str]:  # noqa: ANN001
    """Person id → relation to the head, on a date."""
    return {m.person.id: m.relation for m in household_sheet(ctx, household, on).members}


def member(ctx, household: int, person: int, on: dt.date):  # noqa: ANN001, ANN201
    return next(m for m in household_sheet(ctx, household, on).members if m.person.id == person)


def people(ctx, unit: str, on: dt.date) -> int:  # noqa: ANN001
    return summary(ctx, unit, on).persons


def households(ctx, unit: str, on: dt.date) -> int:  # noqa: ANN001
    return summary(ctx, unit, on).households


def kinds(ctx, **subject) -> list[str]:  # noqa: ANN001
    return [e.kind for e in svc.history(ctx, **subject)]


def method_on(ctx, household: int, woman: int, on: dt.date) -> str | None:  # noqa: ANN001
    uses = member(ctx, household, woman, on).contraception
    return next((u.method for u in uses if u.start_date <= on and (u.end_date is None or u.end_date >= on)), None)


def test_births_over_months_close_the_pregnancy_count_the_children_and_are_screened(ctx):
    reg = small_register(ctx, households=2)
    s = Slips(ctx, reg.area)
    fam = reg.families[0]  # the wife has one child on record
    start = s.event("pregnancy", person=fam.wife, date=D(2026, 1, 10), event="1")
    assert start.kind == "pregnancy_started"
    s.event("prenatal_screening", person=fam.wife, date=D(2026, 2, 14), week=12, conditions="1;4", place="1")
    assert member(ctx, fam.household, fam.wife, D(2026, 2, 14)).pregnant
    counts = member(ctx, fam.household, fam.wife, D(2026, 3, 1)).reproductive
    born = s.event("birth", household=fam.household, date=D(2026, 3, 20), mother=fam.wife, full_name="Trần Bảo An",
                   sex=SEX_FEMALE, ethnicity="01", relation="03", place="1", birth_order=2)
    baby = born.person_id
    assert baby is not None and born.household_id == fam.household
    # the sheet on the day before and on the day of the birth
    assert baby not in members(ctx, fam.household, D(2026, 3, 19))
    assert members(ctx, fam.household, D(2026, 3, 20))[baby] == "03"
    assert member(ctx, fam.household, fam.wife, D(2026, 3, 19)).pregnant
    wife = member(ctx, fam.household, fam.wife, D(2026, 3, 20))
    assert not wife.pregnant
    assert [(g.start_date, g.end_date, g.outcome) for g in wife.pregnancies] == [
        (D(2026, 1, 10), D(2026, 3, 20), "delivery")]
    before_sons = len(fam.children)  # her living children as imported
    assert wife.reproductive.living_sons + wife.reproductive.living_daughters == before_sons + 1
    assert (wife.reproductive.living_sons, wife.reproductive.living_daughters) == (
        counts.living_sons, counts.living_daughters + 1)  # a daughter
    assert people(ctx, reg.area, D(2026, 3, 19)) + 1 == people(ctx, reg.area, D(2026, 3, 20))
    s.event("newborn_screening", person=baby, date=D(2026, 3, 25), results="1=1;2=2")
    assert kinds(ctx, person_id=baby) == ["born", "newborn_screened"]
    assert kinds(ctx, person_id=fam.wife) == ["pregnancy_started", "prenatal_screened", "born"]  # she is the mother
    # a second birth the next year counts as the third child; a birth order of 2 is now too low
    s.event("pregnancy", person=fam.wife, date=D(2026, 4, 1), event="1")
    with pytest.raises(InvalidInput) as e:
        s.enter("birth", household=fam.household, date=D(2026, 5, 30), mother=fam.wife, full_name="Trần Bảo Bình",
                sex=SEX_MALE, ethnicity="01", relation="03", place="2", birth_order=2)
    assert [p.code for p in e.value.problems] == ["birth.order_too_low"]
    second = s.event("birth", household=fam.household, date=D(2026, 5, 30), mother=fam.wife,
                     full_name="Trần Bảo Bình", sex=SEX_MALE, ethnicity="01", relation="03", place="2",
                     birth_order=3)
    wife = member(ctx, fam.household, fam.wife, D(2026, 6, 1))
    assert wife.reproductive.living_sons + wife.reproductive.living_daughters == before_sons + 2
    assert [g.outcome for g in wife.pregnancies] == ["delivery", "delivery"]
    assert len(members(ctx, fam.household, D(2026, 6, 1))) == len(fam.members) + 2
    assert second.person_id != baby
    # a pregnancy that ends otherwise (a miscarriage) is closed by its own slip
    other = reg.families[1]
    s.event("pregnancy", person=other.wife, date=D(2026, 2, 1), event="1")
    ended = s.event("pregnancy", person=other.wife, date=D(2026, 3, 15), event="2")
    assert ended.kind == "pregnancy_ended" and ended.data["outcome"] == "miscarriage"
    assert not member(ctx, other.household, other.wife, D(2026, 3, 15)).pregnant
    assert member(ctx, other.household, other.wife, D(2026, 3, 14)).pregnant


def test_deaths_end_membership_method_and_pregnancy_from_the_day_of_death(ctx):
    reg = small_register(ctx, households=2, contraception=True)
    s = Slips(ctx, reg.area)
    f0, f1 = reg.families
    total = people(ctx, reg.area, D(2026, 1, 1))
    # the slip names her by her CCCD, written with spaces as on the card
    cccd = next(h.cccd for h in search_persons(ctx, reg.names[f0.elder]) if h.id == f0.elder)
    died = s.event("death", person=f"{cccd[:3]} {cccd[3:6]} {cccd[6:]}", date=D(2026, 1, 20), cause="tuổi già")
    assert died.person_id == f0.elder
    assert f0.elder in members(ctx, f0.household, D(2026, 1, 19))
    assert f0.elder not in members(ctx, f0.household, D(2026, 1, 20))
    assert people(ctx, reg.area, D(2026, 1, 19)) == total
    assert people(ctx, reg.area, D(2026, 1, 20)) == total - 1
    # a woman using a method and pregnant dies: both end on that day
    s.event("pregnancy", person=f1.wife, date=D(2026, 2, 1), event="1")
    method = method_on(ctx, f1.household, f1.wife, D(2026, 2, 1))
    assert method is not None
    s.event("death", person=f1.wife, date=D(2026, 4, 2))
    past = next(m for m in household_sheet(ctx, f1.household, D(2026, 4, 2)).past_members
                if m.person.id == f1.wife)
    assert past.person.death_date == D(2026, 4, 2)
    assert [(u.method, u.end_date) for u in past.contraception][-1] == (method, D(2026, 4, 2))
    assert [(g.end_date, g.outcome) for g in past.pregnancies] == [(D(2026, 4, 2), "death")]
    assert people(ctx, reg.area, D(2026, 4, 2)) == total - 2
    # nothing can be recorded for them after their death
    with pytest.raises(InvalidInput) as e:
        s.enter("elderly_checkup", person=f0.elder, date=D(2026, 5, 1))
    assert [p.code for p in e.value.problems] == ["slip.person_dead"]
    assert kinds(ctx, person_id=f0.elder) == ["died"]


def test_moves_in_and_out_of_the_commune_over_months(ctx):
    reg = small_register(ctx, households=2)
    s = Slips(ctx, reg.area)
    f0, f1 = reg.families
    total = people(ctx, reg.area, D(2026, 1, 1))
    arrived = s.event("move_in", household=f0.household, date=D(2026, 1, 15), origin="Xã Tân Phong, Thái Bình",
                      **new_person(reg.factory, sex=SEX_FEMALE, born=D(1999, 9, 9), relation="10",
                                   name="Đoàn Thị Hạnh", education="4", cccd="034199123456"))
    newcomer = arrived.person_id
    assert members(ctx, f0.household, D(2026, 1, 15))[newcomer] == "10"
    assert newcomer not in members(ctx, f0.household, D(2026, 1, 14))
    assert people(ctx, reg.area, D(2026, 1, 15)) == total + 1
    assert [h.id for h in search_persons(ctx, "doan thi hanh")] == [newcomer]
    assert [h.id for h in search_persons(ctx, "034199123456")] == [newcomer]
    # a son leaves for Hà Nội in February
    bhyt = next(h.bhyt for h in search_persons(ctx, reg.names[f1.children[0]]) if h.id == f1.children[0])
    left = s.event("move_out", person=bhyt.lower(), date=D(2026, 2, 10), destination="Phường Cầu Giấy, Hà Nội")
    assert left.person_id == f1.children[0]  # named by the BHYT card number, in any case
    with pytest.raises(InvalidInput) as e:
        s.enter("move_out", person="GD4319999999998", date=D(2026, 2, 11), destination="Huế")
    assert [word(p) for p in e.value.problems] == [
        f"phiếu c-{int(s.client_id()[2:]) - 1}: không tìm thấy Người “BHYT GD4319999999998” trong sổ; kiểm tra mã "
        "người, số CCCD hoặc mã BHYT."]
    assert f1.children[0] not in members(ctx, f1.household, D(2026, 2, 10))
    assert f1.children[0] in members(ctx, f1.household, D(2026, 2, 9))
    assert people(ctx, reg.area, D(2026, 2, 10)) == total
    # and comes back in April: the same person, not a new one
    back = s.event("move_in", household=f1.household, date=D(2026, 4, 1), origin="Hà Nội",
                   person=f1.children[0], relation="03")
    assert back.person_id == f1.children[0]
    assert f1.children[0] in members(ctx, f1.household, D(2026, 4, 1))
    assert f1.children[0] not in members(ctx, f1.household, D(2026, 3, 1))
    assert people(ctx, reg.area, D(2026, 4, 1)) == total + 1
    assert kinds(ctx, person_id=f1.children[0]) == ["moved_out", "moved_in"]
    # someone living here cannot move in again; someone gone cannot move out
    with pytest.raises(InvalidInput) as e:
        s.enter("move_in", household=f0.household, date=D(2026, 5, 1), origin="Hà Nội", person=newcomer,
                relation="10")
    assert [p.code for p in e.value.problems] == ["move_in.already_registered"]
    s.event("move_out", person=newcomer, date=D(2026, 5, 2), destination="TP Hồ Chí Minh")
    # the dead do not move in again
    s.event("death", person=f0.elder, date=D(2026, 5, 2))
    with pytest.raises(InvalidInput) as e:
        s.enter("move_in", household=f1.household, date=D(2026, 5, 20), origin="Hà Nội", person=f0.elder,
                relation="08")
    assert [p.code for p in e.value.problems] == ["slip.person_dead"]
    with pytest.raises(InvalidInput) as e:
        s.enter("move_out", person=newcomer, date=D(2026, 5, 3), destination="Cần Thơ")
    assert [p.code for p in e.value.problems] == ["move_out.not_resident"]


def test_transfers_between_households_of_the_commune_are_dated(ctx):
    reg = small_register(ctx, households=2)
    s = Slips(ctx, reg.area)
    f0, f1 = reg.families
    total = people(ctx, reg.area, D(2026, 1, 1))
    ev = s.event("transfer", person=f0.elder, date=D(2026, 2, 1), to_household=f1.household, relation="08")
    assert ev.data["from_household"] == f0.household
    assert f0.elder in members(ctx, f0.household, D(2026, 1, 31))
    assert f0.elder not in members(ctx, f1.household, D(2026, 1, 31))
    assert members(ctx, f1.household, D(2026, 2, 1))[f0.elder] == "08"
    assert f0.elder not in members(ctx, f0.household, D(2026, 2, 1))
    assert people(ctx, reg.area, D(2026, 2, 1)) == total
    with pytest.raises(InvalidInput) as e:
        s.enter("transfer", person=f0.elder, date=D(2026, 3, 1), to_household=f1.household, relation="08")
    assert [p.code for p in e.value.problems] == ["transfer.same_household"]
    s.event("transfer", person=f0.elder, date=D(2026, 3, 1), to_household=f0.household, relation="07")
    assert [m.valid_from for m in household_sheet(ctx, f0.household, D(2026, 3, 1)).members
            if m.person.id == f0.elder] == [D(2026, 3, 1)]
    assert kinds(ctx, person_id=f0.elder) == ["transferred", "transferred"]
    # each household's history shows her leaving and coming
    assert kinds(ctx, household_id=f0.household) == ["household_registered", "transferred", "transferred"]
    assert kinds(ctx, household_id=f1.household) == ["household_registered", "transferred", "transferred"]
    # a change reported late, dated before her last move, would leave her in two households: refused
    with pytest.raises(InvalidInput) as e:
        s.enter("death", person=f0.elder, date=D(2026, 2, 15))
    assert [p.code for p in e.value.problems] == ["slip.before_membership"]
    with pytest.raises(InvalidInput) as e:
        s.enter("household_split", household=f0.household, date=D(2026, 2, 20), number="1X",
                members=[{"person": f0.elder, "relation": "01"}])
    assert [p.code for p in e.value.problems] == ["slip.before_membership"]
    s.event("death", person=f0.elder, date=D(2026, 3, 2))
    assert f0.elder not in members(ctx, f0.household, D(2026, 3, 2))
    assert f0.elder in members(ctx, f1.household, D(2026, 2, 15))  # the refused slips changed nothing


def test_info_changes_are_dated_and_a_new_name_is_found_by_search(ctx):
    reg = small_register(ctx, households=1)
    s = Slips(ctx, reg.area)
    f0 = reg.families[0]
    old_name = reg.names[f0.wife]
    ev = s.event("info_change", person=f0.wife, date=D(2026, 2, 1), full_name="Nguyễn Thị Thanh Xuân",
                 education="1")  # adults of the factories have education 2–9
    assert [(c[1], c[3]) for c in ev.data["changes"]] == [("full_name", "Nguyễn Thị Thanh Xuân"), ("education", "1")]
    assert ev.data["changes"][0][2] == old_name
    assert [h.id for h in search_persons(ctx, "nguyen thi thanh xuan")] == [f0.wife]
    assert f0.wife not in [h.id for h in search_persons(ctx, old_name)]
    # a change of residence status is dated on the membership: temporarily absent from March
    total = people(ctx, reg.area, D(2026, 1, 1))
    s.event("info_change", person=f0.children[0], date=D(2026, 3, 1), residence="3")
    assert member(ctx, f0.household, f0.children[0], D(2026, 2, 28)).residence != "3"
    assert member(ctx, f0.household, f0.children[0], D(2026, 3, 1)).residence == "3"
    assert people(ctx, reg.area, D(2026, 3, 1)) == total - 1
    assert people(ctx, reg.area, D(2026, 2, 28)) == total
    # a CCCD already somebody else's is refused
    with pytest.raises(InvalidInput) as e:
        s.enter("info_change", person=f0.children[0], date=D(2026, 4, 1),
                cccd=search_persons(ctx, reg.names[f0.head])[0].cccd)
    assert "person.already_registered" in [p.code for p in e.value.problems]
    assert kinds(ctx, person_id=f0.wife) == ["info_changed"]


def test_marriage_and_divorce_change_both_spouses(ctx):
    reg = small_register(ctx, households=2)
    s = Slips(ctx, reg.area)
    f0 = reg.families[0]
    groom = s.event("move_in", household=f0.household, date=D(2026, 1, 5), origin="Hải Dương",
                    **new_person(reg.factory, sex=SEX_MALE, born=D(1996, 1, 1), relation="05", marital="1"))
    bride = s.event("move_in", household=f0.household, date=D(2026, 1, 5), origin="Hải Dương",
                    **new_person(reg.factory, sex=SEX_FEMALE, born=D(1998, 1, 1), relation="06", marital="1"))
    married = s.event("marriage", person=groom.person_id, spouse=bride.person_id, date=D(2026, 2, 14))
    assert married.data["touches"] == [bride.person_id]
    sheet = {m.person.id: m.person.marital for m in household_sheet(ctx, f0.household, D(2026, 3, 1)).members}
    assert sheet[groom.person_id] == sheet[bride.person_id] == "2"
    with pytest.raises(InvalidInput) as e:
        s.enter("marriage", person=bride.person_id, date=D(2026, 3, 1))
    assert [p.code for p in e.value.problems] == ["marriage.already_married"]
    # married now, she may record a method
    s.event("contraception_start", person=bride.person_id, date=D(2026, 3, 1), method="3", place="1")
    s.event("divorce", person=groom.person_id, spouse=bride.person_id, date=D(2026, 5, 1))
    sheet = {m.person.id: m.person.marital for m in household_sheet(ctx, f0.household, D(2026, 5, 1)).members}
    assert sheet[groom.person_id] == sheet[bride.person_id] == "4"
    with pytest.raises(InvalidInput) as e:
        s.enter("divorce", person=bride.person_id, date=D(2026, 5, 2))
    assert [p.code for p in e.value.problems] == ["divorce.not_married"]
    # the spouse named on the slips sees them in her history
    assert kinds(ctx, person_id=bride.person_id) == ["moved_in", "married", "method_started", "divorced"]


def test_a_head_change_swaps_the_relations_from_its_date(ctx):
    reg = small_register(ctx, households=1)
    s = Slips(ctx, reg.area)
    f0 = reg.families[0]
    s.event("death", person=f0.head, date=D(2026, 1, 10))
    with pytest.raises(InvalidInput) as e:
        s.enter("head_change", household=f0.household, date=D(2026, 2, 1), new_head=f0.head, old_head_relation="02")
    assert [p.code for p in e.value.problems] == ["head.not_member"]  # the dead are no longer members
    s.event("head_change", household=f0.household, date=D(2026, 2, 1), new_head=f0.wife, old_head_relation="02")
    assert members(ctx, f0.household, D(2026, 2, 1))[f0.wife] == "01"
    assert members(ctx, f0.household, D(2026, 1, 31))[f0.wife] == "02"
    s.event("head_change", household=f0.household, date=D(2026, 4, 1), new_head=f0.elder, old_head_relation="03")
    assert members(ctx, f0.household, D(2026, 4, 1)) == {f0.elder: "01", f0.wife: "03",
                                                         **{c: "03" for c in f0.children}}
    with pytest.raises(InvalidInput) as e:
        s.enter("head_change", household=f0.household, date=D(2026, 5, 1), new_head=f0.elder, old_head_relation="03")
    assert [p.code for p in e.value.problems] == ["head.already_head"]
    assert kinds(ctx, household_id=f0.household).count("head_changed") == 2


def test_a_womans_method_starts_switches_and_stops_by_date(ctx):
    reg = small_register(ctx, households=1)
    s = Slips(ctx, reg.area)
    f0 = reg.families[0]
    s.event("contraception_start", person=f0.wife, date=D(2026, 1, 5), method="1", place="1")
    s.event("contraception_start", person=f0.wife, date=D(2026, 3, 5), method="4", place="2")
    s.event("contraception_stop", person=f0.wife, date=D(2026, 5, 5), reason="muốn có con")
    assert method_on(ctx, f0.household, f0.wife, D(2026, 1, 4)) is None
    assert method_on(ctx, f0.household, f0.wife, D(2026, 1, 5)) == "1"
    assert method_on(ctx, f0.household, f0.wife, D(2026, 3, 4)) == "1"
    assert method_on(ctx, f0.household, f0.wife, D(2026, 3, 5)) == "4"
    assert method_on(ctx, f0.household, f0.wife, D(2026, 5, 4)) == "4"
    assert method_on(ctx, f0.household, f0.wife, D(2026, 5, 6)) is None
    with pytest.raises(InvalidInput) as e:
        s.enter("contraception_stop", person=f0.wife, date=D(2026, 6, 1))
    assert [p.code for p in e.value.problems] == ["contraception.none_to_stop"]
    with pytest.raises(InvalidInput) as e:
        s.enter("contraception_start", person=f0.head, date=D(2026, 6, 1), method="1", place="1")
    assert [p.code for p in e.value.problems] == ["women.not_eligible"]
    assert kinds(ctx, person_id=f0.wife) == ["method_started", "method_started", "method_stopped"]
    # dated before the method in use began, a switch or a stop would make the uses overlap: refused
    s.event("contraception_start", person=f0.wife, date=D(2026, 6, 10), method="2", place="1")
    for kind, fields in (("contraception_start", dict(method="5", place="1")), ("contraception_stop", {})):
        with pytest.raises(InvalidInput) as e:
            s.enter(kind, person=f0.wife, date=D(2026, 6, 1), **fields)
        assert [p.code for p in e.value.problems] == ["slip.before_current"]
    # and a pregnancy cannot end before it began
    s.event("contraception_stop", person=f0.wife, date=D(2026, 6, 20))
    s.event("pregnancy", person=f0.wife, date=D(2026, 6, 25), event="1")
    with pytest.raises(InvalidInput) as e:
        s.enter("pregnancy", person=f0.wife, date=D(2026, 6, 24), event="2")
    assert [p.code for p in e.value.problems] == ["slip.before_current"]


def test_screenings_and_checkups_are_kept_in_the_history_and_change_no_state(ctx):
    reg = small_register(ctx, households=1)
    s = Slips(ctx, reg.area)
    f0 = reg.families[0]
    from danso.storage import replay

    with ctx.engine.connect() as conn:
        before = replay.state(conn)
    for month in (1, 4):
        s.event("elderly_checkup", person=f0.elder, date=D(2026, month, 15))
    s.event("prenatal_screening", person=f0.wife, date=D(2026, 2, 2), week=20, conditions=["2"], place="2",
            confirm=True)  # she is not recorded pregnant: a warning
    with ctx.engine.connect() as conn:
        assert replay.state(conn) == before
    assert kinds(ctx, person_id=f0.elder) == ["elderly_checked", "elderly_checked"]
    assert [(e.kind, e.data) for e in svc.history(ctx, person_id=f0.wife)] == [
        ("prenatal_screened", {"week": 20, "conditions": ["2"], "place": "2"})]


def test_households_are_created_split_merged_relocated_and_dissolved_over_months(ctx):
    reg = small_register(ctx, households=2)
    s = Slips(ctx, reg.area)
    f0, f1 = reg.families
    n_hh, n_people = households(ctx, COMMUNE, D(2026, 1, 1)), people(ctx, COMMUNE, D(2026, 1, 1))
    # two members of a new household cannot share a CCCD
    twin_cccd = reg.factory.cccd(SEX_MALE, 1985)
    with pytest.raises(InvalidInput) as e:
        s.enter("household_new", date=D(2026, 1, 20), number="49", kind="1", origin="Nam Định", members=[
            new_person(reg.factory, born=D(1985, 2, 2), relation="01", cccd=twin_cccd),
            new_person(reg.factory, born=D(1985, 7, 7), relation="10", cccd=twin_cccd)])
    assert [(p.code, p.record) for p in e.value.problems] == [
        ("person.duplicate_in_file", f"phiếu c-{int(s.client_id()[2:]) - 1}, người 2")]
    # January: a family of three arrives from another province
    created = s.event("household_new", date=D(2026, 1, 20), number="50", kind="1", origin="Nam Định",
                      house_no="12", street="Phố Lạch Tray", members=[
                          new_person(reg.factory, sex=SEX_MALE, born=D(1985, 2, 2), relation="01", marital="2"),
                          new_person(reg.factory, sex=SEX_FEMALE, born=D(1988, 3, 3), relation="02", marital="2"),
                          new_person(reg.factory, sex=SEX_FEMALE, born=D(2015, 4, 4), relation="03")])
    h50 = created.household_id
    assert households(ctx, COMMUNE, D(2026, 1, 20)) == n_hh + 1
    assert households(ctx, COMMUNE, D(2026, 1, 19)) == n_hh
    assert people(ctx, COMMUNE, D(2026, 1, 20)) == n_people + 3
    assert len(members(ctx, h50, D(2026, 1, 20))) == 3
    sheet = household_sheet(ctx, h50, D(2026, 1, 20))
    assert (sheet.household.number, sheet.household.house_no, sheet.household.established_on) == (
        "50", "12", D(2026, 1, 20))
    # February: the grandmother of family 0 splits off with nobody else into her own household
    split = s.event("household_split", household=f0.household, date=D(2026, 2, 1), number="1B", house_no="3",
                    members=[{"person": f0.elder, "relation": "01"}])
    h1b = split.data["household_row"]["id"]
    assert members(ctx, h1b, D(2026, 2, 1)) == {f0.elder: "01"}
    assert f0.elder not in members(ctx, f0.household, D(2026, 2, 1))
    assert f0.elder in members(ctx, f0.household, D(2026, 1, 31))
    assert households(ctx, COMMUNE, D(2026, 2, 1)) == n_hh + 2
    with pytest.raises(InvalidInput) as e:
        s.enter("household_split", household=f1.household, date=D(2026, 2, 2), number="2B",
                members=[{"person": m, "relation": "01" if m == f1.head else "02"} for m in f1.members])
    assert "split.everyone" in [p.code for p in e.value.problems]
    # March: she moves back: her household is merged into family 0
    with pytest.raises(InvalidInput) as e:
        s.enter("household_merge", household=f0.household, date=D(2026, 3, 1), merged_household=h1b,
                members=[{"person": f0.head, "relation": "07"}])
    assert {p.code for p in e.value.problems} == {"merge.member_outside", "merge.members_missing"}
    s.event("household_merge", household=f0.household, date=D(2026, 3, 1), merged_household=h1b,
            members=[{"person": f0.elder, "relation": "07"}])
    assert members(ctx, f0.household, D(2026, 3, 1))[f0.elder] == "07"
    assert households(ctx, COMMUNE, D(2026, 3, 1)) == n_hh + 1
    assert households(ctx, COMMUNE, D(2026, 2, 28)) == n_hh + 2
    assert household_sheet(ctx, h1b, D(2026, 3, 1)).household.status == "dissolved"
    assert kinds(ctx, household_id=h1b) == ["household_split", "household_merged"]
    assert kinds(ctx, person_id=f0.elder) == ["household_split", "household_merged"]
    # April: household 50 moves to another area of the same commune and to a new address
    other_area = add_area(ctx, reg.area.rsplit("-", 1)[0], "Địa bàn 2").code
    s.event("household_relocate", household=h50, date=D(2026, 4, 1), area=other_area, house_no="99")
    sheet = household_sheet(ctx, h50, D(2026, 4, 1))
    assert (sheet.area.code, sheet.household.house_no, sheet.household.street) == (other_area, "99", "Phố Lạch Tray")
    assert people(ctx, other_area, D(2026, 4, 1)) == 3
    assert people(ctx, COMMUNE, D(2026, 4, 1)) == n_people + 3
    # May: everybody of household 50 leaves, then the household is struck off
    with pytest.raises(InvalidInput) as e:
        s.enter("household_dissolve", household=h50, date=D(2026, 5, 1))
    assert [p.code for p in e.value.problems] == ["household.has_members"]
    for pid in members(ctx, h50, D(2026, 5, 1)):
        s.event("move_out", person=pid, date=D(2026, 5, 2), destination="Nam Định")
    s.event("household_dissolve", household=h50, date=D(2026, 5, 3))
    assert households(ctx, COMMUNE, D(2026, 5, 3)) == n_hh
    assert households(ctx, COMMUNE, D(2026, 5, 2)) == n_hh + 1
    assert people(ctx, COMMUNE, D(2026, 5, 3)) == n_people
    with pytest.raises(InvalidInput) as e:
        s.enter("move_in", household=h50, date=D(2026, 6, 1), origin="Hà Nội",
                **new_person(reg.factory, relation="01"))
    assert [p.code for p in e.value.problems] == ["slip.household_dissolved"]
    assert kinds(ctx, household_id=h50) == ["household_created", "household_relocated", "moved_out", "moved_out",
                                            "moved_out", "household_dissolved"]
