"""Builders of collection slips (phiếu thu tin P0/CTV) over a small register imported with tests/factories.py.

    reg = small_register(ctx, households=2)       # an area, 2 families imported on ON (31/12/2025)
    s = Slips(ctx, reg.area)
    view = s.accept("death", person=reg.families[0].head, date="10/02/2026", cause="bệnh")

Every slip gets a fresh client id (``c-1``, ``c-2``…); dates are written dd/mm/yyyy as a collaborator would.
``TODAY`` is the day the services are told it is, so that ages and "future" do not depend on the clock.
"""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from danso.bootstrap import Context
from danso.domain.identifiers import SEX_FEMALE, SEX_MALE
from danso.domain.vntext import format_date
from danso.services import slips as svc
from danso.services.registry import household_sheet, import_households
from factories import ON, Factory, make_area

TODAY = dt.date(2026, 6, 30)
ACTOR = "ctv:nguyen.thi.an"
OFFICER = "xa:tran.van.binh"

_CLIENT_IDS = itertools.count(1)


def d(day: dt.date) -> str:
    return format_date(day)


@dataclass
class Family:
    """An imported family household: its id and its members' ids by role."""

    household: int
    number: str
    head: int
    wife: int
    children: list[int] = field(default_factory=list)
    members: list[int] = field(default_factory=list)
    elder: int | None = None  # the head's widowed mother, born 1950 (first family only)


@dataclass
class Register:
    area: str
    families: list[Family]
    factory: Factory
    names: dict[int, str] = field(default_factory=dict)  # person id → full name, as imported


def small_register(ctx: Context, households: int = 2, *, seed: int = 1, children: int = 1,
                   contraception: bool = False, area: str | None = None) -> Register:
    """A village and area in the factories' commune, with ``households`` families (head, wife 22–44, children,
    no grandparent, nobody pregnant) imported on ON. The first family also has the head's widowed mother, born
    on 03/03/1950 (aged 75 on ON)."""
    area = area or make_area(ctx)
    f = Factory(seed=seed)
    doc = f.document(area, households=households, children=children, grandparent=False,
                     contraception=contraception)
    for h in doc["households"]:
        h["members"][1]["pregnant"] = False
    first = doc["households"][0]
    first["members"].append(f.person(relation="07", sex=SEX_FEMALE, born=dt.date(1950, 3, 3),
                                     since=dt.date(2000, 1, 1), marital="3"))
    report = import_households(ctx, doc, today=ON)
    families, names = [], {}
    for hid, h in zip(report.households, doc["households"], strict=True):
        sheet = household_sheet(ctx, hid, ON)
        by_name = {m.person.full_name: m.person.id for m in sheet.members}
        ids = [by_name[m["full_name"]] for m in h["members"]]
        names.update({pid: m["full_name"] for pid, m in zip(ids, h["members"], strict=True)})
        elder = ids.pop() if h is first else None
        families.append(Family(hid, h["number"], ids[0], ids[1], ids[2:], ids + ([elder] if elder else []), elder))
    return Register(area, families, f, names)


def new_person(f: Factory, *, sex: str = SEX_MALE, born: dt.date = dt.date(1990, 5, 17), relation: str = "12",
               name: str | None = None, **extra: Any) -> dict[str, Any]:
    """The fields of a person entering the register (a move-in, a member of a new household)."""
    return {"full_name": name or f.name(sex), "sex": sex, "birth": d(born), "ethnicity": "01", "relation": relation,
            **extra}


class Slips:
    """Enters, submits and accepts slips of one collaborator area, as one collaborator and one officer."""

    def __init__(self, ctx: Context, area: str, *, actor: str = ACTOR, officer: str = OFFICER,
                 today: dt.date = TODAY):
        self.ctx, self.area, self.actor, self.officer, self.today = ctx, area, actor, officer, today

    @staticmethod
    def client_id() -> str:
        return f"c-{next(_CLIENT_IDS)}"

    @staticmethod
    def data(**fields: Any) -> dict[str, Any]:
        """Slip fields: dates given as dt.date are written dd/mm/yyyy, None values left out."""
        return {k: d(v) if isinstance(v, dt.date) else v for k, v in fields.items() if v is not None}

    def new(self, kind: str, /, *, month: str = "", submit: bool = True, client_id: str | None = None,
            **fields: Any) -> svc.NewSlip:
        return svc.NewSlip(client_id or self.client_id(), kind, self.area, self.data(**fields), month, submit)

    def enter(self, kind: str, /, *, submit: bool = True, confirm: bool = False, month: str = "",
              client_id: str | None = None, **fields: Any) -> svc.SlipView:
        """Create a slip (submitted unless ``submit=False``)."""
        view, created = svc.create_slip(self.ctx, client_id=client_id or self.client_id(), kind=kind,
                                        area_code=self.area, month=month, data=self.data(**fields),
                                        actor=self.actor, submit=submit, confirm=confirm, today=self.today)
        assert created
        return view

    def accept_id(self, slip_id: int, *, confirm: bool = False) -> svc.SlipView:
        return svc.accept_slip(self.ctx, slip_id, self.officer, confirm=confirm, today=self.today)

    def accept(self, kind: str, /, *, confirm: bool = False, **fields: Any) -> svc.SlipView:
        """Enter, submit and accept a slip; the accepted slip with its events."""
        view = self.enter(kind, confirm=confirm, **fields)
        self.accept_id(view.id, confirm=confirm)
        return svc.get_slip(self.ctx, view.id)

    def event(self, kind: str, /, *, confirm: bool = False, **fields: Any):  # noqa: ANN201
        """Accept a slip that records one event; that event."""
        view = self.accept(kind, confirm=confirm, **fields)
        assert len(view.events) == 1, view.events
        return view.events[0]


__all__ = ["ACTOR", "OFFICER", "ON", "SEX_FEMALE", "SEX_MALE", "TODAY", "Family", "Register", "Slips", "d",
           "new_person", "small_register"]
