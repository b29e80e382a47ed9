"""The dashboard's table of child units (communes of a province, villages of a commune) with the main
indicators, sortable by any column: on the server with ``?sort=births&dir=desc`` (links in the headers, so it
works without JavaScript), and in the browser by static/sortable.js, which sorts the same way (empty values
last in either direction, ties in the order of the codes)."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from danso.domain.units import Level, Unit
from danso.domain.vntext import fold
from danso.services.dashboard import SRB_MIN_BIRTHS, Dashboard


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    numeric: bool = True
    rate: bool = False  # written with one decimal
    over_year: bool = False  # counted over the twelve months (else at the last month's end)
    title: str = ""


COLUMNS = (  # the name first: on a phone it stays in sight while the figures scroll under it
    Column("name", "Tên", numeric=False),
    Column("code", "Mã", numeric=False),
    Column("households", "Hộ", title="Hộ dân cư cuối kỳ"),
    Column("population", "Nhân khẩu", title="Nhân khẩu thực tế thường trú cuối kỳ"),
    Column("births", "Trẻ sinh", over_year=True, title="Trẻ sinh ra trong 12 tháng"),
    Column("srb", "Tỷ số GT khi sinh", rate=True, over_year=True,
           title="Số bé trai trên 100 bé gái sinh ra trong 12 tháng"),
    Column("third_plus_share", "Con thứ 3+ (%)", rate=True, over_year=True,
           title="Tỷ lệ trẻ sinh ra là con thứ 3 trở lên, 12 tháng"),
    Column("married_women_15_49", "Phụ nữ 15–49 có chồng", title="Phụ nữ 15–49 tuổi có chồng cuối kỳ"),
    Column("cpr", "Dùng BPTT (%)", rate=True, title="Tỷ lệ phụ nữ 15–49 có chồng đang dùng biện pháp tránh thai"),
    Column("cpr_modern", "BPTT hiện đại (%)", rate=True, title="Tỷ lệ dùng biện pháp tránh thai hiện đại"),
)
BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT_SORT = "code"


@dataclass
class Row:
    unit: Unit
    href: str | None
    values: dict[str, float | int | str | None]
    few_births: bool  # the sex ratio at birth rests on fewer than SRB_MIN_BIRTHS births

    def sort_value(self, key: str) -> float | int | str | None:
        v = self.values[key]
        return fold(v) if key == "name" and isinstance(v, str) else v


@dataclass
class Heading:
    column: Column
    href: str
    aria_sort: str | None  # "ascending" / "descending" on the column the table is sorted by
    first_dir: str  # the direction a first click sorts in: numbers largest first, text A to Z


@dataclass
class Table:
    headings: list[Heading]
    rows: list[Row]
    empty: list[tuple[Unit, str | None]]  # child units without a single figure (folded away)
    total: Row | None
    sort: str
    dir: str
    problem: str | None  # an unknown sort asked for: said, and the table is sorted by code


def _values(unit_values: dict, year_values: dict | None) -> dict:
    year = year_values or {}
    out = {}
    for c in COLUMNS[2:]:
        v = (year.get(c.key) if c.over_year else unit_values.get(c.key))
        out[c.key] = (0 if c.key == "births" else None) if v is None else v.value
    return out


def unit_href(unit: Unit, read_register: bool) -> str | None:
    """Drill-down: a commune (or province) to its own dashboard, a village or area to its households (for users
    who may read the register)."""
    if unit.level in (Level.VILLAGE, Level.AREA):
        return f"/households?unit={unit.code}" if read_register else None
    return f"/units/{unit.code}"


def build_table(d: Dashboard, read_register: bool, sort: str = "", direction: str = "",
                keep: dict[str, str] | None = None) -> Table:
    """Rows of the child units with figures, sorted as asked; ``keep``: other parameters of the page's address
    (the month) carried by the header links."""
    rows, empty = [], []
    for col in d.report.columns:
        if col.unit is None:
            continue
        year = d.year.get(col.unit_id)
        href = unit_href(col.unit, read_register)
        if not any(col.counts.values()) and not year:
            empty.append((col.unit, href))
            continue
        values = {"code": col.unit.code, "name": col.unit.name, **_values(col.values, year)}
        rows.append(Row(col.unit, href, values, (values["births"] or 0) < SRB_MIN_BIRTHS))
    total_values = {"code": "", "name": "Tổng số", **_values(d.report.total, d.year_total)}
    total = Row(d.report.unit, None, total_values, (total_values["births"] or 0) < SRB_MIN_BIRTHS)
    problem = None
    if sort and sort not in BY_KEY or direction and direction not in ("asc", "desc"):
        problem = f"Không sắp xếp được theo “{sort or direction}”; bảng được xếp theo mã."
        sort, direction = DEFAULT_SORT, "asc"
    sort = sort or DEFAULT_SORT
    direction = direction or _first_dir(BY_KEY[sort])
    rows = sort_rows(rows, sort, direction == "desc")
    headings = []
    for c in COLUMNS:
        current = c.key == sort
        next_dir = ("asc" if direction == "desc" else "desc") if current else _first_dir(c)
        query = {**(keep or {}), "sort": c.key, "dir": next_dir}
        headings.append(Heading(c, "?" + urlencode(query),
                                ("descending" if direction == "desc" else "ascending") if current else None,
                                _first_dir(c)))
    return Table(headings, rows, empty, total if rows else None, sort, direction, problem)


def _first_dir(c: Column) -> str:
    return "desc" if c.numeric else "asc"


def sort_rows(rows: list[Row], key: str, descending: bool) -> list[Row]:
    """Sorted by ``key``, rows without a value last whatever the direction; ties stay in the order of codes."""
    by_code = sorted(rows, key=lambda r: r.unit.code)
    present = [r for r in by_code if r.values[key] is not None]
    missing = [r for r in by_code if r.values[key] is None]
    return sorted(present, key=lambda r: r.sort_value(key), reverse=descending) + missing
