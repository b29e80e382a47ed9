"""The event log: every change to the register is an event with two dates, when it happened
(``event_date``) and when it was recorded. Events are only ever appended; a correction is a reversal
(an event of kind ``reversed`` that cancels an earlier one) followed by a new event.

An event's ``data`` holds everything needed to apply it to the dated state (the rows it adds, with their
ids, and what it closes or changes, with the old values), so that replaying the log from empty rebuilds the
register exactly, and a reversal can undo exactly what the event did.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

REGISTERED = "household_registered"  # a household sheet entered whole (import, demo, book opening)
REVERSED = "reversed"

# event kind → Vietnamese label (the history shows these)
KIND_LABELS = {
    REGISTERED: "Ghi sổ hộ",
    "born": "Sinh",
    "newborn_screened": "Sàng lọc sơ sinh",
    "died": "Chết",
    "moved_in": "Chuyển đến",
    "moved_out": "Chuyển đi",
    "transferred": "Chuyển hộ trong xã",
    "info_changed": "Thay đổi thông tin",
    "married": "Kết hôn",
    "divorced": "Ly hôn",
    "head_changed": "Thay đổi chủ hộ",
    "method_started": "Bắt đầu/chuyển BPTT",
    "method_stopped": "Thôi dùng BPTT",
    "pregnancy_started": "Mang thai",
    "pregnancy_ended": "Kết thúc thai kỳ",
    "prenatal_screened": "Sàng lọc trước sinh",
    "elderly_checked": "Khám sức khỏe NCT",
    "household_created": "Lập hộ mới",
    "household_split": "Tách hộ",
    "household_merged": "Nhập hộ",
    "household_dissolved": "Xóa hộ",
    "household_relocated": "Đổi địa chỉ/địa bàn hộ",
    REVERSED: "Hủy (đính chính)",
}

# Kinds whose effect on the register begins on their event date: the state on any earlier day is the same
# with or without them (a membership opened from the date, one closed the day before it, a death, a method,
# a pregnancy, a household established, merged or dissolved on it). Every other kind — a household sheet
# registered whole with its past, a correction of a person's details, a household's new address or area (not
# dated), a change of head (relations are not dated), a reversal (it may undo any of those) — may change what the
# register says of earlier days. The figures kept for the pages (danso.services.figures_cache) rely on this split.
DATED_KINDS = frozenset({
    "born", "newborn_screened", "died", "moved_in", "moved_out", "transferred", "married", "divorced",
    "method_started", "method_stopped", "pregnancy_started", "pregnancy_ended", "prenatal_screened",
    "elderly_checked", "household_created", "household_split", "household_merged", "household_dissolved"})

# slip kind → event kind (a pregnancy slip records pregnancy_started or pregnancy_ended, by its event)
EVENT_OF_SLIP = {
    "birth": "born", "newborn_screening": "newborn_screened", "death": "died", "move_in": "moved_in",
    "move_out": "moved_out", "transfer": "transferred", "info_change": "info_changed", "marriage": "married",
    "divorce": "divorced", "head_change": "head_changed", "contraception_start": "method_started",
    "contraception_stop": "method_stopped", "prenatal_screening": "prenatal_screened",
    "elderly_checkup": "elderly_checked", "household_new": "household_created", "household_split": "household_split",
    "household_merge": "household_merged", "household_dissolve": "household_dissolved",
    "household_relocate": "household_relocated",
}


@dataclass
class Event:
    kind: str
    event_date: dt.date
    person_id: int | None = None
    household_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    slip_id: int | None = None
    reverses_id: int | None = None
    id: int | None = None
    recorded_at: dt.datetime | None = None
    reversed_by: int | None = None

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def last_day_before(day: dt.date, floor: dt.date) -> dt.date:
    """The last day of a membership that ends when something happens on ``day`` (the day before), never
    before the membership began."""
    return max(day - dt.timedelta(days=1), floor)


REGISTRATION_TABLES = ("households", "persons", "memberships", "contraceptive_uses", "reproductive_status",
                       "pregnancies")
"""What a registration event carries: rows of these tables (in the column orders of danso.demo.rows)."""


def registration_data(rows: dict[str, list[tuple]]) -> dict[str, list[list]]:
    """A registration event's data: the rows of one household sheet, by table."""
    return {name: [list(r) for r in rows[name]] for name in REGISTRATION_TABLES if rows.get(name)}


def to_json(data: dict[str, Any]) -> str:
    """Event data as compact JSON; dates as ISO strings."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_iso)


def _iso(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    raise TypeError(f"not JSON: {v!r}")
