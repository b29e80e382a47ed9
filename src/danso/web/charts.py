"""Charts drawn on the server as SVG geometry (no JavaScript): the population pyramid, the forecast's trend, and
the dashboard's births by month and sex, sex ratio at birth by month and contraceptive use by method."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from danso.domain.ages import age_group_label

MALE, FEMALE = "1", "2"


@dataclass(frozen=True)
class PyramidBar:
    label: str
    y: float
    male_x: float
    male_width: float
    female_width: float
    male: int
    female: int


@dataclass(frozen=True)
class Pyramid:
    width: int
    height: int
    centre: float
    half: float  # width of one side
    bar_height: float
    bars: list[PyramidBar]
    scale_max: int
    axis_y: float


def pyramid(groups: dict[int, Counter], width: int = 560, bar_height: int = 16, label_width: int = 56) -> Pyramid:
    """Bars for each 5-year group, oldest on top: men to the left of the centre, women to the right; both
    sides on one scale (the largest group of either sex)."""
    ordered = sorted(groups.items(), reverse=True)
    largest = max((max(c[MALE], c[FEMALE]) for _, c in ordered), default=0) or 1
    centre = width / 2
    half = centre - label_width / 2 - 4
    bars = []
    for i, (group, counts) in enumerate(ordered):
        mw = half * counts[MALE] / largest
        fw = half * counts[FEMALE] / largest
        bars.append(PyramidBar(age_group_label(group), 8 + i * (bar_height + 2), centre - label_width / 2 - mw,
                               mw, fw, counts[MALE], counts[FEMALE]))
    height = 8 + len(ordered) * (bar_height + 2) + 24
    return Pyramid(width, height, centre, half, bar_height, bars, largest, height - 16)


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    label: str  # the date or the step the value is for
    value: float


@dataclass(frozen=True)
class TrendSeries:
    label: str
    css: str  # class of the line and its points
    points: list[TrendPoint]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class TrendPanel:
    title: str
    top: float
    bottom: float
    series: list[TrendSeries]
    ticks: list[tuple[float, float]]  # (y, value) of the horizontal grid lines


@dataclass(frozen=True)
class Trend:
    width: int
    height: int
    left: float
    right: float
    panels: list[TrendPanel]
    years: list[tuple[float, str]]  # (x, year) labelled under the chart


def _panel(title: str, top: float, bottom: float, lines: list[tuple[str, str, list[tuple[float, str, float]]]],
           x_of, from_zero: bool) -> TrendPanel:  # noqa: ANN001
    values = [v for _, _, pts in lines for _, _, v in pts]
    hi = max(values, default=1.0) or 1.0
    lo = 0.0 if from_zero else min(values, default=0.0)
    pad = (hi - lo) * 0.08 or hi * 0.05 or 1.0
    lo, hi = (0.0 if from_zero else lo - pad), hi + pad

    def y_of(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    series = [TrendSeries(label, css, [TrendPoint(x_of(yr), y_of(v), text, v) for yr, text, v in pts])
              for label, css, pts in lines]
    ticks = [(y_of(lo + (hi - lo) * k / 2), lo + (hi - lo) * k / 2) for k in range(3)]
    return TrendPanel(title, top, bottom, series, ticks)


def trend(years: list[float], labels: list[str], totals: list[float], step_births: list[float],
          step_deaths: list[float], width: int = 400, left: int = 58, panel_height: int = 96) -> Trend:
    """Two panels over the projection's years (decimal years, each with its label, a date): the total
    population at each date (line), then births and deaths of each step placed at the step's middle."""
    right = width - 14
    first, last = years[0], years[-1] if len(years) > 1 else years[0] + 1

    def x_of(year: float) -> float:
        return left + (year - first) / ((last - first) or 1) * (right - left)

    mids = [(a + b) / 2 for a, b in zip(years, years[1:])]
    steps = [f"{a}–{b}" for a, b in zip(labels, labels[1:])]
    p1 = _panel("Tổng dân số", 26, 26 + panel_height, [("Dân số", "total", list(zip(years, labels, totals)))],
                x_of, False)
    top2 = 26 + panel_height + 44
    p2 = _panel("Số sinh và số chết mỗi giai đoạn", top2, top2 + panel_height,
                [("Sinh", "births", list(zip(mids, steps, step_births))),
                 ("Chết", "deaths", list(zip(mids, steps, step_deaths)))], x_of, True)
    every = max(1, -(-(len(years) - 1) // 6))  # at most about 7 labels along the axis
    idx = list(range(0, len(years), every))
    if idx[-1] != len(years) - 1:
        idx[-1] = len(years) - 1  # the last date is always labelled (in place of the one before it)
    marks = [(x_of(years[i]), labels[i][-4:]) for i in idx]
    return Trend(width, int(top2 + panel_height + 34), left, right, [p1, p2], marks)


# --- the unit dashboard: births by month and sex, sex ratio at birth by month, contraceptive use by method ---
# Geometry in viewBox units, for text of up to 16 units (the stylesheet enlarges it on a phone).



def nice_step(span: float, count: int = 4) -> float:
    """A round step (1, 2 or 5 × 10^k) that cuts ``span`` into about ``count`` parts."""
    raw = max(span, 1e-9) / count
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


@dataclass(frozen=True)
class MonthSlot:
    x: float  # centre of the month along the axis
    month: str  # "11"
    year: str  # the year under the first month and under each January, else ""
    title: str  # "tháng 11/2025"


def _slots(firsts: list[dt.date], left: float, right: float) -> tuple[list[MonthSlot], float]:
    step = (right - left) / max(len(firsts), 1)
    out = [MonthSlot(left + step * (i + .5), str(d.month), str(d.year) if i == 0 or d.month == 1 else "",
                     f"tháng {d.month}/{d.year}") for i, d in enumerate(firsts)]
    return out, step


@dataclass(frozen=True)
class BirthBars:
    slot: MonthSlot
    boy_x: float
    boy_y: float
    boy_h: float
    girl_x: float
    girl_y: float
    girl_h: float
    top: float  # y of the taller bar's top
    boys: int
    girls: int

    @property
    def total(self) -> int:
        return self.boys + self.girls


@dataclass(frozen=True)
class MonthsFrame:
    """The frame of a chart over months (the dashboard's births and sex ratio): its size and its plot area."""
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float


@dataclass(frozen=True)
class BirthsChart(MonthsFrame):
    bar_width: float
    bars: list[BirthBars]
    ticks: list[tuple[float, int]]  # (y, value) of the horizontal grid lines
    show_totals: bool  # the total of each month written above its bars (only while it fits: < 1.000)


def births_chart(months: list[tuple[dt.date, int, int]], width: int = 420) -> BirthsChart:
    """Boys and girls born in each month (first day of the month, boys, girls), side by side on one scale."""
    left, right, top, bottom = 50, width - 6, 22, 196
    slots, step = _slots([d for d, _, _ in months], left, right)
    largest = max((max(b, g) for _, b, g in months), default=0)
    tick = nice_step(largest or 1, 4)
    hi = max(tick * math.ceil((largest or 1) / tick), tick)

    def y_of(v: float) -> float:
        return bottom - v / hi * (bottom - top)

    bar = min(step * .36, 16)
    bars = []
    for slot, (_, boys, girls) in zip(slots, months, strict=True):
        bars.append(BirthBars(slot, slot.x - bar - 1, y_of(boys), bottom - y_of(boys), slot.x + 1, y_of(girls),
                              bottom - y_of(girls), y_of(max(boys, girls)), boys, girls))
    ticks = [(y_of(v), int(v)) for v in _frange(0, hi, tick)]
    return BirthsChart(width, bottom + 42, left, right, top, bottom, bar, bars, ticks,
                       max((b + g for _, b, g in months), default=0) < 1000)


def _frange(lo: float, hi: float, step: float) -> list[float]:
    return [lo + k * step for k in range(int(round((hi - lo) / step)) + 1)]


@dataclass(frozen=True)
class SrbPoint:
    slot: MonthSlot
    y: float | None  # None: no girl born, no ratio
    value: float | None
    boys: int
    girls: int
    small: bool  # too few births for the ratio to mean much: drawn hollow
    clipped: bool  # above the axis: drawn at its top as an arrow head, with its value
    low_y: float | None  # the 95 % interval chance allows, clipped to the chart
    high_y: float | None

    @property
    def births(self) -> int:
        return self.boys + self.girls


@dataclass(frozen=True)
class SrbChart(MonthsFrame):
    points: list[SrbPoint]
    lines: list[str]  # polylines joining consecutive months that have a ratio
    ticks: list[tuple[float, int]]
    band: tuple[float, float, int, int]  # y of the top and the bottom of the normal range, and the range
    show_counts: bool  # the births of each month written under the axis (only while they fit: < 1.000)


NORMAL_SRB = (103, 107)  # the biologically normal sex ratio at birth
SRB_AXIS_MAX = 250  # higher ratios (a handful of births) are drawn at the top edge, marked, with their value


def srb_chart(months: list[tuple[dt.date, int, int, float | None, tuple[float, float] | None]], min_births: int,
              width: int = 420) -> SrbChart:
    """The sex ratio at birth of each month (first day, boys, girls, ratio, its 95 % interval) against the normal
    range; months with fewer than ``min_births`` births are marked as such (hollow points)."""
    left, right, top, bottom = 50, width - 6, 26, 186
    slots, _ = _slots([m[0] for m in months], left, right)
    seen = [m[3] for m in months if m[3] is not None]
    lo, hi = min(seen + [NORMAL_SRB[0] - 8]), min(max(seen + [NORMAL_SRB[1] + 8]), SRB_AXIS_MAX)
    tick = nice_step(hi - lo, 4)
    lo, hi = tick * math.floor(lo / tick), tick * math.ceil(hi / tick)

    def y_of(v: float) -> float:
        return bottom - (min(max(v, lo), hi) - lo) / (hi - lo) * (bottom - top)

    points, lines, run = [], [], []
    for slot, (_, boys, girls, value, interval) in zip(slots, months, strict=True):
        y = None if value is None else y_of(value)
        ci = interval if interval and value is not None else None
        points.append(SrbPoint(slot, y, value, boys, girls, boys + girls < min_births,
                               value is not None and value > hi, ci and y_of(ci[0]), ci and y_of(ci[1])))
        if y is None:
            if len(run) > 1:
                lines.append(" ".join(run))
            run = []
        else:
            run.append(f"{slot.x:.1f},{y:.1f}")
    if len(run) > 1:
        lines.append(" ".join(run))
    ticks = [(y_of(v), int(v)) for v in _frange(lo, hi, tick)]
    show_counts = max((m[1] + m[2] for m in months), default=0) < 1000
    return SrbChart(width, bottom + (62 if show_counts else 42), left, right, top, bottom, points, lines, ticks,
                    (y_of(NORMAL_SRB[1]), y_of(NORMAL_SRB[0]), *NORMAL_SRB), show_counts)


@dataclass(frozen=True)
class MethodBar:
    label: str
    label_y: float
    y: float
    width: float
    share: float  # % of the married women 15–49
    users: int
    modern: bool


@dataclass(frozen=True)
class MethodChart:
    width: int
    height: int
    left: float
    bar_height: float
    bars: list[MethodBar]


def method_chart(methods: list[tuple[str, int, float, bool]], width: int = 360) -> MethodChart:
    """One horizontal bar per method (label, users, share of the married women 15–49, modern), its label above
    it so that long names fit a phone; bars on the scale of the largest share, leaving room for the figure."""
    left, bar_height, row = 4, 14, 42
    largest = max((s for _, _, s, _ in methods), default=0) or 1
    room = width - left - 124
    bars = [MethodBar(label, 16 + i * row, 22 + i * row, room * share / largest, share, users, modern)
            for i, (label, users, share, modern) in enumerate(methods)]
    return MethodChart(width, len(methods) * row + 6, left, bar_height, bars)
