"""The report as an XLSX workbook in the layout of the Circular's forms: title block (form number, reporting
and receiving unit, period), the table (STT, Tên chỉ tiêu, Đơn vị tính, Tổng số, one column per child unit
when the form has them; "..." for a row of the form danso has no figure for, explained under the table),
then the place and date and the signature lines of the preparer (Người lập biểu) and the head of the unit
(Thủ trưởng đơn vị)."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from danso.domain.vntext import format_date
from danso.exports.rows import NO_VALUE, NOT_AVAILABLE, notes, report_rows, value_columns
from danso.services.reports import Report

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_ROW = 8  # the table's header row (rows 1–7: the title block)
INT_FORMAT, RATE_FORMAT = "#,##0", "#,##0.00"


def to_xlsx(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = report.form.code
    cols = value_columns(report)
    last = get_column_letter(3 + len(cols))
    official = report.form.code != "DANSO"
    ws["A1"] = f"Biểu số: {report.form.code}"
    ws["A1"].font = BOLD
    ws["A2"] = ("Ban hành kèm theo Thông tư số 01/2022/TT-BYT" if official
                else "Mẫu báo cáo chỉ tiêu của danso (không phải biểu mẫu ban hành)")
    ws["A3"] = f"Đơn vị báo cáo: {report.unit.name} (mã {report.unit.code})"
    ws["A4"] = f"Đơn vị nhận báo cáo: {report.parent.name if report.parent else ''}"
    for row, text, bold in ((5, report.form.title, True),
                            (6, f"Kỳ báo cáo: {report.period.label} (từ {format_date(report.period.start)} "
                                f"đến {format_date(report.period.end)})", False)):
        ws.merge_cells(f"A{row}:{last}{row}")
        ws[f"A{row}"] = text
        ws[f"A{row}"].font = Font(bold=bold, size=13 if bold else 11)
        ws[f"A{row}"].alignment = CENTER
    ws["A7"] = f"Địa giới hành chính ngày {format_date(report.units_on)}"
    headings = ["STT", "Tên chỉ tiêu", "Đơn vị tính"] + [h for h, _ in cols]
    for j, h in enumerate(headings, start=1):
        cell = ws.cell(HEADER_ROW, j, h)
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BOX
    r = HEADER_ROW
    rows = report_rows(report)
    for row in rows:
        r += 1
        ws.cell(r, 1, row.number).alignment = Alignment(horizontal="center")
        ws.cell(r, 2, row.label).font = BOLD if row.number else Font()
        ws.cell(r, 3, row.unit).alignment = Alignment(horizontal="center")
        for j, (_, index) in enumerate(cols, start=4):
            if row.kind == "heading":
                continue
            v = row.total if index < 0 else row.by_column[index]
            cell = ws.cell(r, j, NOT_AVAILABLE if row.kind == "missing" else NO_VALUE if v is None else v)
            cell.number_format = RATE_FORMAT if row.is_rate or isinstance(v, float) else INT_FORMAT
            cell.alignment = Alignment(horizontal="right")
        for j in range(1, len(headings) + 1):
            ws.cell(r, j).border = BOX
    lines = notes(rows)
    for k, note in enumerate(lines, start=2):  # under the table, after a blank row
        ws.cell(r + k, 2, note).font = Font(italic=True)
    _signatures(ws, r + len(lines) + (3 if lines else 2), len(headings), report)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 52
    ws.column_dimensions["C"].width = 14
    for j in range(4, len(headings) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 14
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 4)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape" if len(cols) > 3 else "portrait"
    ws.page_setup.fitToWidth = 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _signatures(ws, row: int, width: int, report: Report) -> None:  # noqa: ANN001
    right = max(width - 1, 3)
    ws.cell(row, right, f"…, ngày … tháng … năm {report.created_at.year}").alignment = CENTER
    ws.cell(row + 1, 2, "Người lập biểu").font = BOLD
    ws.cell(row + 1, right, "Thủ trưởng đơn vị").font = BOLD
    ws.cell(row + 2, 2, "(Ký, ghi rõ họ tên)")
    ws.cell(row + 2, right, "(Ký, đóng dấu, ghi rõ họ tên)")
    for j in (2, right):
        for k in (1, 2):
            ws.cell(row + k, j).alignment = CENTER
