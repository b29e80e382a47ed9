"""The demo's month-by-month stream of collection slips: for each month, the changes a province's
collaborators would report (births, deaths, moves, marriages, pregnancies, method changes, screenings,
health checks of the elderly), entered, submitted and accepted through the same services as real slips.

Deterministic for a seed: who is chosen is a hash of the person id (danso.storage.stream_repo), and every
other draw comes from a random generator seeded by the seed and the month.
"""
from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from danso.bootstrap import Context
from danso.demo import stream as s
from danso.domain.problems import InvalidInput, Problem
from danso.domain.units import Level
from danso.services import slips as slips_svc
from danso.services.slips import NewSlip
from danso.services.units import resolve
from danso.storage import stream_repo, units_repo

CTV, OFFICER = "demo (cộng tác viên)", "demo (cán bộ dân số xã)"


@dataclass
class StreamReport:
    months: list[str]
    slips: int = 0
    accepted: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    failed: list[tuple[int, Exception | None]] = field(default_factory=list)  # accepted slips that failed
    refused: list[tuple[str, Exception]] = field(default_factory=list)  # slips refused at entry
    seconds: float = 0.0


def run_stream(ctx: Context, province_code: str, *, months: int, seed: int = 1, start: dt.date,
               progress: Callable[[str, int], None] | None = None) -> StreamReport:
    """Generate, submit and accept ``months`` months of slips after ``start`` for the province's areas."""
    if not 1 <= months <= 120:
        raise InvalidInput([Problem("demo.months", "months", "demo", {"value": months})])
    began = time.perf_counter()
    with ctx.engine.connect() as conn:
        province = resolve(conn, province_code, start, Level.PROVINCE, field="province")
        areas = sorted(a for a, _ in units_repo.areas_under(conn, province.id, start))
        codes = stream_repo.area_codes(conn, areas)
    report = StreamReport(s.months_after(start, months))
    if not areas:
        return report
    for month in report.months:
        rnd = random.Random(f"{seed}:{month}")
        salt = (seed * 7_919 + (int(month[:4]) * 12 + int(month[5:])) * 104_729) % 1_000_003  # a month's own draw
        new = _month_slips(ctx, areas, codes, month, rnd, salt, seed)
        _enter_and_accept(ctx, new, month, report)
        first, last = s.month_days(month)
        screenings = _newborn_screenings(ctx, areas, codes, month, rnd, seed)
        _enter_and_accept(ctx, screenings, month, report)
        if progress:
            progress(month, report.accepted)
    report.seconds = time.perf_counter() - began
    return report


def _enter_and_accept(ctx: Context, new: list[NewSlip], month: str, report: StreamReport) -> None:
    if not new:
        return
    _, last = s.month_days(month)
    try:
        views = slips_svc.import_slips(ctx, new, actor=CTV, confirm=True, today=last)
    except InvalidInput:  # the month's file refused whole: enter the slips one by one, keeping the valid ones
        views = []
        for n in new:
            try:
                views += slips_svc.import_slips(ctx, [n], actor=CTV, confirm=True, today=last)
            except InvalidInput as e:
                report.refused.append((n.client_id, e))
    ids = [v.id for v, created in views if created]
    results = slips_svc.accept_slips(ctx, ids, OFFICER, confirm=True, today=last)
    report.slips += len(ids)
    for n in new:
        report.by_kind[n.kind] = report.by_kind.get(n.kind, 0) + 1
    for r in results:
        if r.accepted:
            report.accepted += 1
        else:
            report.failed.append((r.slip_id, r.error))


def _month_slips(ctx: Context, areas: list[int], codes: dict[int, str], month: str, rnd: random.Random, salt: int,
                 seed: int) -> list[NewSlip]:
    first, last = s.month_days(month)
    out: list[NewSlip] = []
    taken: set[int] = set()

    def add(kind: str, person: int, area_id: int, data: dict) -> None:
        taken.add(person)
        out.append(NewSlip(f"demo-{seed}-{month}-{kind}-{person}", kind, codes[area_id], data, month, submit=True))

    with ctx.engine.connect() as conn:
        for r in stream_repo.sample_residents(conn, areas, first, salt + 1, s.DEATHS):
            add("death", r.person_id, r.area_id, {"person": r.person_id, "date": _d(s.a_day(rnd, month))})
        women = stream_repo.women_followup(conn, areas, first)
        surnames = stream_repo.household_surnames(conn, [w.household_id for w in women if w.pregnant_since])
        namer = s.Namer(rnd)
        for w in women:
            if w.person_id not in taken:
                _woman(w, month, first, last, rnd, namer, surnames, add)
        for r in stream_repo.sample_residents(conn, areas, first, salt + 2, s.MARRIAGES, "AND p.marital = '1'"):
            if r.person_id not in taken:
                add("marriage", r.person_id, r.area_id, {"person": r.person_id, "date": _d(s.a_day(rnd, month))})
        moved_out = stream_repo.sample_residents(conn, areas, first, salt + 3, s.MOVES_OUT, "AND m.relation <> '01'")
        for r in moved_out:
            if r.person_id not in taken:
                add("move_out", r.person_id, r.area_id, {"person": r.person_id, "date": _d(s.a_day(rnd, month)),
                                                          "destination": "Tỉnh/thành phố khác"})
        for r in moved_out[: int(len(moved_out) * s.MOVES_IN_PER_OUT)]:
            _move_in(r, month, rnd, namer, out, codes, seed)
        for r in stream_repo.sample_residents(conn, areas, first, salt + 4, s.ELDERLY_CHECKS):
            if r.person_id not in taken:
                add("elderly_checkup", r.person_id, r.area_id, {"person": r.person_id,
                                                                 "date": _d(s.a_day(rnd, month))})
        for r in stream_repo.sample_residents(conn, areas, first, salt + 5, s.RESIDENCE_AWAY,
                                              "AND m.residence = '1' AND m.relation <> '01'"):
            if r.person_id not in taken:
                add("info_change", r.person_id, r.area_id, {"person": r.person_id, "date": _d(s.a_day(rnd, month)),
                                                             "residence": "4"})
    return out


def _woman(w, month: str, first: dt.date, last: dt.date, rnd: random.Random, namer: s.Namer,  # noqa: ANN001
           surnames: dict[int, str], add: Callable) -> None:
    """What happens this month to a married woman 15–49: a birth, a loss, a screening, a pregnancy, or a
    change of method."""
    pid, area = w.person_id, w.area_id
    if w.pregnant_since is not None:
        since = w.pregnant_since if isinstance(w.pregnant_since, dt.date) else dt.date.fromisoformat(w.pregnant_since)
        lost = (pid * 31 + since.toordinal()) % 100 < s.LOSS_SHARE * 100
        due = since + dt.timedelta(days=s.LOSS_DAYS if lost else s.PREGNANCY_DAYS)
        due = max(due, first)
        if due <= last:
            if lost:
                add("pregnancy", pid, area, {"person": pid, "date": _d(due), "event": rnd.choice("23")})
                return
            sex = s.baby_sex(rnd)
            add("birth", pid, area, {
                "household": w.household_id, "date": _d(due), "mother": pid,
                "full_name": namer.name(surnames.get(w.household_id, ""), sex), "sex": sex,
                "ethnicity": w.ethnicity, "relation": s.child_relation(w.relation), "place": "1" if rnd.random() < 0.96
                else "2", "birth_order": max(w.children, w.living) + 1})
            return
        screen_on = since + dt.timedelta(days=90)
        if first <= screen_on <= last and rnd.random() < s.PRENATAL_SCREENED:
            add("prenatal_screening", pid, area, {"person": pid, "date": _d(screen_on), "week": 16,
                                                  "conditions": ["1", "2", "3"], "place": "1"})
        return
    day = _d(s.a_day(rnd, month))
    u = rnd.random() * 100_000
    if w.age >= 49:  # may turn 50 before the day drawn
        return
    if w.method is None:
        if u < s.CONCEPTION_NON_USER[s.five_year(w.age)]:
            add("pregnancy", pid, area, {"person": pid, "date": day, "event": "1"})
        elif u < s.CONCEPTION_NON_USER[s.five_year(w.age)] + s.START_METHOD:
            add("contraception_start", pid, area, {"person": pid, "date": day,
                                                   "method": s.method_for(rnd, w.children), "place": "1"})
    elif u < s.STOP_METHOD and w.method not in ("2", "3"):
        add("contraception_stop", pid, area, {"person": pid, "date": day, "reason": "Muốn có con"})
    elif u < s.STOP_METHOD + s.SWITCH_METHOD and w.method not in ("2", "3"):
        method = s.method_for(rnd, w.children)
        if method != w.method:
            add("contraception_start", pid, area, {"person": pid, "date": day, "method": method, "place": "1"})


def _move_in(r, month: str, rnd: random.Random, namer: s.Namer, out: list[NewSlip],  # noqa: ANN001
             codes: dict[int, str], seed: int) -> None:
    """Someone arrives from another commune to live in the household of a person who left (a daughter- or
    son-in-law, a relative, a lodger)."""
    sex = "2" if rnd.random() < 0.55 else "1"
    age = 20 + int(rnd.random() * 16)
    first, _ = s.month_days(month)
    birth = dt.date(first.year - age, 1 + int(rnd.random() * 12), 1 + int(rnd.random() * 28))
    surname = rnd.choice(("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ"))
    relation = rnd.choice(("05", "11", "12"))
    out.append(NewSlip(f"demo-{seed}-{month}-move_in-{r.person_id}", "move_in", codes[r.area_id], {
        "household": r.household_id, "date": _d(s.a_day(rnd, month)), "origin": "Xã khác",
        "full_name": namer.name(surname, sex), "sex": sex, "birth": _d(birth), "ethnicity": "01",
        "education": "7", "marital": "2" if relation == "05" else "1", "relation": relation, "residence": "1"},
        month, submit=True))


def _newborn_screenings(ctx: Context, areas: list[int], codes: dict[int, str], month: str, rnd: random.Random,
                        seed: int) -> list[NewSlip]:
    first, last = s.month_days(month)
    out = []
    with ctx.engine.connect() as conn:
        for r in stream_repo.newborns_unscreened(conn, areas, first, last - dt.timedelta(days=3)):
            if rnd.random() >= s.NEWBORN_SCREENED:
                continue
            born = dt.date(r.birth_year, r.birth_month, r.birth_day)
            results = {c: ("2" if rnd.random() < 0.003 else "1") for c in ("1", "2", "3")}
            out.append(NewSlip(f"demo-{seed}-{month}-newborn-{r.person_id}", "newborn_screening", codes[r.area_id],
                               {"person": r.person_id, "date": _d(born + dt.timedelta(days=2)), "results": results},
                               month, submit=True))
    return out


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")
