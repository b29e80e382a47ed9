"""Figures computed from the register — a unit's statistics dashboard, a report's preview — kept in memory while
the register has not changed, so that the pages a province's officers open again and again (the province's
dashboard, its monthly report) are computed once, not on every request.

    d = cached(ctx, ("dashboard", "31", "2026-10", units_on), lambda: compute_dashboard(...))

When is a figure still right? The register's state is a function of its event log and its units: every change
of a household or a person is an event appended to the log (a correction too: a reversal is a new event), no
event is ever deleted, and units, their links and their lineage are only ever added (replaying the log rebuilds
every state table exactly: tests/test_event_log.py). So the *number* of events, units, unit links and lineage rows
changes whenever anything a figure is computed from changes. That token is read before the figure is computed:
a change committed in between makes the figure newer than its token, and the next request computes it again;
a figure is never older than its token. Counts, not the largest id: on PostgreSQL two transactions may commit
their ids out of order, and the one committing last would not move the largest id.

The pages and the API's reports use it, after their scope checks (the CLI and the benchmarks always compute). Each process keeps its
own figures (``FIGURES_KEPT``, the least recently used dropped first); two requests for the same figure at once
compute it once.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection, text

if TYPE_CHECKING:
    from danso.bootstrap import Context

T = TypeVar("T")

FIGURES_KEPT = 48

_TOKEN = text("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM units), "
              "(SELECT count(*) FROM unit_links), (SELECT count(*) FROM unit_lineage)")


def register_token(conn: Connection) -> tuple[int, ...]:
    """What changes whenever the register's figures may change (see the module's text)."""
    return tuple(conn.execute(_TOKEN).one())


class FiguresCache:
    """Figures by key, each with the register token it was computed under."""

    def __init__(self, kept: int = FIGURES_KEPT) -> None:
        self.kept = kept
        self._figures: OrderedDict[Hashable, tuple[tuple[int, ...], object]] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self.computed = 0  # how many figures were computed (the tests count them)

    def get(self, ctx: Context, key: Hashable, compute: Callable[[], T]) -> T:
        with ctx.engine.connect() as conn:
            token = register_token(conn)
        found, value = self._look(key, token)
        if found:
            return value
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:  # another request computing the same figure: wait for it
            found, value = self._look(key, token)
            if found:
                return value
            value = compute()
            with self._lock:
                self.computed += 1
                self._figures[key] = (token, value)
                self._figures.move_to_end(key)
                while len(self._figures) > self.kept:
                    old, _ = self._figures.popitem(last=False)
                    self._computing.pop(old, None)
        return value

    def _look(self, key: Hashable, token: tuple[int, ...]) -> tuple[bool, object]:
        with self._lock:
            kept = self._figures.get(key)
            if kept is None or kept[0] != token:
                return False, None
            self._figures.move_to_end(key)
            return True, kept[1]


def cached(ctx: Context, key: Hashable, compute: Callable[[], T]) -> T:
    """The figure of ``key``: kept, if the register has not changed since it was computed, else computed now
    (the figures are kept on the context: one database, one process)."""
    return ctx.figures.get(ctx, key, compute)
