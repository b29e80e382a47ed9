"""Household sheets as documents (JSON): parsing into register records, with precise problems.

The format is documented in docs/household-import.md, with an example in docs/examples/households.json.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from danso.domain.problems import Problem
from danso.domain.registry import HouseholdRecord, MemberRecord, PersonRecord
from danso.domain.vntext import DateParseError, parse_date, tidy_name

ADDRESS_FIELDS = ("hamlet", "alley", "lane", "sub_lane", "house_no", "street")


def household_label(i: int, doc: dict[str, Any]) -> str:
    number = doc.get("number") if isinstance(doc, dict) else None
    return f"hộ {number}" if number else f"hộ thứ {i}"


def parse_household_sheets(doc: Any) -> tuple[list[HouseholdRecord], list[Problem]]:
    """Parse ``{"households": [...]}``. Returns the records and every problem found while parsing."""
    if not isinstance(doc, dict) or not isinstance(doc.get("households"), list):
        return [], [Problem("sheet.not_households", "households", "tệp")]
    records: list[HouseholdRecord] = []
    problems: list[Problem] = []
    for i, h in enumerate(doc["households"], start=1):
        label = household_label(i, h)
        rec, probs = _parse_household(h, label)
        problems += probs
        if rec is not None:
            records.append(rec)
    return records, problems


def _date(value: Any, fld: str, record: str, problems: list[Problem], *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            problems.append(Problem("field.missing", fld, record))
        return None
    try:
        return parse_date(str(value))
    except DateParseError:
        problems.append(Problem("date.invalid", fld, record, {"value": value}))
        return None


def _parse_birth(value: Any, record: str, problems: list[Problem]) -> tuple[int, int | None, int | None] | None:
    text = str(value or "").strip()
    if text.isdigit() and len(text) == 4:
        return int(text), None, None
    d = _date(text, "birth", record, problems)
    return (d.year, d.month, d.day) if d else None


def _parse_household(h: Any, label: str) -> tuple[HouseholdRecord | None, list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(h, dict):
        return None, [Problem("sheet.not_object", "households", label)]
    for fld in ("area", "number"):
        if not str(h.get(fld) or "").strip():
            problems.append(Problem("field.missing", fld, label))
    established = _date(h.get("established_on"), "established_on", label, problems)
    address = h.get("address") or {}
    members_doc = h.get("members")
    if not isinstance(members_doc, list) or not members_doc:
        problems.append(Problem("household.empty", "members", label))
        members_doc = []
    members: list[MemberRecord] = []
    for j, m in enumerate(members_doc, start=1):
        who = f"{label}, người {j}" + (f" ({m.get('full_name')})" if isinstance(m, dict) and m.get("full_name") else "")
        member = _parse_member(m, who, problems)
        if member is not None:
            members.append(member)
    if problems or established is None:
        return None, problems
    return HouseholdRecord(
        area_code=str(h["area"]).strip(), number=str(h["number"]).strip(), kind=str(h.get("kind", "1")),
        established_on=established, members=members,
        **{f: str(address.get(f, "") or "").strip() for f in ADDRESS_FIELDS},
    ), problems


def _opt_int(m: dict, fld: str, who: str, problems: list[Problem]) -> int | None:
    value = m.get(fld)
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            return int(str(value))
        except ValueError:
            problems.append(Problem("field.not_number", fld, who, {"value": value}))
            return None
    return value


def _parse_member(m: Any, who: str, problems: list[Problem]) -> MemberRecord | None:
    if not isinstance(m, dict):
        problems.append(Problem("sheet.not_object", "members", who))
        return None
    before = len(problems)
    for fld in ("full_name", "relation", "sex", "birth", "residence", "since"):
        if m.get(fld) in (None, ""):
            problems.append(Problem("field.missing", fld, who))
    birth = _parse_birth(m.get("birth"), who, problems) if m.get("birth") else None
    since = _date(m.get("since"), "since", who, problems) if m.get("since") else None
    contraception = m.get("contraception") or {}
    method_since = _date(contraception.get("since"), "contraceptive_since", who, problems, required=False)
    mother = _opt_int(m, "mother", who, problems)
    sons = _opt_int(m, "living_sons", who, problems)
    daughters = _opt_int(m, "living_daughters", who, problems)
    if len(problems) > before or birth is None or since is None:
        return None
    year, month, day = birth
    person = PersonRecord(
        full_name=tidy_name(str(m["full_name"])), sex=str(m["sex"]), birth_year=year, birth_month=month,
        birth_day=day, ethnicity=str(m.get("ethnicity", "01")), education=str(m.get("education", "")),
        marital=str(m.get("marital", "")), cccd=(str(m["cccd"]).strip() or None) if m.get("cccd") else None,
        bhyt=(str(m["bhyt"]).strip().upper() or None) if m.get("bhyt") else None,
        disability=str(m.get("disability", "0")))
    return MemberRecord(
        person=person, relation=str(m["relation"]), residence=str(m["residence"]), since=since, mother=mother,
        contraceptive_method=str(contraception["method"]) if contraception.get("method") else None,
        contraceptive_since=method_since, living_sons=sons, living_daughters=daughters,
        pregnant=bool(m["pregnant"]) if "pregnant" in m else None)
