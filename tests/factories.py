"""Seeded builders of valid test data: household-import documents (docs/household-import.md) and the village
and collaborator area (địa bàn CTV) they are recorded in.

Names, dates, codes and family structure follow from the seed. Identifiers (CCCD, BHYT) are numbered from one
counter shared by every factory of the test session, so several factories can write into the same database
without a CCCD or BHYT number ever being used twice.

    area = make_area(ctx)
    f = Factory(seed=1)
    doc = f.document(area, households=2)          # {"households": [...]}, ready for import_households
    import_households(ctx, doc, today=f.on)
"""
from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from danso.bootstrap import Context
from danso.domain.identifiers import SEX_FEMALE, SEX_MALE, make_cccd
from danso.domain.registry import HEAD
from danso.domain.vntext import format_date
from danso.services.units import add_area, add_village
from danso.storage import registry_repo, replay

ON = dt.date(2025, 12, 31)
"""Default day the documents describe (pass it as ``today`` to import_households: ages are checked on it)."""

COMMUNE = "11602"  # Phường Hồng An (Hải Phòng) since 01/07/2025, formed from Phường An Hồng (11602) and others
LEGACY_COMMUNE = "11602"  # Phường An Hồng, Quận Hồng Bàng (303), until 30/06/2025
PROVINCE = "31"

SPOUSE, CHILD, PARENT, PARENT_IN_LAW = "02", "03", "07", "08"
MARRIED, SINGLE, WIDOWED = "2", "1", "3"

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = {SEX_MALE: ("Văn", "Đức", "Minh", "Quốc", "Hữu"), SEX_FEMALE: ("Thị", "Ngọc", "Thu", "Thanh", "Mỹ")}
GIVEN = {SEX_MALE: ("Hùng", "Dũng", "Khôi", "Bảo", "Tuấn", "Đạt", "Long", "Sơn"),
         SEX_FEMALE: ("Lan", "Hoa", "Linh", "Nhi", "Hương", "Thảo", "Ánh", "Yến")}

_SERIALS = itertools.count(1)


def make_area(ctx: Context, commune: str = COMMUNE, *, legacy_commune: str | None = None,
              village: str = "Tổ dân phố Một", area: str = "Địa bàn 1") -> str:
    """Create a village in a real commune (in force today) and a collaborator area in it; the area's code.
    With ``legacy_commune`` the village also belongs to that commune until 30/06/2025."""
    v = add_village(ctx, commune, village, "Tổ dân phố", legacy_commune_code=legacy_commune)
    return add_area(ctx, v.code, area).code


def row_counts(ctx: Context) -> dict[str, int]:
    """Rows of each register table (registry_repo.count_rows): to show that a refused change wrote nothing."""
    with ctx.engine.connect() as conn:
        return registry_repo.count_rows(conn)


def register_state(ctx: Context) -> dict[str, list[tuple]]:
    """The dated state of the register, table by table (danso.storage.replay.state), to compare exactly."""
    with ctx.engine.connect() as conn:
        return replay.state(conn)


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


class Factory:
    """Builds valid household-import documents, deterministic for a seed (identifiers aside, see above)."""

    def __init__(self, seed: int = 0, *, on: dt.date = ON, province: str = PROVINCE):
        self.rnd = random.Random(seed)
        self.on = on
        self.province = province
        self._numbers = itertools.count(1)

    # -- pieces ------------------------------------------------------------------------------------------------
    def date_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rnd.randint(0, max((last - first).days, 0)))

    def born_aged(self, low: int, high: int) -> dt.date:
        """A birth date giving an age between ``low`` and ``high`` (inclusive) on ``self.on``."""
        return self.date_between(add_years(self.on, -high - 1) + dt.timedelta(days=1), add_years(self.on, -low))

    def name(self, sex: str, surname: str | None = None) -> str:
        r = self.rnd
        return f"{surname or r.choice(SURNAMES)} {r.choice(MIDDLE[sex])} {r.choice(GIVEN[sex])}"

    def cccd(self, sex: str, birth_year: int) -> str:
        """A well-formed CCCD matching sex and year of birth, never used before in this test session."""
        return make_cccd(self.province, sex, birth_year, next(_SERIALS))

    def bhyt(self, born: dt.date) -> str:
        """A 15-character BHYT card number (children under 6 TE1, pupils HS4, others GD4), never used before."""
        age = self.on.year - born.year
        group = "TE1" if age < 6 else "HS4" if age < 18 else "GD4"
        return f"{group}{self.province}{next(_SERIALS):010d}"

    def person(self, *, relation: str, sex: str, born: dt.date, since: dt.date, marital: str,
               residence: str = "1", name: str | None = None, year_only: bool = False, identifiers: bool = True,
               **extra: Any) -> dict[str, Any]:
        """One member line. ``extra`` adds or overrides fields (``mother``, ``contraception``, …)."""
        age = self.on.year - born.year
        education = "0" if age < 6 else str(min(1 + (age - 6) // 4, 4)) if age < 22 else self.rnd.choice("2345679")
        m: dict[str, Any] = {
            "full_name": name or self.name(sex), "relation": relation, "sex": sex,
            "birth": str(born.year) if year_only else format_date(born), "ethnicity": "01",
            "education": education, "marital": marital, "residence": residence, "since": format_date(since)}
        if identifiers:
            if age >= 14:
                m["cccd"] = self.cccd(sex, born.year)
            m["bhyt"] = self.bhyt(born)
        m.update(extra)
        return m

    # -- households --------------------------------------------------------------------------------------------
    def family(self, area: str, *, children: int | None = None, grandparent: bool | None = None,
               contraception: bool = True, number: str | None = None) -> dict[str, Any]:
        """A family household: head (man), wife (married woman 15–49, with her contraceptive method when
        ``contraception``), their children (mother = the wife) and optionally a parent of the head or of the wife."""
        r = self.rnd
        children = r.randint(0, 3) if children is None else children
        grandparent = r.random() < 0.4 if grandparent is None else grandparent
        surname = r.choice(SURNAMES)
        wife_born = self.born_aged(22, 44)
        head_born = self.date_between(add_years(wife_born, -8), add_years(wife_born, -1))
        married = self.date_between(add_years(wife_born, 19), min(add_years(wife_born, 21), self.on))
        established = married
        members = [self.person(relation=HEAD, sex=SEX_MALE, born=head_born, since=established, marital=MARRIED,
                               name=self.name(SEX_MALE, surname))]
        wife: dict[str, Any] = self.person(relation=SPOUSE, sex=SEX_FEMALE, born=wife_born, since=established,
                                           marital=MARRIED)
        members.append(wife)
        sons = daughters = 0
        for _ in range(children):
            born = self.date_between(max(add_years(wife_born, 18), married), self.on)
            sex = r.choice((SEX_MALE, SEX_FEMALE))
            sons, daughters = sons + (sex == SEX_MALE), daughters + (sex == SEX_FEMALE)
            members.append(self.person(relation=CHILD, sex=sex, born=born, since=born, marital=SINGLE,
                                       name=self.name(sex, surname), mother=2,
                                       residence=r.choice("1111124")))
        wife.update(living_sons=sons, living_daughters=daughters, pregnant=r.random() < 0.1)
        if contraception:
            wife["contraception"] = {"method": r.choice("123456789"),
                                     "since": format_date(self.date_between(married, self.on))}
        if grandparent:  # the head's parent (07) or the wife's (08); a grandmother is recorded as the mother
            child, relation = r.choice(((0, PARENT), (1, PARENT_IN_LAW)))
            sex = r.choice((SEX_MALE, SEX_FEMALE))
            child_born = head_born if child == 0 else wife_born
            born = self.date_between(add_years(child_born, -40), add_years(child_born, -20))
            members.append(self.person(relation=relation, sex=sex, born=born, since=established,
                                       marital=r.choice((MARRIED, WIDOWED)), year_only=r.random() < 0.5,
                                       residence=r.choice("114"), name=self.name(sex)))
            if sex == SEX_FEMALE:
                members[child]["mother"] = len(members)
        return {"area": area, "number": number or str(next(self._numbers)), "kind": "1",
                "established_on": format_date(established),
                "address": {"house_no": str(r.randint(1, 200)), "street": "Phố Hùng Vương"},
                "members": members}

    def document(self, area: str, households: int = 1, **family: Any) -> dict[str, Any]:
        """``{"households": [...]}`` with ``households`` families in the area."""
        return {"households": [self.family(area, **family) for _ in range(households)]}
