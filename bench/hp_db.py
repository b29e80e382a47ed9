"""The benchmarks' Hải Phòng-scale register with months of slips: built once per engine, kept, and copied for
each benchmark that changes it (a SQLite file copy, or a PostgreSQL ``CREATE DATABASE … TEMPLATE``).

    from hp_db import base_database, copy_of
    base = base_database("postgresql", persons=2_130_000, months=12, seed=1, workdir=Path("/tmp"))
    url, drop = copy_of(base)   # a private copy; drop() when done

The register describes 31/10/2025 (``danso demo --on``) and the stream runs the twelve months after it,
November 2025 – October 2026, so the month after the history (November 2026) is the current month of a
session run in late 2026, and nothing lies in the future of the reports and pages benchmarked.
A base database is built when missing and grown a month at a time up to the months asked for (its build
figures are kept beside it, in ``<workdir>/<name>.json``; delete both to rebuild). Benchmarks report the months
the base actually holds.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from run import PG_ADMIN, PROVINCE, danso, prepare

ON = dt.date(2025, 10, 31)


@dataclass
class Base:
    engine: str
    url: str
    persons: int
    months: int
    info: dict  # build figures: demo_load_s, stream_s, stream_slips, stream_accepted, stream_by_kind

    @property
    def next_month(self) -> str:
        y, m = ON.year, ON.month + self.months + 1
        y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
        return f"{y:04d}-{m:02d}"


def _names(engine: str, persons: int, seed: int, workdir: Path) -> tuple[str, Path]:
    stem = f"danso_hp_{persons}_s{seed}"
    if engine == "sqlite":
        return f"sqlite:///{workdir / (stem + '.db')}", workdir / f"{stem}.sqlite.json"
    return make_url(PG_ADMIN).set(database=stem).render_as_string(hide_password=False), workdir / f"{stem}.pg.json"


def base_database(engine: str, *, persons: int, months: int | None, seed: int, workdir: Path) -> Base:
    """The kept register of ``persons`` with at least ``months`` months of slips accepted, built or grown month by
    month as needed (``months=None``: as it is, however many months it holds). Growing stops cleanly between two
    months when the file ``<workdir>/STOP`` exists."""
    url, marker = _names(engine, persons, seed, workdir)
    if marker.exists() and _exists(url):
        info = json.loads(marker.read_text())
    else:
        if months is None:
            raise SystemExit(f"no {engine} register of {persons:,} persons in {workdir}: build it first")
        marker.unlink(missing_ok=True)
        _drop(url)
        _create(url)
        prepare(url)
        info = {"on": ON.isoformat(), "built": dt.datetime.now().isoformat(timespec="seconds"), "months": 0,
                "stream_s": 0.0, "stream_slips": 0, "stream_accepted": 0, "stream_failed": 0, "stream_refused": 0,
                "stream_by_kind": {}, "stream_month_s": {}}
        print(f"[{engine}] register of {persons:,} persons on {ON:%d/%m/%Y} …", flush=True)
        t = time.perf_counter()
        subprocess.run(danso(url, "demo", "--province", PROVINCE, "--persons", str(persons), "--seed", str(seed),
                             "--on", f"{ON:%d/%m/%Y}"), check=True, stdout=subprocess.DEVNULL, env=dict(os.environ))
        info["demo_load_s"] = time.perf_counter() - t
        marker.write_text(json.dumps(info, indent=2, ensure_ascii=False))
    while months is not None and info["months"] < months and not (workdir / "STOP").exists():
        _grow(engine, url, seed, info)
        marker.write_text(json.dumps(info, indent=2, ensure_ascii=False))
    return Base(engine, url, persons, info["months"], info)


def _grow(engine: str, url: str, seed: int, info: dict) -> None:
    """One more month of the demo's stream of slips (entered, submitted, checked and accepted)."""
    from danso.bootstrap import build
    from danso.config import Settings
    from danso.demo import stream as s
    from danso.services.demo_stream import run_stream

    start = s.month_days(s.months_after(ON, info["months"])[-1])[1] if info["months"] else ON
    ctx = build(Settings(url))
    rep = run_stream(ctx, PROVINCE, months=1, seed=seed, start=start)
    ctx.close()
    month = rep.months[0]
    info["months"] += 1
    info["stream_month_s"][month] = rep.seconds
    info["stream_s"] += rep.seconds
    for key, value in (("stream_slips", rep.slips), ("stream_accepted", rep.accepted),
                       ("stream_failed", len(rep.failed)), ("stream_refused", len(rep.refused))):
        info[key] += value
    for kind, n in rep.by_kind.items():
        info["stream_by_kind"][kind] = info["stream_by_kind"].get(kind, 0) + n
    print(f"[{engine}] {month}: {rep.slips:,} slips in {rep.seconds:.0f} s", flush=True)


def copy_of(base: Base, workdir: Path | None = None) -> tuple[str, callable]:
    """A private copy of the base database, and the function that drops it."""
    u = make_url(base.url)
    if u.get_backend_name() == "sqlite":
        src = Path(u.database)
        dst = (workdir or src.parent) / f"copy-{uuid.uuid4().hex[:6]}-{src.name}"
        shutil.copy(src, dst)
        return f"sqlite:///{dst}", lambda: [p.unlink(missing_ok=True) for p in dst.parent.glob(dst.name + "*")]
    name = f"{u.database}_copy_{uuid.uuid4().hex[:6]}"
    with _admin().connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{u.database}"'))
    copy = u.set(database=name).render_as_string(hide_password=False)
    return copy, lambda: _drop(copy)


def _admin():  # noqa: ANN202
    return create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")


def _exists(url: str) -> bool:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return Path(u.database).exists()
    with _admin().connect() as c:
        return c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": u.database}).first() is not None


def _create(url: str) -> None:
    u = make_url(url)
    if u.get_backend_name() == "postgresql":
        with _admin().connect() as c:
            c.execute(text(f'CREATE DATABASE "{u.database}"'))


def _drop(url: str) -> None:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        for p in Path(u.database).parent.glob(Path(u.database).name + "*"):
            p.unlink()
        return
    with _admin().connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)'))
