"""The Sổ A0 page of a household on a past date shows each member's information as it was that day."""
from __future__ import annotations

import datetime as dt

from danso.services.registry import household_sheet
from slip_factories import Slips, small_register

D = dt.date


def _line(ctx, household: int, person: int, on: dt.date):
    return next(m.person for m in household_sheet(ctx, household, on).members if m.person.id == person)


def test_a_name_and_marital_status_changed_later_show_their_old_values_on_an_earlier_date(ctx):
    reg = small_register(ctx, households=1)
    s = Slips(ctx, reg.area)
    f0 = reg.families[0]
    old_name = reg.names[f0.wife]
    s.event("info_change", person=f0.wife, date=D(2026, 2, 1), full_name="Nguyễn Thị Thanh Xuân", education="1")
    s.event("info_change", person=f0.wife, date=D(2026, 4, 1), full_name="Nguyễn Thanh Xuân")
    january, march, may = (_line(ctx, f0.household, f0.wife, day) for day in (D(2026, 1, 31), D(2026, 3, 1),
                                                                              D(2026, 5, 1)))
    assert january.full_name == old_name and january.education != "1"
    assert (march.full_name, march.education) == ("Nguyễn Thị Thanh Xuân", "1")
    assert (may.full_name, may.education) == ("Nguyễn Thanh Xuân", "1")


def test_a_person_who_died_later_is_shown_alive_on_an_earlier_date(ctx):
    reg = small_register(ctx, households=1)
    s = Slips(ctx, reg.area)
    f0 = reg.families[0]
    s.event("death", person=f0.elder, date=D(2026, 3, 2))
    assert _line(ctx, f0.household, f0.elder, D(2026, 3, 1)).death_date is None
    assert f0.elder not in [m.person.id for m in household_sheet(ctx, f0.household, D(2026, 3, 2)).members]
