"""Reminders (nhắc việc) of a collaborator and her commune officer: who, in her areas, is due for a follow-up.
Plain rules and wording, no I/O; the lists are computed by danso.storage.reminders_repo.

Circular 01/2022/TT-BYT gives the collaborator the follow-ups to record (Sổ A0 section II tracks contraceptive
use month by month; P0/CTV sections 2, 7–11 record screenings, methods, pregnancies and health checks of the
elderly) but no due dates. The rules below are danso's, chosen to match the services' usual schedules; see
docs/web.md ("Nhắc việc"). Everyone concerned is a resident (nhân khẩu thực tế thường trú, as the reports
count them) of a household of the areas, alive and still a member today: a death or a move out ends every
reminder.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from danso.domain import codes
from danso.domain.slip_rules import ELDERLY_AGE, NEWBORN_SCREENING_DAYS, REPRODUCTIVE
from danso.domain.vntext import format_date

CONTRACEPTION, PRENATAL, NEWBORN, ELDERLY = "contraception", "prenatal", "newborn", "elderly"


@dataclass(frozen=True)
class Reminder:
    """One kind of reminder. ``slip_kinds``: the slips that record what follows (the first one is offered
    first), each with the label of its link."""

    code: str
    title: str
    short: str  # the title on a small button
    rule: str  # when it is due, for the user
    slip_kinds: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FollowUp:
    """The follow-up of a contraceptive method: every ``every_days`` after the last recorded start of the method
    (a new record of the method restarts the count), ``what`` is due."""

    method: str
    every_days: int
    what: str


FOLLOW_UPS: dict[str, FollowUp] = {f.method: f for f in (
    FollowUp("6", 28, "nhận vỉ thuốc mới"),  # one pack of pills: 28 days
    FollowUp("5", 91, "tiêm mũi tiếp theo"),  # DMPA: every 3 months (13 weeks)
    FollowUp("1", 365, "khám kiểm tra vòng hằng năm"),
    FollowUp("4", 365, "khám kiểm tra que cấy hằng năm"),
)}
"""Methods followed up (codes of the contraceptive_method list); sterilisation, condoms, other and traditional
methods have no follow-up date."""

FOLLOW_UP_WINDOW_DAYS = 30
"""A contraceptive follow-up stays on the list for this many days from its date (one monthly round), then
leaves it until the next one: nothing records a routine visit, so the list never grows stale."""

PRENATAL_AFTER_DAYS = 28
"""A pregnancy recorded this many days ago without a prenatal screening since: the recording comes at about
8 weeks, and the screenings (double test 11–13 weeks, triple test 15–20 weeks) are then due."""

NEWBORN_AFTER_DAYS = 3
"""A newborn this many days old without a newborn screening (the heel-prick sample is taken at 48–72 hours);
listed until the end of the newborn period (danso.domain.slip_rules.NEWBORN_SCREENING_DAYS)."""

REMINDERS: dict[str, Reminder] = {r.code: r for r in (
    Reminder(CONTRACEPTION, "Theo dõi biện pháp tránh thai", "Theo dõi BPTT",
             "Phụ nữ 15–49 tuổi không mang thai, đang dùng thuốc uống (mỗi 28 ngày), thuốc tiêm (mỗi 91 ngày), "
             "vòng hoặc que cấy (mỗi 365 ngày) kể từ ngày bắt đầu ghi trong sổ; hiện trong 30 ngày từ ngày đến hạn.",
             (("contraception_start", "Đổi biện pháp"), ("contraception_stop", "Thôi dùng"))),
    Reminder(PRENATAL, "Phụ nữ mang thai chưa sàng lọc trước sinh", "Mang thai chưa sàng lọc",
             f"Được ghi mang thai từ {PRENATAL_AFTER_DAYS} ngày trở lên mà chưa có sàng lọc trước sinh nào "
             "từ ngày đó.",
             (("prenatal_screening", "Ghi sàng lọc trước sinh"),)),
    Reminder(NEWBORN, "Trẻ sơ sinh chưa sàng lọc", "Sơ sinh chưa sàng lọc",
             f"Trẻ từ {NEWBORN_AFTER_DAYS} đến {NEWBORN_SCREENING_DAYS} ngày tuổi chưa có sàng lọc sơ sinh.",
             (("newborn_screening", "Ghi sàng lọc sơ sinh"),)),
    Reminder(ELDERLY, "Người cao tuổi chưa khám sức khỏe năm nay", "Người cao tuổi chưa khám",
             f"Người từ {ELDERLY_AGE} tuổi chưa có lần khám sức khỏe định kỳ nào trong năm dương lịch này.",
             (("elderly_checkup", "Ghi khám sức khỏe"),)),
)}


def birth_key(year: int, month: int | None, day: int | None) -> int:
    """A date of birth as yyyymmdd; with only a year (or no day) the birthday is the 1st of January (of the
    month): the same convention as the reports' ages."""
    return year * 10_000 + (month or 1) * 100 + (day or 1)


def _key(day: dt.date) -> int:
    return birth_key(day.year, day.month, day.day)


def born_by(today: dt.date, age: int) -> int:
    """The latest birth key of a person aged ``age`` or more on ``today``."""
    return (today.year - age) * 10_000 + today.month * 100 + today.day


@dataclass(frozen=True)
class Thresholds:
    """The dates and birth keys the lists are computed with, for one day."""

    today: dt.date
    women_born_after: int  # aged at most 49 (born after the key of age 50)
    women_born_by: int  # aged at least 15
    prenatal_recorded_by: dt.date
    newborn_born_from: int  # at most 28 days old
    newborn_born_by: int  # at least 3 days old
    elderly_born_by: int
    year_start: dt.date


def thresholds(today: dt.date) -> Thresholds:
    lo, hi = REPRODUCTIVE
    return Thresholds(
        today=today, women_born_after=born_by(today, hi + 1), women_born_by=born_by(today, lo),
        prenatal_recorded_by=today - dt.timedelta(days=PRENATAL_AFTER_DAYS),
        newborn_born_from=_key(today - dt.timedelta(days=NEWBORN_SCREENING_DAYS)),
        newborn_born_by=_key(today - dt.timedelta(days=NEWBORN_AFTER_DAYS)),
        elderly_born_by=born_by(today, ELDERLY_AGE), year_start=dt.date(today.year, 1, 1))


@dataclass(frozen=True)
class Due:
    """Why one person is on a list: the reference date (start of the method, recording of the pregnancy, birth,
    last health check), the day the follow-up fell due and how many days ago."""

    code: str
    since: dt.date | None
    due_on: dt.date
    days: int
    method: str | None = None


def contraception_due(method: str, since: dt.date, today: dt.date) -> Due | None:
    """The follow-up of a method started on ``since``, if one fell due within the window ending today."""
    f = FOLLOW_UPS.get(method)
    elapsed = (today - since).days
    if f is None or elapsed < f.every_days or elapsed % f.every_days >= FOLLOW_UP_WINDOW_DAYS:
        return None
    late = elapsed % f.every_days
    return Due(CONTRACEPTION, since, today - dt.timedelta(days=late), late, method)


def prenatal_due(since: dt.date, today: dt.date) -> Due:
    due_on = since + dt.timedelta(days=PRENATAL_AFTER_DAYS)
    return Due(PRENATAL, since, due_on, (today - due_on).days)


def newborn_due(born: dt.date, today: dt.date) -> Due:
    due_on = born + dt.timedelta(days=NEWBORN_AFTER_DAYS)
    return Due(NEWBORN, born, due_on, (today - due_on).days)


def elderly_due(birth_year: int, birth_month: int | None, birth_day: int | None, last_check: dt.date | None,
                today: dt.date) -> Due:
    """Due from the 1st of January, or from the 60th birthday in the year a person turns 60."""
    key = birth_key(birth_year + ELDERLY_AGE, birth_month, birth_day)
    birthday = dt.date(key // 10_000, key // 100 % 100, 1) + dt.timedelta(days=key % 100 - 1)
    due_on = max(dt.date(today.year, 1, 1), birthday)
    return Due(ELDERLY, last_check, due_on, (today - due_on).days)


def _late(days: int) -> str:
    return "đến hạn hôm nay" if days == 0 else f"quá hạn {days} ngày"


def reason(d: Due, *, age: int | None = None) -> str:
    """Why the person is listed, in Vietnamese, e.g. ``Thuốc tiêm tránh thai, lần ghi gần nhất 12/08/2026 —
    tiêm mũi tiếp theo từ 11/11/2026, quá hạn 12 ngày``."""
    if d.code == CONTRACEPTION:
        f = FOLLOW_UPS[d.method or ""]
        method = codes.code_list(codes.CONTRACEPTIVE_METHOD).label(d.method)
        return (f"{method}, lần ghi gần nhất {format_date(d.since)} — {f.what} từ {format_date(d.due_on)}, "
                f"{_late(d.days)}")
    if d.code == PRENATAL:
        return f"Ghi mang thai ngày {format_date(d.since)}, chưa sàng lọc trước sinh — {_late(d.days)}"
    if d.code == NEWBORN:
        born_days = d.days + NEWBORN_AFTER_DAYS
        return f"Sinh ngày {format_date(d.since)} ({born_days} ngày tuổi), chưa sàng lọc sơ sinh — {_late(d.days)}"
    last = f"lần khám gần nhất {format_date(d.since)}" if d.since else "chưa ghi lần khám nào"
    who = f"{age} tuổi, " if age is not None else ""
    return f"{who}chưa khám sức khỏe định kỳ năm {d.due_on.year} ({last})"
