"""Statistical reports (báo cáo thống kê) of any unit for any period: the indicator catalogue computed from the
register's dated state and event log, one column per child unit, the total equal to the sum of the columns.

    report = build_report(ctx, "31", "2026-Q3")            # Hải Phòng, quarter III 2026, one column per commune
    report.total["population"].value, report.columns[0].unit.name

Counts come from set-based SQL (danso.storage.report_queries); indicators are computed from counts
(danso.domain.indicators), for each column and for the total from the summed counts.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from danso.bootstrap import Context
from danso.domain import codes
from danso.domain.ages import OPEN_AGE_GROUP
from danso.domain.indicators import DEFAULT_FORM, FERTILE_GROUPS, Counts, Form, Value, forms, values
from danso.domain.periods import Period, PeriodError, parse_period
from danso.domain.problems import DansoError
from danso.domain.units import Level, Unit
from danso.services.units import resolve
from danso.storage import report_queries as q
from danso.storage import units_repo


class ReportInputError(DansoError):
    """A report asked for with a bad period or form; the message is Vietnamese and says what to write."""


@dataclass
class Column:
    unit_id: int | None
    unit: Unit | None  # None: areas not placed under a child (only when the root is an area)
    counts: Counts
    values: dict[str, Value] = field(default_factory=dict)


@dataclass
class Report:
    unit: Unit
    unit_id: int
    period: Period
    units_on: dt.date  # the date whose units (and hierarchy) the report is drawn on
    form: Form
    columns: list[Column]
    counts: Counts
    total: dict[str, Value]
    created_at: dt.datetime
    parent: Unit | None = None  # the unit above, which receives the report


def period_or_error(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as e:
        raise ReportInputError(str(e)) from e


def _form(code: str | None, unit: Unit, period: Period) -> Form:
    known = forms()
    form = known.get((code or DEFAULT_FORM).upper())
    if form is None:
        raise ReportInputError(f"Không có biểu mẫu “{code}”; các biểu mẫu: {', '.join(known)}.")
    if unit.level.value not in form.levels:
        raise ReportInputError(f"Biểu {form.code} dành cho cấp {', '.join(Level(x).label for x in form.levels)}; "
                               f"{unit.name} là cấp {unit.level.label}.")
    if period.kind not in form.periods:
        raise ReportInputError(f"Biểu {form.code} là báo cáo theo {', '.join(_KIND_VI[k] for k in form.periods)}; "
                               f"kỳ {period.code} là {_KIND_VI[period.kind]}.")
    return form


_KIND_VI = {"month": "tháng", "quarter": "quý", "half": "6 tháng", "nine_months": "9 tháng", "year": "năm"}


def build_report(ctx: Context, unit_code: str, period: str | Period, *, form: str | None = None,
                 units_on: dt.date | None = None) -> Report:
    """The report of a unit for a period.

    Args:
        unit_code: the unit (nation ``VN``, province, district before 1 July 2025, commune, village, area).
        period: ``2026-10``, ``2026-Q3``, ``2026-6T``, ``2026-9T`` or ``2026`` (or a Period).
        form: a form of the catalogue (``03-DSX``, ``01-DSH``; default ``DANSO``, every indicator).
        units_on: the date whose administrative units the report is drawn on; default the period's last day
            (so a period before 1 July 2025 is reported under the old three tiers). A later date reports an
            old period under the current two tiers (docs/indicators.md says how old communes are mapped).
    """
    return build_reports(ctx, unit_code, period, form=form, units_on=units_on, children=False)[0]


def build_reports(ctx: Context, unit_code: str, period: str | Period, *, form: str | None = None,
                  units_on: dt.date | None = None, children: bool = True) -> list[Report]:
    """The report of a unit (as ``build_report``) followed by the own report of each of its child units (each
    with a column per child of its own: a province's communes, each by village), all from one pass of the count
    queries over the unit's areas, counted area by area and summed into each report's columns — the figures
    equal those of ``build_report`` for each unit, at the cost of the unit's report alone. A child's report is
    on ``form`` when the form is made for the child's level, else on the default form (``DANSO``)."""
    p = period if isinstance(period, Period) else period_or_error(period)
    frame_on = units_on or p.end
    with ctx.engine.connect() as conn:
        root = resolve(conn, unit_code, frame_on)
        the_form = _form(form, root.unit, p)
        placed = q.placed_areas(conn, root.id, frame_on)
        rows = _area_rows(conn, placed, p)
        reports = [_assemble(conn, root.id, root.unit, the_form, p, frame_on, placed, rows)]
        for col in reports[0].columns if children else ():
            if col.unit is None:
                continue
            child_form = the_form if col.unit.level.value in the_form.levels else forms()[DEFAULT_FORM]
            child_placed = q.placed_areas(conn, col.unit_id, frame_on)
            child_rows = rows if {a for a, _ in child_placed} <= rows.areas else _area_rows(conn, child_placed, p)
            reports.append(_assemble(conn, col.unit_id, col.unit, child_form, p, frame_on, child_placed, child_rows))
    return reports


def _assemble(conn, root_id: int, unit: Unit, the_form: Form, p: Period, frame_on: dt.date,  # noqa: ANN001
              placed: q.Placed, rows: _AreaRows) -> Report:
    """A unit's report from the rows of its areas (``placed``: the unit's areas and their columns)."""
    per_col = _counts(rows, {a: c for a, c in placed})
    children = units_repo.children(conn, root_id, frame_on)
    extra = sorted(c for c in per_col if c is not None and c not in {r.id for r in children})
    units = [(r.id, r.unit) for r in children] + [(c, units_repo.get(conn, c)) for c in extra]
    above = units_repo.ancestors(conn, root_id, frame_on)
    columns = [Column(uid, u, per_col.get(uid, Counter())) for uid, u in units]
    if None in per_col:
        columns.append(Column(None, None, per_col[None]))
    total: Counts = Counter()
    for col in columns:
        col.values = values(col.counts, p.months)
        total.update(col.counts)
    return Report(unit, root_id, p, frame_on, the_form, columns, total, values(total, p.months),
                  dt.datetime.now(dt.UTC), above[0].unit if above else None)


@dataclass
class _AreaRows:
    """What the count queries return for a set of areas, area by area (each row's ``col_id`` is its area)."""
    areas: set[int]
    points: list[tuple[int, list]]  # (weight, population_totals rows) of each stock date before the end
    people: list
    women: list
    households: list
    users: list
    pregnant: list  # (area_id, person_id)
    births: list
    deaths: list
    events: list
    served: list


PARALLEL_FROM = 150
"""Areas (≈ 10 communes) from which the passes over the residents run on several connections at once."""


def _area_rows(conn, placed: q.Placed, p: Period) -> _AreaRows:  # noqa: ANN001
    resident = sorted(codes.code_list(codes.RESIDENCE).where("resident"))
    married = sorted(codes.code_list(codes.MARITAL).where("married"))
    areas = q.each_area(placed)
    # the stock dates before the end: only what the averages need, P0 + 2·P1 + … + 2·Pn−1 + Pn; the last of them
    # is counted in the same pass as the end's population
    *earlier, before = p.month_ends()[:-1]
    parts = _parts(placed) if len(placed) >= PARALLEL_FROM else [areas]
    n = len(parts)
    passes = [lambda c, part=part: q.population(c, part, p.end, resident, married, OPEN_AGE_GROUP, before)
              for part in parts]
    passes += [lambda c, part=part, on=on: q.population_totals(c, part, on, resident) for on in earlier for part in parts]
    passes += [lambda c: q.households(c, areas, p.end), lambda c: q.contraceptive_users(c, areas, p.end, resident, married),
               lambda c: q.pregnant_women(c, areas, p.end, resident), lambda c: q.births(c, areas, p.start, p.end),
               lambda c: q.deaths(c, areas, p.start, p.end, OPEN_AGE_GROUP),
               lambda c: q.event_counts(c, areas, p.start, p.end), lambda c: q.persons_served(c, areas, p.start, p.end)]
    done = _run_passes(conn, passes, parallel=n > 1)
    stocks, totals, rest = done[:n], done[n:n + n * len(earlier)], done[n + n * len(earlier):]
    points = [(1 if i == 0 else 2, [r for k in range(n) for r in totals[n * i + k]]) for i, _ in enumerate(earlier)]
    points.append((1 if not earlier else 2, [r for _, _, last in stocks for r in last]))
    return _AreaRows({a for a, _ in areas}, points, [r for people, _, _ in stocks for r in people],
                     [r for _, women, _ in stocks for r in women], *rest)


def _parts(placed: q.Placed, n: int = 2) -> list[list[tuple[int, int]]]:
    """The areas (as their own columns) in ``n`` parts of about as many areas, each column's areas in one part —
    each commune of a province's report counted on one connection."""
    by_col: dict[int | None, list[int]] = {}
    for a, c in placed:
        by_col.setdefault(c, []).append(a)
    parts: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for col_areas in sorted(by_col.values(), key=len, reverse=True):
        min(parts, key=len).extend((a, a) for a in col_areas)
    return [part for part in parts if part]


def _run_passes(conn, passes: list, *, parallel: bool) -> list:  # noqa: ANN001
    """The results of the passes (each a function of a connection), in order: on ``conn`` one after the other,
    or (``parallel``) at the same time on connections of their own, as many as the machine has cores (the pass over a province's residents takes
    seconds of one core; the database engines run each connection's statement on a core of its own). Each
    connection reads the register as committed when it starts: a commune's figures come from one of them."""
    workers = min(len(passes), os.cpu_count() or 1, 4) if parallel else 1
    if workers == 1:
        return [fn(conn) for fn in passes]

    def alone(fn):  # noqa: ANN001, ANN202
        with conn.engine.connect() as own:
            return fn(own)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(alone, passes))


def _counts(rows: _AreaRows, column: dict[int, int | None]) -> dict[int | None, Counts]:
    """Additive counts per column (names as in danso.domain.indicators), the areas' rows summed by ``column``
    (area → column) for the areas it names."""
    modern = codes.code_list(codes.CONTRACEPTIVE_METHOD).where("modern")
    out: dict[int | None, Counts] = {}

    def add(col: int | None, key: str, n: float) -> None:
        out.setdefault(col, Counter())[key] += n

    def fold(rs: list) -> list:
        return q.fold([r for r in rs if r[0] in column], column)

    for weight, totals in rows.points:
        for r in fold(totals):
            add(r.col_id, "_pop_points", weight * r.n)
            if r.women_group is not None:
                add(r.col_id, "_women_points", weight * r.n)
                add(r.col_id, f"_women_points|age_group={r.women_group}", weight * r.n)
    for r in fold(rows.people):
        add(r.col_id, "_pop_points", r.n)
        _add_people(add, r)
    for r in fold(rows.women):
        add(r.col_id, "_women_points", r.n)
        add(r.col_id, f"_women_points|age_group={r.age_group}", r.n)
        for name in ("women_15_49",) + (("married_women_15_49",) if r.married else ()):
            add(r.col_id, name, r.n)
            add(r.col_id, f"{name}|age_group={r.age_group}", r.n)
    for r in fold(rows.households):
        add(r.col_id, "households", r.n)
        if r.kind == "1":
            add(r.col_id, "family_households", r.n)
    for r in fold(rows.users):
        for name in ("contraceptive_users",) + (("modern_users",) if r.method in modern else ()):
            add(r.col_id, name, r.n)
            add(r.col_id, f"{name}|method={r.method}", r.n)
    for r in q.fold_distinct([pair for pair in rows.pregnant if pair[0] in column], column):
        add(r.col_id, "pregnant_women", r.n)
    _flow_counts(rows, fold, add)
    return out


def _add_people(add, r) -> None:  # noqa: ANN001
    add(r.col_id, "population", r.n)
    add(r.col_id, f"population|sex={r.sex}", r.n)
    add(r.col_id, f"population|age_group={r.age_group}", r.n)
    add(r.col_id, f"population|sex_age_group={r.sex}:{r.age_group}", r.n)
    if r.age_group >= 60:
        add(r.col_id, "persons_60_plus", r.n)
        add(r.col_id, f"persons_60_plus|sex={r.sex}", r.n)


EVENT_NAMES = {"moved_in": "moves_in", "household_created": "moves_in", "moved_out": "moves_out",
               "married": "marriages", "divorced": "divorces", "method_stopped": "discontinuations"}
OUTCOME_NAMES = {"miscarriage": "miscarriages", "abortion": "abortions"}
SERVED_NAMES = {"prenatal_screened": "prenatal_screened", "newborn_screened": "newborn_screened",
                "elderly_checked": "elderly_checked"}


def _flow_counts(rows: _AreaRows, fold, add) -> None:  # noqa: ANN001
    for r in fold(rows.births):
        order = "3+" if r.birth_order == 3 else str(r.birth_order)
        for key in ("births", f"births|sex={r.sex}", f"births|birth_order={order}",
                    f"births|delivery_place={r.place}"):
            add(r.col_id, key, r.n)
        if r.mother_age_group in FERTILE_GROUPS:
            add(r.col_id, f"_births_mother|age_group={r.mother_age_group}", r.n)
    for r in fold(rows.deaths):
        for key in ("deaths", f"deaths|sex={r.sex}", f"deaths|age_group={r.age_group}"):
            add(r.col_id, key, r.n)
        if r.infant:
            add(r.col_id, "infant_deaths", r.n)
            add(r.col_id, f"infant_deaths|sex={r.sex}", r.n)
    for r in fold(rows.events):
        if r.kind == "method_started":
            switch = r.key.startswith("switch:")
            name, method = ("method_switches", r.key[7:]) if switch else ("new_users", r.key)
            add(r.col_id, name, r.n)
            add(r.col_id, f"{name}|method={method}", r.n)
        elif r.kind == "pregnancy_ended":
            if r.key in OUTCOME_NAMES:
                add(r.col_id, OUTCOME_NAMES[r.key], r.n)
        else:
            name = EVENT_NAMES[r.kind]
            add(r.col_id, name, r.n)
            if r.kind == "method_stopped" and r.key:
                add(r.col_id, f"{name}|method={r.key}", r.n)
    for r in fold(rows.served):
        add(r.col_id, SERVED_NAMES[r.kind], r.n)
