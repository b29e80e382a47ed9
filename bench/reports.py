#!/usr/bin/env python3
"""Reports benchmark (issue 4), at Hải Phòng scale by default (2,130,000 persons, 114 communes, twelve months of
slips: November 2025 – October 2026), for each engine, on the kept register of bench/hp_db.py (read only:
the base itself, no copy), for the last month of the history (October 2026; ``--month`` another):

* all communes' monthly reports + the province roll-up: (a) the province report, one column per commune
  (every commune's figures and their sum); (b) every commune's own report built one by one, then the province
  report — target ≤ 10 s;
* one commune's monthly report: p50 / p95 / max over the communes — target p95 ≤ 300 ms; also with its XLSX;
* the annual province report (the calendar year of the last month), the nine months and the quarter — reported;
* the exports of the province's monthly report (JSON, XLSX, PDF) — reported.

While timing it checks the roll-up (the province's column of each commune equals that commune's own report, and
the province total their sum, for every count) and, with both engines, that SQLite and PostgreSQL give the same
reports (the JSON export without its creation time).

    python3 tasks.py bench reports                                       # full scale, both engines
    python3 tasks.py bench reports --persons 30000 --months 2 --workdir /tmp/reportsbench   # quicker

Prints a table and writes bench/results/reports.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hp_db import _exists, _names, base_database  # noqa: E402
from run import HAIPHONG_PERSONS, PROVINCE, RESULTS  # noqa: E402

TARGETS = {"all_monthly_s": 10.0, "commune_p95_s": 0.3}


def last_month(next_month: str) -> str:
    y, m = (int(x) for x in next_month.split("-"))
    y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return f"{y:04d}-{m:02d}"


def periods(month: str) -> dict[str, str]:
    """The periods measured: the month, the last quarter ended by then, the first nine months and the calendar
    year of that month (see bench/README.md)."""
    y, m = (int(x) for x in month.split("-"))
    qy, q = (y, m // 3) if m >= 3 else (y - 1, 4)
    return {"month": f"{y:04d}-{m:02d}", "quarter": f"{qy:04d}-Q{q}", "nine_months": f"{y:04d}-9T", "year": f"{y:04d}"}


def timed(fn, *args, **kw):  # noqa: ANN001, ANN002, ANN003, ANN201
    t = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t, out


def quantile(xs: list[float], q: float) -> float:
    """Nearest-rank quantile (p95 of 114 values: the 109th smallest)."""
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, math.ceil(q * len(s)) - 1))]


def comparable(report) -> dict:  # noqa: ANN001
    """The JSON export of a report without its creation time."""
    from danso.exports.machine import report_dict

    d = json.loads(json.dumps(report_dict(report), ensure_ascii=False))
    d.pop("created_at")
    return d


QUERIES = ("placed_areas", "population_totals", "population", "contraceptive_users", "pregnant_women", "households",
           "births", "deaths", "event_counts", "persons_served")


def query_times(ctx, unit: str, period: str) -> dict[str, float]:  # noqa: ANN001
    """Seconds spent in each query of danso.storage.report_queries (all its calls) while one report is built,
    and the whole under ``total``."""
    from danso.services.reports import build_report
    from danso.storage import report_queries as q

    spent: Counter = Counter()
    saved = {name: getattr(q, name) for name in QUERIES}

    def timing(name: str, fn):  # noqa: ANN001, ANN202
        def wrapper(*args, **kw):  # noqa: ANN002, ANN003, ANN202
            t = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                spent[name] += time.perf_counter() - t
        return wrapper

    try:
        for name, fn in saved.items():
            setattr(q, name, timing(name, fn))
        spent["total"], _ = timed(build_report, ctx, unit, period)
    finally:
        for name, fn in saved.items():
            setattr(q, name, fn)
    return {k: round(v, 4) for k, v in spent.most_common()}


def check_sum(report) -> int:  # noqa: ANN001
    """The report's total equals the sum of its columns for every count; returns the number of count keys."""
    summed: Counter = Counter()
    for c in report.columns:
        summed.update(c.counts)
    keys = set(summed) | set(report.counts)
    bad = sorted(k for k in keys if summed.get(k, 0) != report.counts.get(k, 0))
    if bad:
        raise AssertionError(f"{report.unit.code} {report.period.code}: total ≠ sum of the columns for {bad[:5]}")
    return len(keys)


def check_rollup(province, communes: dict) -> int:  # noqa: ANN001
    """Each commune's column of the province report equals that commune's own report, for every count;
    returns the number of (commune, count) pairs compared."""
    by_code = {c.unit.code: c for c in province.columns if c.unit is not None}
    extra = [c for c in province.columns if c.unit is None or c.unit.code not in communes]
    if extra or set(by_code) != set(communes):
        raise AssertionError(f"province columns ≠ the communes: {len(by_code)} columns, {len(communes)} communes, "
                             f"{len(extra)} other columns")
    n = 0
    for code, own in communes.items():
        col = by_code[code].counts
        keys = set(col) | set(own.counts)
        bad = sorted(k for k in keys if col.get(k, 0) != own.counts.get(k, 0))
        if bad:
            raise AssertionError(f"commune {code}: its province column ≠ its own report for {bad[:5]}")
        n += len(keys)
    return n


def being_built(engine: str, persons: int, seed: int, workdir: Path) -> str | None:
    """Why the base must not be touched: it exists without its marker, so another run is loading its register
    (or left it incomplete) — and bench/hp_db.py would delete and rebuild it."""
    url, marker = _names(engine, persons, seed, workdir)
    if not marker.exists() and _exists(url):
        return (f"[{engine}] {url} exists without {marker}: another run is building it (or it was left "
                "incomplete). Wait for it, or delete both to rebuild.")
    return None


def bench_engine(engine: str, persons: int, months: int, seed: int, workdir: Path, repeat: int,
                 sample: int | None, month: str | None) -> tuple[dict, dict[str, dict]]:
    """The figures of one engine, and the reports it built (for the comparison between engines)."""
    from danso.bootstrap import build
    from danso.config import Settings
    from danso.exports.machine import to_json
    from danso.exports.pdf import to_pdf
    from danso.exports.xlsx import to_xlsx
    from danso.services.reports import build_report, build_reports
    from danso.services.units import resolve
    from danso.storage import units_repo

    base = base_database(engine, persons=persons, months=None if months < 0 else months, seed=seed, workdir=workdir)
    held = last_month(base.next_month)
    if month and month > held:
        sys.exit(f"[{engine}] the register holds slips up to {held}; --month {month} is after it")
    ps = periods(month or held)
    month = ps["month"]
    ctx = build(Settings(base.url))
    report = lambda unit, period: build_report(ctx, unit, period)  # noqa: E731
    analyzed = None
    if engine == "postgresql":  # the planner's statistics as autovacuum keeps them (a test server may run without)
        with ctx.engine.connect() as conn:
            analyzed = conn.exec_driver_sql("SHOW autovacuum").scalar() == "off"
            if analyzed:
                print(f"[{engine}] autovacuum is off on this server: ANALYZE first …", flush=True)
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
    with ctx.engine.connect() as conn:
        end = report_end(month)
        province = resolve(conn, PROVINCE, end)
        communes = [r.unit.code for r in units_repo.children(conn, province.id, end)]
    out: dict = {"engine": engine, "persons": persons, "months": base.months, "history_to": held, "periods": ps,
                 "communes": len(communes),
                 "base": {k: base.info.get(k) for k in ("on", "built", "stream_slips", "stream_accepted")},
                 "analyzed_first": analyzed,
                 "load_before": os.getloadavg()[0]}
    built: dict[str, dict] = {}

    print(f"[{engine}] warm-up …", flush=True)
    warm = report(PROVINCE, month)
    to_xlsx(report(communes[0], month))
    to_json(warm), to_pdf(warm)

    print(f"[{engine}] (a) the province's monthly report ×{repeat} …", flush=True)
    times = []
    for _ in range(repeat):
        t, prov = timed(report, PROVINCE, month)
        times.append(t)
    out["province_month_s"] = statistics.median(times)
    out["province_month_runs_s"] = times
    out["province_columns"] = len([c for c in prov.columns if c.unit is not None])
    out["province_population"] = prov.total["population"].value
    built[f"{PROVINCE} {month}"] = comparable(prov)
    keys = check_sum(prov)

    print(f"[{engine}] (b) every commune's own report + the province's, in one pass ×{repeat} …", flush=True)
    totals = []
    for _ in range(repeat):
        t, batch = timed(build_reports, ctx, PROVINCE, month)
        totals.append(t)
    out["all_communes_and_province_s"] = statistics.median(totals)
    out["all_communes_and_province_runs_s"] = totals
    prov_b, own = batch[0], {r.unit.code: r for r in batch[1:]}
    pairs = check_rollup(prov_b, own)
    keys = max(keys, check_sum(prov_b))
    if comparable(prov_b) != comparable(prov):
        raise AssertionError("the province's report from the pass ≠ the province's report alone")
    for code, r in own.items():
        check_sum(r)

    chosen = communes if not sample or sample >= len(communes) else random.Random(seed).sample(communes, sample)
    print(f"[{engine}] one commune's report (+ XLSX) for {len(chosen)} communes, each alone …", flush=True)
    build_s, with_xlsx_s = [], []
    for code in chosen:
        t, r = timed(report, code, month)
        tx, _ = timed(to_xlsx, r)
        build_s.append(t)
        with_xlsx_s.append(t + tx)
        built[f"{code} {month}"] = comparable(r)
        if built[f"{code} {month}"] != comparable(own[code]):
            raise AssertionError(f"commune {code}: its report from the province's pass ≠ its report alone")
    worst = chosen[build_s.index(max(build_s))]
    out["commune"] = {"n": len(chosen), "p50_s": statistics.median(build_s), "p95_s": quantile(build_s, 0.95),
                      "max_s": max(build_s), "max_commune": worst, "sum_s": sum(build_s),
                      "xlsx_p50_s": statistics.median(with_xlsx_s), "xlsx_p95_s": quantile(with_xlsx_s, 0.95),
                      "xlsx_max_s": max(with_xlsx_s)}
    out["checks"] = {"count_keys": keys, "commune_count_pairs": pairs,
                     "rollup": f"province total = sum of its {len(communes)} commune columns ({keys} counts); each "
                               f"column = that commune's own report from the pass ({pairs:,} commune × count pairs)",
                     "pass_equals_alone": f"the pass's province report and its {len(chosen)} communes' reports "
                                          "(JSON) = each built alone"}
    print(f"[{engine}] checked: {out['checks']['rollup']}; {out['checks']['pass_equals_alone']}", flush=True)

    for kind in ("quarter", "nine_months", "year"):
        period = ps[kind]
        print(f"[{engine}] the province's report for {period} ×{repeat} …", flush=True)
        times = []
        for _ in range(repeat):
            t, r = timed(report, PROVINCE, period)
            times.append(t)
        out[f"province_{kind}_s"] = statistics.median(times)
        out[f"province_{kind}_runs_s"] = times
        check_sum(r)
        built[f"{PROVINCE} {period}"] = comparable(r)

    print(f"[{engine}] exports of the province's monthly report …", flush=True)
    out["export_s"] = {"json": timed(to_json, prov)[0], "xlsx": timed(to_xlsx, prov)[0], "pdf": timed(to_pdf, prov)[0]}
    print(f"[{engine}] where the time goes: each query of the province's and the slowest commune's report …", flush=True)
    out["queries_s"] = {f"province {month}": query_times(ctx, PROVINCE, month),
                        f"commune {worst} {month}": query_times(ctx, worst, month)}
    out["load_after"] = os.getloadavg()[0]
    ctx.close()
    return out, built


def report_end(month: str) -> dt.date:
    from danso.domain.periods import parse_period

    return parse_period(month).end


def compare_engines(built: dict[str, dict[str, dict]]) -> dict:
    """The same reports from every engine, compared; the differences named (first ten)."""
    engines = list(built)
    if len(engines) < 2:
        return {"compared": False, "line": "SQLite vs PostgreSQL: not compared (one engine benchmarked)"}
    a, b = (built[e] for e in engines[:2])
    diffs = []
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            diffs.append(f"{name}: only on one engine")
            continue
        if a[name] != b[name]:
            ia = {i["code"]: i for i in a[name]["indicators"]}
            ib = {i["code"]: i for i in b[name]["indicators"]}
            codes = [c for c in ia if ia[c] != ib.get(c)]
            diffs.append(f"{name}: {', '.join(codes[:5]) or 'heading'}")
    n = len(set(a) & set(b))
    line = (f"{engines[0]} = {engines[1]}: the JSON exports (without their creation time) of {n} reports identical"
            if not diffs else f"{engines[0]} ≠ {engines[1]}: {len(diffs)} of {n} reports differ — {'; '.join(diffs[:10])}")
    return {"compared": True, "reports": n, "identical": not diffs, "differences": diffs[:50], "line": line}


def table(results: list[dict], args: argparse.Namespace):  # noqa: ANN201
    from rich.table import Table

    t = Table(title=f"danso reports benchmark — {args.persons:,} persons, month {results[0]['periods']['month']}, "
                    f"median of {args.repeat}")
    t.add_column("figure")
    for r in results:
        t.add_column(r["engine"], justify="right")
    t.add_column("target", justify="right")
    p = results[0]["periods"]
    n = results[0]["communes"]

    def row(label: str, fn, target: str = "") -> None:  # noqa: ANN001
        t.add_row(label, *(fn(r) for r in results), target)

    row("slips in the register", lambda r: f"{r['months']} months, to {r['history_to']}")
    row(f"(a) province {p['month']}, one column per commune", lambda r: f"{r['province_month_s']:.2f} s")
    row(f"(b) the {n} communes' own reports + province, one pass", lambda r: f"{r['all_communes_and_province_s']:.2f} s",
        "≤ 10 s")
    row("    (the communes built one by one instead)", lambda r: f"{r['commune']['sum_s']:.2f} s"
        + ("" if r["commune"]["n"] == n else f" ({r['commune']['n']} of {n})"))
    row("one commune p50 / p95 / max", lambda r: f"{r['commune']['p50_s'] * 1000:.0f} / {r['commune']['p95_s'] * 1000:.0f}"
        f" / {r['commune']['max_s'] * 1000:.0f} ms", "p95 ≤ 300 ms")
    row("  with its XLSX p50 / p95 / max", lambda r: f"{r['commune']['xlsx_p50_s'] * 1000:.0f} / "
        f"{r['commune']['xlsx_p95_s'] * 1000:.0f} / {r['commune']['xlsx_max_s'] * 1000:.0f} ms")
    for kind, label in (("quarter", "quarter"), ("nine_months", "9 months"), ("year", "year")):
        row(f"province {p[kind]} ({label})", lambda r, k=kind: f"{r[f'province_{k}_s']:.2f} s")
    row("province export JSON / XLSX / PDF", lambda r: " / ".join(f"{r['export_s'][k]:.2f}" for k in
                                                                ("json", "xlsx", "pdf")) + " s")
    row("load average before / after", lambda r: f"{r['load_before']:.1f} / {r['load_after']:.1f}")
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=HAIPHONG_PERSONS)
    ap.add_argument("--months", type=int, default=12, help="months of slips in the kept register (grown to that "
                    "many if it holds fewer, see bench/hp_db.py; --months -1: use it as it is)")
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path("/work/benchdb"), help="where the kept bases are")
    ap.add_argument("--month", help="the month measured, YYYY-MM (default: the last month of the history; "
                    "to compare engines whose registers hold different months)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each big figure (the median is reported)")
    ap.add_argument("--sample", type=int, default=None,
                    help="communes timed one by one for the commune figure (default: all of them)")
    ap.add_argument("-o", "--output", type=Path, default=RESULTS / "reports.json")
    args = ap.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for e in engines:  # refuse before timing anything (a missing base is built, as the slips benchmark does)
        if why := being_built(e, args.persons, args.seed, args.workdir):
            sys.exit(why)
    results, built = [], {}
    for e in engines:
        r, built[e] = bench_engine(e, args.persons, args.months, args.seed, args.workdir, args.repeat, args.sample,
                                   args.month)
        results.append(r)
        print(json.dumps(r, ensure_ascii=False), flush=True)  # each engine's figures as soon as known
    same = compare_engines(built)
    from rich.console import Console

    Console(width=170).print(table(results, args))
    for r in results:
        print(f"[{r['engine']}] roll-up: {r['checks']['rollup']}")
        for name, spent in r["queries_s"].items():
            print(f"[{r['engine']}] {name}: " + ", ".join(f"{k} {v:.2f} s" for k, v in spent.items()))
    print(same["line"])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({
        "benchmark": "reports", "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "targets": TARGETS, "results": results, "engines_identical": same}, indent=2, ensure_ascii=False))
    print(f"JSON: {args.output}")


if __name__ == "__main__":
    main()
