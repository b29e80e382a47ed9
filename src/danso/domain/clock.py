"""Vietnam's calendar day: the "today" of the application, whatever the server's time zone.

The register's users are in Vietnam (UTC+7, no daylight saving time). Servers commonly run in UTC, where
``dt.date.today()`` is still yesterday between 00:00 and 07:00 Vietnam time: a birth at 01:00 entered at
06:30 would be refused as a date in the future, a slip form opened on the 1st of a month would offer the
month before, reminders and report periods would shift by a day. So every "today" of the application is read
here, from the current UTC time turned into Vietnam's day; stored timestamps stay in UTC.

    >>> local_day(dt.datetime(2026, 11, 23, 18, 30, tzinfo=dt.UTC))
    datetime.date(2026, 11, 24)
"""
from __future__ import annotations

import datetime as dt

VN_TZ = dt.timezone(dt.timedelta(hours=7))


def _now_utc() -> dt.datetime:
    """The current time, UTC (the one place the clock is read; tests replace it)."""
    return dt.datetime.now(dt.UTC)


def local_day(at: dt.datetime) -> dt.date:
    """The day in Vietnam (UTC+7) of a moment (a naive time is UTC, as stored)."""
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return aware.astimezone(VN_TZ).date()


def today() -> dt.date:
    """The calendar day in Vietnam now."""
    return local_day(_now_utc())
