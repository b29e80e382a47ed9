"""The application's "today" is Vietnam's calendar day (UTC+7), whatever the server's time zone: between 00:00
and 07:00 in Vietnam (17:00–24:00 UTC) a server in UTC is still on the day before. The clock's UTC time is
set by replacing danso.domain.clock._now_utc; the services are not told what day it is (no ``today=``)."""
from __future__ import annotations

import datetime as dt

import pytest

from danso.domain import clock
from danso.domain.problems import InvalidInput
from danso.domain.slips import Status
from danso.services import slips as svc
from slip_factories import ACTOR, OFFICER, Slips


def set_utc(monkeypatch, *args: int) -> None:  # noqa: ANN001
    monkeypatch.setattr(clock, "_now_utc", lambda: dt.datetime(*args, tzinfo=dt.UTC))


def enter(ctx, area: str, kind: str, **fields) -> svc.SlipView:  # noqa: ANN001, ANN003
    """Enter and submit a slip as a collaborator would, on the day the application takes for today."""
    view, created = svc.create_slip(ctx, client_id=Slips.client_id(), kind=kind, area_code=area, month="",
                                    data=Slips.data(**fields), actor=ACTOR, submit=True, confirm=True)
    assert created
    return view


def test_today_is_the_day_in_vietnam(monkeypatch):
    set_utc(monkeypatch, 2026, 11, 23, 16, 59)  # 23:59 in Vietnam
    assert clock.today() == dt.date(2026, 11, 23)
    set_utc(monkeypatch, 2026, 11, 23, 18, 30)  # 01:30 on the 24th in Vietnam, still the 23rd in UTC
    assert clock.today() == dt.date(2026, 11, 24)
    set_utc(monkeypatch, 2026, 12, 31, 17, 0)  # midnight of the new year in Vietnam
    assert clock.today() == dt.date(2027, 1, 1)


def test_a_birth_at_night_in_vietnam_is_not_a_date_in_the_future(ctx, reg, monkeypatch):
    set_utc(monkeypatch, 2026, 11, 23, 18, 30)  # 24/11/2026 01:30 in Vietnam
    fam = reg.families[0]  # the wife has 1 child on record
    view = enter(ctx, reg.area, "birth", household=fam.household, date=dt.date(2026, 11, 24), mother=fam.wife,
                 full_name="Trần Bảo An", sex="2", ethnicity="01", relation="03", place="1", birth_order=2)
    assert view.status == Status.SUBMITTED and view.month == "2026-11"
    svc.accept_slip(ctx, view.id, OFFICER)
    accepted = svc.get_slip(ctx, view.id)
    assert accepted.status == Status.ACCEPTED
    assert [(e.kind, e.event_date) for e in accepted.events] == [("born", dt.date(2026, 11, 24))]


def test_a_death_of_this_morning_in_vietnam_is_accepted_and_tomorrow_is_still_the_future(ctx, reg, monkeypatch):
    set_utc(monkeypatch, 2026, 11, 23, 23, 45)  # 24/11/2026 06:45 in Vietnam
    fam = reg.families[1]
    with pytest.raises(InvalidInput) as e:
        enter(ctx, reg.area, "death", person=fam.head, date=dt.date(2026, 11, 25), cause="bệnh")
    assert [p.code for p in e.value.problems] == ["date.future"]
    view = enter(ctx, reg.area, "death", person=fam.head, date=dt.date(2026, 11, 24), cause="bệnh")
    svc.accept_slip(ctx, view.id, OFFICER)
    assert svc.get_slip(ctx, view.id).status == Status.ACCEPTED
