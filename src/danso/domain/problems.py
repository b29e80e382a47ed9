"""Problems found by validation: codes and parameters, never wording (see danso.messages_vi)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one record.

    code: stable identifier, e.g. ``cccd.sex_mismatch``; record: which record, as the user knows it
    (``hộ 12 / người 3``); field: the field's name in the input.
    """

    code: str
    field: str
    record: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"  # "error" blocks; "warning" asks for confirmation


class DansoError(Exception):
    """Base class of every error the user can cause and fix."""


class InvalidInput(DansoError):
    """Input was refused; nothing was written. Carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.record} {p.field}: {p.code}" for p in problems))


class NotFound(DansoError):
    def __init__(self, what: str, key: object):
        self.what, self.key = what, key
        super().__init__(f"{what} {key} not found")


class ConfirmationNeeded(DansoError):
    """The input is valid but has warnings: confirm them to go on. Nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.record} {p.field}: {p.code}" for p in problems))


class SlipConflict(DansoError):
    """Somebody else changed the slip first (e.g. two officers accepting it at once)."""

    def __init__(self, slip_id: int, status: str, actor: str):
        self.slip_id, self.status, self.actor = slip_id, status, actor
        super().__init__(f"slip {slip_id} is already {status} (by {actor})")
