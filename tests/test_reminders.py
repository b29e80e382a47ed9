"""Reminders (nhắc việc): each rule fires on the day it falls due and not the day before, stops when the
follow-up is recorded (and starts again when that record is reversed), never lists the dead or those who moved
out, and shows a user only her own areas — on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest

from danso.domain import clock
from danso.domain.access import AccessDenied, Principal, Role
from danso.domain.problems import NotFound
from danso.domain.reminders import CONTRACEPTION, ELDERLY, NEWBORN, PRENATAL, contraception_due
from danso.services import slips as svc
from danso.services.reminders import count_reminders, list_reminders
from danso.storage import units_repo
from factories import COMMUNE, make_area
from slip_factories import SEX_FEMALE, SEX_MALE, Slips, new_person, small_register

D = dt.date
DAY = dt.timedelta(days=1)
LATER = D(2027, 12, 31)  # the day the slip services are told it is: every slip below is in its past


def principal(ctx, role: Role, code: str) -> Principal:  # noqa: ANN001
    with ctx.engine.connect() as conn:
        row = units_repo.find_by_code(conn, code, clock.today())[0]
    return Principal(7, f"{role.value}.test", "Người Thử", role, row.id, code, row.unit.name, row.unit.level)


def listed(ctx, user: Principal, kind: str, today: dt.date, unit: str | None = None) -> dict:  # noqa: ANN001
    """Person id → item of one kind's list on a day (the group's total checked against the items)."""
    group = list_reminders(ctx, user, kind=kind, today=today, unit_code=unit).groups[0]
    assert group.reminder.code == kind and group.total == len(group.items)
    return {i.person_id: i for i in group.items}


def test_an_injection_falls_due_every_91_days_for_30_days_and_a_new_method_restarts_the_count(ctx, reg):
    s = Slips(ctx, reg.area, today=LATER)
    ctv = principal(ctx, Role.COLLABORATOR, reg.area)
    w0, w1 = reg.families[0].wife, reg.families[1].wife
    start = D(2026, 3, 2)
    s.event("contraception_start", person=w0, date=start, method="5", place="1")
    s.event("contraception_start", person=w1, date=start, method="7", place="1")  # condoms: no follow-up date
    assert listed(ctx, ctv, CONTRACEPTION, start + 90 * DAY) == {}
    first = listed(ctx, ctv, CONTRACEPTION, start + 91 * DAY)
    assert list(first) == [w0]
    assert (first[w0].due.due_on, first[w0].due.days) == (start + 91 * DAY, 0)
    assert first[w0].reason == ("Thuốc tiêm tránh thai, lần ghi gần nhất 02/03/2026 — tiêm mũi tiếp theo từ "
                                "01/06/2026, đến hạn hôm nay")
    assert first[w0].household_id == reg.families[0].household and first[w0].area_code == reg.area
    assert listed(ctx, ctv, CONTRACEPTION, start + 120 * DAY)[w0].reason.endswith("quá hạn 29 ngày")
    assert listed(ctx, ctv, CONTRACEPTION, start + 121 * DAY) == {}
    assert listed(ctx, ctv, CONTRACEPTION, start + 181 * DAY) == {}
    assert listed(ctx, ctv, CONTRACEPTION, start + 182 * DAY)[w0].due.due_on == start + 182 * DAY
    # she switches to the pill on 01/07/2026: due 28 days later; the condom user changes to an IUD: a year later
    s.event("contraception_start", person=w0, date=D(2026, 7, 1), method="6", place="1")
    s.event("contraception_start", person=w1, date=D(2026, 7, 1), method="1", place="1")
    assert listed(ctx, ctv, CONTRACEPTION, D(2026, 7, 28)) == {}
    assert list(listed(ctx, ctv, CONTRACEPTION, D(2026, 7, 29))) == [w0]
    # a pack every 28 days, listed for 30 days: a pill user is on every monthly round
    assert all(w0 in listed(ctx, ctv, CONTRACEPTION, D(2026, 7, 29) + n * DAY) for n in range(0, 400, 9))
    assert listed(ctx, ctv, CONTRACEPTION, D(2027, 6, 30)).keys() == {w0}
    assert listed(ctx, ctv, CONTRACEPTION, D(2027, 7, 1)).keys() == {w0, w1}  # the IUD: 365 days
    assert "khám kiểm tra vòng hằng năm từ 01/07/2027" in listed(ctx, ctv, CONTRACEPTION, D(2027, 7, 1))[w1].reason
    # she stops: nothing more to follow
    s.event("contraception_stop", person=w0, date=D(2026, 8, 1))
    assert w0 not in listed(ctx, ctv, CONTRACEPTION, D(2026, 8, 26))


def test_a_pregnant_woman_is_not_followed_for_her_method(ctx, reg):
    s = Slips(ctx, reg.area, today=LATER)
    ctv = principal(ctx, Role.COLLABORATOR, reg.area)
    w0 = reg.families[0].wife
    s.event("contraception_start", person=w0, date=D(2026, 1, 5), method="6", place="1")
    assert w0 in listed(ctx, ctv, CONTRACEPTION, D(2026, 2, 2))
    s.event("pregnancy", person=w0, date=D(2026, 2, 10), event="1", confirm=True)
    assert w0 not in listed(ctx, ctv, CONTRACEPTION, D(2026, 3, 2))
    assert w0 in listed(ctx, ctv, PRENATAL, D(2026, 3, 10))


def test_a_pregnancy_is_due_for_prenatal_screening_28_days_after_it_is_recorded_until_screened(ctx, reg):
    s = Slips(ctx, reg.area, today=LATER)
    ctv = principal(ctx, Role.COLLABORATOR, reg.area)
    w0, w1 = reg.families[0].wife, reg.families[1].wife
    p = D(2026, 2, 1)
    s.event("pregnancy", person=w0, date=p, event="1")
    assert listed(ctx, ctv, PRENATAL, p + 27 * DAY) == {}
    item = listed(ctx, ctv, PRENATAL, p + 28 * DAY)[w0]
    assert item.reason == "Ghi mang thai ngày 01/02/2026, chưa sàng lọc trước sinh — đến hạn hôm nay"
    screened = s.event("prenatal_screening", person=w0, date=p + 30 * DAY, week=12, conditions="1", place="1")
    assert listed(ctx, ctv, PRENATAL, p + 29 * DAY).keys() == {w0}  # the screening had not happened yet
    assert listed(ctx, ctv, PRENATAL, p + 30 * DAY) == {}
    # a screening recorded by mistake and reversed does not count
    svc.reverse_event(ctx, screened.id, "xa:tran.van.binh", "ghi nhầm")
    assert listed(ctx, ctv, PRENATAL, p + 40 * DAY)[w0].reason.endswith("quá hạn 12 ngày")
    # a screening in an earlier pregnancy does not count for the next one
    q = D(2026, 1, 10)
    s.event("pregnancy", person=w1, date=q, event="1")
    s.event("prenatal_screening", person=w1, date=q + 20 * DAY, week=11, conditions="1", place="1")
    s.event("pregnancy", person=w1, date=q + 40 * DAY, event="2")  # a miscarriage
    assert w1 not in listed(ctx, ctv, PRENATAL, q + 100 * DAY)
    s.event("pregnancy", person=w1, date=q + 100 * DAY, event="1")
    assert w1 not in listed(ctx, ctv, PRENATAL, q + 127 * DAY)
    assert w1 in listed(ctx, ctv, PRENATAL, q + 128 * DAY)


def test_a_newborn_is_due_for_screening_from_3_to_28_days_old(ctx, reg):
    s = Slips(ctx, reg.area, today=LATER)
    ctv = principal(ctx, Role.COLLABORATOR, reg.area)
    fam = reg.families[0]
    b = D(2026, 5, 10)
    born = s.event("birth", household=fam.household, date=b, mother=fam.wife, full_name="Trần Bảo An",
                   sex=SEX_FEMALE, ethnicity="01", relation="03", place="1", birth_order=2, confirm=True)
    baby = born.person_id
    assert listed(ctx, ctv, NEWBORN, b + 2 * DAY) == {}
    assert listed(ctx, ctv, NEWBORN, b + 3 * DAY)[baby].reason == (
        "Sinh ngày 10/05/2026 (3 ngày tuổi), chưa sàng lọc sơ sinh — đến hạn hôm nay")
    assert listed(ctx, ctv, NEWBORN, b + 28 * DAY)[baby].due.days == 25
    assert listed(ctx, ctv, NEWBORN, b + 29 * DAY) == {}
    s.event("newborn_screening", person=baby, date=b + 5 * DAY, results="1=1;2=1")
    assert listed(ctx, ctv, NEWBORN, b + 6 * DAY) == {}


def test_a_person_of_60_is_due_for_a_health_check_each_calendar_year(ctx, reg):
    s = Slips(ctx, reg.area, today=LATER)
    ctv = principal(ctx, Role.COLLABORATOR, reg.area)
    elder = reg.families[0].elder  # born 03/03/1950; everybody else is younger than 60
    item = listed(ctx, ctv, ELDERLY, D(2026, 1, 1))[elder]
    assert (item.due.due_on, item.due.days) == (D(2026, 1, 1), 0)
    assert item.reason == "75 tuổi, chưa khám sức khỏe định kỳ năm 2026 (chưa ghi lần khám nào)"
    assert listed(ctx, ctv, ELDERLY, D(2026, 6, 30)).keys() == {elder}
    checked = s.event("elderly_checkup", person=elder, date=D(2026, 5, 1))
    assert listed(ctx, ctv, ELDERLY, D(2026, 4, 30)).keys() == {elder}
    assert listed(ctx, ctv, ELDERLY, D(2026, 12, 31)) == {}
    again = listed(ctx, ctv, ELDERLY, D(2027, 1, 1))[elder]
    assert again.reason == "76 tuổi, chưa khám sức khỏe định kỳ năm 2027 (lần khám gần nhất 01/05/2026)"
    svc.reverse_event(ctx, checked.id, "xa:tran.van.binh", "ghi nhầm")
    assert listed(ctx, ctv, ELDERLY, D(2026, 12, 31)).keys() == {elder}
    # a man turning 60 on 15/08/2026 is due from that day
    arrived = s.event("move_in", household=reg.families[1].household, date=D(2026, 2, 1), origin="Hà Nội",
                      **new_person(reg.factory, sex=SEX_MALE, born=D(1966, 8, 15), relation="07"))
    assert arrived.person_id not in listed(ctx, ctv, ELDERLY, D(2026, 8, 14))
    turned = listed(ctx, ctv, ELDERLY, D(2026, 8, 15))[arrived.person_id]
    assert (turned.due.due_on, turned.due.days) == (D(2026, 8, 15), 0)


def test_the_dead_and_those_who_moved_out_are_never_listed(ctx, reg):
    s = Slips(ctx, reg.area, today=LATER)
    ctv = principal(ctx, Role.COLLABORATOR, reg.area)
    f0, f1 = reg.families
    s.event("contraception_start", person=f1.wife, date=D(2026, 1, 5), method="5", place="1")
    assert listed(ctx, ctv, CONTRACEPTION, D(2026, 4, 6)).keys() == {f1.wife}
    assert listed(ctx, ctv, ELDERLY, D(2026, 4, 6)).keys() == {f0.elder}
    s.event("death", person=f0.elder, date=D(2026, 3, 1))
    s.event("move_out", person=f1.wife, date=D(2026, 3, 20), destination="Phường Cầu Giấy, Hà Nội")
    assert listed(ctx, ctv, CONTRACEPTION, D(2026, 4, 6)) == {}
    assert listed(ctx, ctv, ELDERLY, D(2026, 4, 6)) == {}
    assert count_reminders(ctx, ctv, today=D(2026, 4, 6)) == {CONTRACEPTION: 0, PRENATAL: 0, NEWBORN: 0, ELDERLY: 0}


def test_each_user_sees_only_her_own_areas(ctx, reg):
    other_area = make_area(ctx, village="Tổ dân phố Hai")
    other = small_register(ctx, households=1, seed=2, area=other_area)
    today = D(2026, 6, 30)
    mine, theirs = reg.families[0].elder, other.families[0].elder
    ctv = principal(ctx, Role.COLLABORATOR, reg.area)
    ctv_other = principal(ctx, Role.COLLABORATOR, other_area)
    officer = principal(ctx, Role.COMMUNE_OFFICER, COMMUNE)
    assert listed(ctx, ctv, ELDERLY, today).keys() == {mine}
    assert listed(ctx, ctv_other, ELDERLY, today).keys() == {theirs}
    assert listed(ctx, officer, ELDERLY, today).keys() == {mine, theirs}
    village = other_area.rsplit("-", 1)[0]
    assert listed(ctx, officer, ELDERLY, today, unit=village).keys() == {theirs}
    assert listed(ctx, officer, ELDERLY, today, unit=reg.area).keys() == {mine}
    with pytest.raises(NotFound):
        list_reminders(ctx, ctv_other, unit_code=reg.area, today=today)
    with pytest.raises(NotFound):
        list_reminders(ctx, principal(ctx, Role.COMMUNE_OFFICER, "10507"), unit_code=reg.area, today=today)
    assert count_reminders(ctx, principal(ctx, Role.COMMUNE_OFFICER, "10507"), today=today)[ELDERLY] == 0
    for wider in (principal(ctx, Role.PROVINCE_OFFICER, "31"),
                  Principal(1, "admin", "Quản trị", Role.ADMINISTRATOR, None)):
        with pytest.raises(AccessDenied):
            list_reminders(ctx, wider, unit_code=reg.area, today=today)
    overview = list_reminders(ctx, officer, today=today)
    assert [g.reminder.code for g in overview.groups] == [CONTRACEPTION, PRENATAL, NEWBORN, ELDERLY]
    assert overview.total == 2 and overview.unit.code == COMMUNE
    assert [i.village_name for i in overview.groups[3].items] == ["Tổ dân phố Một", "Tổ dân phố Hai"]


def test_the_contraception_rule_in_plain_python():
    since = D(2026, 1, 31)
    assert contraception_due("6", since, since + 27 * DAY) is None
    assert contraception_due("6", since, since + 28 * DAY).days == 0
    assert contraception_due("6", since, since + 56 * DAY).due_on == since + 56 * DAY
    assert contraception_due("2", since, since + 365 * DAY) is None  # sterilisation: nothing to follow
    assert contraception_due("9", since, since + 365 * DAY) is None
