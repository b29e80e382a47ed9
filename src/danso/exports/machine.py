"""Machine-readable outputs: JSON (each indicator by code with its value, breakdowns and per-unit values) and
CSV (one line per unit, indicator and breakdown key)."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from danso.domain.indicators import Value, catalogue
from danso.exports.rows import breakdown_keys
from danso.services.reports import Report


def _breakdowns(ind, v: Value) -> dict[str, dict[str, int]]:  # noqa: ANN001
    return {b: {key: v.breakdowns.get(b, {}).get(key, 0) for key, _ in breakdown_keys(ind, b)}
            for b in ind.breakdowns}


def report_dict(report: Report) -> dict[str, Any]:
    """The report as plain data (dates ISO, numbers as numbers)."""
    cols = [c for c in report.columns if c.unit is not None]
    return {
        "form": {"code": report.form.code, "title": report.form.title},
        "unit": {"code": report.unit.code, "name": report.unit.name, "level": report.unit.level.value},
        "period": {"code": report.period.code, "label": report.period.label, "kind": report.period.kind,
                   "start": report.period.start.isoformat(), "end": report.period.end.isoformat(),
                   "months": report.period.months},
        "units_on": report.units_on.isoformat(),
        "created_at": report.created_at.isoformat(timespec="seconds"),
        "columns": [{"code": c.unit.code, "name": c.unit.name, "level": c.unit.level.value} for c in cols],
        "indicators": [{
            "code": ind.code, "name": ind.name, "unit": ind.unit, "kind": ind.kind,
            "value": report.total[ind.code].value,
            "breakdowns": _breakdowns(ind, report.total[ind.code]),
            "by_unit": {c.unit.code: c.values[ind.code].value for c in cols},
        } for ind in catalogue()],
    }


def to_json(report: Report) -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, indent=1)


CSV_COLUMNS = ("period", "unit_code", "unit_name", "indicator", "breakdown", "key", "value")


def to_csv(report: Report) -> str:
    """Long format, UTF-8: the total (the report's unit) first, then each column's unit."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    units = [(report.unit, report.total)] + [(c.unit, c.values) for c in report.columns if c.unit is not None]
    for unit, vals in units:
        for ind in catalogue():
            v = vals[ind.code]
            w.writerow((report.period.code, unit.code, unit.name, ind.code, "", "", _cell(v.value)))
            for b, keys in _breakdowns(ind, v).items():
                for key, n in keys.items():
                    w.writerow((report.period.code, unit.code, unit.name, ind.code, b, key, n))
    return buf.getvalue()


def _cell(v: float | int | None) -> str:
    return "" if v is None else str(v)
