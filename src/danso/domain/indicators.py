"""The indicator catalogue (chỉ tiêu) as data, and indicator values computed from additive counts.

The catalogue is ``danso/codelists/indicators.json``: for every indicator its code, Vietnamese name, unit,
kind (``stock`` at the period end, ``flow`` within the period, ``average`` over the period, ``rate``), its
definition, formula and breakdowns; and the report forms (biểu mẫu) built from it. See docs/indicators.md.

Values are computed from **counts** — numbers that add up across units (households, persons on a date,
events in the period, the weighted sum of the monthly population stocks). A parent's counts are the sums of
its children's, and every indicator, rates included, is computed from counts, so rates of a parent are
recomputed from summed numerators and denominators, never averaged.

    >>> c = Counts({"births": 3, "births|sex=1": 2, "births|sex=2": 1})
    >>> values(c, months=12)["srb"].value
    200.0
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

RATE_DIGITS = 2
FERTILE_GROUPS = (15, 20, 25, 30, 35, 40, 45)

Counts = Counter
"""Additive counts of one unit: ``name`` or ``name|breakdown=key`` → number. Names starting with ``_`` are
internal (the weighted population stocks, births by mother's age)."""


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    kind: str  # stock | flow | average | rate
    definition: str
    formula: str
    breakdowns: tuple[str, ...]
    numerator: str = ""
    denominator: str = ""
    scale: int = 1
    annualised: bool = False


@dataclass(frozen=True)
class FormRow:
    """A row of an official form as the Circular prints it: its STT (``""`` for a line under a numbered row),
    wording and unit of measure, and what fills its figures — ``value``, an indicator code or
    ``code|breakdown=key``; or ``missing``, why danso has no figure for it (the row is printed with "...");
    with neither, the row is a heading (a section, "Trong tổng số:") without figures."""

    number: str
    label: str
    unit: str = ""
    value: str = ""
    missing: str = ""

    @property
    def kind(self) -> str:
        return "value" if self.value else "missing" if self.missing else "heading"


@dataclass(frozen=True)
class Form:
    """A report form: the Circular's rows known for it (``rows``, in the official order and wording; docs/
    indicators.md says how much of each form is known), after which the report lists every other indicator
    of the catalogue; a form without rows (DANSO) is the catalogue itself."""

    code: str
    title: str
    levels: tuple[str, ...]
    periods: tuple[str, ...]
    columns: str  # total | children
    rows: tuple[FormRow, ...]


@dataclass
class Value:
    """An indicator's value for one unit and period, with its breakdowns (breakdown → key → count)."""

    code: str
    value: float | int | None
    breakdowns: dict[str, dict[str, int]] = field(default_factory=dict)


@cache
def _data() -> dict[str, Any]:
    text = resources.files("danso.codelists").joinpath("indicators.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def catalogue() -> tuple[Indicator, ...]:
    out = []
    for d in _data()["indicators"]:
        out.append(Indicator(d["code"], d["name"], d["unit"], d["kind"], d["definition"], d["formula"],
                             tuple(d["breakdowns"]), d.get("numerator", ""), d.get("denominator", ""),
                             int(d.get("scale", 1)), bool(d.get("annualised", False))))
    return tuple(out)


def by_code() -> dict[str, Indicator]:
    return {i.code: i for i in catalogue()}


def catalogue_meta() -> dict[str, Any]:
    d = _data()
    return {"version": d["version"], "source": d["source"], "breakdowns": d["breakdowns"]}


@cache
def forms() -> dict[str, Form]:
    return {f["code"]: Form(f["code"], f["title"], tuple(f["levels"]), tuple(f["periods"]), f["columns"],
                            tuple(FormRow(**r) for r in f["rows"])) for f in _data()["forms"]}


DEFAULT_FORM = "DANSO"


def _ratio(num: float, den: float, scale: float) -> float | None:
    return None if not den else round(num / den * scale, RATE_DIGITS)


def _breakdowns(c: Counts, code: str, names: tuple[str, ...]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name in names:
        prefix = f"{code}|{name}="
        keys = sorted((k for k in c if k.startswith(prefix)), key=lambda k: _sort_key(k[len(prefix):]))
        out[name] = {k[len(prefix):]: c[k] for k in keys}
    return out


def _sort_key(key: str) -> tuple[int, ...]:
    parts = [p.rstrip("+") for p in key.split(":")]
    return tuple(int(p) if p.isdigit() else 10**6 for p in parts)


def average_population(c: Counts, months: int) -> float | None:
    """(P0/2 + P1 + … + Pn−1 + Pn/2) / n, from ``_pop_points`` = P0 + 2·P1 + … + 2·Pn−1 + Pn."""
    return c["_pop_points"] / (2 * months) if months else None


def values(c: Counts, months: int) -> dict[str, Value]:
    """Every indicator of the catalogue for one unit, from its counts over a period of ``months`` months."""
    k = 12 / months  # annualising factor of the rates defined per year
    avg = average_population(c, months)
    out: dict[str, Value] = {}
    for ind in catalogue():
        if ind.kind in ("stock", "flow"):
            out[ind.code] = Value(ind.code, c[ind.code], _breakdowns(c, ind.code, ind.breakdowns))
    out["average_population"] = Value("average_population", None if avg is None else round(avg, RATE_DIGITS))
    births, deaths = c["births"], c["deaths"]
    avg_women = c["_women_points"] / (2 * months)
    tfr_terms = [c[f"_births_mother|age_group={g}"] * k / (c[f"_women_points|age_group={g}"] / (2 * months))
                 for g in FERTILE_GROUPS if c[f"_women_points|age_group={g}"]]
    rates = {
        "cbr": _ratio(births * k, avg or 0, 1000),
        "cdr": _ratio(deaths * k, avg or 0, 1000),
        "natural_increase": _ratio((births - deaths) * k, avg or 0, 1000),
        "srb": _ratio(c["births|sex=1"], c["births|sex=2"], 100),
        "sex_ratio": _ratio(c["population|sex=1"], c["population|sex=2"], 100),
        "gfr": _ratio(births * k, avg_women, 1000),
        "tfr": round(5 * sum(tfr_terms), RATE_DIGITS) if tfr_terms else None,
        "third_plus_share": _ratio(c["births|birth_order=3+"], births, 100),
        "cpr": _ratio(c["contraceptive_users"], c["married_women_15_49"], 100),
        "cpr_modern": _ratio(c["modern_users"], c["married_women_15_49"], 100),
        "prenatal_screening_rate": _ratio(c["prenatal_screened"], births, 100),
        "newborn_screening_rate": _ratio(c["newborn_screened"], births, 100),
        "elderly_check_rate": _ratio(c["elderly_checked"], c["persons_60_plus"], 100),
    }
    for code, v in rates.items():
        out[code] = Value(code, v)
    return {i.code: out[i.code] for i in catalogue()}
