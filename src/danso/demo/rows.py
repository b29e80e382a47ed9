"""The row shapes the generator yields: tuples in exactly these column orders (the storage tables' columns).

The generator is pure Python (no SQL); the storage adapter bulk-loads these tuples as they come.
Dates are ``datetime.date``; absent values are ``None``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

UNIT_COLUMNS = ("id", "code", "level", "name", "kind", "valid_from", "valid_to", "source")
UNIT_LINK_COLUMNS = ("child_id", "parent_id", "valid_from", "valid_to")
HOUSEHOLD_COLUMNS = ("id", "area_id", "number", "kind", "hamlet", "alley", "lane", "sub_lane", "house_no",
                     "street", "status", "established_on", "dissolved_on")
PERSON_COLUMNS = ("id", "full_name", "name_folded", "sex", "birth_year", "birth_month", "birth_day", "ethnicity",
                  "education", "marital", "cccd", "bhyt", "disability", "mother_id", "death_date")
MEMBERSHIP_COLUMNS = ("id", "person_id", "household_id", "relation", "residence", "valid_from", "valid_to")
CONTRACEPTIVE_COLUMNS = ("id", "person_id", "method", "start_date", "end_date")
REPRODUCTIVE_COLUMNS = ("person_id", "living_sons", "living_daughters", "recorded_on")
PREGNANCY_COLUMNS = ("id", "person_id", "start_date", "end_date", "outcome")


@dataclass
class Batch:
    """Rows for one collaborator area (or the villages of a commune). Parents always come before children:
    units before households, households and mothers before the persons and memberships that point to them."""

    units: list[tuple] = field(default_factory=list)
    unit_links: list[tuple] = field(default_factory=list)
    households: list[tuple] = field(default_factory=list)
    persons: list[tuple] = field(default_factory=list)
    memberships: list[tuple] = field(default_factory=list)
    contraceptive_uses: list[tuple] = field(default_factory=list)
    reproductive_status: list[tuple] = field(default_factory=list)
    pregnancies: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)  # one registration event per household


@dataclass(frozen=True)
class CommuneInput:
    """A commune in force on the demo date, as the generator needs it."""

    id: int  # units.id
    code: str
    name: str
    kind: str  # "Xã", "Phường", "Đặc khu"
    legacy: tuple[tuple[int, str], ...] = ()  # (units.id, code) of the pre-2025 communes it was formed from


@dataclass(frozen=True)
class IdStart:
    """First free id of each table (the generator numbers rows from here, so loads can be appended)."""

    unit: int = 1
    household: int = 1
    person: int = 1
    membership: int = 1
    contraceptive: int = 1
    pregnancy: int = 1
    event: int = 1
