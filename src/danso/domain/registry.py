"""The primary register (Sổ A0): households, persons and their membership over time, with invariants.

Validation returns ``Problem`` codes (worded in danso.messages_vi); it never reads or writes storage.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from danso.domain import codes
from danso.domain.ages import age_on
from danso.domain.identifiers import SEX_FEMALE, bhyt_problems, cccd_problems
from danso.domain.problems import Problem

HEAD = "01"  # relation code of the head of household (chủ hộ)
FAMILY_HOUSEHOLD = "1"  # hộ gia đình
COLLECTIVE_HOUSEHOLD = "2"  # hộ tập thể
MIN_MOTHER_AGE = 12  # younger than this at a birth is impossible, not merely unusual
MAX_MOTHER_AGE = 60
REPRODUCTIVE_AGES = range(15, 50)
MARRIED = "2"  # marital code "Có vợ/chồng"


@dataclass
class PersonRecord:
    """A person as written on one line of the household sheet."""

    full_name: str
    sex: str
    birth_year: int
    birth_month: int | None = None
    birth_day: int | None = None
    ethnicity: str = "01"
    education: str = ""
    marital: str = ""
    cccd: str | None = None
    bhyt: str | None = None
    disability: str = "0"
    id: int | None = None
    mother_id: int | None = None
    death_date: dt.date | None = None

    def birth_date(self) -> dt.date | None:
        if self.birth_month is None or self.birth_day is None:
            return None
        return dt.date(self.birth_year, self.birth_month, self.birth_day)

    def earliest_birth(self) -> dt.date:
        return dt.date(self.birth_year, self.birth_month or 1, self.birth_day or 1)

    def age_on(self, on: dt.date) -> int:
        return age_on(self.birth_year, self.birth_month, self.birth_day, on)


@dataclass
class MemberRecord:
    """A person's line in a household: relation to the head, residence status, and since when."""

    person: PersonRecord
    relation: str
    residence: str
    since: dt.date
    mother: int | None = None  # index of the mother within the same household sheet
    contraceptive_method: str | None = None
    contraceptive_since: dt.date | None = None
    living_sons: int | None = None
    living_daughters: int | None = None
    pregnant: bool | None = None


@dataclass
class HouseholdRecord:
    area_code: str
    number: str
    kind: str
    established_on: dt.date
    members: list[MemberRecord] = field(default_factory=list)
    hamlet: str = ""
    alley: str = ""
    lane: str = ""
    sub_lane: str = ""
    house_no: str = ""
    street: str = ""


def code_problems(list_name: str, value: str | None, fld: str, record: str) -> list[Problem]:
    """A problem when ``value`` is not a code of the list ``list_name``."""
    cl = codes.code_list(list_name)
    return [] if value in cl else [Problem("code.unknown", fld, record, {"value": value, "list": cl.title})]


def person_problems(p: PersonRecord, *, today: dt.date, record: str) -> list[Problem]:
    """Everything that can be checked on a person alone."""
    out: list[Problem] = []
    if not p.full_name.strip():
        out.append(Problem("person.name_missing", "full_name", record))
    for fname, list_name in (("sex", codes.SEX), ("ethnicity", codes.ETHNICITY), ("education", codes.EDUCATION),
                             ("marital", codes.MARITAL), ("disability", codes.DISABILITY)):
        out += code_problems(list_name, getattr(p, fname), fname, record)
    try:
        born = p.earliest_birth()
    except ValueError:
        out.append(Problem("date.impossible", "birth", record,
                           {"value": f"{p.birth_day or '?'}/{p.birth_month or '?'}/{p.birth_year}"}))
        return out
    if born > today:
        out.append(Problem("date.future", "birth", record, {"value": born}))
    if p.birth_year < today.year - 130:
        out.append(Problem("date.too_old", "birth", record, {"value": p.birth_year}))
    if p.cccd:
        out += cccd_problems(p.cccd, sex=p.sex, birth_year=p.birth_year, record=record)
    if p.bhyt:
        out += bhyt_problems(p.bhyt, record=record)
    return out


def household_problems(h: HouseholdRecord, *, today: dt.date, record: str) -> list[Problem]:
    """Invariants of one household sheet: one head, consistent kinship, women's follow-up data."""
    out: list[Problem] = []
    out += code_problems(codes.HOUSEHOLD_KIND, h.kind, "kind", record)
    if not h.number.strip():
        out.append(Problem("household.number_missing", "number", record))
    if h.established_on > today:
        out.append(Problem("date.future", "established_on", record, {"value": h.established_on}))
    if not h.members:
        out.append(Problem("household.empty", "members", record))
    heads = [m for m in h.members if m.relation == HEAD]
    if h.kind == FAMILY_HOUSEHOLD and len(heads) != 1:
        out.append(Problem("household.heads", "members", record, {"count": len(heads)}))
    for i, m in enumerate(h.members, start=1):
        who = f"{record}, người {i} ({m.person.full_name})"
        out += person_problems(m.person, today=today, record=who)
        out += _member_problems(h, m, today=today, record=who)
    return out


def _member_problems(h: HouseholdRecord, m: MemberRecord, *, today: dt.date, record: str) -> list[Problem]:
    out: list[Problem] = []
    p = m.person
    out += code_problems(codes.RELATION, m.relation, "relation", record)
    out += code_problems(codes.RESIDENCE, m.residence, "residence", record)
    if m.since > today:
        out.append(Problem("date.future", "since", record, {"value": m.since}))
    try:
        if m.since < p.earliest_birth():
            out.append(Problem("date.before_birth", "since", record, {"value": m.since}))
    except ValueError:
        pass  # reported by person_problems
    if m.mother is not None:
        out += _mother_problems(h, m, record)
    if m.contraceptive_method or m.living_sons is not None or m.living_daughters is not None or m.pregnant:
        out += _women_followup_problems(m, today=today, record=record)
    return out


def _mother_problems(h: HouseholdRecord, m: MemberRecord, record: str) -> list[Problem]:
    if m.mother is None or not 1 <= m.mother <= len(h.members) or h.members[m.mother - 1] is m:
        return [Problem("person.mother_unknown", "mother", record, {"value": m.mother})]
    mother = h.members[m.mother - 1].person
    if mother.sex != SEX_FEMALE:
        return [Problem("person.mother_not_female", "mother", record, {"mother": mother.full_name})]
    try:
        age_at_birth = mother.age_on(m.person.earliest_birth())
    except ValueError:
        return []
    if age_at_birth < MIN_MOTHER_AGE:
        return [Problem("person.older_than_mother" if age_at_birth <= 0 else "person.mother_too_young", "birth",
                        record, {"mother": mother.full_name, "age": age_at_birth})]
    if age_at_birth > MAX_MOTHER_AGE:
        return [Problem("person.mother_too_old", "birth", record, {"mother": mother.full_name, "age": age_at_birth})]
    return []


def _women_followup_problems(m: MemberRecord, *, today: dt.date, record: str) -> list[Problem]:
    out: list[Problem] = []
    p = m.person
    try:
        age = p.age_on(today)
    except ValueError:
        return out
    if p.sex != SEX_FEMALE or age not in REPRODUCTIVE_AGES or p.marital != MARRIED:
        out.append(Problem("women.not_eligible", "contraceptive_method", record, {"age": age}))
    if m.contraceptive_method:
        out += code_problems(codes.CONTRACEPTIVE_METHOD, m.contraceptive_method, "contraceptive_method", record)
        if m.contraceptive_since is None:
            out.append(Problem("women.method_since_missing", "contraceptive_since", record))
        elif m.contraceptive_since > today:
            out.append(Problem("date.future", "contraceptive_since", record, {"value": m.contraceptive_since}))
    for fname in ("living_sons", "living_daughters"):
        value = getattr(m, fname)
        if value is not None and not 0 <= value <= 20:
            out.append(Problem("women.children_count", fname, record, {"value": value}))
    return out

