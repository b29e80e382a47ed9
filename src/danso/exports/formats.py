"""The report's export formats, in one place for the CLI, the pages and the API: name, media type, file suffix
and the function that writes it (imported only when used: fpdf2 and openpyxl are slow to import)."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from danso.services.reports import Report


@dataclass(frozen=True)
class Format:
    code: str
    label: str
    media_type: str
    suffix: str
    writer: str  # "module:function"
    binary: bool = False

    def write(self, report: Report) -> bytes | str:
        module, function = self.writer.split(":")
        return getattr(importlib.import_module(module), function)(report)


FORMATS: dict[str, Format] = {f.code: f for f in (
    Format("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
           "danso.exports.xlsx:to_xlsx", binary=True),
    Format("pdf", "PDF", "application/pdf", "pdf", "danso.exports.pdf:to_pdf", binary=True),
    Format("csv", "CSV", "text/csv; charset=utf-8", "csv", "danso.exports.machine:to_csv"),
    Format("json", "JSON", "application/json", "json", "danso.exports.machine:to_json"),
    Format("adx", "ADX", "application/xml", "xml", "danso.exports.exchange:to_adx"),
    Format("dhis2", "DHIS2", "application/json", "json", "danso.exports.exchange:to_dhis2"),
)}
