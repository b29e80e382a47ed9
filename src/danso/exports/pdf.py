"""The report as a PDF in the layout of the XLSX (danso.exports.xlsx), for printing and signing: on A4, the
title block (form number, the national motto, title, period, reporting and receiving unit, date made), the
table (STT, Tên chỉ tiêu, Đơn vị tính, then *Số lượng* or *Tổng số* and one column per child unit, numbered
A, B, C, 1, 2, … under the headings as on printed forms; "..." for a row of the form without figures, explained
under the table), page numbers, and the signature lines of the preparer (Người lập biểu) and the head of the
unit (Thủ trưởng đơn vị).

Portrait when the columns fit, landscape otherwise; when they do not fit a landscape page either, the columns
are split into bands of equal size, each band printed down all the rows with STT, Tên chỉ tiêu and Đơn vị
tính repeated, then the next band ("down, then over", as a spreadsheet prints a wide sheet). The headings are
repeated on every page.

The font is DejaVu Serif, which matplotlib (a dependency) ships with its licence; only the glyphs used are
embedded. The table is drawn with text and lines rather than fpdf2's cells (ten times faster: a province by
its 114 communes is some 80 pages).
"""
from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from danso.domain.clock import local_day
from danso.domain.vntext import format_date
from danso.exports.rows import cell_text, notes, report_rows, value_columns
from danso.services.reports import Report

FONT = "DejaVuSerif"
PAGE_WIDTH = {"P": 210.0, "L": 297.0}  # A4, mm
LEFT, RIGHT, TOP, BOTTOM = 20.0, 12.0, 12.0, 14.0
STT_WIDTH, LABEL_WIDTH, UNIT_WIDTH = 10.0, 68.0, 17.0
LABEL_EXTRA = 27.0  # spare width of a page given to Tên chỉ tiêu first, up to this much
MIN_VALUE_WIDTH = 16.0
TABLE_PT, TEXT_PT, TITLE_PT, SMALL_PT = 8.5, 10.0, 12.5, 8.0
LINE = 3.9  # mm, a line of text in the table
PAD_X, PAD_Y = 1.2, 0.8  # mm, inside a table cell
SIGNATURES = (("Người lập biểu", "(Ký, họ tên)"), ("Thủ trưởng đơn vị", "(Ký, họ tên, đóng dấu)"))
SIGNATURE_HEIGHT = 40.0  # mm kept on one page at the end: place and date, titles, room to sign


@cache
def font_dir() -> Path:
    """The DejaVu fonts that matplotlib ships (found without importing matplotlib, which is slow to import)."""
    spec = importlib.util.find_spec("matplotlib")
    path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" if spec and spec.origin else None
    if path is None or not (path / "DejaVuSerif.ttf").is_file():
        raise RuntimeError("Không tìm thấy phông chữ DejaVu Serif của matplotlib: cài lại danso (pip install -e .).")
    return path


class _Document(FPDF):
    """A4 with DejaVu Serif, a running title on the pages after the first and "Trang n/N" at the foot."""

    def __init__(self, running_title: str) -> None:
        super().__init__(unit="mm", format="A4")
        self.running_title = running_title
        for style, name in (("", "DejaVuSerif"), ("B", "DejaVuSerif-Bold"), ("I", "DejaVuSerif-Italic")):
            self.add_font(FONT, style, font_dir() / f"{name}.ttf")
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, BOTTOM)
        self.c_margin = PAD_X
        self.set_line_width(0.2)
        self._widths: dict[tuple[str, str], float] = {}

    def header(self) -> None:
        if self.page_no() > 1:  # the first page has the title block
            self.set_font(FONT, "I", SMALL_PT)
            self.cell(0, 4, self.running_title, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(1.5)

    def footer(self) -> None:
        self.set_y(-BOTTOM + 4)
        self.set_font(FONT, "", SMALL_PT)
        self.cell(0, 4, f"Trang {self.page_no()}/{{nb}}", align="C")

    def width_of(self, text: str) -> float:
        """The width of a text in the current font (cached: the table repeats the same figures)."""
        key = (self.font_style, text)
        if key not in self._widths:
            self._widths[key] = self.get_string_width(text)
        return self._widths[key]

    def lines(self, text: str, width: float) -> list[str]:
        """The text broken into the lines of a cell of this width."""
        if self.width_of(text) <= width - 2 * PAD_X:  # most do not wrap: measured, not laid out
            return [text]
        return self.multi_cell(width, LINE, text, dry_run=True, output="LINES") or [""]


@dataclass(frozen=True)
class _Line:
    """A row of the table as drawn: its cells' lines of text (one cell per column of the form)."""
    cells: tuple[tuple[str, ...], ...]
    bold: bool  # an indicator (its name in bold), not a breakdown line

    @property
    def height(self) -> float:
        return max(len(c) for c in self.cells) * LINE + 2 * PAD_Y


def to_pdf(report: Report) -> bytes:
    """The report as PDF bytes (A4; see the module's docstring for the layout)."""
    cols = value_columns(report)
    rows = report_rows(report)
    figures = [[cell_text(r, i) for _, i in cols] for r in rows]
    pdf = _Document(f"Biểu số: {report.form.code} — {report.unit.name} — {report.period.label} (tiếp theo)")
    orientation, bands, widths = _layout(pdf, [h for h, _ in cols], figures)
    pdf.set_title(f"{report.form.title} — {report.unit.name} — {report.period.label}")
    pdf.set_author(report.unit.name)
    pdf.set_creator("danso")
    pdf.set_lang("vi")
    pdf.set_creation_date(report.created_at)
    pdf.add_page(orientation)
    _title_block(pdf, report)
    fixed = widths[:3]
    headings = ("STT", "Tên chỉ tiêu", "Đơn vị tính", *(h for h, _ in cols))
    numbers = ("A", "B", "C", *(str(j) for j in range(1, len(cols) + 1)))
    lines = []
    for r, figs in zip(rows, figures, strict=True):
        pdf.set_font(FONT, "B" if r.number else "", TABLE_PT)
        label = pdf.lines(r.label, fixed[1])
        pdf.set_font(FONT, "", TABLE_PT)
        unit = pdf.lines(r.unit, fixed[2])
        lines.append(_Line(((r.number,), tuple(label), tuple(unit), *((f,) for f in figs)), bool(r.number)))
    for k, band in enumerate(bands):
        if k:
            pdf.add_page(same=True)
        chosen = [0, 1, 2, *(3 + j for j in band)]
        band_widths = [*fixed, *(widths[3] for _ in band)]
        pdf.set_font(FONT, "B", TABLE_PT)
        head = _Line(tuple(tuple(pdf.lines(headings[j], w)) for j, w in zip(chosen, band_widths, strict=True)),
                     True)
        _table(pdf, band_widths, head, tuple(numbers[j] for j in chosen),
               [_Line(tuple(ln.cells[j] for j in chosen), ln.bold) for ln in lines])
    _notes(pdf, notes(rows))
    _signatures(pdf, report)
    return bytes(pdf.output())


def _notes(pdf: _Document, lines: list[str]) -> None:
    if lines:
        pdf.ln(2)
        pdf.set_font(FONT, "I", SMALL_PT)
        pdf.multi_cell(0, 4, "\n".join(lines), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _layout(pdf: _Document, headings: list[str], figures: list[list[str]]
            ) -> tuple[str, list[list[int]], list[float]]:
    """The orientation, the value columns of each band (bands of equal size) and the widths of STT, Tên chỉ
    tiêu, Đơn vị tính and of every value column (the widest figure, or the longest word of a heading)."""
    pdf.set_font(FONT, "", TABLE_PT)
    widest = max((pdf.width_of(f) for f in {f for row in figures for f in row}), default=0.0)
    pdf.set_font(FONT, "B", TABLE_PT)
    word = max((pdf.width_of(w) for h in headings for w in h.split()), default=0.0)
    width = max(MIN_VALUE_WIDTH, math.ceil(max(widest, word) + 2 * PAD_X + 0.5))
    fixed = STT_WIDTH + LABEL_WIDTH + UNIT_WIDTH
    n = len(headings)
    for orientation in ("P", "L"):
        room = PAGE_WIDTH[orientation] - LEFT - RIGHT - fixed
        per_page = max(1, int(room // width))
        if n <= per_page:
            break
    count = math.ceil(n / per_page)
    bands = [list(range(n * k // count, n * (k + 1) // count)) for k in range(count)]
    size = max(len(b) for b in bands)
    spare = room - size * width
    label = LABEL_WIDTH + min(spare, LABEL_EXTRA)
    width += (spare - min(spare, LABEL_EXTRA)) / size
    return orientation, bands, [STT_WIDTH, label, UNIT_WIDTH, width]


def _title_block(pdf: _Document, report: Report) -> None:
    official = report.form.code != "DANSO"
    left_w = pdf.epw * 0.42
    right_w = pdf.epw - left_w
    top = pdf.get_y()
    pdf.set_font(FONT, "B", TEXT_PT)
    pdf.multi_cell(left_w, 5, f"Biểu số: {report.form.code}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "I", SMALL_PT + 0.5)
    pdf.multi_cell(left_w, 4.2, "Ban hành kèm theo Thông tư số 01/2022/TT-BYT" if official
                   else "Mẫu báo cáo chỉ tiêu của danso (không phải biểu mẫu ban hành)",
                   align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left_end = pdf.get_y()
    pdf.set_xy(LEFT + left_w, top)
    pdf.set_font(FONT, "B", TEXT_PT)
    pdf.cell(right_w, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    motto = "Độc lập - Tự do - Hạnh phúc"
    pdf.cell(right_w, 5, motto, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    centre, half = LEFT + left_w + right_w / 2, pdf.get_string_width(motto) / 2
    pdf.line(centre - half, pdf.get_y() + 0.3, centre + half, pdf.get_y() + 0.3)
    pdf.set_y(max(left_end, pdf.get_y()) + 5)
    pdf.set_font(FONT, "B", TITLE_PT)
    pdf.multi_cell(0, 6, report.form.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", TEXT_PT)
    pdf.multi_cell(0, 5, f"Kỳ báo cáo: {report.period.label}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "I", TEXT_PT)
    pdf.multi_cell(0, 5, f"(từ ngày {format_date(report.period.start)} đến ngày {format_date(report.period.end)})",
                   align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    made = local_day(report.created_at)
    receiver = report.parent.name if report.parent else "…" * 12
    pdf.set_font(FONT, "", TEXT_PT)
    left_w = pdf.epw * 0.58
    top = pdf.get_y()
    pdf.multi_cell(left_w, 5, f"Đơn vị báo cáo: {report.unit.name} (mã {report.unit.code})\n"
                              f"Đơn vị nhận báo cáo: {receiver}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    end = pdf.get_y()
    pdf.set_xy(LEFT + left_w, top)
    pdf.multi_cell(0, 5, f"Ngày lập báo cáo: {format_date(made)}\n"
                         f"Địa giới hành chính ngày {format_date(report.units_on)}",
                   align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(end, pdf.get_y()) + 3)


def _table(pdf: _Document, widths: list[float], head: _Line, numbers: tuple[str, ...], rows: list[_Line]) -> None:
    """The rows under the two heading rows, on as many pages as they need, the headings on each."""
    xs = [LEFT + sum(widths[:j]) for j in range(len(widths) + 1)]
    top = _headings(pdf, xs, head, numbers)
    for row in rows:
        if pdf.get_y() + row.height > pdf.page_break_trigger:
            _verticals(pdf, xs, top)
            pdf.add_page(same=True)
            top = _headings(pdf, xs, head, numbers)
        pdf.set_font(FONT, "", TABLE_PT)
        for j, cell in enumerate(row.cells):
            if j == 1 and row.bold:
                pdf.set_font(FONT, "B", TABLE_PT)
            _text(pdf, xs[j], xs[j + 1], row, cell, "L" if j == 1 else "R" if j > 2 else "C")
            if j == 1 and row.bold:
                pdf.set_font(FONT, "", TABLE_PT)
        pdf.set_y(pdf.get_y() + row.height)
        pdf.line(xs[0], pdf.get_y(), xs[-1], pdf.get_y())
    _verticals(pdf, xs, top)


def _headings(pdf: _Document, xs: list[float], head: _Line, numbers: tuple[str, ...]) -> float:
    top = pdf.get_y()
    pdf.line(xs[0], top, xs[-1], top)
    pdf.set_font(FONT, "B", TABLE_PT)
    for j, cell in enumerate(head.cells):
        _text(pdf, xs[j], xs[j + 1], head, cell, "C")
    pdf.set_y(top + head.height)
    pdf.line(xs[0], pdf.get_y(), xs[-1], pdf.get_y())
    pdf.set_font(FONT, "I", TABLE_PT)
    line = _Line(tuple((n,) for n in numbers), False)
    for j, cell in enumerate(line.cells):
        _text(pdf, xs[j], xs[j + 1], line, cell, "C")
    pdf.set_y(pdf.get_y() + line.height)
    pdf.line(xs[0], pdf.get_y(), xs[-1], pdf.get_y())
    return top


def _text(pdf: _Document, x0: float, x1: float, row: _Line, lines: tuple[str, ...], align: str) -> None:
    """The lines of a cell, centred vertically in the row."""
    y = pdf.get_y() + (row.height - len(lines) * LINE) / 2
    for line in lines:
        w = pdf.width_of(line)
        x = x0 + PAD_X if align == "L" else x1 - PAD_X - w if align == "R" else (x0 + x1 - w) / 2
        pdf.text(x, y + LINE * 0.75, line)
        y += LINE


def _verticals(pdf: _Document, xs: list[float], top: float) -> None:
    for x in xs:
        pdf.line(x, top, x, pdf.get_y())


def _signatures(pdf: _Document, report: Report) -> None:
    if pdf.get_y() + SIGNATURE_HEIGHT > pdf.page_break_trigger:
        pdf.add_page(same=True)
    pdf.ln(6)
    half = pdf.epw / 2
    pdf.set_x(LEFT + half)
    pdf.set_font(FONT, "I", TEXT_PT)
    pdf.cell(half, 5, f"…, ngày … tháng … năm {local_day(report.created_at).year}", align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y()
    for k, (title, note) in enumerate(SIGNATURES):
        pdf.set_xy(LEFT + k * half, y)
        pdf.set_font(FONT, "B", TEXT_PT)
        pdf.cell(half, 5, title, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FONT, "I", TEXT_PT)
        pdf.cell(half, 5, note, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
