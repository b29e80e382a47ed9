"""The figures the synthetic population is drawn from, and lookup tables that make drawing cheap.

Sources: /work/shared/reference/demography.md (WPP2019 2020 pyramid, 2019 census ethnic shares and household
size, SRB, SMAM between 2019 and 2024, marital status 2020, ASFR 2020–25). Figures marked [J] are judgement,
tuned so that the generated population matches the sourced figures (see tests/test_generator.py).

A categorical draw is ``table[int(random() * len(table))]`` on a table expanded from its weights (largest
remainder), so the hot loop needs one random number and one index per draw.
"""
from __future__ import annotations

import math
import random
from collections.abc import Sequence

TABLE_SIZE = 4096


def expand(pairs: Sequence[tuple[object, float]], size: int = TABLE_SIZE) -> list:
    """A list of ``size`` items in which each item appears in proportion to its weight."""
    total = sum(w for _, w in pairs)
    if total <= 0:
        raise ValueError("weights must sum to a positive number")
    exact = [w * size / total for _, w in pairs]
    counts = [int(x) for x in exact]
    order = sorted(range(len(pairs)), key=lambda i: counts[i] - exact[i])
    for i in order[: size - sum(counts)]:
        counts[i] += 1
    return [item for (item, _), n in zip(pairs, counts) for _ in range(n)]


def quantiles(draw, size: int = TABLE_SIZE, seed: int = 20_250_701) -> list[float]:
    """A sorted sample of a continuous distribution (``draw(rng)``), fixed by ``seed``: a cheap inverse CDF."""
    rng = random.Random(seed)
    return sorted(draw(rng) for _ in range(size))


YEAR_DAYS = 365.2425

# -- population pyramid: UN WPP2019, Viet Nam, 1 July 2020, thousands (demography.md §2.2) -----------------
WPP2020_MALE = (4164.842, 4004.759, 3734.036, 3364.847, 3500.183, 4363.621, 4278.909, 3915.663, 3525.539,
                3266.831, 2907.946, 2530.100, 2012.144, 1339.456, 664.802, 422.995, 298.067, 193.013, 79.054,
                25.681, 5.766)
WPP2020_FEMALE = (3727.629, 3581.342, 3364.138, 3136.022, 3320.020, 4205.672, 4158.118, 3848.234, 3508.287,
                  3272.305, 2960.411, 2711.511, 2318.810, 1672.277, 987.156, 703.519, 562.519, 416.160, 195.571,
                  72.544, 18.084)

# Household size, Viet Nam 2019 census (brief; mean ≈ 3.6): 1, 2, 3, 4, 5, 6+ persons.
HOUSEHOLD_SIZE_SHARES = (0.12, 0.20, 0.22, 0.25, 0.11, 0.10)

# -- ethnicity: 2019 census shares, % (demography.md §1.2); the rest spread over the smaller groups --------
NATIONAL_ETHNIC_MIX = {
    "01": 85.32, "02": 1.92, "03": 1.89, "06": 1.51, "08": 1.45, "05": 1.37, "07": 1.13, "09": 0.93,
    "04": 0.78, "10": 0.53, "12": 0.41, "13": 0.30, "14": 0.22, "15": 0.21, "16": 0.21, "18": 0.19, "17": 0.19,
}
_SMALL_GROUPS = [f"{c:02d}" for c in (11, *range(19, 55))]
for _code in _SMALL_GROUPS:
    NATIONAL_ETHNIC_MIX[_code] = 1.40 / len(_SMALL_GROUPS)
NATIONAL_ETHNIC_MIX["55"] = 0.05  # foreigners

# A few provinces (codes since 1 July 2025), [J] rounded from the 2019 census by province; others: national.
PROVINCE_ETHNIC_MIX: dict[str, dict[str, float]] = {
    "01": {"01": 98.6, "06": 0.8, "02": 0.2, "03": 0.1, "07": 0.1, "04": 0.1, "09": 0.1},  # Hà Nội
    "31": {"01": 99.6, "04": 0.1, "02": 0.1, "06": 0.1, "03": 0.05, "07": 0.05},  # Hải Phòng
    "22": {"01": 88.0, "02": 4.5, "09": 3.5, "18": 2.0, "15": 1.0, "04": 0.5, "07": 0.5},  # Quảng Ninh
    "24": {"01": 95.5, "07": 1.5, "02": 1.2, "18": 0.8, "15": 0.5, "04": 0.3, "09": 0.2},  # Bắc Ninh
    "33": {"01": 99.8, "02": 0.1, "06": 0.1},  # Hưng Yên
    "37": {"01": 97.5, "06": 2.2, "02": 0.2, "03": 0.1},  # Ninh Bình
    "04": {"02": 41.0, "07": 31.0, "08": 10.0, "09": 10.0, "01": 6.5, "15": 1.5},  # Cao Bằng
    "14": {"03": 53.0, "01": 16.0, "08": 16.0, "06": 8.0, "09": 2.5, "29": 2.0, "33": 1.0, "34": 1.5},  # Sơn La
    "48": {"01": 98.0, "26": 1.2, "04": 0.3, "02": 0.2, "19": 0.3},  # Đà Nẵng
    "66": {"01": 72.0, "12": 17.0, "07": 3.0, "02": 2.8, "08": 1.5, "09": 1.2, "20": 1.5, "10": 1.0},  # Đắk Lắk
    "79": {"01": 93.3, "04": 4.4, "05": 0.7, "17": 0.3, "02": 0.3, "07": 0.3, "23": 0.1, "32": 0.6},  # TP HCM
    "91": {"01": 86.0, "05": 12.0, "04": 1.3, "17": 0.7},  # An Giang
    "92": {"01": 96.5, "05": 2.0, "04": 1.5},  # Cần Thơ
}


def ethnic_mix(province: str) -> dict[str, float]:
    return PROVINCE_ETHNIC_MIX.get(province, NATIONAL_ETHNIC_MIX)


def region(province: str) -> str:
    """"north" (family names Hoàng, Vũ) up to Hà Tĩnh and Quảng Trị, "south" (Huỳnh, Võ) from Huế on."""
    return "north" if province.isdigit() and int(province) < 46 else "south"


# -- cohorts ----------------------------------------------------------------------------------------------------
def cohort(year: int) -> int:
    """0: born before 1960, 1: 1960–79, 2: 1980–94, 3: 1995 and later."""
    return 0 if year < 1960 else 1 if year < 1980 else 2 if year < 1995 else 3


# -- marriage -----------------------------------------------------------------------------------------------
# Women's age at first marriage, 16 + gamma(3): means by cohort (SMAM F 23.1 in 2019, 25.2 in 2024) [J].
FEMALE_MARRIAGE_MEAN = (21.0, 22.2, 23.6, 24.6)
FEMALE_MARRIAGE_AGE = [quantiles(lambda r, m=m: 16.0 + r.gammavariate(3.0, (m - 16.0) / 3.0), seed=11 + i)
                       for i, m in enumerate(FEMALE_MARRIAGE_MEAN)]
# Age at first marriage of children still unmarried at home (sons ~ SMAM M 28.5, daughters ~ 24.5) [J]
SON_MARRIAGE_AGE = quantiles(lambda r: 18.0 + r.gammavariate(3.0, 10.5 / 3.0), seed=21)
DAUGHTER_MARRIAGE_AGE = quantiles(lambda r: 16.5 + r.gammavariate(3.0, 8.0 / 3.0), seed=22)
# Husband's age minus wife's, years: mean ≈ 3.6 (SMAM M − F ≈ 4.1 in 2019 and 4.2 in 2024) [J]
SPOUSE_GAP = quantiles(lambda r: min(18.0, max(-6.0, r.gauss(3.6, 3.3))), seed=23)
# Mother's age at the birth of a child who now lives with her in a three-generation household [J]
MOTHER_AGE_AT_BIRTH = quantiles(lambda r: min(42.0, max(18.0, r.gauss(26.5, 4.5))), seed=24)

# -- fertility ----------------------------------------------------------------------------------------------
# Children ever born to a married woman by her cohort: (<1950, 1950–59, 1960–69, 1970–79, 1980–89, 1990+) [J],
# completed fertility falling from ≈ 4.5 to ≈ 2 (TFR 2.09 in 2019, 1.91 in 2024).
PARITY = [
    expand([(2, 5), (3, 12), (4, 20), (5, 22), (6, 18), (7, 13), (8, 10)]),
    expand([(1, 3), (2, 12), (3, 22), (4, 25), (5, 18), (6, 12), (7, 8)]),
    expand([(0, 2), (1, 5), (2, 33), (3, 30), (4, 17), (5, 8), (6, 5)]),
    expand([(0, 2), (1, 9), (2, 55), (3, 24), (4, 8), (5, 2)]),
    expand([(0, 3), (1, 13), (2, 58), (3, 21), (4, 5)]),
    expand([(0, 4), (1, 17), (2, 58), (3, 18), (4, 3)]),
]


def parity_cohort(year: int) -> int:
    return 0 if year < 1950 else 1 if year < 1960 else 2 if year < 1970 else 3 if year < 1980 else 4 if year < 1990 \
        else 5


FIRST_BIRTH_MIN_DAYS = 280  # after marriage
FIRST_BIRTH_EXTRA_MEAN = 330.0  # days, exponential
SPACING_MIN_DAYS = 457  # 15 months between births
# days, exponential, by parity cohort: older cohorts had shorter birth intervals [J]
SPACING_EXTRA_MEAN = (520.0, 600.0, 720.0, 850.0, 950.0, 1000.0)
LAST_BIRTH_AGE = 44.5  # years: no simulated birth after this age of the mother
SRB_RECENT = 111.4  # boys per 100 girls, births since 2005 (111.5 in 2019, 111.4 in 2024)
SRB_EARLIER = 106.0
P_BOY_RECENT = SRB_RECENT / (100.0 + SRB_RECENT)
P_BOY_EARLIER = SRB_EARLIER / (100.0 + SRB_EARLIER)

# -- women 15–49 follow-up ------------------------------------------------------------------------------------
# Probability that a married woman is pregnant, by single year of age 15..49 [J] (≈ 5 % overall)
PREGNANT_BY_AGE = [0.16] * 5 + [0.13] * 5 + [0.10] * 5 + [0.065] * 5 + [0.03] * 5 + [0.008] * 5 + [0.001] * 5
# Probability that a non-pregnant married woman uses a method, by children ever born (0, 1, 2+) [J]:
# ≈ 75 % of married women 15–49 overall (VN: CPR ≈ 75–77 %).
USER_BY_PARITY = (0.40, 0.78, 0.86)
# Method mix among users (codes of contraceptive_method.csv), aimed at IUD 35 %, pill 17, condom 17,
# traditional 17, injectable 4, female sterilisation 4, implant 1.5, male sterilisation 0.3, other modern the
# rest. Sterilisation is only drawn for women of 28+ with 2+ children (else IUD), and women without children
# use METHOD_MIX_NO_CHILD, so the weights for mothers are set to give those overall shares.
METHOD_MIX = (("1", 32.5), ("6", 16.0), ("7", 15.5), ("9", 16.5), ("5", 4.0), ("2", 6.2), ("4", 1.6),
              ("3", 0.45), ("8", 4.4))
# Women without children do not use IUD or sterilisation; their draws go to pill, condom and traditional.
METHOD_MIX_NO_CHILD = (("6", 30.0), ("7", 40.0), ("9", 25.0), ("5", 3.0), ("8", 2.0))
LONG_ACTING = frozenset({"1", "2", "3", "4"})  # started after the last birth

# -- education by age band and cohort (codes of education.csv) ------------------------------------------------
# Adults 25+ by cohort (<1960, 1960–79, 1980–94, 1995+), rural; wards use the urban table [J].
_ADULT_EDU_RURAL = [
    [("9", 7), ("1", 17), ("2", 30), ("3", 25), ("4", 11), ("5", 4), ("6", 2), ("7", 3.5), ("8", 0.5)],
    [("9", 2), ("1", 7), ("2", 20), ("3", 35), ("4", 20), ("5", 7), ("6", 3), ("7", 5.5), ("8", 0.5)],
    [("9", 1.5), ("1", 3), ("2", 10), ("3", 30), ("4", 32), ("5", 9), ("6", 6), ("7", 8), ("8", 0.5)],
    [("9", 1), ("1", 2), ("2", 5), ("3", 23), ("4", 40), ("5", 9), ("6", 8), ("7", 11.5), ("8", 0.5)],
]
_ADULT_EDU_URBAN = [
    [("9", 3), ("1", 10), ("2", 22), ("3", 27), ("4", 18), ("5", 6), ("6", 3), ("7", 10), ("8", 1)],
    [("9", 1), ("1", 3), ("2", 10), ("3", 27), ("4", 27), ("5", 8), ("6", 5), ("7", 17), ("8", 2)],
    [("9", 0.5), ("1", 1.5), ("2", 5), ("3", 21), ("4", 35), ("5", 9), ("6", 9), ("7", 17.5), ("8", 1.5)],
    [("9", 0.5), ("1", 1), ("2", 3), ("3", 16), ("4", 40), ("5", 8), ("6", 9), ("7", 20.5), ("8", 2)],
]
_YOUNG_EDU = {  # by age band: 0–5, 6–10, 11–14, 15–17, 18–21, 22–24 (still at school or just finished)
    0: [("0", 1)],
    1: [("1", 99), ("0", 1)],
    2: [("2", 95), ("1", 5)],
    3: [("3", 86), ("2", 12), ("1", 2)],
    4: [("4", 68), ("3", 24), ("2", 5), ("5", 2), ("1", 1)],
    5: [("4", 45), ("3", 20), ("7", 17), ("5", 7), ("6", 7), ("2", 3), ("1", 1)],
}


def education_tables() -> dict[tuple[int, int, bool], list[tuple[str, float]]]:
    """(age band 0–6, cohort 0–3, urban) → education codes with weights; band 6 is 25+."""
    out = {}
    for urban in (False, True):
        for coh in range(4):
            for band, pairs in _YOUNG_EDU.items():
                out[band, coh, urban] = pairs
            out[6, coh, urban] = (_ADULT_EDU_URBAN if urban else _ADULT_EDU_RURAL)[coh]
    return out


def age_band(age: int) -> int:
    return 0 if age < 6 else 1 if age < 11 else 2 if age < 15 else 3 if age < 18 else 4 if age < 22 else 5 \
        if age < 25 else 6


# -- disability: share with a disability by age (<15, 15–59, 60+), then the kind (codes 1–6) [J] ------------
DISABILITY_BY_AGE = (0.01, 0.022, 0.085)
DISABILITY_KIND = expand([("1", 40), ("2", 12), ("3", 15), ("4", 13), ("5", 10), ("6", 10)], 256)

# -- health insurance (BHYT): coverage and beneficiary group by age [J] ------------------------------------------
# (group letters, benefit digit) weights; ≈ 92 % of persons hold a card.
BHYT_COVERAGE = {"child": 0.99, "pupil": 0.97, "young": 0.86, "adult": 0.895, "old": 0.97}
BHYT_GROUPS = {
    "child": [(("TE", "1"), 1)],
    "pupil": [(("HS", "4"), 85), (("GD", "4"), 11), (("HN", "1"), 4)],
    "young": [(("SV", "4"), 40), (("DN", "4"), 30), (("GD", "4"), 25), (("HN", "1"), 5)],
    "adult": [(("DN", "4"), 30), (("GD", "4"), 42), (("HC", "4"), 7), (("HN", "1"), 5), (("CN", "2"), 4),
              (("NO", "4"), 3), (("XK", "4"), 2), (("CA", "1"), 1), (("BT", "2"), 1), (("TN", "4"), 5)],
    "old": [(("HT", "3"), 30), (("GD", "4"), 30), (("CK", "2"), 5), (("CB", "2"), 6), (("HN", "1"), 4),
            (("BT", "2"), 10), (("DN", "4"), 5), (("CN", "2"), 3), (("XB", "2"), 7)],
}

# -- residence: shares among members whose status is not set by their situation [J] --------------------------
P_RESIDENCE_2 = 0.02  # living here, permanent registration not yet done
P_RESIDENCE_3 = 0.012  # temporary residents (besides lodgers living alone, siblings renting, dormitories)
P_AWAY_YOUNG = 0.3  # unmarried children 18–34 registered here but away (tạm vắng), mostly for work
P_AWAY_HUSBAND = 0.05  # husbands under 50 away for work

P_COLLECTIVE = 0.003  # hộ tập thể among households
P_YEAR_ONLY = 0.03  # persons aged 60+ whose day and month of birth are unknown
P_CHILD_ID = 0.85  # children under 14 with a personal id number (mã định danh)


def exp_days(u: float, mean: float) -> int:
    return int(-math.log(1.0 - u) * mean)
