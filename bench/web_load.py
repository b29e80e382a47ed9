#!/usr/bin/env python3
"""Web application under load (issue 5): the Hải Phòng-scale register with twelve months of slips, served by
``danso serve``, and 50 simulated users (locust) working in it for two minutes — throughput, p50/p95/p99 per
page type, errors. Target: p95 ≤ 300 ms on every page type, no error.

For each engine:

* a private copy of the kept register (bench/hp_db.py: built once in ``--workdir``, reused by the other
  benchmarks);
* on the copy, through the services: the accounts (collaborators of areas spread over many communes, the
  officer of each of those communes, a few province officers; one password), and a queue of submitted slips
  in each of those communes (elderly check-ups), so that officers have slips to accept from the first minute;
* what each simulated user works on, drawn from the register beforehand, all within the account's scope:
  households, names to search (typed as people do), CCCD and household numbers, the residents aged 61 or more
  and the married women 15–48 neither pregnant nor using a method for whom a collaborator records slips (each
  person once);
* ``--workers`` processes of ``danso serve`` on free ports (each simulated user keeps to one, as behind a
  sticky load balancer); locust headless (bench/web_locust.py) with ``--users`` users spawned at ``--spawn-rate``
  a second, for ``--duration`` seconds; the servers stopped; the copy dropped.

    python3 tasks.py bench web                                                    # PostgreSQL, full scale
    .venv/bin/python bench/web_load.py --persons 30000 --months 2 --workdir /tmp/webload --engines sqlite,postgresql

Prints a table per engine and writes bench/results/web.json (failures, if any, with their status and the
text of the page).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hp_db import base_database, copy_of  # noqa: E402
from run import HAIPHONG_PERSONS, PROVINCE, RESULTS, danso  # noqa: E402

HERE = Path(__file__).resolve().parent
PASSWORD = "danso-bench-2026"  # the benchmark's accounts, on its private copy only
TARGET_P95_MS = 300
RATES_ALL = [(0, 200, 100_000)]  # stream_repo.sample_residents: every resident
# contraception start recorded by a collaborator: (method, where): injection at the commune health station, pill
# and condom (twice as often) from the collaborator
METHODS = [("5", "1"), ("6", "4"), ("7", "4"), ("7", "4")]
HOUSEHOLDS_EACH = 200  # households, names, numbers drawn for each simulated user


def typed(name: str, rnd: random.Random) -> str:
    """A name as people type it in the search box: mostly without diacritics, sometimes surname + given
    name only, sometimes as written in capitals."""
    from danso.domain.vntext import fold

    r = rnd.random()
    if r < 0.6:
        return fold(name)
    if r < 0.8:
        words = fold(name).split()
        return f"{words[0]} {words[-1]}"
    return name.upper()


def split_users(users: int, province: int | None = None) -> tuple[int, int, int]:
    """(collaborators, commune officers, province officers): province officers 6 % (at least one) unless given,
    the others 68 % collaborators, 32 % commune officers (at least one each). 50 → 32, 15, 3."""
    province = max(1, round(users * 0.06)) if province is None else province
    officers = max(1, round((users - province) * 0.32))
    return users - officers - province, officers, province


# ---------------------------------------------------------------------------------------------------------
# the plan: accounts and what each simulated user works on


def _sample(conn, sql: str, params: dict, area_ids: list[int]) -> list:  # noqa: ANN001
    from sqlalchemy import bindparam, text

    q = text(sql).bindparams(bindparam("areas", expanding=True))
    return list(conn.execute(q, {**params, "areas": area_ids}))


HOUSEHOLDS_SQL = """
SELECT h.id, h.number FROM households h WHERE h.area_id IN :areas AND h.status = 'active'
ORDER BY (CAST(h.id AS BIGINT) * 7919 + :salt) % 100003 LIMIT :n"""
CCCD_SQL = """
SELECT p.cccd FROM memberships m JOIN households h ON h.id = m.household_id JOIN persons p ON p.id = m.person_id
WHERE m.valid_to IS NULL AND h.area_id IN :areas AND p.cccd IS NOT NULL AND p.death_date IS NULL
ORDER BY (CAST(p.id AS BIGINT) * 7919 + :salt) % 100003 LIMIT :n"""
HOUSEHOLD_COUNTS_SQL = """
SELECT area_id, count(*) AS n FROM households WHERE area_id IN :areas AND status = 'active' GROUP BY area_id"""


def make_plan(url: str, users: tuple[int, int, int], seed: int, queue: int, slips_each: int, today: dt.date) -> dict:
    """Create the accounts and the queues on the copy; draw what each simulated user works on."""
    from danso.bootstrap import build
    from danso.config import Settings
    from danso.domain.access import Role
    from danso.domain.vntext import format_date
    from danso.services import accounts, slips
    from danso.storage import stream_repo, units_repo
    from danso.web.pages.reports import suggested_periods

    n_collab, n_officers, n_province = users
    rnd = random.Random(seed)
    ctx = build(Settings(url))
    day, month = format_date(today), f"{today:%Y-%m}"
    with ctx.engine.connect() as conn:
        province = units_repo.find_by_code(conn, PROVINCE, today)[0]
        by_commune: dict[int, list[int]] = defaultdict(list)
        pairs = units_repo.areas_under(conn, province.id, today)
        sizes = {r.area_id: r.n for r in _sample(conn, HOUSEHOLD_COUNTS_SQL, {}, [a for a, _ in pairs])}
        for area, commune in pairs:
            if sizes.get(area) and commune is not None:
                by_commune[commune].append(area)
        codes = stream_repo.area_codes(conn, [*by_commune, *(a for areas in by_commune.values() for a in areas)])
        communes = sorted(by_commune, key=codes.get)
        if len(communes) < n_officers:
            raise SystemExit(f"{len(communes)} communes hold households: fewer than {n_officers} commune officers")
        chosen = [communes[i * len(communes) // n_officers] for i in range(n_officers)]  # spread over the province
        for c in chosen:
            by_commune[c].sort(key=lambda a: (-sizes[a], codes[a]))
        collaborators, used = [], set()
        for i in range(n_collab):
            areas = by_commune[chosen[i % n_officers]]
            area = areas[(i // n_officers) % len(areas)]
            residents = stream_repo.sample_residents(conn, [area], today, 0, RATES_ALL)
            elderly = [r.person_id for r in residents if r.age >= 61 and r.person_id not in used]
            women = [(w.person_id, *rnd.choice(METHODS)) for w in stream_repo.women_followup(conn, [area], today)
                     if w.method is None and w.pregnant_since is None and w.age <= 48 and w.person_id not in used]
            rnd.shuffle(elderly)
            rnd.shuffle(women)
            mine = {"elderly": elderly[:slips_each], "women": women[:slips_each // 2]}
            used |= set(mine["elderly"]) | {w[0] for w in mine["women"]}
            names = rnd.sample([r.full_name for r in residents], min(HOUSEHOLDS_EACH, len(residents)))
            households = _sample(conn, HOUSEHOLDS_SQL, {"salt": i, "n": HOUSEHOLDS_EACH}, [area])
            collaborators.append({"login": f"ctv.bench.{i + 1:02d}", "area": codes[area], "role": Role.COLLABORATOR,
                                  "names": [typed(n, rnd) for n in names], "households": [h.id for h in households],
                                  **mine})
        officers, seeds = [], []
        for i, commune in enumerate(chosen):
            areas = by_commune[commune]
            households = _sample(conn, HOUSEHOLDS_SQL, {"salt": 1000 + i, "n": HOUSEHOLDS_EACH}, areas)
            cccds = [r.cccd for r in _sample(conn, CCCD_SQL, {"salt": i, "n": HOUSEHOLDS_EACH}, areas)]
            officers.append({"login": f"xa.bench.{i + 1:02d}", "commune": codes[commune],
                             "role": Role.COMMUNE_OFFICER, "households": [h.id for h in households],
                             "numbers": sorted({h.number for h in households}), "cccds": cccds or ["000000000000"]})
            residents = stream_repo.sample_residents(conn, areas, today, 1, RATES_ALL,
                                                     f"AND p.birth_year <= {today.year - 61:d}")
            old = [r for r in residents if r.age >= 61 and r.person_id not in used]
            for r in rnd.sample(old, min(queue, len(old))):
                seeds.append(slips.NewSlip(f"bench-queue-{r.person_id}", "elderly_checkup", codes[r.area_id],
                                           {"person": r.person_id, "date": day}, month, submit=True))
                used.add(r.person_id)
        commune_codes = [codes[c] for c in chosen]
        province_officers = [{"login": f"tinh.bench.{i + 1:02d}", "unit": PROVINCE, "role": Role.PROVINCE_OFFICER,
                              "communes": commune_codes} for i in range(n_province)]
    everyone = [*collaborators, *officers, *province_officers]
    for index, a in enumerate(everyone):
        a["index"] = index
        scope = a.get("area") or a.get("commune") or a.get("unit")
        accounts.create_user(ctx, a["login"], f"Tài khoản thử tải {index + 1}", a.pop("role").value, scope,
                             PASSWORD, actor="bench")
    slips.import_slips(ctx, seeds, actor="bench (CTV)", confirm=True, today=today)
    ctx.close()
    return {"seed": seed, "password": PASSWORD, "today": day, "month": month,
            "report_period": suggested_periods(today)[0].code, "collaborators": collaborators, "officers": officers,
            "province": province_officers, "queued": len(seeds)}


# ---------------------------------------------------------------------------------------------------------
# the servers and the load


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_servers(url: str, workers: int, logdir: Path) -> list[tuple[subprocess.Popen, int]]:
    """``workers`` processes of ``danso serve``, each on a free port, once each answers its login page."""
    servers = []
    try:
        for i in range(workers):
            port = free_port()
            log = open(logdir / f"server-{i}.log", "w")  # noqa: SIM115 - kept open for the server's life
            proc = subprocess.Popen(danso(url, "serve", "--port", str(port)), stdout=log,
                                    stderr=subprocess.STDOUT, env=dict(os.environ))
            servers.append((proc, port))
        _wait_ready(servers, logdir)
    except BaseException:
        stop_servers(servers)
        raise
    return servers


def _wait_ready(servers: list[tuple[subprocess.Popen, int]], logdir: Path) -> None:
    deadline = time.monotonic() + 300  # each first prepares the province's dashboard (danso serve --prepare)
    for proc, port in servers:
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"danso serve stopped (exit {proc.returncode}): see {logdir}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"danso serve on port {port} did not answer within 300 s")
            time.sleep(0.2)


def stop_servers(servers: list[tuple[subprocess.Popen, int]]) -> None:
    for proc, _ in servers:
        proc.terminate()
    for proc, _ in servers:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU time of the whole machine so far (/proc/stat), to tell how loaded it was."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def run_locust(plan: dict, ports: list[int], users: int, spawn_rate: float, duration: int, scratch: Path) -> dict:
    plan_file, samples_file = scratch / "plan.json", scratch / "samples.json"
    plan_file.write_text(json.dumps({**plan, "ports": ports}, ensure_ascii=False))
    cmd = [str(Path(sys.executable).parent / "locust"), "-f", str(HERE / "web_locust.py"), "--headless",
           "-u", str(users), "-r", str(spawn_rate), "-t", f"{duration}s", "--stop-timeout", "30",
           "--host", f"http://127.0.0.1:{ports[0]}", "--only-summary", "--loglevel", "WARNING"]
    env = {**os.environ, "DANSO_WEB_PLAN": str(plan_file), "DANSO_WEB_SAMPLES": str(samples_file)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(scratch / "locust.log", "w") as log:
        subprocess.run(cmd, cwd=HERE.parent, env=env, stdout=log, stderr=subprocess.STDOUT)  # exit 1 on failures
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    locust_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if not samples_file.exists():
        raise SystemExit(f"locust wrote no samples:\n{(scratch / 'locust.log').read_text()[-3000:]}")
    # requests sent again on a new connection (the server had just closed the idle one), as browsers do
    resent = (scratch / "locust.log").read_text().count("Retrying (")
    return {**json.loads(samples_file.read_text()), "resent": resent, "locust_cpu_s": locust_cpu}


def percentile(sorted_ms: list[float], q: float) -> float:
    """Nearest rank."""
    return sorted_ms[max(0, math.ceil(q * len(sorted_ms)) - 1)]


def figures(samples: list) -> dict:
    """Per page type and in total: requests, failures, req/s, p50/p95/p99 (ms); and the total of the requests
    sent after the last user signed in (the mix alone, without the sign-in burst of the first seconds)."""
    first = min(end - ms / 1000 for _name, ms, _ok, end in samples)
    last = max(end for *_, end in samples)
    signed_in = max((end for name, *_, end in samples if name.startswith("login:")), default=first)

    def row(items: list, window: float) -> dict:
        ms = sorted(m for _name, m, _ok, _end in items)
        return {"requests": len(items), "failures": sum(not ok for _n, _m, ok, _e in items),
                "rps": len(items) / max(window, 1e-9), "p50_ms": percentile(ms, 0.50),
                "p95_ms": percentile(ms, 0.95), "p99_ms": percentile(ms, 0.99), "max_ms": ms[-1]}

    groups: dict[str, list] = defaultdict(list)
    for sample in samples:
        groups[sample[0]].append(sample)
    after = [x for x in samples if x[3] - x[1] / 1000 >= signed_in]
    return {"window_s": last - first, "signed_in_after_s": signed_in - first,
            "pages": {name: row(items, last - first) for name, items in sorted(groups.items())},
            "total": row(samples, last - first),
            "after_sign_in": row(after, last - signed_in) if after else None}


def bench_engine(engine: str, args: argparse.Namespace) -> dict:
    base = base_database(engine, persons=args.persons, months=None if args.months < 0 else args.months, seed=args.seed,
                         workdir=args.workdir)
    url, drop = copy_of(base)
    today = dt.date.today()
    scratch = Path(tempfile.mkdtemp(prefix="danso-web-"))  # plan, samples, server and locust logs
    try:
        print(f"[{engine}] accounts, queues and what each user works on …", flush=True)
        t = time.perf_counter()
        # a collaborator records a slip every ≈ 40 s (weight 1 of 12, 3 s think time): room for twice that
        plan = make_plan(url, split_users(args.users, args.province_officers), args.seed, args.queue,
                         max(4, args.duration // 10), today)
        plan["think"] = args.think
        prepare_s = time.perf_counter() - t
        servers = start_servers(url, args.workers, scratch)
        print(f"[{engine}] {args.users} users for {args.duration} s against {args.workers} × danso serve …",
              flush=True)
        try:
            cpu0 = [cpu_seconds(p.pid) for p, _ in servers]
            busy0 = machine_busy()
            result = run_locust(plan, [port for _, port in servers], args.users, args.spawn_rate, args.duration,
                                scratch)
            busy1 = machine_busy()
            server_cpu = sum(cpu_seconds(p.pid) - c for (p, _), c in zip(servers, cpu0, strict=True))
        finally:
            stop_servers(servers)
    finally:
        drop()
    samples = result["samples"]
    if not samples:
        raise SystemExit(f"no request was made: see {scratch}")
    out = {"engine": engine, "persons": args.persons, "months": base.months, "on": base.info["on"],
           "today": today.isoformat(), "users": {"collaborators": len(plan["collaborators"]),
                                                 "commune_officers": len(plan["officers"]),
                                                 "province_officers": len(plan["province"])},
           "communes": [o["commune"] for o in plan["officers"]], "queued_slips": plan["queued"],
           "report_period": plan["report_period"], "prepare_s": prepare_s,
           "server_cpu_s": server_cpu, "locust_cpu_s": result["locust_cpu_s"],
           "machine_cpu_busy": (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]),
           "resent": result["resent"], **figures(samples), "first_failures": result["failures"][:20],
           "task_errors": result["task_errors"][:20], "unanswered": result["unanswered"]}
    out["slow_pages"] = [n for n, r in out["pages"].items() if r["p95_ms"] > TARGET_P95_MS]
    if out["total"]["failures"] or out["task_errors"]:
        out["logs"] = str(scratch)  # kept: the servers' tracebacks
    else:
        shutil.rmtree(scratch)
    return out


def show(results: list[dict], args: argparse.Namespace) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(width=150)
    for r in results:
        u = r["users"]
        t = Table(title=f"danso web under load — {r['engine']}, {r['persons']:,} persons, {r['months']} months of "
                        f"slips, {args.users} users "
                        f"({u['collaborators']} collaborators, {u['commune_officers']} commune officers, "
                        f"{u['province_officers']} province officers), {args.workers} workers, "
                        f"{r['window_s']:.0f} s")
        for col in ("page type", "requests", "failures", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms"):
            t.add_column(col, justify="left" if col == "page type" else "right")
        rows = [*r["pages"].items(), ("total", r["total"])]
        if r["after_sign_in"]:
            rows.append((f"total after the last sign-in ({r['signed_in_after_s']:.0f} s)", r["after_sign_in"]))
        for i, (name, f) in enumerate(rows):
            slow = f["p95_ms"] > TARGET_P95_MS
            t.add_row(name, f"{f['requests']:,}", f"{f['failures']:,}" if not f["failures"] else
                      f"[red]{f['failures']:,}[/]", f"{f['rps']:.2f}", f"{f['p50_ms']:.0f}",
                      f"[red]{f['p95_ms']:.0f}[/]" if slow else f"{f['p95_ms']:.0f}", f"{f['p99_ms']:.0f}",
                      f"{f['max_ms']:.0f}", end_section=i == len(r["pages"]) - 1)
        console.print(t)
        console.print(f"CPU: servers {r['server_cpu_s']:.0f} s, locust {r['locust_cpu_s']:.0f} s over "
                      f"{r['window_s']:.0f} s; machine busy "
                      f"{r['machine_cpu_busy']:.0%}; {r['queued_slips']} slips queued beforehand; "
                      f"{r['resent']} requests sent again on a new connection")
        if r["unanswered"]:  # those just sent when the users were stopped are no sign of slowness
            late = [(n, ms) for n, ms in r["unanswered"] if ms > TARGET_P95_MS]
            console.print(f"{len(r['unanswered'])} requests unanswered when the run ended (not in the table), "
                          f"{len(late)} of them waiting longer than {TARGET_P95_MS} ms"
                          + "".join(f"; {escape(n)} {ms / 1000:.1f} s" for n, ms in late))
        if r.get("logs"):
            console.print(f"server and locust logs: {r['logs']}")
        for f in r["first_failures"]:
            console.print(f"[red]FAILED[/] {escape(f['page'])} ({f['method']}): {escape(f['error'])}", highlight=False)
        for e in r["task_errors"]:
            console.print(f"[red]TASK ERROR[/] {escape(e)}", highlight=False)
        ok = not (r["total"]["failures"] or r["task_errors"] or r["slow_pages"]
                  or any(ms > TARGET_P95_MS for _n, ms in r["unanswered"]))
        console.print(f"target p95 ≤ {TARGET_P95_MS} ms, no errors: " + ("[green]met[/]" if ok else
                      f"[red]not met[/] ({r['total']['failures']} failures, {len(r['task_errors'])} task errors; "
                      f"p95 above target: "
                      f"{', '.join(r['slow_pages']) or 'none'})"))


def write(args: argparse.Namespace, results: list[dict]) -> None:
    args.output.parent.mkdir(parents=True, exist_ok=True)
    options = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "output"}
    args.output.write_text(json.dumps({
        "benchmark": "web", "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "options": options, "targets": {"p95_ms": TARGET_P95_MS, "failures": 0}, "results": results},
        indent=2, ensure_ascii=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engines", default="postgresql", help="postgresql, sqlite or both (comma-separated)")
    ap.add_argument("--persons", type=int, default=HAIPHONG_PERSONS)
    ap.add_argument("--months", type=int, default=12, help="months of slips in the register (the kept register "
                    "is grown to that many; -1: use it as it is)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path("/work/benchdb"), help="where the kept registers are")
    ap.add_argument("--users", type=int, default=50, help="simulated users: 6 %% province officers, of the others "
                    "68 %% collaborators and 32 %% commune officers (50: 32, 15, 3)")
    ap.add_argument("--province-officers", type=int, help="province officers among the users (0: none, to see "
                    "the other pages without the province's statistics)")
    ap.add_argument("--spawn-rate", type=float, default=10, help="users started a second")
    ap.add_argument("--duration", type=int, default=120, help="seconds of load")
    ap.add_argument("--workers", type=int, default=2, help="danso serve processes (one per core)")
    ap.add_argument("--think", default="1,5", help="think time between a user's pages: min,max seconds")
    ap.add_argument("--queue", type=int, default=40, help="slips waiting in each officer's queue beforehand")
    ap.add_argument("-o", "--output", type=Path, default=RESULTS / "web.json")
    args = ap.parse_args()
    args.think = [float(x) for x in args.think.split(",")]
    results = []
    for e in (e.strip() for e in args.engines.split(",") if e.strip()):
        results.append(bench_engine(e, args))
        write(args, results)  # each engine's figures as soon as known
    show(results, args)
    print(f"JSON: {args.output}")
    if any(r["total"]["failures"] or r["task_errors"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
