#!/usr/bin/env python3
"""Forecast benchmark (issue 6): on a Hải Phòng-scale register (``danso demo --province 31 --persons
2130000``, SQLite), time deriving the inputs of the province and of all its communes from the register and
projecting each of them 30 years (5-year steps), the communes controlled to the province; then the same with
single-year steps. Target: ≤ 10 s in total.

    .venv/bin/python bench/forecast.py                    # full scale (builds the register once, ~2 min)
    .venv/bin/python bench/forecast.py --persons 200000   # quicker

The register is built in a temporary directory (or reused from ``--db-dir``). Prints a table and writes
bench/results/forecast.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BASE_DATE = dt.date(2025, 12, 31)
TARGET_SECONDS = 10.0


def build_register(db_dir: Path, persons: int) -> tuple[str, float | None]:
    """A SQLite register with the official units and a demo population of Hải Phòng; reused if present."""
    path = db_dir / f"haiphong-{persons}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        return url, None
    danso = [sys.executable, "-m", "danso", "--db", url]
    started = time.perf_counter()
    for args in (["init"], ["units", "load"], ["demo", "--province", "31", "--persons", str(persons)]):
        subprocess.run(danso + args, check=True, stdout=subprocess.DEVNULL)
    return url, time.perf_counter() - started


def measure(url: str, years: int, step: int) -> dict[str, float]:
    from danso.bootstrap import build
    from danso.config import Settings
    from danso.forecast.run import run_forecast
    from danso.forecast.scenarios import BUILTIN
    from danso.services import forecasts

    ctx = build(Settings(url))
    try:
        c0, t0 = time.process_time(), time.perf_counter()
        derived = forecasts.derive_inputs(ctx, "31", BASE_DATE, width=step, with_communes=True)
        t1 = time.perf_counter()
        province = run_forecast(derived.inputs, BUILTIN["medium"], years)
        communes = [run_forecast(inputs, BUILTIN["medium"], years) for _, inputs in derived.communes]
        t2 = time.perf_counter()
        controlled = forecasts.controlled_projections(province.projection, [f.projection for f in communes])
        t3, c3 = time.perf_counter(), time.process_time()
    finally:
        ctx.close()
    gap = abs(sum(p.population for p in controlled) - province.projection.population).max()
    return {"step": step, "communes": len(communes), "persons_base": float(derived.inputs.population.sum()),
            "derive_s": t1 - t0, "project_s": t2 - t1, "control_s": t3 - t2, "total_s": t3 - t0, "total_cpu_s": c3 - c0,
            "max_sum_gap": float(gap), "population_end": float(province.projection.population[-1].sum())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=2_130_000)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--db-dir", type=Path, help="Directory holding (or to hold) the register; default a temp dir.")
    args = ap.parse_args()
    db_dir = args.db_dir or Path(tempfile.mkdtemp(prefix="danso-bench-forecast-"))
    db_dir.mkdir(parents=True, exist_ok=True)
    url, build_s = build_register(db_dir, args.persons)
    load_before = os.getloadavg()[0]  # other work on the machine slows every figure
    runs = [measure(url, args.years, step) for step in (5, 1)]
    print(f"Register: {args.persons:,} persons requested, {runs[0]['persons_base']:,.0f} residents on "
          f"{BASE_DATE:%d/%m/%Y}, {runs[0]['communes']} communes" + (f" (built in {build_s:.0f} s)" if build_s else ""))
    print(f"Load average before the runs: {load_before:.2f} on {os.cpu_count()} CPUs")
    print(f"{'step':>4} {'derive s':>9} {'project s':>10} {'control s':>10} {'total s':>8} {'CPU s':>6} {'target':>7}")
    for r in runs:
        ok = "ok" if r["total_s"] <= TARGET_SECONDS else "MISSED"
        print(f"{r['step']:>4} {r['derive_s']:>9.2f} {r['project_s']:>10.2f} {r['control_s']:>10.3f} "
              f"{r['total_s']:>8.2f} {r['total_cpu_s']:>6.2f} {ok:>7}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = {"benchmark": "forecast", "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
           "machine": {"python": platform.python_version(), "platform": platform.platform(),
                       "processor": platform.processor() or platform.machine()},
           "load_average_1min_before": load_before,
           "persons": args.persons, "years": args.years, "engine": "sqlite", "target_s": TARGET_SECONDS,
           "build_register_s": build_s, "runs": runs}
    (RESULTS / "forecast.json").write_text(json.dumps(out, indent=2), encoding="utf-8")
    print(f"Wrote {RESULTS / 'forecast.json'}")


if __name__ == "__main__":
    main()
