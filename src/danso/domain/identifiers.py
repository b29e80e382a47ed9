"""Personal identifiers: CCCD / mã định danh cá nhân (12 digits) and the health-insurance number (BHYT).

CCCD structure (Thông tư 07/2016/TT-BCA, art. 7; kept by Thông tư 59/2021/TT-BCA):
digits 1–3 the province (or country) of birth registration, digit 4 the century of birth and sex
(0/1: 1900s male/female, 2/3: 2000s, 4/5: 2100s, 6/7: 2200s, 8/9: 2300s), digits 5–6 the last two digits
of the year of birth, digits 7–12 a random serial. There is no check digit.
"""
from __future__ import annotations

import re

from danso.domain.problems import Problem

# The 63 province codes in force before 1 July 2025 (GSO); the 34 codes since then are a subset.
PROVINCE_CODES = frozenset(
    "01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 46 48 49 "
    "51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 92 93 94 95 96".split()
)
assert len(PROVINCE_CODES) == 63

_CENTURY_BASE = {0: 1900, 2: 2000, 4: 2100, 6: 2200, 8: 2300}
_CCCD = re.compile(r"^\d{12}$")
# BHYT card: 2 letters (beneficiary group), 1 digit (benefit level 1–5), 2 digits (province), 10 digits (BHXH id)
_BHYT_CARD = re.compile(r"^[A-Z]{2}[1-5]\d{2}\d{10}$")
_BHXH = re.compile(r"^\d{10}$")

SEX_MALE = "1"
SEX_FEMALE = "2"


def normalise_cccd(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def cccd_problems(value: str, *, sex: str | None, birth_year: int | None, record: str = "",
                  field: str = "cccd") -> list[Problem]:
    """Check a CCCD's shape, its province code and its consistency with sex and year of birth."""
    v = normalise_cccd(value)
    if not _CCCD.match(v):
        return [Problem("cccd.shape", field, record, {"value": value})]
    problems: list[Problem] = []
    if v[1:3] not in PROVINCE_CODES or v[0] != "0":
        problems.append(Problem("cccd.province", field, record, {"value": v, "code": v[:3]}))
    gender_digit = int(v[3])
    year = _CENTURY_BASE[gender_digit - gender_digit % 2] + int(v[4:6])
    cccd_sex = SEX_MALE if gender_digit % 2 == 0 else SEX_FEMALE
    if sex is not None and sex != cccd_sex:
        problems.append(Problem("cccd.sex_mismatch", field, record, {"value": v}))
    if birth_year is not None and birth_year != year:
        problems.append(Problem("cccd.year_mismatch", field, record,
                                {"value": v, "cccd_year": year, "birth_year": birth_year}))
    return problems


def make_cccd(province: str, sex: str, birth_year: int, serial: int) -> str:
    """Build a well-formed CCCD (used by the demo generator and tests)."""
    century = (birth_year // 100) * 100
    digit = {v: k for k, v in _CENTURY_BASE.items()}[century] + (0 if sex == SEX_MALE else 1)
    return f"0{province}{digit}{birth_year % 100:02d}{serial % 1_000_000:06d}"


def normalise_bhyt(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def bhyt_problems(value: str, *, record: str = "", field: str = "bhyt") -> list[Problem]:
    """A BHYT number is the 15-character card number or the 10-digit social-insurance id (mã số BHXH)."""
    v = normalise_bhyt(value)
    if _BHYT_CARD.match(v):
        if v[3:5] not in PROVINCE_CODES:
            return [Problem("bhyt.province", field, record, {"value": v, "code": v[3:5]})]
        return []
    if _BHXH.match(v):
        return []
    return [Problem("bhyt.shape", field, record, {"value": value})]
