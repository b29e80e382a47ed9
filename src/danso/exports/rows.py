"""A report laid out as the rows of its form, with a value for the total and for each column (child unit).

An official form (03-DSX, 01-DSH) starts with the Circular's rows known for it, in their order and wording
(danso.domain.indicators.FormRow): each filled from an indicator or one of its breakdowns, or marked as
having no figure in danso (``kind == "missing"``, printed "..."), or a heading. Then, under the heading
"D", every other indicator of the catalogue, numbered D1, D2 … so as not to pass for rows of the form. The
DANSO form is the catalogue alone, numbered 1, 2 … An indicator row is followed by one sub-row per breakdown
key (``- Nam``, ``- Con thứ 3 trở lên`` …)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from danso.domain import codes
from danso.domain.ages import age_group_label
from danso.domain.indicators import FormRow, Indicator, Value, by_code, catalogue
from danso.services.reports import Report

AGE_GROUPS = tuple(range(0, 85, 5))
WOMEN_GROUPS = tuple(range(15, 50, 5))
BIRTH_ORDERS = ("1", "2", "3+")


@dataclass(frozen=True)
class Row:
    number: str  # STT: "1", "1.1"…; "" for a breakdown line
    code: str  # indicator code, or code|breakdown=key for a breakdown line
    label: str
    unit: str
    total: float | int | None
    by_column: tuple[float | int | None, ...]
    is_rate: bool = False
    kind: str = "value"  # value | heading (no figures) | missing (no figure in danso: "...")
    note: str = ""  # why a missing row has no figure


NO_VALUE = "-"  # a rate without denominator
NOT_AVAILABLE = "..."  # a row of the form danso has no figure for (as "..." in the statistical yearbooks)


def figure(value: float | int | None, rate: bool) -> str:
    """A value as the XLSX shows it, with Vietnamese separators: 1.415 (a count), 1.000,00 (a rate or an
    average), "-" for a rate without denominator."""
    if value is None:
        return NO_VALUE
    text = f"{value:,.2f}" if rate or isinstance(value, float) else f"{value:,}"
    return text.translate(str.maketrans(",.", ".,"))


def cell_text(row: Row, index: int = -1) -> str:
    """A row's figure as text (``index`` -1: the total, else the column): blank for a heading, "..." for a row
    of the form without a figure in danso — the same on the screen, in the PDF and in the CLI."""
    if row.kind != "value":
        return NOT_AVAILABLE if row.kind == "missing" else ""
    return figure(row.total if index < 0 else row.by_column[index], row.is_rate)


def value_columns(report: Report) -> list[tuple[str, int]]:
    """(heading, index in Row.by_column or -1 for the total) of the value columns."""
    if report.form.columns == "total":
        return [("Số lượng", -1)]
    return [("Tổng số", -1)] + [(c.unit.name if c.unit else "Khác", i) for i, c in enumerate(report.columns)]


def notes(rows: list[Row]) -> list[str]:
    """The notes under the table: what "..." means, then why each such row has no figure."""
    missing = [r for r in rows if r.kind == "missing"]
    if not missing:
        return []
    return [f"“{NOT_AVAILABLE}”: chưa có số liệu."] + [
        f"{re.sub(r'^(Trong tổng số:)?[ -]*', '', r.label)}: {r.note}." for r in missing]


def breakdown_keys(ind: Indicator, breakdown: str) -> list[tuple[str, str]]:
    """The fixed keys of a breakdown, with their labels (the same rows whatever the data)."""
    if breakdown == "sex":
        return [(i.code, i.label) for i in codes.code_list(codes.SEX).items]
    if breakdown == "age_group":
        groups = WOMEN_GROUPS if ind.code in ("women_15_49", "married_women_15_49") else AGE_GROUPS
        return [(str(g), f"{age_group_label(g)} tuổi") for g in groups]
    if breakdown == "sex_age_group":
        return [(f"{s}:{key}", f"{sex_label} {label}") for s, sex_label in breakdown_keys(ind, "sex")
                for key, label in breakdown_keys(ind, "age_group")]
    if breakdown == "birth_order":
        return [("1", "Con thứ 1"), ("2", "Con thứ 2"), ("3+", "Con thứ 3 trở lên")]
    if breakdown == "delivery_place":
        return [(i.code, i.label) for i in codes.code_list(codes.DELIVERY_PLACE).items]
    if breakdown == "method":
        items = codes.code_list(codes.CONTRACEPTIVE_METHOD).items
        if ind.code == "modern_users":
            items = tuple(i for i in items if i.attrs.get("modern") == "1")
        return [(i.code, i.label) for i in items]
    raise ValueError(breakdown)


ON_FORMS = ("sex", "age_group", "birth_order", "delivery_place", "method")
"""Breakdowns shown as rows of the forms (XLSX, screen); the sex × age cross-tabulation is in the machine
outputs only (JSON, CSV, ADX, DHIS2)."""

BREAKDOWN_TITLES = {"sex": "Chia theo giới tính", "age_group": "Chia theo nhóm tuổi",
                    "birth_order": "Chia theo thứ tự sinh", "delivery_place": "Chia theo nơi sinh",
                    "method": "Chia theo biện pháp"}


OTHERS = ("D", "CÁC CHỈ TIÊU KHÁC CỦA DANSO (không phải dòng của biểu mẫu)")
"""Number and heading of the indicators listed after an official form's rows."""


def _figure(values: dict[str, Value], ref: str) -> float | int | None:
    """The figure of ``code`` or ``code|breakdown=key`` (a key without events counts 0)."""
    code, _, part = ref.partition("|")
    if not part:
        return values[code].value
    name, _, key = part.partition("=")
    return values[code].breakdowns.get(name, {}).get(key, 0)


def _form_row(report: Report, r: FormRow) -> Row:
    if r.kind != "value":
        return Row(r.number, "", r.label, r.unit, None, tuple(None for _ in report.columns), kind=r.kind,
                   note=r.missing)
    rate = "|" not in r.value and by_code()[r.value].kind == "rate"
    return Row(r.number, r.value, r.label, r.unit, _figure(report.total, r.value),
               tuple(_figure(c.values, r.value) for c in report.columns), rate)


def report_rows(report: Report, *, breakdowns: bool = True) -> list[Row]:
    """The rows of the report's form; ``breakdowns=False`` leaves out the breakdown sub-rows of the
    indicators (not the official rows, which are the form's)."""
    out = [_form_row(report, r) for r in report.form.rows]
    shown = {r.value for r in report.form.rows if r.kind == "value"}
    prefix = ""
    if out:
        prefix = OTHERS[0]
        out.append(Row(OTHERS[0], "", OTHERS[1], "", None, tuple(None for _ in report.columns), kind="heading"))
    for n, ind in enumerate((i for i in catalogue() if i.code not in shown), start=1):
        out.append(Row(f"{prefix}{n}", ind.code, ind.name, ind.unit, report.total[ind.code].value,
                       tuple(c.values[ind.code].value for c in report.columns), ind.kind == "rate"))
        if not breakdowns:
            continue
        for b in (b for b in ind.breakdowns if b in ON_FORMS):
            for key, label in breakdown_keys(ind, b):
                total = report.total[ind.code].breakdowns.get(b, {}).get(key, 0)
                cols = tuple(c.values[ind.code].breakdowns.get(b, {}).get(key, 0) for c in report.columns)
                out.append(Row("", f"{ind.code}|{b}={key}", f"- {label}", ind.unit, total, cols))
    return out
