"""PDF of the reports (danso.exports.pdf) on the hand-built register of tests/report_scenario.py, read back with
pypdf: the title block, figures worked out in tests/test_reports.py written with Vietnamese separators, the
signature lines, and a province by its communes split into bands of columns over landscape pages."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from danso.domain.vntext import format_date
from danso.exports.pdf import font_dir, to_pdf
from danso.exports.rows import figure
from danso.services.reports import build_report
from factories import COMMUNE
from report_scenario import first_quarter


@pytest.fixture(scope="module")
def q1(read_only_ctx):  # noqa: ANN001, ANN201
    """The scenario's register and slips of Q1 2026, built once per engine (the tests only read)."""
    first_quarter(read_only_ctx)
    return read_only_ctx


@pytest.fixture(scope="module")
def province(q1):  # noqa: ANN001, ANN201
    """Hải Phòng by its communes (01-DSH, Q1 2026), its PDF read back: the report, the pages and their text."""
    report = build_report(q1, "31", "2026-Q1", form="01-DSH")
    reader = PdfReader(io.BytesIO(to_pdf(report)))
    return report, reader.pages, [p.extract_text() for p in reader.pages]


def _pages(report) -> list[str]:  # noqa: ANN001
    data = to_pdf(report)
    assert data.startswith(b"%PDF-")
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def _flat(text: str) -> str:
    """White space collapsed (a heading or a name broken over two lines of its cell reads as one)."""
    return " ".join(text.split())


def _figures(page: str, label: str, unit: str) -> list[str] | None:
    """The figures of the row of that indicator (number, name and unit of measure, then the figures)."""
    pattern = re.compile(rf"D?\d+ {re.escape(label)} {re.escape(unit)}((?: \S+)+)")
    return next((m[1].split() for m in map(pattern.fullmatch, page.splitlines()) if m), None)


def _headings(page: str) -> str:
    """The headings of the value columns: what stands between "Đơn vị tính" and the column numbers."""
    return _flat(page).split("Đơn vị tính ", 1)[1].split(" A B C ", 1)[0]


def test_figures_are_written_as_in_vietnam_like_the_xlsx_formats():
    assert figure(1234567, False) == "1.234.567"
    assert figure(0, False) == "0"
    assert figure(1000.0, True) == "1.000,00"
    assert figure(66.666, True) == "66,67"
    assert figure(12.0, False) == "12,00"  # an average is a float: two places, as "#,##0.00" in the XLSX
    assert figure(None, True) == "-"


def test_commune_report_title_block_values_and_signatures(q1):  # noqa: ANN001
    report = build_report(q1, COMMUNE, "2026-Q1")
    data = to_pdf(report)
    reader = PdfReader(io.BytesIO(data))
    pages = [p.extract_text() for p in reader.pages]
    first = pages[0]
    made = format_date(report.created_at.astimezone(dt.timezone(dt.timedelta(hours=7))).date())
    for line in ("Biểu số: DANSO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "BÁO CÁO CHỈ TIÊU DÂN SỐ - KẾ HOẠCH HÓA GIA ĐÌNH", "Kỳ báo cáo: Quý I năm 2026",
                 "(từ ngày 01/01/2026 đến ngày 31/03/2026)", "Đơn vị báo cáo: Phường Hồng An (mã 11602)",
                 "Đơn vị nhận báo cáo: Thành phố Hải Phòng", f"Ngày lập báo cáo: {made}",
                 "Địa giới hành chính ngày 31/03/2026"):
        assert line in first.splitlines(), line
    assert "Mẫu báo cáo chỉ tiêu của danso (không phải biểu mẫu ban hành)" in _flat(first)
    assert _headings(first) == "Tổng số Tổ dân phố Một Tổ dân phố Hai"
    # three value columns fit a portrait page: one band, numbered 1–3 under the headings
    assert all(p.mediabox.width < p.mediabox.height for p in reader.pages)
    assert all("A B C 1 2 3" in p.splitlines() for p in pages)
    # on 31/03, Tổ dân phố Một: H1 (head, wife, newborn boy), H2 (head, wife, daughter, newborn girl);
    # Tổ dân phố Hai: H3 (the woman, the man who moved in) — tests/test_reports.py
    assert _figures(first, "Tổng số hộ dân cư", "hộ") == ["3", "2", "1"]
    assert _figures(first, "Tổng số nhân khẩu thực tế thường trú", "người") == ["9", "7", "2"]
    rows = "\n".join(pages)
    assert _figures(rows, "Số trẻ sinh ra", "trẻ") == ["2", "2", "0"]
    assert _figures(rows, "Tỷ số giới tính", "nam/100 nữ") == ["80,00", "75,00", "100,00"]  # 4/5, 3/4, 1/1
    # residents on 31/12, 31/01, 28/02, 31/03: 8, 9, 10, 9 → (8/2 + 9 + 10 + 9/2) / 3 = 9,17
    assert _figures(rows, "Dân số trung bình", "người")[0] == "9,17"
    assert _figures(rows, "Tỷ lệ người cao tuổi được khám sức khỏe định kỳ", "%") == ["-", "-", "-"]  # no one 60+
    last = pages[-1].splitlines()
    assert f"…, ngày … tháng … năm {report.created_at.year}" in last
    assert last[-5:] == ["Người lập biểu", "(Ký, họ tên)", "Thủ trưởng đơn vị", "(Ký, họ tên, đóng dấu)",
                         f"Trang {len(pages)}/{len(pages)}"]
    assert [p.splitlines()[-1] for p in pages] == [f"Trang {i}/{len(pages)}" for i in range(1, len(pages) + 1)]
    assert all("Biểu số: DANSO — Phường Hồng An — Quý I năm 2026 (tiếp theo)" in p for p in pages[1:])
    assert len(data) < 150_000  # the fonts are subsets


def test_annual_commune_form_has_one_column_and_the_circular_in_its_title_block(q1):  # noqa: ANN001
    pages = _pages(build_report(q1, COMMUNE, "2026", form="03-DSX"))
    first = pages[0].splitlines()
    assert {"Biểu số: 03-DSX", "BÁO CÁO THỐNG KÊ CHUYÊN NGÀNH DÂN SỐ CẤP XÃ", "Kỳ báo cáo: Năm 2026",
            "A B C 1"} <= set(first)
    assert _headings(pages[0]) == "Số lượng"
    assert "Ban hành kèm theo Thông tư số 01/2022/TT-BYT" in _flat(pages[0])
    assert _figures(pages[0], "Số phụ nữ 15–49 tuổi", "người") == ["3"]  # D1: the wives of H1, H2, the H3 woman


HOUSEHOLDS = ("Tổng số hộ dân cư tính đến cuối quý", "Hộ")  # row 1 of 01-DSH


def test_province_by_commune_splits_the_columns_into_bands_repeating_the_row_labels(province):  # noqa: ANN001
    report, sheets, pages = province
    names = [c.unit.name for c in report.columns]
    assert len(names) > 100  # Hải Phòng's communes since 1 July 2025
    assert all(p.mediabox.width > p.mediabox.height for p in sheets)
    assert "Đơn vị nhận báo cáo: Việt Nam" in pages[0].splitlines()
    # every page has the headings with the numbers of its columns under them; a new band starts a page
    numbers = [next(ln for ln in p.splitlines() if ln.startswith("A B C ")).split()[3:] for p in pages]
    bands = [(i, n) for i, n in enumerate(numbers) if i == 0 or n != numbers[i - 1]]
    assert len(bands) >= 10
    assert [int(x) for _, n in bands for x in n] == list(range(1, len(names) + 2))  # each column once, in order
    assert max(len(n) for _, n in bands) - min(len(n) for _, n in bands) <= 1  # bands of equal size
    for i, band in bands:  # STT, name and unit of each row on every band, which runs down all the rows
        assert len(_figures(pages[i], *HOUSEHOLDS)) == len(band)
        assert any(len(_figures(p, "Tỷ lệ trẻ sơ sinh được sàng lọc", "%") or ()) == len(band) for p in pages[i:]
                   if "A B C " + " ".join(band) in p.splitlines())
    headings = [_headings(pages[i]) for i, _ in bands]
    assert headings[0].startswith("Tổng số ") and not any("Tổng số" in h for h in headings[1:])
    assert all(name in " ".join(headings) for name in names)
    # households: 4 in all, 3 in Phường Hồng An (H1, H2, H3), 1 in 10507 (H4), found in the band of their column
    assert _figures(pages[0], *HOUSEHOLDS)[0] == "4"
    for code, expected in ((COMMUNE, "3"), ("10507", "1")):
        index = next(j for j, c in enumerate(report.columns) if c.unit.code == code)
        i, band = next((i, n) for i, n in bands if str(index + 2) in n)  # column 1 is Tổng số
        assert _figures(pages[i], *HOUSEHOLDS)[band.index(str(index + 2))] == expected
        assert report.columns[index].unit.name in _headings(pages[i])
    cbr = next(_figures(p, "Tỷ suất sinh thô (CBR)", "‰") for p in pages[:bands[1][0]] if "(CBR)" in p)
    assert cbr[0] == "1.000,00"  # 3 births × 4 / 12 × 1000, with the thousands separator
    assert pages[-1].splitlines()[-5:-1] == ["Người lập biểu", "(Ký, họ tên)", "Thủ trưởng đơn vị",
                                              "(Ký, họ tên, đóng dấu)"]
    assert sum("Người lập biểu" in p for p in pages) == 1


def test_the_font_has_every_character_the_reports_write(q1, province):  # noqa: ANN001
    """Vietnamese letters, ‰, –, … must be glyphs of the embedded font, not blanks."""
    texts = province[2] + _pages(build_report(q1, COMMUNE, "2026-03"))
    used = {ch for t in texts for ch in t if not ch.isspace()}
    glyphs: set[str] = set()
    for name in ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic"):
        glyphs |= {chr(c) for c in TTFont(font_dir() / f"{name}.ttf").getBestCmap()}
    assert {"ễ", "Đ", "ợ", "ỳ", "‰", "…", "–"} <= used
    assert used <= glyphs
