"""The inputs of a projection, and the hand-given inputs file (JSON; format: docs/forecast.md).

Every problem found in a file is reported at once, each naming the field (``population.female``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from danso.domain.problems import DansoError
from danso.domain.vntext import DateParseError, format_date, parse_date

SEXES = ("male", "female")


def vn_number(x: float, digits: int = 1) -> str:
    """A number written the Vietnamese way: decimal comma (1,97)."""
    return f"{x:.{digits}f}".replace(".", ",")


class InputsError(DansoError):
    """The inputs file was refused; carries every problem, in Vietnamese, each naming its field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Mortality:
    """Death rates ``mx`` (2, k) on intervals starting at ``ages`` (last open), or person-years ``nLx``
    (2, n) by projection group with the open group's ``T``, for a life table of radix ``radix``."""

    kind: str  # "mx" | "person_years"
    values: np.ndarray
    ages: np.ndarray | None = None
    radix: float = 1.0


@dataclass
class ProjectionInputs:
    """Everything one projection needs, on the grid of ``width``-year groups up to the open ``open_age``."""

    title: str
    base_date: dt.date
    width: int
    open_age: int
    population: np.ndarray  # (2, n)
    asfr: np.ndarray  # (n,) annual rates by age group of women
    mortality: Mortality
    srb: float  # boys per girl
    migration: list[np.ndarray]  # (2, n) net migrants per step; the last one repeats
    tfr_path: dict[float, float] = field(default_factory=dict)  # year → TFR, linear in between
    srb_path: dict[float, float] = field(default_factory=dict)  # year → boys per girl
    mortality_decline: float = 0.0  # annual proportional decline of every death rate
    notes: list[str] = field(default_factory=list)  # assumptions, in Vietnamese
    report: dict[str, Any] = field(default_factory=dict)  # derived inputs with the counts they came from

    @property
    def groups(self) -> int:
        return self.open_age // self.width + 1

    @property
    def tfr(self) -> float:
        return float(self.width * self.asfr.sum())


class _Reader:
    """Collects problems while reading fields, so that every problem is reported at once."""

    def __init__(self, doc: dict[str, Any]):
        self.doc, self.problems = doc, []

    def bad(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def number(self, value: Any, where: str, low: float | None = None, high: float | None = None) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.bad(where, f"phải là một số (đang ghi “{value}”).")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.bad(where, f"{value} nằm ngoài khoảng hợp lý [{low}, {high}].")
            return None
        return float(value)

    def vector(self, value: Any, where: str, length: int | None = None, low: float = 0.0) -> np.ndarray | None:
        if not isinstance(value, list) or not value:
            self.bad(where, "phải là một danh sách số.")
            return None
        nums = [self.number(v, f"{where}[{i}]", low) for i, v in enumerate(value)]
        if any(v is None for v in nums):
            return None
        if length is not None and len(nums) != length:
            self.bad(where, f"cần đúng {length} giá trị (một cho mỗi nhóm tuổi), đang có {len(nums)}.")
            return None
        return np.array(nums)

    def by_sex(self, value: Any, where: str, length: int | None) -> np.ndarray | None:
        if not isinstance(value, dict) or set(value) - set(SEXES) or len(value) != 2:
            self.bad(where, "phải là đối tượng {\"male\": [...], \"female\": [...]}.")
            return None
        rows = [self.vector(value[s], f"{where}.{s}", length) for s in SEXES]
        if rows[0] is None or rows[1] is None:
            return None
        if len(rows[0]) != len(rows[1]):
            self.bad(where, "nam và nữ phải có cùng số nhóm tuổi.")
            return None
        return np.vstack(rows)

    def path(self, value: Any, where: str, low: float, high: float) -> dict[float, float]:
        if value is None:
            return {}
        if not isinstance(value, dict) or not value:
            self.bad(where, "phải là đối tượng {\"năm\": giá trị, …}, ví dụ {\"2035\": 1.8}.")
            return {}
        out = {}
        for k, v in value.items():
            try:
                year = float(k)
            except ValueError:
                self.bad(f"{where}.{k}", "khóa phải là một năm, ví dụ \"2035\".")
                continue
            num = self.number(v, f"{where}.{k}", low, high)
            if num is not None:
                out[year] = num
        return out


def parse_inputs(doc: Any) -> ProjectionInputs:
    """Read a hand-given inputs document (docs/forecast.md); raise ``InputsError`` listing every problem."""
    if not isinstance(doc, dict):
        raise InputsError(["tệp đầu vào phải là một đối tượng JSON."])
    r = _Reader(doc)
    width = doc.get("step", 5)
    if width not in (1, 5):
        r.bad("step", f"bước dự báo phải là 1 hoặc 5 năm (đang ghi “{width}”).")
        width = 5
    open_age = doc.get("open_age", 85)
    if not isinstance(open_age, int) or open_age % width or not 50 <= open_age <= 110:
        r.bad("open_age", f"tuổi của nhóm mở phải là bội số của bước, từ 50 đến 110 (đang ghi “{open_age}”).")
        open_age = 85
    n = open_age // width + 1
    base_date = _date(r, doc.get("base_date"))
    population = r.by_sex(doc.get("population"), "population", n)
    asfr = _fertility(r, doc.get("fertility"), width, n)
    mortality = _mortality(r, doc.get("mortality"), width, n)
    srb = r.number(doc.get("srb", 105), "srb", 90, 130)
    migration = _migration(r, doc.get("migration"), n)
    tfr_path = r.path(doc.get("tfr_path"), "tfr_path", 0, 10)
    srb_path = {y: v / 100 for y, v in r.path(doc.get("srb_path"), "srb_path", 90, 130).items()}
    decline = r.number(doc.get("mortality_decline", 0.0), "mortality_decline", -0.05, 0.1)
    if r.problems:
        raise InputsError(r.problems)
    return ProjectionInputs(
        str(doc.get("title", "Dự báo từ số liệu nhập tay")), base_date, width, open_age, population, asfr,
        mortality, srb / 100, migration, tfr_path, srb_path, decline,
        notes=[str(x) for x in doc.get("notes", [])], report={"source": "tệp nhập tay"})


def _date(r: _Reader, value: Any) -> dt.date:
    try:
        return parse_date(value) if value is not None else _missing(r, "base_date")
    except DateParseError:
        r.bad("base_date", f"“{value}” không phải ngày hợp lệ (ghi theo dạng dd/mm/yyyy).")
        return dt.date(2000, 1, 1)


def _missing(r: _Reader, where: str) -> dt.date:
    r.bad(where, "chưa ghi (ngày gốc của dự báo, dd/mm/yyyy).")
    return dt.date(2000, 1, 1)


def _fertility(r: _Reader, value: Any, width: int, n: int) -> np.ndarray:
    asfr = np.zeros(n)
    if not isinstance(value, dict):
        r.bad("fertility", "chưa ghi: cần {\"first_age\": 15, \"asfr\": [...]} hoặc "
                           "{\"first_age\": 15, \"tfr\": 2.0, \"pattern\": [...]}.")
        return asfr
    first = value.get("first_age", 15)
    if not isinstance(first, int) or first % width or not 10 <= first <= 20:
        r.bad("fertility.first_age", f"phải là bội số của bước, từ 10 đến 20 (đang ghi “{first}”).")
        return asfr
    if "asfr" in value:
        rates = r.vector(value["asfr"], "fertility.asfr")
    elif "tfr" in value:
        tfr = r.number(value["tfr"], "fertility.tfr", 0, 10)
        pattern = r.vector(value.get("pattern"), "fertility.pattern")
        if pattern is not None and pattern.sum() <= 0:
            r.bad("fertility.pattern", "cần phân bố theo tuổi với tổng dương.")
        if tfr is None or pattern is None or pattern.sum() <= 0:
            return asfr
        rates = tfr * pattern / pattern.sum() / width
    else:
        r.bad("fertility", "cần “asfr” (tỷ suất sinh đặc trưng theo tuổi) hoặc “tfr” với “pattern”.")
        return asfr
    if rates is None:
        return asfr
    k = first // width
    if k + len(rates) > n or (rates > 1).any():
        r.bad("fertility.asfr", "quá nhiều nhóm tuổi, hoặc có tỷ suất lớn hơn 1 (ghi theo số sinh/phụ nữ/năm).")
        return asfr
    asfr[k:k + len(rates)] = rates
    return asfr


def _mortality(r: _Reader, value: Any, width: int, n: int) -> Mortality:
    fallback = Mortality("person_years", np.ones((2, n)))
    if not isinstance(value, dict) or not ({"mx", "person_years"} & set(value)):
        r.bad("mortality", "cần “mx” (tỷ suất chết theo tuổi) hoặc “person_years” (nLx của bảng sống).")
        return fallback
    if "mx" in value:
        mx = value["mx"] if isinstance(value["mx"], dict) else {}
        ages = r.vector(mx.get("ages"), "mortality.mx.ages")
        rates = r.by_sex({s: mx.get(s) for s in SEXES}, "mortality.mx", None if ages is None else len(ages))
        if ages is None or rates is None:
            return fallback
        if ages[0] != 0 or (np.diff(ages) <= 0).any() or ages[-1] < width * (n - 1):
            r.bad("mortality.mx.ages", f"phải tăng dần từ 0 và tới ít nhất tuổi nhóm mở {width * (n - 1)}.")
        elif (rates[:, -1] <= 0).any():
            r.bad("mortality.mx", "tỷ suất chết của nhóm tuổi mở phải lớn hơn 0.")
        return Mortality("mx", rates, ages.astype(int))
    py = value["person_years"] if isinstance(value["person_years"], dict) else {}
    radix = r.number(py.get("radix", 1), "mortality.person_years.radix", 1e-9)
    rows = r.by_sex({s: py.get(s) for s in SEXES}, "mortality.person_years", n)
    if rows is None or radix is None:
        return fallback
    return Mortality("person_years", rows, None, radix)


def _migration(r: _Reader, value: Any, n: int) -> list[np.ndarray]:
    if value is None:
        return [np.zeros((2, n))]
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        r.bad("migration", "phải là {\"male\": [...], \"female\": [...]} hoặc danh sách các đối tượng đó, "
                           "một cho mỗi bước.")
        return [np.zeros((2, n))]
    out = []
    for i, v in enumerate(value):
        got = _signed_by_sex(r, v, f"migration[{i}]", n)
        out.append(got if got is not None else np.zeros((2, n)))
    return out


def _signed_by_sex(r: _Reader, value: Any, where: str, n: int) -> np.ndarray | None:
    if not isinstance(value, dict) or set(value) != set(SEXES):
        r.bad(where, "phải là đối tượng {\"male\": [...], \"female\": [...]}.")
        return None
    rows = [r.vector(value[s], f"{where}.{s}", n, low=-1e12) for s in SEXES]
    return None if rows[0] is None or rows[1] is None else np.vstack(rows)


def inputs_to_doc(inputs: ProjectionInputs) -> dict[str, Any]:
    """The inputs as a hand-given inputs document (so derived inputs can be edited and run again)."""
    n = inputs.groups
    first = next((k for k in range(n) if inputs.asfr[k] > 0), 3)
    last = max((k for k in range(n) if inputs.asfr[k] > 0), default=first)
    m = inputs.mortality
    mortality = ({"mx": {"ages": m.ages.tolist(), **_sexes(m.values)}} if m.kind == "mx"
                 else {"person_years": {"radix": m.radix, **_sexes(m.values)}})
    doc: dict[str, Any] = {
        "title": inputs.title, "base_date": format_date(inputs.base_date), "step": inputs.width,
        "open_age": inputs.open_age, "population": _sexes(inputs.population),
        "fertility": {"first_age": first * inputs.width, "asfr": inputs.asfr[first:last + 1].tolist()},
        "mortality": mortality, "mortality_decline": inputs.mortality_decline, "srb": inputs.srb * 100,
        "migration": [_sexes(x) for x in inputs.migration], "notes": inputs.notes,
    }
    if inputs.tfr_path:
        doc["tfr_path"] = {str(int(k)) if k == int(k) else str(k): v for k, v in inputs.tfr_path.items()}
    if inputs.srb_path:
        doc["srb_path"] = {str(int(k)): v * 100 for k, v in inputs.srb_path.items()}
    return doc


def _sexes(a: np.ndarray) -> dict[str, list[float]]:
    return {"male": [round(float(x), 6) for x in a[0]], "female": [round(float(x), 6) for x in a[1]]}
