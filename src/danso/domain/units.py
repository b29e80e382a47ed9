"""Administrative units, effective-dated, and the collaborator areas below them.

Levels, top down: nation → province → district (only before 1 July 2025) → commune/ward →
village or residential group (thôn / tổ dân phố) → collaborator area (địa bàn CTV).

A unit is in force from ``valid_from`` to ``valid_to`` inclusive (``None`` = open). The link from a
unit to its parent is itself dated (a village that belonged to an old commune until 30/06/2025
belongs to the new commune from 01/07/2025), and ``Lineage`` records merges and splits.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

REFORM_DATE = dt.date(2025, 7, 1)
"""Two-tier local government (NQ 202/2025/QH15): districts abolished, 34 provinces, 3,321 communes."""
LEGACY_LAST_DAY = REFORM_DATE - dt.timedelta(days=1)

AREA_MIN_HOUSEHOLDS = 350
AREA_MAX_HOUSEHOLDS = 450


class Level(StrEnum):
    NATION = "nation"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    VILLAGE = "village"
    AREA = "area"

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]

    @property
    def depth(self) -> int:
        return list(Level).index(self)


LEVEL_LABELS = {
    Level.NATION: "Toàn quốc",
    Level.PROVINCE: "Tỉnh/thành phố",
    Level.DISTRICT: "Quận/huyện",
    Level.COMMUNE: "Xã/phường",
    Level.VILLAGE: "Thôn/tổ dân phố",
    Level.AREA: "Địa bàn CTV",
}

NATION_CODE = "VN"

# Which level a new unit may be created under (villages and areas are created by users).
CHILD_LEVEL = {Level.COMMUNE: Level.VILLAGE, Level.VILLAGE: Level.AREA}


@dataclass(frozen=True)
class Unit:
    code: str
    level: Level
    name: str
    kind: str = ""  # "Tỉnh", "Thành phố", "Quận", "Huyện", "Xã", "Phường", "Thôn", "Tổ dân phố", …
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""

    def in_force(self, on: dt.date) -> bool:
        return in_force(self.valid_from, self.valid_to, on)


@dataclass(frozen=True)
class Link:
    """``child`` belongs to ``parent`` from valid_from to valid_to (inclusive)."""

    child: Unit
    parent: Unit
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class Lineage:
    """``source`` was merged (whole) or split (in part) into ``target`` on ``effective``."""

    source: Unit
    target: Unit
    kind: str  # "merged" | "split"
    effective: dt.date = REFORM_DATE
    is_default: bool = True  # for a split: the new unit that keeps the old unit's records by default


def in_force(valid_from: dt.date | None, valid_to: dt.date | None, on: dt.date) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)


def village_code(commune_code: str, number: int) -> str:
    """Village codes are the commune code plus a 3-digit serial: ``11296-001``."""
    return f"{commune_code}-{number:03d}"


def area_code(village: str, number: int) -> str:
    """Collaborator-area codes are the village code plus a 2-digit serial: ``11296-001-01``."""
    return f"{village}-{number:02d}"
