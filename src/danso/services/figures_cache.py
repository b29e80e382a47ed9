"""Figures computed from the register — a unit's statistics dashboard, a report's preview, a summary — kept in
memory while nothing they describe has changed, so that the pages a province's officers open again and again
(the province's dashboard, its monthly report) are computed once, not on every request, even while communes
accept the current month's slips.

    d = cached(ctx, ("dashboard", "31", "2026-10", units_on), lambda: compute(...), as_of=period_end)

When is a kept figure still right? The register's state is a function of its event log and its units: every
change of a household or a person is an event appended to the log (a correction too: a reversal is a new event),
no event is ever deleted, and units, their links and their lineage are only ever added (replaying the log
rebuilds every state table exactly: tests/test_event_log.py). Writers of the register are serialised
(``events_repo.lock_register``; ids are allocated as the largest + 1 under that lock), so the events are
committed in the order of their ids: a reader that sees the event with the largest id sees every event before it.

A figure is kept with the largest event id (and the units' counts) read before it was computed. On the next
request, the events appended since are looked at (by id: only the new ones are read): if one of them may change
what the figure describes, the figure is computed again. What may: for a figure about the register on or up to
a day ``as_of`` (a report of a period ending that day, the dashboard of that month), an event dated on or before
that day, or of a kind whose effect reaches back before its date (``danso.domain.events.DATED_KINDS`` lists those
that do not: a birth, death, move, method or pregnancy dated after the day leaves the register of that day as it
was); without ``as_of``, any event. A unit added changes every figure. Events committed between the id read and
the figure computed make the figure newer than its id — the next request computes it again, harmlessly; a kept
figure is never older than what it says.

The pages and the API's live reports use it, after their scope checks (the CLI and the benchmarks always
compute). Each process keeps its own figures (``FIGURES_KEPT``, the least recently used dropped first); two
requests for the same figure at once compute it once.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection, bindparam, text

from danso.domain.events import DATED_KINDS

if TYPE_CHECKING:
    from danso.bootstrap import Context

T = TypeVar("T")

FIGURES_KEPT = 48

_STAMP = text("SELECT (SELECT max(id) FROM events), (SELECT count(*) FROM units), "
              "(SELECT count(*) FROM unit_links), (SELECT count(*) FROM unit_lineage)")
_CHANGED = text("SELECT 1 FROM events WHERE id > :after AND id <= :upto "
                "AND (event_date <= :as_of OR kind NOT IN :dated) LIMIT 1").bindparams(
    bindparam("dated", expanding=True))
_ANY = text("SELECT 1 FROM events WHERE id > :after AND id <= :upto LIMIT 1")


@dataclass(frozen=True)
class Stamp:
    """Where the register stood: its last event and how many units, links and lineage rows it had."""
    last_event: int
    units: tuple[int, int, int]


def register_stamp(conn: Connection) -> Stamp:
    last, *units = conn.execute(_STAMP).one()
    return Stamp(last or 0, tuple(units))


def changed_since(conn: Connection, kept: Stamp, now: Stamp, as_of: dt.date | None) -> bool:
    """Whether the register may say something else of ``as_of`` (None: of any day) than when ``kept`` was read."""
    if kept.units != now.units or now.last_event < kept.last_event:
        return True
    if now.last_event == kept.last_event:
        return False
    params = {"after": kept.last_event, "upto": now.last_event}
    if as_of is None:
        return conn.execute(_ANY, params).first() is not None
    return conn.execute(_CHANGED, {**params, "as_of": as_of, "dated": sorted(DATED_KINDS)}).first() is not None


class FiguresCache:
    """Figures by key, each with the register's stamp it is known to be right for."""

    def __init__(self, kept: int = FIGURES_KEPT) -> None:
        self.kept = kept
        self._figures: OrderedDict[Hashable, tuple[Stamp, dt.date | None, object]] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self.computed = 0  # how many figures were computed (the tests count them)

    def get(self, ctx: Context, key: Hashable, compute: Callable[[], T], as_of: dt.date | None = None) -> T:
        found, value = self._look(ctx, key)
        if found:
            return value
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:  # another request computing the same figure: wait for it
            found, value = self._look(ctx, key)
            if found:
                return value
            with ctx.engine.connect() as conn:
                stamp = register_stamp(conn)
            value = compute()
            with self._lock:
                self.computed += 1
                self._figures[key] = (stamp, as_of, value)
                self._figures.move_to_end(key)
                while len(self._figures) > self.kept:
                    old, _ = self._figures.popitem(last=False)
                    self._computing.pop(old, None)
        return value

    def _look(self, ctx: Context, key: Hashable) -> tuple[bool, object]:
        with self._lock:
            kept = self._figures.get(key)
        if kept is None:
            return False, None
        stamp, as_of, value = kept
        with ctx.engine.connect() as conn:
            now = register_stamp(conn)
            if changed_since(conn, stamp, now, as_of):
                return False, None
        with self._lock:
            if self._figures.get(key) is kept:  # still right up to now: look at fewer events next time
                self._figures[key] = (now, as_of, value)
                self._figures.move_to_end(key)
        return True, value


def cached(ctx: Context, key: Hashable, compute: Callable[[], T], *, as_of: dt.date | None = None) -> T:
    """The figure of ``key``: kept, if nothing it describes has changed since it was computed, else computed now
    (the figures are kept on the context: one database, one process). ``as_of``: the last day the figure
    describes (see the module's text); None: it may depend on any event."""
    return ctx.figures.get(ctx, key, compute, as_of)
