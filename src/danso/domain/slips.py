"""Collection slips (Phiếu thu tin P0/CTV): the kinds of change a collaborator reports, their fields, their
life cycle, and the parsing of what was entered into typed values with precise problems.

One slip here is one line of the paper P0/CTV: one change (a birth, a death, a move, a new method…) in one
collaborator area, reported for one month. Each kind names the P0/CTV section it comes from (see
docs/slips.md); the household events are what the register needs besides the paper sections.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from danso.domain import codes
from danso.domain.identifiers import normalise_bhyt, normalise_cccd
from danso.domain.problems import Problem
from danso.domain.vntext import DateParseError, parse_date, tidy_name


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.DRAFT: "Bản nháp", Status.SUBMITTED: "Chờ duyệt", Status.ACCEPTED: "Đã duyệt",
    Status.RETURNED: "Trả lại để sửa", Status.REJECTED: "Từ chối",
}

# action → (statuses it may start from, status it leads to; None = unchanged)
TRANSITIONS: dict[str, tuple[frozenset[Status], Status | None]] = {
    "edit": (frozenset({Status.DRAFT, Status.RETURNED}), None),
    "submit": (frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED),
    "accept": (frozenset({Status.SUBMITTED}), Status.ACCEPTED),
    "return": (frozenset({Status.SUBMITTED}), Status.RETURNED),
    "reject": (frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED}), Status.REJECTED),
}


ACTION_LABELS = {"edit": "sửa", "submit": "gửi", "accept": "duyệt", "return": "trả lại", "reject": "từ chối"}


def transition_problem(action: str, status: Status, record: str) -> Problem | None:
    """A problem when ``action`` is not allowed on a slip in ``status``."""
    allowed, _ = TRANSITIONS[action]
    if status in allowed:
        return None
    return Problem("slip.bad_status", "status", record, {"action": ACTION_LABELS[action], "status": status.label})


@dataclass(frozen=True)
class Field:
    """A field of a slip. ``type``: text, int, date, birth (a date or a year), code (of ``code_list``),
    codes (several codes), results (code → result code), person (a person of the register: internal id,
    CCCD or BHYT), household (internal id), area (collaborator-area code), new_members, members."""

    name: str
    type: str
    required: bool = True
    code_list: str | None = None


def _f(name: str, type_: str = "text", required: bool = True, code_list: str | None = None) -> Field:
    return Field(name, type_, required, code_list)


DATE = _f("date", "date")
PERSON = _f("person", "person")
HOUSEHOLD = _f("household", "household")

# What the register holds about a person who enters it (a newborn, a person moving in).
NEW_PERSON_FIELDS = (
    _f("full_name"), _f("sex", "code", code_list=codes.SEX), _f("birth", "birth"),
    _f("ethnicity", "code", code_list=codes.ETHNICITY), _f("education", "code", False, codes.EDUCATION),
    _f("marital", "code", False, codes.MARITAL), _f("cccd", "text", False), _f("bhyt", "text", False),
    _f("disability", "code", False, codes.DISABILITY), _f("relation", "code", code_list=codes.RELATION),
    _f("residence", "code", False, codes.RESIDENCE),
)
ADDRESS_FIELDS = tuple(_f(n, "text", False) for n in ("hamlet", "alley", "lane", "sub_lane", "house_no", "street"))
# basic information that a change slip may correct (name, education, …); residence and relation are dated
# on the person's membership of the household
CHANGEABLE = ("full_name", "education", "marital", "ethnicity", "disability", "cccd", "bhyt", "residence", "relation")


@dataclass(frozen=True)
class SlipKind:
    code: str
    label: str
    section: str  # the P0/CTV section ("1" … "11"), or "hộ" for household events
    fields: tuple[Field, ...]


KINDS: dict[str, SlipKind] = {k.code: k for k in (
    SlipKind("birth", "Trẻ sinh ra", "1", (
        HOUSEHOLD, DATE, _f("mother", "person"), _f("full_name"), _f("sex", "code", code_list=codes.SEX),
        _f("ethnicity", "code", code_list=codes.ETHNICITY), _f("relation", "code", code_list=codes.RELATION),
        _f("place", "code", code_list=codes.DELIVERY_PLACE), _f("birth_order", "int"),
        _f("bhyt", "text", False), _f("cccd", "text", False))),
    SlipKind("newborn_screening", "Sàng lọc sơ sinh", "2", (
        PERSON, DATE, _f("results", "results", code_list=codes.NEWBORN_CONDITION))),
    SlipKind("death", "Người chết", "3", (PERSON, DATE, _f("cause", "text", False))),
    SlipKind("move_in", "Chuyển đến từ xã khác", "4", (
        HOUSEHOLD, DATE, _f("origin"), _f("person", "person", False), *(
            Field(f.name, f.type, False, f.code_list) for f in NEW_PERSON_FIELDS))),
    SlipKind("move_out", "Chuyển đi khỏi xã", "5", (PERSON, DATE, _f("destination"))),
    SlipKind("transfer", "Chuyển hộ trong xã", "6", (
        PERSON, DATE, _f("to_household", "household"), _f("relation", "code", code_list=codes.RELATION))),
    SlipKind("info_change", "Thay đổi thông tin cơ bản", "6", (
        PERSON, DATE, *(Field(f.name, f.type, False, f.code_list) for f in NEW_PERSON_FIELDS
                        if f.name in CHANGEABLE))),
    SlipKind("marriage", "Kết hôn", "6", (PERSON, DATE, _f("spouse", "person", False))),
    SlipKind("divorce", "Ly hôn", "6", (PERSON, DATE, _f("spouse", "person", False))),
    SlipKind("head_change", "Thay đổi chủ hộ", "6", (
        HOUSEHOLD, DATE, _f("new_head", "person"), _f("old_head_relation", "code", code_list=codes.RELATION))),
    SlipKind("contraception_start", "Mới sử dụng/chuyển biện pháp tránh thai", "7", (
        PERSON, DATE, _f("method", "code", code_list=codes.CONTRACEPTIVE_METHOD),
        _f("place", "code", code_list=codes.SERVICE_PLACE))),
    SlipKind("contraception_stop", "Thôi sử dụng biện pháp tránh thai", "8", (
        PERSON, DATE, _f("reason", "text", False))),
    SlipKind("pregnancy", "Thông tin thai sản", "9", (
        PERSON, DATE, _f("event", "code", code_list=codes.PREGNANCY_EVENT))),
    SlipKind("prenatal_screening", "Sàng lọc trước sinh", "10", (
        PERSON, DATE, _f("week", "int"), _f("conditions", "codes", code_list=codes.PRENATAL_CONDITION),
        _f("place", "code", code_list=codes.SERVICE_PLACE))),
    SlipKind("elderly_checkup", "Người cao tuổi khám sức khỏe định kỳ", "11", (PERSON, DATE)),
    SlipKind("household_new", "Hộ mới chuyển đến", "hộ", (
        DATE, _f("number"), _f("kind", "code", code_list=codes.HOUSEHOLD_KIND), _f("origin"),
        *ADDRESS_FIELDS, _f("members", "new_members"))),
    SlipKind("household_split", "Tách hộ", "hộ", (
        HOUSEHOLD, DATE, _f("number"), *ADDRESS_FIELDS, _f("members", "members"))),
    SlipKind("household_merge", "Nhập hộ", "hộ", (
        HOUSEHOLD, DATE, _f("merged_household", "household"), _f("members", "members"))),
    SlipKind("household_dissolve", "Xóa hộ (hộ không còn ai)", "hộ", (HOUSEHOLD, DATE)),
    SlipKind("household_relocate", "Thay đổi địa chỉ/địa bàn của hộ", "hộ", (
        HOUSEHOLD, DATE, _f("area", "area", False), _f("number", "text", False), *ADDRESS_FIELDS)),
)}


@dataclass(frozen=True)
class PersonRef:
    """A person as the slip names them: the register's id, a CCCD or a BHYT number."""

    by: str  # id | cccd | bhyt
    value: str

    def __str__(self) -> str:
        return self.value if self.by == "id" else f"{self.by.upper()} {self.value}"


def parse_person_ref(value: Any) -> PersonRef | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return PersonRef("id", str(value)) if value > 0 else None
    text = str(value or "").strip()
    if text.isdigit() and len(text) < 12:
        return PersonRef("id", str(int(text))) if int(text) > 0 else None
    if len(normalise_cccd(text)) == 12 and normalise_cccd(text).isdigit():
        return PersonRef("cccd", normalise_cccd(text))
    if re.fullmatch(r"[A-Z]{2}\d{13}|\d{10}", normalise_bhyt(text)):
        return PersonRef("bhyt", normalise_bhyt(text))
    return None


class _Parser:
    def __init__(self, record: str):
        self.record = record
        self.problems: list[Problem] = []

    def problem(self, code: str, fld: str, **params: Any) -> None:
        self.problems.append(Problem(code, fld, self.record, params))

    def value(self, f: Field, raw: Any) -> Any:  # noqa: PLR0911 - one branch per field type
        if f.type == "text":
            return tidy_name(str(raw)) if f.name == "full_name" else str(raw).strip()
        if f.type in ("int", "household"):
            try:
                n = int(str(raw).strip())
            except ValueError:
                return self.problem("field.not_number", f.name, value=raw)
            if f.type == "household" and n <= 0:
                return self.problem("field.not_number", f.name, value=raw)
            return n
        if f.type == "date":
            try:
                return parse_date(raw if isinstance(raw, dt.date) else str(raw))
            except DateParseError:
                return self.problem("date.invalid", f.name, value=raw)
        if f.type == "birth":
            text = str(raw).strip()
            if text.isdigit() and len(text) == 4:
                return (int(text), None, None)
            d = self.value(Field(f.name, "date"), text)
            return (d.year, d.month, d.day) if d else None
        if f.type == "code":
            code = str(raw).strip()
            return code if self._code_ok(f, code) else None
        if f.type == "codes":
            items = raw if isinstance(raw, list) else [c for c in str(raw).replace(";", ",").split(",") if c.strip()]
            out = [str(c).strip() for c in items]
            return out if all(self._code_ok(f, c) for c in out) else None
        if f.type == "results":
            return self._results(f, raw)
        if f.type == "person":
            ref = parse_person_ref(raw)
            return ref if ref else self.problem("slip.person_ref", f.name, value=raw)
        if f.type == "area":
            return str(raw).strip()
        if f.type in ("members", "new_members"):
            return self._members(f, raw)
        raise ValueError(f"unknown field type {f.type}")

    def _code_ok(self, f: Field, code: str) -> bool:
        cl = codes.code_list(f.code_list or "")
        if code in cl:
            return True
        self.problem("code.unknown", f.name, value=code, list=cl.title)
        return False

    def _results(self, f: Field, raw: Any) -> dict[str, str] | None:
        if isinstance(raw, str):  # CSV: "1=1;2=2"
            pairs = [p.split("=", 1) for p in raw.replace(",", ";").split(";") if p.strip()]
            if any(len(p) != 2 for p in pairs):
                return self.problem("slip.results_shape", f.name, value=raw)
            raw = {k.strip(): v.strip() for k, v in pairs}
        if not isinstance(raw, dict) or not raw:
            return self.problem("slip.results_shape", f.name, value=raw)
        out = {str(k): str(v) for k, v in raw.items()}
        ok = all(self._code_ok(f, k) for k in out)
        ok = all(self._code_ok(Field("results", "code", True, codes.SCREENING_RESULT), v) for v in out.values()) and ok
        return out if ok else None

    def _members(self, f: Field, raw: Any) -> list[dict[str, Any]] | None:
        if not isinstance(raw, list) or not raw:
            return self.problem("field.missing", f.name)
        out = []
        spec = NEW_PERSON_FIELDS if f.type == "new_members" else (PERSON, _f("relation", "code", code_list=codes.RELATION))
        for i, m in enumerate(raw, start=1):
            sub = _Parser(f"{self.record}, người {i}")
            if not isinstance(m, dict):
                sub.problem("sheet.not_object", f.name)
                values = None
            else:
                values = sub.fields(spec, m)
            self.problems += sub.problems
            out.append(values)
        return None if any(v is None for v in out) else out

    def fields(self, spec: tuple[Field, ...], doc: dict[str, Any]) -> dict[str, Any] | None:
        before = len(self.problems)
        values: dict[str, Any] = {}
        for f in spec:
            raw = doc.get(f.name)
            if raw in (None, "") or (isinstance(raw, str) and not raw.strip()) \
                    or (isinstance(raw, (list, dict)) and not raw and f.type not in ("members", "new_members")):
                if f.required:
                    self.problem("field.missing", f.name)
                continue
            v = self.value(f, raw)
            if v is not None:
                values[f.name] = v
        return values if len(self.problems) == before else None


def parse_payload(kind: str, payload: Any, record: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check a slip's fields against its kind; returns typed values (dates, ints, PersonRef…) or problems."""
    if kind not in KINDS:
        return None, [Problem("slip.kind_unknown", "kind", record, {"value": kind, "kinds": ", ".join(KINDS)})]
    if not isinstance(payload, dict):
        return None, [Problem("sheet.not_object", "data", record)]
    p = _Parser(record)
    values = p.fields(KINDS[kind].fields, payload)
    if values is not None and kind == "move_in" and "person" not in values:
        values = p.fields(tuple(f for f in NEW_PERSON_FIELDS if f.name in ("full_name", "sex", "birth", "ethnicity",
                                                                           "relation")), payload) and values
    if values is not None and kind == "info_change" and not any(n in values for n in CHANGEABLE):
        p.problem("slip.nothing_changed", "data")
        values = None
    return values, p.problems


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(text: str) -> str | None:
    """``YYYY-MM`` (or ``MM/YYYY``) → ``YYYY-MM``; None when it is not a month."""
    t = str(text).strip()
    for sep, order in (("-", (0, 1)), ("/", (1, 0))):
        parts = t.split(sep)
        if len(parts) == 2 and all(x.isdigit() for x in parts):
            y, m = int(parts[order[0]]), int(parts[order[1]])
            if 2000 <= y <= 2100 and 1 <= m <= 12:
                return f"{y:04d}-{m:02d}"
    return None
