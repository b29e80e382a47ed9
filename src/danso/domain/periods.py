"""Reporting periods (kỳ báo cáo) of Circular 01/2022/TT-BYT: month, quarter, the first 6 and 9 months of a
year, and the year — each from the first day of its first month to the last day of its last month.

    >>> p = parse_period("2026-Q3")
    >>> p.start, p.end, p.months, p.label
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), 3, 'Quý III năm 2026')
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


class PeriodError(ValueError):
    """A period written in none of the accepted forms."""


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
KIND_LABELS = {"month": "tháng", "quarter": "quý", "half": "6 tháng", "nine_months": "9 tháng", "year": "năm"}
ACCEPTED = "2026-10 (tháng), 2026-Q3 (quý), 2026-6T (6 tháng đầu năm), 2026-9T (9 tháng), 2026 (năm)"

_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})-[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-(?:6[Tt]|[Hh]1)$"), "half"),
    (re.compile(r"^(\d{4})-9[Tt]$"), "nine_months"),
    (re.compile(r"^(\d{4})$"), "year"),
)


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | half | nine_months | year
    year: int
    first_month: int
    months: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        return month_end(self.year, self.first_month + self.months - 1)

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.first_month:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{(self.first_month - 1) // 3 + 1}"
        return {"half": f"{self.year}-6T", "nine_months": f"{self.year}-9T", "year": str(self.year)}[self.kind]

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.first_month} năm {self.year}"
        if self.kind == "quarter":
            return f"Quý {ROMAN[(self.first_month - 1) // 3 + 1]} năm {self.year}"
        if self.kind in ("half", "nine_months"):
            return f"{self.months} tháng đầu năm {self.year}"
        return f"Năm {self.year}"

    def month_ends(self) -> list[dt.date]:
        """The stock dates of the average population: the last day before the period, then the last day of
        each of its months (n + 1 dates for n months)."""
        return [self.start - dt.timedelta(days=1)] + [
            month_end(self.year, m) for m in range(self.first_month, self.first_month + self.months)]


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def parse_period(text: str) -> Period:
    """A period from its code: ``2026-10``, ``2026-Q3``, ``2026-6T`` (or ``2026-H1``), ``2026-9T``, ``2026``."""
    s = (text or "").strip()
    for pattern, kind in _PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        year = int(m.group(1))
        if not 1900 <= year <= 2200:
            break
        if kind == "month":
            month = int(m.group(2))
            if not 1 <= month <= 12:
                break
            return Period(kind, year, month, 1)
        if kind == "quarter":
            return Period(kind, year, 3 * int(m.group(2)) - 2, 3)
        return Period(kind, year, 1, {"half": 6, "nine_months": 9, "year": 12}[kind])
    raise PeriodError(f"Kỳ báo cáo “{text}” không hợp lệ; viết theo một trong các dạng: {ACCEPTED}.")
