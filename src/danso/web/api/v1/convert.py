"""Service results → wire models."""
from __future__ import annotations

from danso.domain import codes
from danso.domain.units import Unit
from danso.services.registry import HouseholdSheet, Member, PersonHit
from danso.web.api.v1 import schemas as s


def unit(u: Unit) -> s.UnitOut:
    return s.UnitOut(code=u.code, level=u.level.value, level_label=u.level.label, name=u.name, kind=u.kind,
                     valid_from=u.valid_from, valid_to=u.valid_to)


def address(h) -> str:  # noqa: ANN001
    parts = (f"số {h.house_no}" if h.house_no else "", h.street, h.hamlet and f"xóm {h.hamlet}")
    return ", ".join(p for p in parts if p)


def _birth(p) -> str:  # noqa: ANN001
    return f"{p.birth_day:02d}/{p.birth_month:02d}/{p.birth_year}" if p.birth_month and p.birth_day else str(p.birth_year)


def _pregnant(m: Member) -> bool:
    # the sheet's own flag (pregnancies are dated); older sheets kept it on the reproductive status
    if hasattr(m, "pregnant"):
        return bool(m.pregnant)
    return bool(getattr(m.reproductive, "pregnant", False))


def member(m: Member) -> s.MemberOut:
    p, r = m.person, m.reproductive
    methods = codes.code_list(codes.CONTRACEPTIVE_METHOD)
    return s.MemberOut(
        person_id=p.id, full_name=p.full_name, sex=p.sex, birth=_birth(p), relation=m.relation, residence=m.residence,
        ethnicity=p.ethnicity, education=p.education, marital=p.marital, cccd=p.cccd, bhyt=p.bhyt,
        valid_from=m.valid_from, valid_to=m.valid_to,
        contraception=[s.ContraceptiveUse(method=u.method, method_label=methods.label(u.method),
                                          start_date=u.start_date, end_date=u.end_date) for u in m.contraception],
        living_sons=r.living_sons if r else None, living_daughters=r.living_daughters if r else None,
        pregnant=_pregnant(m))


def household(sheet: HouseholdSheet) -> s.HouseholdOut:
    h = sheet.household
    return s.HouseholdOut(id=h.id, number=h.number, kind=h.kind, address=address(h), status=h.status,
                          established_on=h.established_on, area=unit(sheet.area),
                          hierarchy=[unit(u) for u in sheet.hierarchy],
                          members=[member(m) for m in sheet.members],
                          past_members=[member(m) for m in sheet.past_members])


def person(hit: PersonHit) -> s.PersonOut:
    return s.PersonOut(**hit.__dict__)
