"""Fill the register with a synthetic population (``danso demo``): generate and bulk-load in one transaction.

Generation runs in a child process and loading in this one, so the two cores of a small server work at
once; batches flow through a bounded queue, so memory stays flat whatever the size.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection

from danso.bootstrap import Context
from danso.demo.rows import UNIT_COLUMNS, UNIT_LINK_COLUMNS, Batch, CommuneInput, IdStart
from danso.domain.problems import InvalidInput, Problem
from danso.domain.units import Level
from danso.services.units import resolve
from danso.storage import registry_repo, units_repo
from danso.storage.dialects import bulk_insert, bulk_load, refresh_statistics
from danso.storage.tables import unit_links, units

DEFAULT_DEMO_DATE = dt.date(2025, 12, 31)
"""The demo population is the register as it stood on this date (fixed, so a seed always gives the same data)."""


@dataclass
class DemoReport:
    province: str
    communes: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def plan_communes(conn: Connection, province_code: str, communes: int | None, on: dt.date) -> list[CommuneInput]:
    province = resolve(conn, province_code, on, Level.PROVINCE, field="province")
    chosen = units_repo.children(conn, province.id, on)
    if communes is not None:
        chosen = chosen[:communes]
    out = []
    for c in chosen:
        if units_repo.children(conn, c.id, None):
            raise InvalidInput([Problem("unit.not_empty", "commune", c.unit.code, {"code": c.unit.code})])
        _, predecessors = units_repo.lineage(conn, c.id)
        legacy = tuple((p.id, p.unit.code) for p, _kind, _default in predecessors if p.unit.level == Level.COMMUNE)
        out.append(CommuneInput(c.id, c.unit.code, c.unit.name, c.unit.kind, legacy))
    return out


def run_demo(ctx: Context, province_code: str, *, communes: int | None = None, persons: int = 30_000,
             seed: int = 1, on: dt.date = DEFAULT_DEMO_DATE,
             progress: Callable[[int, int], None] | None = None) -> DemoReport:
    """Generate ``persons`` persons (± one household) in the first ``communes`` communes of the province
    (all if None) and load them. All or nothing: one transaction."""
    if persons < 1:
        raise InvalidInput([Problem("demo.too_small", "persons", "demo", {"value": persons})])
    started = time.perf_counter()
    with ctx.engine.begin() as conn:
        plan = plan_communes(conn, province_code, communes, on)
        ids = IdStart(**registry_repo.next_ids(conn))
        counts = {"units": 0, "households": 0, "persons": 0, "memberships": 0, "contraceptive_uses": 0}
        args = (plan, province_code, persons, seed, on, ids)
        batches = _generate_in_child(*args) if persons >= 20_000 else _generate_here(*args)
        with bulk_load(conn, ids.person):
            for batch in batches:
                load_batch(conn, batch)
                counts["units"] += len(batch.units)
                counts["households"] += len(batch.households)
                counts["persons"] += len(batch.persons)
                counts["memberships"] += len(batch.memberships)
                counts["contraceptive_uses"] += len(batch.contraceptive_uses)
                if progress:
                    progress(counts["persons"], persons)
        refresh_statistics(conn)
    return DemoReport(province_code, len(plan), counts, time.perf_counter() - started)


def load_batch(conn: Connection, batch: Batch) -> None:
    bulk_insert(conn, units, UNIT_COLUMNS, batch.units)
    bulk_insert(conn, unit_links, UNIT_LINK_COLUMNS, batch.unit_links)
    registry_repo.insert_rows(conn, households_rows=batch.households, persons_rows=batch.persons,
                              memberships_rows=batch.memberships, contraceptive_rows=batch.contraceptive_uses,
                              reproductive_rows=batch.reproductive_status, pregnancy_rows=batch.pregnancies,
                              event_rows=batch.events)


def _generate_here(plan: list[CommuneInput], province: str, persons: int, seed: int, on: dt.date,
                   ids: IdStart) -> Iterator[Batch]:
    from danso.demo.generator import generate

    return generate(plan, province_code=province, persons=persons, seed=seed, on=on, ids=ids)


def _worker(queue: mp.Queue, args: tuple) -> None:  # type: ignore[type-arg]
    try:
        for batch in _generate_here(*args):
            queue.put(batch)
        queue.put(None)
    except BaseException as e:  # noqa: BLE001 - handed to the parent, which re-raises it
        queue.put(e)


def _generate_in_child(*args: object) -> Iterator[Batch]:
    mpctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    queue = mpctx.Queue(maxsize=32)
    proc = mpctx.Process(target=_worker, args=(queue, args), daemon=True)
    proc.start()
    try:
        while True:
            item = queue.get()
            if item is None:
                break
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join()
