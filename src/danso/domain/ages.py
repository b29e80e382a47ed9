"""Ages and age groups."""
from __future__ import annotations

import datetime as dt

AGE_GROUP_WIDTH = 5
OPEN_AGE_GROUP = 80  # the summary's last group is 80+


def age_on(birth_year: int, birth_month: int | None, birth_day: int | None, on: dt.date) -> int:
    """Completed years on ``on``. With only a year of birth, the birthday is taken as 1 January
    (the convention of the register for persons whose day and month are unknown)."""
    age = on.year - birth_year
    if birth_month is not None and (birth_month, birth_day or 1) > (on.month, on.day):
        age -= 1
    return age


def age_group(age: int, width: int = AGE_GROUP_WIDTH, open_from: int = OPEN_AGE_GROUP) -> int:
    """Lower bound of the age group: 0, 5, …, open_from (open-ended)."""
    return min(age // width * width, open_from)


def age_group_label(lower: int, width: int = AGE_GROUP_WIDTH, open_from: int = OPEN_AGE_GROUP) -> str:
    return f"{lower}+" if lower >= open_from else f"{lower}–{lower + width - 1}"
