"""Charts drawn on the server as SVG geometry (no JavaScript): the population pyramid."""
from __future__ import annotations

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
