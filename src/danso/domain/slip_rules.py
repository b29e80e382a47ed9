"""Validation rules of collection slips, declared as data: a code, a severity, the slip kinds it applies to,
and a check over the facts the register holds. Errors block; warnings ask for confirmation.

Rules never read storage: the service gathers ``SlipFacts`` (the persons and households the slip names, as
the register holds them) and every rule is a pure function of them. Wording is in danso.messages_vi.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from danso.domain import codes
from danso.domain.ages import age_on
from danso.domain.identifiers import SEX_FEMALE, SEX_MALE
from danso.domain.problems import Problem

ERROR, WARNING = "error", "warning"
MOTHER_AGE_NORMAL = (15, 49)
MOTHER_AGE_POSSIBLE = (12, 55)
REPRODUCTIVE = (15, 49)
ELDERLY_AGE = 60
NEWBORN_SCREENING_DAYS = 28
MARRIAGE_AGE = {SEX_MALE: 20, SEX_FEMALE: 18}  # Luật Hôn nhân và gia đình 2014, điều 8
MARRIED = "2"
HEAD = "01"


@dataclass(frozen=True)
class PersonFacts:
    """A person as the register holds them now."""

    id: int
    full_name: str
    sex: str
    birth_year: int
    birth_month: int | None
    birth_day: int | None
    marital: str
    death_date: dt.date | None = None
    household_id: int | None = None  # current household
    relation: str | None = None
    residence: str | None = None
    commune_id: int | None = None  # commune of the current household
    pregnant: bool = False
    method: str | None = None  # current contraceptive method
    children: int = 0  # children on record (persons whose mother is this person)
    living_children: int = 0  # living sons + daughters as last recorded on the household sheet
    since: dt.date | None = None  # first day of the current membership
    method_since: dt.date | None = None  # first day of the current contraceptive method
    pregnant_since: dt.date | None = None  # first day of the current pregnancy
    mother_id: int | None = None
    home_commune_id: int | None = None  # commune of the current household, or of the last one (dead, moved away)

    def earliest_birth(self) -> dt.date:
        return dt.date(self.birth_year, self.birth_month or 1, self.birth_day or 1)

    def age_on(self, on: dt.date) -> int:
        return age_on(self.birth_year, self.birth_month, self.birth_day, on)

    @property
    def resident(self) -> bool:
        return self.household_id is not None and self.residence in codes.code_list(codes.RESIDENCE).where("resident")


@dataclass(frozen=True)
class HouseholdFacts:
    id: int
    number: str
    status: str
    commune_id: int | None
    area_id: int
    member_ids: frozenset[int] = frozenset()
    head_id: int | None = None


@dataclass
class SlipFacts:
    """Everything the rules look at: the slip's typed values and the register's facts about what it names."""

    kind: str
    values: dict[str, Any]
    today: dt.date
    record: str
    commune_id: int | None = None  # the commune the slip belongs to
    persons: dict[str, PersonFacts] = field(default_factory=dict)  # field name → person
    households: dict[str, HouseholdFacts] = field(default_factory=dict)  # field name → household
    members: list[PersonFacts] = field(default_factory=list)  # for split/merge: the persons listed
    duplicate_of: str | None = None  # "slip 12" or "sự kiện 345": the same change already recorded
    closed_month: str | None = None  # the event's month, when it is closed for the commune

    @property
    def date(self) -> dt.date:
        return self.values["date"]

    @property
    def person(self) -> PersonFacts | None:
        return self.persons.get("person")


Check = Callable[[SlipFacts], dict[str, Any] | None]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    kinds: frozenset[str] | None  # None: every kind
    field: str
    check: Check  # returns the message's parameters when the rule is broken, else None


PERSON_KINDS = frozenset({"newborn_screening", "death", "move_out", "transfer", "info_change", "marriage", "divorce",
                          "contraception_start", "contraception_stop", "pregnancy", "prenatal_screening",
                          "elderly_checkup"})
HOUSEHOLD_KINDS = frozenset({"birth", "move_in", "household_split", "household_merge", "household_dissolve",
                             "household_relocate", "head_change"})


def _k(*names: str) -> frozenset[str]:
    return frozenset(names)


def _future(f: SlipFacts) -> dict | None:
    return {"value": f.date} if f.date > f.today else None


def _before_birth(f: SlipFacts) -> dict | None:
    p = f.person
    return {"value": f.date, "name": p.full_name} if p and f.date < p.earliest_birth() else None


def _person_dead(f: SlipFacts) -> dict | None:
    p = f.person
    if p and p.death_date and f.kind != "death" and f.date > p.death_date:
        return {"name": p.full_name, "died": p.death_date}
    return None


def _before_membership(f: SlipFacts) -> dict | None:
    """A change that ends or changes a person's current membership, dated before that membership began (a
    later change is already recorded): applying it would leave the dated memberships inconsistent."""
    if f.kind == "info_change" and not (f.values.get("residence") or f.values.get("relation")):
        return None
    for p in (f.person, f.persons.get("new_head"), *f.members):
        if p and p.since and f.date < p.since:
            return {"value": f.date, "name": p.full_name, "since": p.since}
    return None


def _before_current(f: SlipFacts) -> dict | None:
    """A method started or stopped before the current method began, a pregnancy ended (or a birth) before it
    began: the dated uses and pregnancies would overlap or end before they start."""
    if f.kind in ("contraception_start", "contraception_stop"):
        p, what, since = f.person, "biện pháp tránh thai", f.person.method_since if f.person else None
    elif (f.kind == "pregnancy" and not _pregnancy_starts(f)) or f.kind == "birth":
        p = f.person if f.kind == "pregnancy" else f.persons.get("mother")
        what, since = "lần mang thai", p.pregnant_since if p else None
    else:
        return None
    if p and since and f.date < since:
        return {"value": f.date, "name": p.full_name, "what": what, "since": since}
    return None


def _already_dead(f: SlipFacts) -> dict | None:
    p = f.person
    return {"name": p.full_name, "died": p.death_date} if p and p.death_date else None


def _not_in_commune(f: SlipFacts) -> dict | None:
    p = f.person
    if p and f.kind != "move_in" and p.commune_id is not None and f.commune_id is not None \
            and p.commune_id != f.commune_id:
        return {"name": p.full_name}
    return None


def _household_not_in_commune(f: SlipFacts) -> dict | None:
    for h in f.households.values():
        if h.commune_id is not None and f.commune_id is not None and h.commune_id != f.commune_id:
            return {"number": h.number}
    return None


def _household_dissolved(f: SlipFacts) -> dict | None:
    for h in f.households.values():
        if h.status != "active":
            return {"number": h.number}
    return None


def _mother(f: SlipFacts) -> PersonFacts | None:
    return f.persons.get("mother")


def _mother_not_female(f: SlipFacts) -> dict | None:
    m = _mother(f)
    return {"name": m.full_name} if m and m.sex != SEX_FEMALE else None


def _mother_not_resident(f: SlipFacts) -> dict | None:
    m = _mother(f)
    return {"name": m.full_name} if m and (not m.resident or (m.death_date and m.death_date < f.date)) else None


def _mother_age(f: SlipFacts, lo: int, hi: int) -> dict | None:
    m = _mother(f)
    if m is None or m.sex != SEX_FEMALE:
        return None
    age = m.age_on(f.date)
    return {"name": m.full_name, "age": age} if not lo <= age <= hi else None


def _mother_age_impossible(f: SlipFacts) -> dict | None:
    return _mother_age(f, *MOTHER_AGE_POSSIBLE)


def _mother_age_unusual(f: SlipFacts) -> dict | None:
    return _mother_age(f, *MOTHER_AGE_NORMAL) if not _mother_age_impossible(f) else None


def _known_children(m: PersonFacts) -> int:
    return max(m.children, m.living_children)


def _order_too_low(f: SlipFacts) -> dict | None:
    m = _mother(f)
    order = f.values.get("birth_order")
    if m is None or order is None:
        return None
    known = _known_children(m)
    return {"order": order, "known": known, "name": m.full_name} if order < known + 1 else None


def _order_gap(f: SlipFacts) -> dict | None:
    m = _mother(f)
    order = f.values.get("birth_order")
    if m is None or order is None:
        return None
    known = _known_children(m)
    return {"order": order, "known": known, "name": m.full_name} if order > known + 1 else None


def _birth_order_range(f: SlipFacts) -> dict | None:
    order = f.values.get("birth_order")
    return {"value": order} if order is not None and not 1 <= order <= 20 else None


def _child_not_mothers_household(f: SlipFacts) -> dict | None:
    m, h = _mother(f), f.households.get("household")
    if m and h and m.household_id is not None and m.household_id != h.id:
        return {"name": m.full_name, "number": h.number}
    return None


def _not_resident(f: SlipFacts) -> dict | None:
    p = f.person
    return {"name": p.full_name} if p and not p.resident else None


def _no_household(f: SlipFacts) -> dict | None:
    p = f.person
    return {"name": p.full_name} if p and p.household_id is None else None


def _already_in_household(f: SlipFacts) -> dict | None:
    p = f.person
    return {"name": p.full_name, "household_id": p.household_id} if p and p.household_id is not None else None


def _not_eligible_woman(f: SlipFacts) -> dict | None:
    p = f.person
    if p is None:
        return None
    age = p.age_on(f.date)
    lo, hi = REPRODUCTIVE
    if p.sex != SEX_FEMALE or not lo <= age <= hi or p.marital != MARRIED:
        return {"name": p.full_name, "age": age}
    return None


def _same_method(f: SlipFacts) -> dict | None:
    p = f.person
    return {"name": p.full_name, "method": p.method} if p and p.method and p.method == f.values.get("method") else None


def _no_method(f: SlipFacts) -> dict | None:
    p = f.person
    return {"name": p.full_name} if p and not p.method else None


def _pregnancy_starts(f: SlipFacts) -> bool:
    return f.values.get("event") not in codes.code_list(codes.PREGNANCY_EVENT).where("ends")


def _already_pregnant(f: SlipFacts) -> dict | None:
    p = f.person
    return {"name": p.full_name} if p and p.pregnant and _pregnancy_starts(f) else None


def _not_pregnant(f: SlipFacts) -> dict | None:
    p = f.person
    return {"name": p.full_name} if p and not p.pregnant and not _pregnancy_starts(f) else None


def _not_female_of_age(f: SlipFacts) -> dict | None:
    p = f.person
    if p is None:
        return None
    age = p.age_on(f.date)
    lo, hi = MOTHER_AGE_POSSIBLE
    return {"name": p.full_name, "age": age} if p.sex != SEX_FEMALE or not lo <= age <= hi else None


def _screened_not_pregnant(f: SlipFacts) -> dict | None:
    p = f.person
    return {"name": p.full_name} if p and not p.pregnant else None


def _week(f: SlipFacts) -> dict | None:
    w = f.values.get("week")
    return {"value": w} if w is not None and not 1 <= w <= 42 else None


def _too_young_elderly(f: SlipFacts) -> dict | None:
    p = f.person
    return {"name": p.full_name, "age": p.age_on(f.date)} if p and p.age_on(f.date) < ELDERLY_AGE else None


def _not_newborn(f: SlipFacts) -> dict | None:
    p = f.person
    if p is None:
        return None
    days = (f.date - p.earliest_birth()).days
    return {"name": p.full_name, "days": days} if days > NEWBORN_SCREENING_DAYS else None


def _already_married(f: SlipFacts) -> dict | None:
    for p in (f.person, f.persons.get("spouse")):
        if p and p.marital == MARRIED:
            return {"name": p.full_name}
    return None


def _underage_marriage(f: SlipFacts) -> dict | None:
    for p in (f.person, f.persons.get("spouse")):
        if p and p.age_on(f.date) < MARRIAGE_AGE.get(p.sex, 18):
            return {"name": p.full_name, "age": p.age_on(f.date)}
    return None


def _spouse_same_person(f: SlipFacts) -> dict | None:
    s, p = f.persons.get("spouse"), f.person
    return {"name": p.full_name} if s and p and s.id == p.id else None


def _not_married(f: SlipFacts) -> dict | None:
    for p in (f.person, f.persons.get("spouse")):
        if p and p.marital != MARRIED:
            return {"name": p.full_name}
    return None


def _same_household(f: SlipFacts) -> dict | None:
    p, h = f.person, f.households.get("to_household")
    return {"name": p.full_name, "number": h.number} if p and h and p.household_id == h.id else None


def _new_head_not_member(f: SlipFacts) -> dict | None:
    p, h = f.persons.get("new_head"), f.households.get("household")
    return {"name": p.full_name, "number": h.number} if p and h and p.id not in h.member_ids else None


def _new_head_already_head(f: SlipFacts) -> dict | None:
    p, h = f.persons.get("new_head"), f.households.get("household")
    return {"name": p.full_name} if p and h and h.head_id == p.id else None


def _has_members(f: SlipFacts) -> dict | None:
    h = f.households.get("household")
    return {"number": h.number, "count": len(h.member_ids)} if h and h.member_ids else None


def _members_not_in(f: SlipFacts, key: str) -> dict | None:
    h = f.households.get(key)
    if h is None:
        return None
    outside = [p.full_name for p in f.members if p.id not in h.member_ids]
    return {"names": ", ".join(outside), "number": h.number} if outside else None


def _split_member_outside(f: SlipFacts) -> dict | None:
    return _members_not_in(f, "household")


def _merge_member_outside(f: SlipFacts) -> dict | None:
    return _members_not_in(f, "merged_household")


def _merge_missing(f: SlipFacts) -> dict | None:
    b = f.households.get("merged_household")
    if b is None:
        return None
    listed = {p.id for p in f.members}
    return {"number": b.number, "count": len(b.member_ids - listed)} if b.member_ids - listed else None


def _merge_same(f: SlipFacts) -> dict | None:
    a, b = f.households.get("household"), f.households.get("merged_household")
    return {"number": a.number} if a and b and a.id == b.id else None


def _split_all_members(f: SlipFacts) -> dict | None:
    h = f.households.get("household")
    if h and f.members and {p.id for p in f.members} >= h.member_ids:
        return {"number": h.number}
    return None


def _one_head(f: SlipFacts) -> dict | None:
    members = f.values.get("members") or []
    if f.kind == "household_new" and f.values.get("kind") != "1":
        return None
    heads = sum(1 for m in members if m.get("relation") == HEAD)
    return {"count": heads} if heads != 1 else None


def _duplicate(f: SlipFacts) -> dict | None:
    return {"other": f.duplicate_of} if f.duplicate_of else None


def _late(f: SlipFacts) -> dict | None:
    return {"month": f.closed_month} if f.closed_month else None


RULES: tuple[Rule, ...] = (
    Rule("date.future", ERROR, None, "date", _future),
    Rule("slip.before_birth", ERROR, PERSON_KINDS, "date", _before_birth),
    Rule("slip.person_dead", ERROR, PERSON_KINDS | {"move_in"}, "person", _person_dead),
    Rule("slip.person_not_in_commune", ERROR, PERSON_KINDS, "person", _not_in_commune),
    Rule("slip.household_not_in_commune", ERROR, HOUSEHOLD_KINDS | {"transfer"}, "household",
         _household_not_in_commune),
    Rule("slip.household_dissolved", ERROR, HOUSEHOLD_KINDS | {"transfer"}, "household", _household_dissolved),
    Rule("slip.before_membership", ERROR, _k("death", "move_out", "transfer", "info_change", "head_change",
                                             "household_split", "household_merge"), "date", _before_membership),
    Rule("slip.before_current", ERROR, _k("contraception_start", "contraception_stop", "pregnancy", "birth"), "date",
         _before_current),
    Rule("death.already_dead", ERROR, _k("death"), "person", _already_dead),
    Rule("birth.mother_not_female", ERROR, _k("birth"), "mother", _mother_not_female),
    Rule("birth.mother_not_resident", ERROR, _k("birth"), "mother", _mother_not_resident),
    Rule("birth.mother_age_impossible", ERROR, _k("birth"), "mother", _mother_age_impossible),
    Rule("birth.mother_age_unusual", WARNING, _k("birth"), "mother", _mother_age_unusual),
    Rule("birth.order_range", ERROR, _k("birth"), "birth_order", _birth_order_range),
    Rule("birth.order_too_low", ERROR, _k("birth"), "birth_order", _order_too_low),
    Rule("birth.order_gap", WARNING, _k("birth"), "birth_order", _order_gap),
    Rule("birth.not_mothers_household", WARNING, _k("birth"), "household", _child_not_mothers_household),
    Rule("move_out.not_resident", ERROR, _k("move_out"), "person", _not_resident),
    Rule("move_in.already_registered", ERROR, _k("move_in"), "person", _already_in_household),
    Rule("transfer.no_household", ERROR, _k("transfer"), "person", _no_household),
    Rule("transfer.same_household", ERROR, _k("transfer"), "to_household", _same_household),
    Rule("women.not_eligible", ERROR, _k("contraception_start"), "person", _not_eligible_woman),
    Rule("contraception.same_method", WARNING, _k("contraception_start"), "method", _same_method),
    Rule("contraception.none_to_stop", ERROR, _k("contraception_stop"), "person", _no_method),
    Rule("pregnancy.not_eligible", ERROR, _k("pregnancy", "prenatal_screening"), "person", _not_female_of_age),
    Rule("pregnancy.already_pregnant", ERROR, _k("pregnancy"), "event", _already_pregnant),
    Rule("pregnancy.not_pregnant", ERROR, _k("pregnancy"), "event", _not_pregnant),
    Rule("prenatal.not_pregnant", WARNING, _k("prenatal_screening"), "person", _screened_not_pregnant),
    Rule("prenatal.week", ERROR, _k("prenatal_screening"), "week", _week),
    Rule("elderly.too_young", ERROR, _k("elderly_checkup"), "person", _too_young_elderly),
    Rule("newborn.not_newborn", WARNING, _k("newborn_screening"), "date", _not_newborn),
    Rule("marriage.already_married", ERROR, _k("marriage"), "person", _already_married),
    Rule("marriage.same_person", ERROR, _k("marriage", "divorce"), "spouse", _spouse_same_person),
    Rule("marriage.underage", WARNING, _k("marriage"), "person", _underage_marriage),
    Rule("divorce.not_married", ERROR, _k("divorce"), "person", _not_married),
    Rule("head.not_member", ERROR, _k("head_change"), "new_head", _new_head_not_member),
    Rule("head.already_head", ERROR, _k("head_change"), "new_head", _new_head_already_head),
    Rule("household.has_members", ERROR, _k("household_dissolve"), "household", _has_members),
    Rule("household.heads", ERROR, _k("household_new", "household_split"), "members", _one_head),
    Rule("split.member_outside", ERROR, _k("household_split"), "members", _split_member_outside),
    Rule("split.everyone", ERROR, _k("household_split"), "members", _split_all_members),
    Rule("merge.same_household", ERROR, _k("household_merge"), "merged_household", _merge_same),
    Rule("merge.member_outside", ERROR, _k("household_merge"), "members", _merge_member_outside),
    Rule("merge.members_missing", ERROR, _k("household_merge"), "members", _merge_missing),
    Rule("slip.duplicate", WARNING, None, "date", _duplicate),
    Rule("slip.late", WARNING, None, "date", _late),
)


def check(facts: SlipFacts) -> list[Problem]:
    """Every rule that applies to the slip's kind and is broken, errors first."""
    out: list[Problem] = []
    for rule in RULES:
        if rule.kinds is not None and facts.kind not in rule.kinds:
            continue
        params = rule.check(facts)
        if params is not None:
            out.append(Problem(rule.code, rule.field, facts.record, params, rule.severity))
    return sorted(out, key=lambda p: p.severity != ERROR)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == WARNING]
