#!/usr/bin/env python3
"""danso benchmarks. Run with ``python3 tasks.py bench`` (or ``.venv/bin/python bench/run.py``).

Foundation (issue: registry on SQLite and PostgreSQL), at Hải Phòng scale by default
(555,000 households, 2,130,000 persons), for each engine:

* generate + load: ``danso demo`` run as a separate process, wall time, peak memory of its process tree
  (RSS sampled every 0.1 s from /proc), database size afterwards;
* raw bulk-load floor: the same rows, generated beforehand and held in memory, inserted bare
  (one ``executemany`` per table on SQLite, ``COPY`` on PostgreSQL) into an empty database with the same
  schema, in one transaction; the ratio generate+load / floor;
* name search latency: 1,000 random queries through the search service (p50 / p95).

Prints a table and writes JSON to bench/results/foundation.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_ADMIN = os.environ.get("DANSO_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PROVINCE = "31"  # Hải Phòng: 114 communes since 01/07/2025
HAIPHONG_PERSONS = 2_130_000


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    total = 0
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        stack.extend(children.get(p, []))
    return total


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run a command; return (seconds, peak RSS of its process tree in bytes)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    stop.set()
    t.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return time.perf_counter() - start, peak


def fresh_database(engine_name: str, workdir: Path) -> tuple[str, callable]:
    if engine_name == "sqlite":
        path = workdir / f"bench-{uuid.uuid4().hex[:6]}.db"
        return f"sqlite:///{path}", lambda: [p.unlink(missing_ok=True) for p in workdir.glob(path.name + "*")]
    name = f"danso_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False), drop


def database_size(url: str) -> int:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return sum(p.stat().st_size for p in Path(u.database).parent.glob(Path(u.database).name + "*"))
    with create_engine(url).connect() as c:
        return c.execute(text("SELECT pg_database_size(current_database())")).scalar_one()


def danso(url: str, *args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "danso"), "--db", url, *args]


def prepare(url: str) -> None:
    env = dict(os.environ)
    for args in (("init",), ("units", "load")):
        subprocess.run(danso(url, *args), check=True, env=env, stdout=subprocess.DEVNULL)


def raw_floor(url: str, persons: int, seed: int) -> float:
    """Insert pre-built rows bare, in one transaction; rows are generated before the clock starts."""
    from danso.bootstrap import build
    from danso.config import Settings
    from danso.demo.generator import generate
    from danso.demo.rows import (
        CONTRACEPTIVE_COLUMNS, HOUSEHOLD_COLUMNS, MEMBERSHIP_COLUMNS, PERSON_COLUMNS, PREGNANCY_COLUMNS,
        REPRODUCTIVE_COLUMNS, UNIT_COLUMNS, UNIT_LINK_COLUMNS, IdStart,
    )
    from danso.services.demo import DEFAULT_DEMO_DATE, plan_communes
    from danso.storage import registry_repo
    from danso.storage.dialects import bulk_insert, bulk_load
    from danso.storage.events_repo import EVENT_COLUMNS
    from danso.storage.tables import (
        contraceptive_uses, events, households, memberships, persons as persons_t, pregnancies,
        reproductive_status, unit_links, units,
    )

    ctx = build(Settings(url))
    with ctx.engine.connect() as conn:
        plan = plan_communes(conn, PROVINCE, None, DEFAULT_DEMO_DATE)
        ids = IdStart(**registry_repo.next_ids(conn))
    tables = {"units": [], "unit_links": [], "households": [], "persons": [], "memberships": [],
              "contraceptive_uses": [], "reproductive_status": [], "pregnancies": [], "events": []}
    for batch in generate(plan, province_code=PROVINCE, persons=persons, seed=seed, on=DEFAULT_DEMO_DATE, ids=ids):
        for name, rows in tables.items():
            rows.extend(getattr(batch, name))
    spec = [(units, UNIT_COLUMNS, "units"), (unit_links, UNIT_LINK_COLUMNS, "unit_links"),
            (households, HOUSEHOLD_COLUMNS, "households"), (persons_t, PERSON_COLUMNS, "persons"),
            (memberships, MEMBERSHIP_COLUMNS, "memberships"),
            (contraceptive_uses, CONTRACEPTIVE_COLUMNS, "contraceptive_uses"),
            (reproductive_status, REPRODUCTIVE_COLUMNS, "reproductive_status"),
            (pregnancies, PREGNANCY_COLUMNS, "pregnancies"), (events, EVENT_COLUMNS, "events")]
    start = time.perf_counter()
    with ctx.engine.begin() as conn, bulk_load(conn, ids.person):  # same index upkeep as the demo
        for table, columns, name in spec:
            bulk_insert(conn, table, columns, tables[name])
    seconds = time.perf_counter() - start
    ctx.close()
    return seconds


def search_latency(url: str, queries: int, seed: int) -> dict[str, float]:
    from danso.bootstrap import build
    from danso.config import Settings
    from danso.domain.vntext import fold
    from danso.services.registry import search_persons
    from danso.storage.tables import persons

    ctx = build(Settings(url))
    rnd = random.Random(seed)
    with ctx.engine.connect() as conn:
        lo, hi = conn.execute(select(func.min(persons.c.id), func.max(persons.c.id))).one()
        ids = [rnd.randint(lo, hi) for _ in range(queries)]
        names = dict(conn.execute(select(persons.c.id, persons.c.full_name).where(persons.c.id.in_(ids))).all())
    texts = []
    for i in ids:
        name = names[i]
        r = rnd.random()
        if r < 0.6:  # typed without diacritics, lower case
            texts.append(fold(name))
        elif r < 0.8:  # surname + given name
            words = fold(name).split()
            texts.append(f"{words[0]} {words[-1]}")
        else:  # as written, upper case
            texts.append(name.upper())
    timings = []
    for q in texts[:20]:  # warm-up
        search_persons(ctx, q)
    for q in texts:
        t = time.perf_counter()
        hits = search_persons(ctx, q)
        timings.append((time.perf_counter() - t) * 1000)
        assert hits, q
    ctx.close()
    timings.sort()
    return {"p50_ms": statistics.median(timings), "p95_ms": timings[int(0.95 * len(timings)) - 1],
            "max_ms": timings[-1], "queries": len(timings)}


def bench_engine(engine_name: str, persons: int, seed: int, queries: int, workdir: Path) -> dict:
    print(f"[{engine_name}] generate + load {persons:,} persons …", flush=True)
    url, drop = fresh_database(engine_name, workdir)
    try:
        prepare(url)
        seconds, peak = run_measured(danso(url, "demo", "--province", PROVINCE, "--persons", str(persons),
                                           "--seed", str(seed)), dict(os.environ))
        size = database_size(url)
        with create_engine(url).connect() as c:
            counts = {t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in ("households", "persons")}
        print(f"[{engine_name}] name search × {queries} …", flush=True)
        search = search_latency(url, queries, seed)
    finally:
        drop()
    print(f"[{engine_name}] raw bulk-load floor …", flush=True)
    url, drop = fresh_database(engine_name, workdir)
    try:
        prepare(url)
        floor = raw_floor(url, persons, seed)
    finally:
        drop()
    return {"engine": engine_name, "households": counts["households"], "persons": counts["persons"],
            "generate_load_s": seconds, "raw_floor_s": floor, "ratio": seconds / floor,
            "peak_memory_mb": peak / 2**20, "db_size_mb": size / 2**20, "search": search}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=HAIPHONG_PERSONS)
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")))
    ap.add_argument("-o", "--output", type=Path, default=RESULTS / "foundation.json")
    args = ap.parse_args()
    results = [bench_engine(e.strip(), args.persons, args.seed, args.queries, args.workdir)
               for e in args.engines.split(",") if e.strip()]
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"danso foundation benchmark — {args.persons:,} persons, province {PROVINCE}")
    for col in ("engine", "households", "persons", "generate+load s", "raw floor s", "ratio", "peak MB",
                "DB MB", "search p50 ms", "search p95 ms"):
        t.add_column(col, justify="right")
    for r in results:
        t.add_row(r["engine"], f"{r['households']:,}", f"{r['persons']:,}", f"{r['generate_load_s']:.1f}",
                  f"{r['raw_floor_s']:.1f}", f"{r['ratio']:.2f}", f"{r['peak_memory_mb']:.0f}",
                  f"{r['db_size_mb']:.0f}", f"{r['search']['p50_ms']:.1f}", f"{r['search']['p95_ms']:.1f}")
    Console(width=150).print(t)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({
        "benchmark": "foundation", "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "targets": {"ratio_max": 3.0, "generate_load_s": 90, "peak_memory_mb": 1024, "search_p95_ms": 50},
        "results": results}, indent=2, ensure_ascii=False))
    print(f"JSON: {args.output}")


if __name__ == "__main__":
    main()
