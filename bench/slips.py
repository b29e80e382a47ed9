#!/usr/bin/env python3
"""Collection-slips benchmark (issue 3), at Hải Phòng scale by default, for each engine:

* build the register (``danso demo --province 31 --persons 2130000 --on 31/10/2025``) and accept ``--months``
  months of the demo's stream of slips (every slip entered, submitted, checked and accepted through the
  services) — kept in ``--workdir`` and reused by the next run and by the reports and web benchmarks
  (bench/hp_db.py); the figures below are taken on a copy;
* then, for the next month (November 2026): enter and submit the province's slips, and accept 10,000 of them in one batch
  (a large commune's month) — target ≤ 10 s;
* the state of the largest commune (≈ 30,000 persons at full scale) on a past date: its summary by sex, age
  group and household, from the dated state — target ≤ 1 s;
* replay of the whole log into an empty database, checked identical table by table — time reported.

    python3 tasks.py bench slips                          # full scale, both engines (long: see bench/README.md)
    .venv/bin/python bench/slips.py --persons 200000 --months 2 --engines sqlite   # quicker

Prints a table and writes bench/results/slips.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hp_db import base_database, copy_of  # noqa: E402
from run import HAIPHONG_PERSONS, PROVINCE, RESULTS, fresh_database  # noqa: E402

BATCH = 10_000


def bench_engine(engine: str, persons: int, months: int, seed: int, workdir: Path, replay: bool = True) -> dict:
    from danso.bootstrap import build
    from danso.config import Settings
    from danso.demo import stream as s
    from danso.services import registry, slips
    from danso.services.demo_stream import _month_slips
    from danso.storage import stream_repo, units_repo

    base = base_database(engine, persons=persons, months=None if months < 0 else months, seed=seed, workdir=workdir)
    out: dict = {"engine": engine, "persons": persons, "months": base.months, "on": base.info["on"],
                 **{k: v for k, v in base.info.items() if k.startswith(("demo_", "stream_"))}}
    url, drop = copy_of(base)
    target, drop_target = fresh_database(engine, workdir)
    try:
        ctx = build(Settings(url))
        month = base.next_month
        first, last = s.month_days(month)
        with ctx.engine.connect() as conn:
            province = units_repo.find_by_code(conn, PROVINCE, last)[0]
            areas = sorted(a for a, _ in units_repo.areas_under(conn, province.id, last))
            codes = stream_repo.area_codes(conn, areas)
        print(f"[{engine}] month {month}: enter and submit …", flush=True)
        new = _month_slips(ctx, areas, codes, month, random.Random(f"{seed}:{month}"), 7 + months, seed)
        t = time.perf_counter()
        views = slips.import_slips(ctx, new, actor="bench (CTV)", confirm=True, today=last)
        out["submit_s"] = time.perf_counter() - t
        ids = [v.id for v, _ in views]
        out["month_slips"] = len(ids)
        batch = ids[:BATCH]
        print(f"[{engine}] accept {len(batch):,} slips …", flush=True)
        t = time.perf_counter()
        results = slips.accept_slips(ctx, batch, "bench (cán bộ xã)", confirm=True, today=last)
        out["accept_s"] = time.perf_counter() - t
        out["accepted"] = sum(r.accepted for r in results)
        out["accept_per_10k_s"] = out["accept_s"] * BATCH / max(1, len(batch))
        slips.accept_slips(ctx, ids[BATCH:], "bench (cán bộ xã)", confirm=True, today=last)
        out.update(_past_state(ctx, registry, last))
        if replay:
            print(f"[{engine}] replay the log …", flush=True)
            rep = slips.replay_log(ctx, target)
            out.update(replay_s=rep.seconds, replay_events=rep.events, replay_identical=rep.identical)
        ctx.close()
    finally:
        drop_target()
        drop()
    return out


def _past_state(ctx, registry, last: dt.date) -> dict:  # noqa: ANN001
    """The largest commune's summary on a date half a year back, timed five times."""
    from sqlalchemy import text

    with ctx.engine.connect() as conn:
        row = conn.execute(text("""
SELECT u.code, count(*) AS n FROM memberships m JOIN households h ON h.id = m.household_id
JOIN unit_links a ON a.child_id = h.area_id JOIN unit_links v ON v.child_id = a.parent_id
JOIN units u ON u.id = v.parent_id AND u.level = 'commune'
WHERE m.valid_to IS NULL GROUP BY u.code ORDER BY n DESC LIMIT 1""")).one()
    on = last - dt.timedelta(days=182)
    timings = []
    for _ in range(5):
        t = time.perf_counter()
        summary = registry.summary(ctx, row.code, on)
        timings.append(time.perf_counter() - t)
    return {"past_state_commune": row.code, "past_state_persons": summary.persons, "past_state_on": on.isoformat(),
            "past_state_p50_s": statistics.median(timings), "past_state_max_s": max(timings)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=HAIPHONG_PERSONS)
    ap.add_argument("--months", type=int, default=12, help="months of slips accepted before measuring (the kept "
                    "register is grown to that many; --months -1: use it as it is)")
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path("/work/benchdb"), help="where the kept registers are")
    ap.add_argument("--no-replay", action="store_true", help="leave out the replay of the log (the longest part: "
                    "about 10 minutes an engine for a year of history)")
    ap.add_argument("-o", "--output", type=Path, default=RESULTS / "slips.json")
    args = ap.parse_args()
    results = []
    for e in (e.strip() for e in args.engines.split(",") if e.strip()):
        results.append(bench_engine(e, args.persons, args.months, args.seed, args.workdir, not args.no_replay))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)  # each engine's figures as soon as known
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"danso slips benchmark — {args.persons:,} persons, {args.months} months of slips")
    for col in ("engine", "stream slips", "stream s", "month slips", "submit s", "accept 10k s",
                "past state s (persons)", "replay events", "replay s", "identical"):
        t.add_column(col, justify="right")
    for r in results:
        t.add_row(r["engine"], f"{r.get('stream_slips', 0):,}", f"{r.get('stream_s', 0):.0f}", f"{r['month_slips']:,}",
                  f"{r['submit_s']:.1f}", f"{r['accept_per_10k_s']:.1f}",
                  f"{r['past_state_p50_s']:.2f} ({r['past_state_persons']:,})", f"{r.get('replay_events', 0):,}",
                  f"{r['replay_s']:.0f}" if "replay_s" in r else "—",
                  ("yes" if r["replay_identical"] else "NO") if "replay_s" in r else "—")
    Console(width=170).print(t)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({
        "benchmark": "slips", "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "targets": {"accept_10k_s": 10, "past_state_s": 1}, "results": results}, indent=2, ensure_ascii=False))
    print(f"JSON: {args.output}")


if __name__ == "__main__":
    main()
