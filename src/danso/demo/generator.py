"""Deterministic synthetic population: communes → villages → collaborator areas → households → persons.

``generate`` streams one ``Batch`` per commune (its villages and areas) and then one per collaborator area
(its households, persons, memberships and women's follow-up rows), so memory stays flat whatever the size.
The same arguments always give the same rows: one ``random.Random(seed)`` drives everything, never the clock.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from danso.demo import distributions as d
from danso.demo.households import Families
from danso.demo.names import HAMLETS, STREETS
from danso.demo.rows import Batch, CommuneInput, IdStart
from danso.demo.writer import MEAN_HOUSEHOLD_SIZE, Writer
from danso.domain.units import AREA_MAX_HOUSEHOLDS, AREA_MIN_HOUSEHOLDS, LEGACY_LAST_DAY, REFORM_DATE, area_code, \
    village_code

SOURCE = "danso demo"
AREA_PLAN_LOW, AREA_PLAN_HIGH = 370, 430  # planned households per area: a margin inside 350–450
_MIN, _MAX = AREA_MIN_HOUSEHOLDS, AREA_MAX_HOUSEHOLDS


@dataclass(frozen=True)
class CommunePlan:
    commune: CommuneInput
    households: int  # planned
    areas: int
    low: int  # bounds on the number of households the commune ends with
    high: int
    last_low: int  # fewest households in the last area (350, or 0 for a commune too small or unsplittable)

    @property
    def ragged(self) -> bool:
        return self.last_low == 0 and self.areas > 1


def generate(communes: Sequence[CommuneInput], *, province_code: str, persons: int, seed: int,
             on: dt.date, ids: IdStart) -> Iterator[Batch]:
    """Yield, per commune, a Batch of its villages and areas, then one Batch per area with its households.

    ``persons`` is the total over all communes: the last household generated makes it reach or pass the
    target. Villages (thôn, or tổ dân phố in wards) hold 1–3 areas of 350–450 households each. Only a commune
    whose share is below 350 households, or falls where no split into areas of 350–450 exists (451–699,
    901–1049, 1351–1399: possible for a single commune only), has a smaller area: its last one.
    """
    rng = random.Random(seed)
    families = Families(rng, on, province_code)
    writer = Writer(families, on, province_code, ids)
    south = d.region(province_code) == "south"
    plan = plan_areas(communes, persons, rng)
    total_planned = sum(c.households for c in plan) or 1
    unit_id = ids.unit
    cum = 0
    for i, c in enumerate(plan):
        cum += c.households
        target = persons if i == len(plan) - 1 else round(persons * cum / total_planned)
        batch, areas, unit_id = _units(c.commune, c.areas, unit_id, rng)
        yield batch
        urban = c.commune.kind == "Phường"
        done = 0  # households of the commune so far
        for k, area_id in enumerate(areas):
            batch = Batch()
            address = _Address(rng, urban, south)
            if k < len(areas) - 1:
                if c.ragged:
                    n = 400
                else:
                    size = writer.persons_written / writer.households_written if writer.households_written > 50 \
                        else MEAN_HOUSEHOLD_SIZE
                    n = min(max(round((target - writer.persons_written) / size / (len(areas) - k)), _MIN), _MAX)
                for number in range(1, n + 1):
                    members, est, kind = writer.draw()
                    writer.household(batch, members, est, kind, area_id, number, address(), urban)
            else:
                low, high = max(c.last_low, c.low - done), min(_MAX, c.high - done)
                _fill_last_area(writer, batch, target, low, high, area_id, address, urban)
            done += len(batch.households)
            yield batch


def _fill_last_area(writer: Writer, batch: Batch, target: int, low: int, high: int, area_id: int, address,
                    urban: bool) -> None:
    """Households until the commune's target is reached, steering household sizes near the end so that the
    area ends with ``low`` to ``high`` households."""
    n = 0
    while True:
        left = target - writer.persons_written
        if (left <= 0 and n >= low) or n >= high:
            return
        smin, smax = 1, 99
        need = low - n
        if need > 0 and left < 3.0 * need:
            smax = max(1, int(left / need))
        room = high - n
        if left > 4.3 * room:
            smin = min(8, int(left / room) + 1)
        smin = max(smin, left - 7 * (room - 1))  # the other slots cannot take the rest
        members, est, kind = writer.draw(smin, smax)
        n += 1
        writer.household(batch, members, est, kind, area_id, n, address(), urban)


def plan_areas(communes: Sequence[CommuneInput], persons: int, rng: random.Random) -> list[CommunePlan]:
    """How many households and areas each commune gets.

    Shares are random weights (wards bigger). Planned counts are snapped to what splits into areas of
    370–430 households (a margin for chance), or to fewer than 350 (one small area); the last commune takes
    the rest, and if the rest cannot be split, the others give or take households within their margins.
    """
    if not communes:
        return []
    total = max(0, round(persons / MEAN_HOUSEHOLD_SIZE))
    weights = [(0.6 + 0.8 * rng.random()) * (1.6 if c.kind == "Phường" else 1.0) for c in communes]
    wsum = sum(weights)
    planned = [_nearest_feasible(round(total * w / wsum)) for w in weights[:-1]]
    rest = total - sum(planned)
    if not _feasible(rest):
        planned, rest = _rebalance(planned, rest)
    planned.append(max(rest, 0))
    out = []
    for c, h in zip(communes, planned):
        if h < _MIN:
            out.append(CommunePlan(c, h, 1, 0, _MAX, 0))
        elif any(_MIN * k <= h <= _MAX * k for k in range(1, h // _MIN + 1)):
            ks = [k for k in range(1, h // _MIN + 1) if AREA_PLAN_LOW * k <= h <= AREA_PLAN_HIGH * k] or \
                 [k for k in range(1, h // _MIN + 1) if _MIN * k <= h <= _MAX * k]
            k = min(ks, key=lambda k: abs(h / k - 400))
            out.append(CommunePlan(c, h, k, _MIN * k, _MAX * k, _MIN))
        else:  # between 450k and 350(k + 1): k areas of 400 and a smaller one; the total stays in that gap
            k = h // _MAX
            out.append(CommunePlan(c, h, k + 1, _MAX * k + 1, _MIN * (k + 1) - 1, 0))
    return out


def _feasible(h: int, strict: bool = False) -> bool:
    """Whether ``h`` planned households make one small area or split into areas of 370–430 (``strict``:
    350–450, no margin for chance)."""
    low, high = (_MIN, _MAX) if strict else (AREA_PLAN_LOW, AREA_PLAN_HIGH)
    if 0 <= h < _MIN - 30:
        return True
    k = h // low
    return k >= 1 and h <= high * k


def _nearest_feasible(h: int) -> int:
    for step in range(0, 1000):
        for v in (h - step, h + step):
            if v >= 0 and _feasible(v):
                return v
    return h


def _rebalance(planned: list[int], rest: int) -> tuple[list[int], int]:
    """Change one earlier commune as little as possible so that the last one's rest is feasible too."""
    for strict in (False, True):
        best = None
        for i, h in enumerate(planned):
            for step in range(1, 1500):
                if best is not None and step >= best[0]:
                    break
                for v in (h - step, h + step):
                    r = rest + h - v
                    if v >= 0 and r >= 0 and _feasible(v, strict) and _feasible(r, strict):
                        best = (step, i, v)
                        break
        if best is not None:
            _, i, v = best
            out = list(planned)
            out[i] = v
            return out, rest + planned[i] - v
    return planned, rest


def _units(commune: CommuneInput, n_areas: int, unit_id: int, rng: random.Random
           ) -> tuple[Batch, list[int], int]:
    """Villages (1–3 areas each) and areas of a commune, with their dated links."""
    batch = Batch()
    ward = commune.kind == "Phường"
    kind = "Tổ dân phố" if ward else "Thôn"
    areas: list[int] = []
    village_no = 0
    while len(areas) < n_areas:
        village_no += 1
        u = rng.random()
        size = min(1 if u < 0.6 else 2 if u < 0.88 else 3, n_areas - len(areas))
        vcode = village_code(commune.code, village_no)
        vid, unit_id = unit_id, unit_id + 1
        batch.units.append((vid, vcode, "village", f"{kind} {village_no}", kind, None, None, SOURCE))
        batch.unit_links.append((vid, commune.id, REFORM_DATE, None))
        if commune.legacy:
            legacy_id = commune.legacy[(village_no - 1) % len(commune.legacy)][0]
            batch.unit_links.append((vid, legacy_id, None, LEGACY_LAST_DAY))
        for a in range(1, size + 1):
            aid, unit_id = unit_id, unit_id + 1
            acode = area_code(vcode, a)
            batch.units.append((aid, acode, "area", f"Địa bàn {len(areas) + 1}", "Địa bàn", None, None, SOURCE))
            batch.unit_links.append((aid, vid, None, None))
            areas.append(aid)
    return batch, areas, unit_id


class _Address:
    """Addresses within one area: a few streets with alleys (wards) or a few hamlets (communes)."""

    def __init__(self, rng: random.Random, urban: bool, south: bool):
        self.rnd, self.urban, self.south = rng.random, urban, south
        pool = STREETS if urban else HAMLETS
        self.places = rng.sample(pool, 2 + int(rng.random() * 3))

    def __call__(self) -> tuple[str, str, str, str, str, str]:
        """(hamlet, alley, lane, sub_lane, house_no, street)"""
        rnd = self.rnd
        place = self.places[int(rnd() * len(self.places))]
        if not self.urban:
            return place, "", "", "", (str(1 + int(rnd() * 150)) if rnd() < 0.35 else ""), ""
        house = str(1 + int(rnd() * 200))
        if rnd() < 0.35:
            return "", "", "", "", house, place
        alley = str(1 + int(rnd() * 250))
        lane = str(1 + int(rnd() * 60)) if rnd() < 0.25 else ""
        if self.south:
            return "", "", "", alley, house, place
        return "", alley, lane, "", house, place

