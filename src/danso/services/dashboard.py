"""The figures of a unit's statistics dashboard (trang thống kê), all counted by the report engine: the report of
the last complete month (stocks at its end — population by sex and age, households, married women 15–49 and
their contraceptive methods — with a column per child unit) and the births of each of the twelve months up to
it, by sex and by child unit.

    d = unit_dashboard(ctx, "31", parse_period("2026-10"), dt.date(2026, 11, 23))
    d.report.total["cpr"].value, [(m.period.code, m.boys, m.girls) for m in d.months]

The births of a month are the rows of the report engine's own births query (danso.storage.report_queries)
for that month, turned into the counts the report would hold (``births``, ``births|sex=…``,
``births|birth_order=…``): a month's report would compute every stock of the month as well, twelve times
the cost. The monthly figures equal ``build_report(…, month).total`` (tests/web/test_pages_dashboard.py).
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from danso.bootstrap import Context
from danso.domain import codes
from danso.domain.indicators import RATE_DIGITS, Counts, Value, values
from danso.domain.periods import Period, PeriodError, month_end, parse_period
from danso.domain.problems import DansoError
from danso.domain.units import Unit
from danso.domain.vntext import format_date
from danso.services.registry import Summary
from danso.services.reports import Report, build_report
from danso.services.units import resolve
from danso.storage import report_queries as q

WINDOW_MONTHS = 12
MONTH_CHOICES = 24  # months offered in the page's month list
SRB_MIN_BIRTHS = 100  # below: the sex ratio at birth swings by ±40 or more from chance alone (95 %)


class DashboardInputError(DansoError):
    """A month asked for that cannot be shown; the message is Vietnamese and says what to choose."""


@dataclass(frozen=True)
class PeriodBirths:
    period: Period  # a month, or a quarter summed from its months
    counts: Counts  # births, births|sex=…, births|birth_order=… of the whole unit

    @property
    def boys(self) -> int:
        return int(self.counts["births|sex=1"])

    @property
    def girls(self) -> int:
        return int(self.counts["births|sex=2"])

    @property
    def births(self) -> int:
        return int(self.counts["births"])

    @property
    def srb(self) -> float | None:
        return values(self.counts, self.period.months)["srb"].value

    @property
    def interval(self) -> tuple[float, float] | None:
        return srb_interval(self.boys, self.girls)


@dataclass
class Dashboard:
    report: Report  # the last month: its stocks at the month's end, a column per child unit
    months: list[PeriodBirths]  # the twelve months up to it, oldest first
    year: dict[int | None, dict[str, Value]]  # child unit id → birth indicators over the twelve months
    year_total: dict[str, Value]

    @property
    def start(self) -> dt.date:
        return self.months[0].period.start

    @property
    def end(self) -> dt.date:
        return self.report.period.end

    @property
    def year_by_sex(self) -> tuple[int, int]:
        """Boys and girls born in the twelve months."""
        by_sex = self.year_total["births"].breakdowns["sex"]
        return int(by_sex.get("1", 0)), int(by_sex.get("2", 0))


def latest_month(today: dt.date, valid_to: dt.date | None = None) -> Period:
    """The last month that has ended before ``today`` (and, for a unit no longer in force, by its last day)."""
    end = today - dt.timedelta(days=1)
    if valid_to and valid_to < end:
        end = valid_to
    y, m = end.year, end.month
    if month_end(y, m) > end:
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return parse_period(f"{y}-{m:02d}")


def month_choices(today: dt.date, valid_to: dt.date | None = None, n: int = MONTH_CHOICES) -> list[Period]:
    """The months a dashboard can end on, latest first."""
    last = latest_month(today, valid_to)
    return [shift(last, -k) for k in range(n)]


def shift(p: Period, months: int) -> Period:
    """The month ``months`` months after (before, if negative) the month ``p``."""
    index = p.year * 12 + p.first_month - 1 + months
    return parse_period(f"{index // 12}-{index % 12 + 1:02d}")


def chosen_month(text: str, today: dt.date, unit: Unit) -> Period:
    """The month the page asks for (``2026-10``; empty: the latest that has ended)."""
    if not text.strip():
        return latest_month(today, unit.valid_to)
    try:
        p = parse_period(text)
    except PeriodError:
        p = None
    if p is None or p.kind != "month":
        raise DashboardInputError(f"Tháng “{text}” không hợp lệ; viết theo dạng năm-tháng, ví dụ 2026-10.")
    if p.end >= today:
        raise DashboardInputError(f"{p.label} chưa kết thúc (đến {format_date(p.end)}); chọn một tháng đã qua.")
    if unit.valid_to and p.end > unit.valid_to:
        raise DashboardInputError(f"{unit.name} (mã {unit.code}) chỉ có hiệu lực đến {format_date(unit.valid_to)}; "
                                  f"chọn tháng kết thúc trước ngày đó.")
    return p


def unit_dashboard(ctx: Context, unit_code: str, last: Period, units_on: dt.date) -> Dashboard:
    """The dashboard of a unit for the twelve months ending with the month ``last``, on the units (and the
    hierarchy) in force on ``units_on`` for every month, so that the columns stay the same along the year."""
    report = build_report(ctx, unit_code, last, units_on=units_on)
    months: list[PeriodBirths] = []
    per_col: dict[int | None, Counts] = {}
    with ctx.engine.connect() as conn:
        placed = q.placed_areas(conn, resolve(conn, unit_code, units_on).id, units_on)
        for k in range(WINDOW_MONTHS - 1, -1, -1):
            p = shift(last, -k)
            total: Counts = Counter()
            for r in q.births(conn, placed, p.start, p.end):
                order = "3+" if r.birth_order == 3 else str(r.birth_order)
                for key in ("births", f"births|sex={r.sex}", f"births|birth_order={order}"):
                    total[key] += r.n
                    per_col.setdefault(r.col_id, Counter())[key] += r.n
            months.append(PeriodBirths(p, total))
    year_total: Counts = Counter()
    for c in per_col.values():
        year_total.update(c)
    return Dashboard(report, months, {col: values(c, WINDOW_MONTHS) for col, c in per_col.items()},
                     values(year_total, WINDOW_MONTHS))


def month_summary(d: Dashboard) -> Summary:
    """The households and residents at the end of the dashboard's month, as the register's summary gives them
    (the same counts: docs/indicators.md), without the pyramid and the communes."""
    total = d.report.total
    by_sex = Counter({k: int(v) for k, v in total["population"].breakdowns["sex"].items()})
    return Summary(d.report.unit, d.end, int(total["households"].value or 0),
                   int(total["family_households"].value or 0), int(total["population"].value or 0), by_sex, {}, [])


def quarters(months: list[PeriodBirths]) -> list[PeriodBirths]:
    """The calendar quarters whose three months are all among ``months``, their births summed."""
    out = []
    for p in months:
        if p.period.first_month % 3 == 0:
            three = [m for m in months if m.period.year == p.period.year
                     and p.period.first_month - 2 <= m.period.first_month <= p.period.first_month]
            if len(three) == 3:
                counts: Counts = Counter()
                for m in three:
                    counts.update(m.counts)
                out.append(PeriodBirths(parse_period(f"{p.period.year}-Q{p.period.first_month // 3}"), counts))
    return out


@dataclass(frozen=True)
class MethodShare:
    code: str
    label: str
    users: int
    share: float | None  # % of the married women 15–49 (None without any)
    modern: bool


def method_shares(report: Report) -> list[MethodShare]:
    """Contraceptive prevalence by method at the report's end: the users of each method of the code list per
    100 married women 15–49 (the shares add up to ``cpr``), most used first."""
    users = report.total["contraceptive_users"].breakdowns["method"]
    women = report.total["married_women_15_49"].value or 0
    methods = codes.code_list(codes.CONTRACEPTIVE_METHOD)
    modern = methods.where("modern")
    out = [MethodShare(i.code, i.label, int(users.get(i.code, 0)),
                       round(users.get(i.code, 0) / women * 100, RATE_DIGITS) if women else None, i.code in modern)
           for i in methods.items]
    return sorted(out, key=lambda m: -m.users)


def srb_interval(boys: int, girls: int, z: float = 1.96) -> tuple[float, float] | None:
    """The 95 % interval of the sex ratio at birth (boys per 100 girls) that chance alone allows around the
    observed one: Wilson's interval of the share of boys, carried over to the ratio. ``None`` without births."""
    n = boys + girls
    if not n:
        return None
    p = boys / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    lo, hi = max(centre - half, 0.0), min(centre + half, 1.0)
    return lo / (1 - lo) * 100, (hi / (1 - hi) * 100 if hi < 1 else math.inf)
