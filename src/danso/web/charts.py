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
