"""The Circular's report forms (Thông tư 01/2022/TT-BYT) as danso lays them out: the rows known from the
published text in their official order, wording and units, each filled from the catalogue or marked as
having no figure ("..."), then danso's other indicators under "D"; in the rows, the XLSX and the PDF.

Only the first rows of each form could be found (docs/indicators.md, "Forms"); the lists below are those rows
as the sources print them, and the tests fail if the form definitions (danso/codelists/indicators.json)
drift from them."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from danso.domain.indicators import by_code, catalogue, forms
from danso.exports.pdf import to_pdf
from danso.exports.rows import OTHERS, breakdown_keys, report_rows
from danso.exports.xlsx import HEADER_ROW, NOT_AVAILABLE, to_xlsx
from danso.services.reports import build_report
from factories import COMMUNE
from report_scenario import first_quarter

FORM_03_DSX = (  # number, wording, unit
    ("I", "HỘ VÀ NHÂN KHẨU", ""),
    ("1", "Tổng số hộ dân cư (hộ tập thể + hộ gia đình) tính đến cuối năm", "Hộ"),
    ("", "Trong đó: Số hộ gia đình", "Hộ"),
    ("2", "Tổng số nhân khẩu thực tế thường trú (dân số) tính đến cuối năm", "Người"),
)
FORM_01_DSH = (
    ("1", "Tổng số hộ dân cư tính đến cuối quý", "Hộ"),
    ("", "Trong đó: Số hộ gia đình", "Hộ"),
    ("2", "Tổng số nhân khẩu thực tế thường trú (dân số) tính đến cuối quý", "Người"),
    ("3", "Số nữ từ 15-49 tuổi có chồng tính đến cuối quý", "Người"),
    ("4", "Tổng số trẻ sinh ra trong quý", "Người"),
    ("", "Trong tổng số:", "Người"),
    ("", "- Số trẻ em nam sinh ra", "Người"),
    ("", "- Số trẻ em nữ sinh ra", "Người"),
    ("", "- Số trẻ em sinh ra là con thứ 2", "Người"),
    ("", "- Số trẻ em sinh ra là con thứ 3 trở lên", "Người"),
    ("", "- Số trẻ em sinh ra của phụ nữ dưới 20 tuổi", "Người"),
    ("5", "Số người chết trong quý", "Người"),
    ("6", "Số người kết hôn trong quý", "Người"),
    ("", "Trong tổng số: - Số người tảo hôn", "Người"),
    ("", "- Số người kết hôn cận huyết thống", "Người"),
    ("7", "Số cặp kết hôn đã được tư vấn, khám sức khỏe trước khi kết hôn trong quý", "Cặp"),
    ("8", "Số người ly hôn trong quý", "Người"),
    ("9", "Số người chuyển đến từ xã khác trong quý", "Người"),
)
MISSING_01_DSH = ("- Số trẻ em sinh ra của phụ nữ dưới 20 tuổi", "Số người kết hôn trong quý",
                  "Trong tổng số: - Số người tảo hôn", "- Số người kết hôn cận huyết thống",
                  "Số cặp kết hôn đã được tư vấn, khám sức khỏe trước khi kết hôn trong quý",
                  "Số người ly hôn trong quý")


def _rows(code: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((r.number, r.label, r.unit) for r in forms()[code].rows)


def test_03_dsx_starts_with_the_rows_of_the_circular():
    """Biểu 03-DSX (Phụ lục II, báo cáo năm cấp xã), section I as printed in
    https://nganhangphapluat.lawnet.vn/tu-van-phap-luat/van-hoa--xa-hoi/bieu-mau-bao-cao-thong-ke-nam-chuyen-nganh-dan-so-cap-xa-quy-dinh-359579
    (the text breaks off at row 3, "Số phụ nữ có tính đến cuối năm … Trong tổ…", left out)."""
    form = forms()["03-DSX"]
    assert _rows("03-DSX") == FORM_03_DSX
    assert (form.title, form.levels, form.periods, form.columns) == (
        "BÁO CÁO THỐNG KÊ CHUYÊN NGÀNH DÂN SỐ CẤP XÃ", ("commune",), ("year",), "total")
    assert [r.value for r in form.rows] == ["", "households", "family_households", "population"]


def test_01_dsh_starts_with_the_rows_of_the_circular():
    """Biểu 01-DSH (Phụ lục IV, báo cáo quý cấp huyện), rows 1–9 as printed in
    https://thuvienphapluat.vn/hoi-dap-phap-luat/iframe/57CAB-hd-bao-cao-thong-ke-chuyen-nganh-dan-so-quy-cap-huyen-viec-lap-bao-cao-duoc-huong-dan-the-nao-theo-quy-dinh-moi.html
    ("tảo tôn" there is read "tảo hôn"; rows 1–4 also in the English version,
    https://lawnet.vn/ngan-hang-phap-luat/en/tu-van-phap-luat/van-hoa--xa-hoi/what-is-districtlevel-quarterly-specialized-population-statistics-reports-in-vietnam-what-are-regulations-on-report-preparation-in-vietnam-393465)."""
    form = forms()["01-DSH"]
    assert _rows("01-DSH") == FORM_01_DSH
    assert (form.title, form.periods, form.columns) == ("BÁO CÁO THỐNG KÊ CHUYÊN NGÀNH DÂN SỐ", ("quarter",),
                                                        "children")
    fills = {r.label: r.value for r in form.rows}
    assert [fills[label] for _, label, _ in FORM_01_DSH if fills[label]] == [
        "households", "family_households", "population", "married_women_15_49", "births", "births|sex=1",
        "births|sex=2", "births|birth_order=2", "births|birth_order=3+", "deaths", "moves_in"]
    # persons marrying or divorcing are not danso's couples (cuộc), nor are the rows the register lacks invented
    assert tuple(r.label for r in form.rows if r.kind == "missing") == MISSING_01_DSH
    assert all(r.missing and not r.value for r in form.rows if r.kind == "missing")
    assert [r.label for r in form.rows if r.kind == "heading"] == ["Trong tổng số:"]


@pytest.mark.parametrize("code", list(forms()))
def test_every_figure_of_a_form_comes_from_an_indicator_or_one_of_its_breakdown_keys(code):  # noqa: ANN001
    for r in forms()[code].rows:
        if r.kind != "value":
            continue
        ref, _, part = r.value.partition("|")
        ind = by_code()[ref]
        if part:
            name, _, key = part.partition("=")
            assert name in ind.breakdowns and key in dict(breakdown_keys(ind, name)), r.value
        else:
            assert ind.kind in ("stock", "flow"), r.value  # the form's rows are counts


@pytest.fixture(scope="module")
def q1(read_only_ctx):  # noqa: ANN001, ANN201
    """The register of tests/report_scenario.py with its slips of Q1 2026 (figures worked out in
    tests/test_reports.py), built once per engine."""
    first_quarter(read_only_ctx)
    return read_only_ctx


def test_the_rows_of_the_district_form_carry_the_figures_of_the_indicators(q1):  # noqa: ANN001
    report = build_report(q1, "31", "2026-Q1", form="01-DSH")
    rows = report_rows(report, breakdowns=False)  # the form's own lines stay: they are not breakdowns
    official = rows[:len(FORM_01_DSH)]
    assert [(r.number, r.label, r.unit) for r in official] == list(FORM_01_DSH)
    by_label = {r.label: r for r in official}
    # Hải Phòng, Q1 2026: 4 households (3 family), 12 residents, 3 married women 15–49, births 2 boys and
    # 1 girl, one each of orders 1, 2, 3+, one death, one person moving in (tests/test_reports.py)
    expected = {"Tổng số hộ dân cư tính đến cuối quý": 4, "Trong đó: Số hộ gia đình": 3,
                "Tổng số nhân khẩu thực tế thường trú (dân số) tính đến cuối quý": 12,
                "Số nữ từ 15-49 tuổi có chồng tính đến cuối quý": 3, "Tổng số trẻ sinh ra trong quý": 3,
                "- Số trẻ em nam sinh ra": 2, "- Số trẻ em nữ sinh ra": 1, "- Số trẻ em sinh ra là con thứ 2": 1,
                "- Số trẻ em sinh ra là con thứ 3 trở lên": 1, "Số người chết trong quý": 1,
                "Số người chuyển đến từ xã khác trong quý": 1}
    assert {label: by_label[label].total for label in expected} == expected
    for label in expected:  # each commune's figure is the indicator's, and the total their sum
        row = by_label[label]
        ref, _, part = row.code.partition("|")
        name, _, key = part.partition("=")
        for col, v in zip(report.columns, row.by_column, strict=True):
            val = col.values[ref]
            assert v == (val.breakdowns[name].get(key, 0) if part else val.value)
        assert sum(row.by_column) == row.total
    for label in MISSING_01_DSH:  # no figure, not a zero
        row = by_label[label]
        assert row.kind == "missing" and row.total is None and set(row.by_column) == {None} and row.note
    assert by_label["Trong tổng số:"].kind == "heading"
    # then danso's other indicators, numbered D1, D2 … under their heading, those of the form not repeated
    assert (rows[len(FORM_01_DSH)].number, rows[len(FORM_01_DSH)].label) == OTHERS
    rest = rows[len(FORM_01_DSH) + 1:]
    shown = {"households", "family_households", "population", "married_women_15_49", "births", "deaths", "moves_in"}
    assert [r.code for r in rest] == [i.code for i in catalogue() if i.code not in shown]
    assert [r.number for r in rest] == [f"D{n}" for n in range(1, len(rest) + 1)]
    assert next(r for r in rest if r.code == "marriages").total == 1  # couples, under their own name


def test_the_danso_form_is_the_catalogue_numbered_from_one(q1):  # noqa: ANN001
    rows = report_rows(build_report(q1, COMMUNE, "2026-Q1"), breakdowns=False)
    assert [r.code for r in rows] == [i.code for i in catalogue()]
    assert [r.number for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    assert {r.kind for r in rows} == {"value"}


def test_the_annual_commune_form_has_its_section_then_the_other_indicators(q1):  # noqa: ANN001
    rows = report_rows(build_report(q1, COMMUNE, "2026", form="03-DSX"))
    assert [(r.number, r.label, r.unit) for r in rows[:len(FORM_03_DSX)]] == list(FORM_03_DSX)
    assert rows[0].kind == "heading" and rows[0].total is None
    assert [r.total for r in rows[1:len(FORM_03_DSX)]] == [3, 2, 9]  # H1–H3, H3 a collective one; residents
    assert (rows[len(FORM_03_DSX)].number, rows[len(FORM_03_DSX)].code) == ("D", "")
    assert rows[len(FORM_03_DSX) + 1].code == "women_15_49"
    assert not any(r.code.startswith("population|") for r in rows)  # the form's row 2 has no breakdown lines


def _cells(ws, row: int) -> list:  # noqa: ANN001
    return [ws.cell(row, j).value for j in range(1, ws.max_column + 1)]


def test_the_xlsx_prints_the_form_rows_with_dots_where_danso_has_no_figure_and_says_why(q1):  # noqa: ANN001
    report = build_report(q1, "31", "2026-Q1", form="01-DSH")
    ws = load_workbook(io.BytesIO(to_xlsx(report))).active
    width = 3 + 1 + len(report.columns)
    assert ws.max_column == width
    table = [_cells(ws, HEADER_ROW + k) for k in range(1, len(FORM_01_DSH) + 1)]
    assert [tuple("" if c is None else c for c in row[:3]) for row in table] == list(FORM_01_DSH)
    missing = [row for row in table if row[1] in MISSING_01_DSH]
    assert len(missing) == len(MISSING_01_DSH)
    assert all(row[3:] == [NOT_AVAILABLE] * (width - 3) for row in missing)
    heading = next(row for row in table if row[1] == "Trong tổng số:")
    assert heading[3:] == [None] * (width - 3)
    assert table[0][3] == 4 and table[6][3] == 2  # households; boys born
    texts = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)]
    notes = texts.index(f"“{NOT_AVAILABLE}”: chưa có số liệu.")
    assert texts[notes + 1:notes + 1 + len(MISSING_01_DSH)] == [
        "Số trẻ em sinh ra của phụ nữ dưới 20 tuổi: danso chưa tính: sổ có ngày sinh của mẹ nhưng báo cáo mới "
        "đếm trẻ sinh ra theo nhóm tuổi 15–49 của mẹ.",
        "Số người kết hôn trong quý: danso đếm số cuộc kết hôn (mỗi phiếu một cặp, chỉ tiêu “Số cuộc kết hôn”), "
        "chưa đếm số người.",
        "Số người tảo hôn: danso chưa tính: cần tuổi khi kết hôn của từng người (nam chưa đủ 20, nữ chưa đủ 18 "
        "tuổi).",
        "Số người kết hôn cận huyết thống: Sổ A0 và phiếu thu tin P0/CTV không ghi quan hệ huyết thống giữa vợ và "
        "chồng.",
        "Số cặp kết hôn đã được tư vấn, khám sức khỏe trước khi kết hôn trong quý: Phiếu thu tin P0/CTV không có "
        "mục tư vấn, khám sức khỏe trước khi kết hôn.",
        "Số người ly hôn trong quý: danso đếm số cuộc ly hôn (mỗi phiếu một cặp, chỉ tiêu “Số cuộc ly hôn”), chưa "
        "đếm số người."]
    assert notes > texts.index("Số người chuyển đến từ xã khác trong quý") + 1  # under the table
    assert texts.index("Người lập biểu") > notes + len(MISSING_01_DSH)  # the signatures last


def test_the_annual_commune_xlsx_has_no_notes_when_every_known_row_has_figures(q1):  # noqa: ANN001
    ws = load_workbook(io.BytesIO(to_xlsx(build_report(q1, COMMUNE, "2026", form="03-DSX")))).active
    assert [tuple("" if c is None else c for c in _cells(ws, HEADER_ROW + k)[:3]) for k in range(1, 5)] == list(
        FORM_03_DSX)
    assert _cells(ws, HEADER_ROW + 1)[3] is None  # the section heading has no figure
    assert [_cells(ws, HEADER_ROW + k)[3] for k in (2, 3, 4)] == [3, 2, 9]
    values = {c for row in ws.iter_rows() for c in (x.value for x in row)}
    assert NOT_AVAILABLE not in values and f"“{NOT_AVAILABLE}”: chưa có số liệu." not in values


def test_the_pdf_prints_the_form_rows_the_dots_and_the_notes(q1):  # noqa: ANN001
    report = build_report(q1, "31", "2026-Q1", form="01-DSH")
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(report))).pages]
    text = " ".join(" ".join(pages).split())
    for _, label, _ in FORM_01_DSH:
        assert label in text, label
    # a row without figures: "..." in every column of every band
    eights = [ln for p in pages for ln in p.splitlines() if ln.startswith("8 Số người ly hôn trong quý Người ")]
    figures = [f for ln in eights for f in ln.split()[8:]]
    assert len(figures) == len(report.columns) + 1 and set(figures) == {NOT_AVAILABLE}
    assert "“...”: chưa có số liệu." in text
    assert "Số người kết hôn cận huyết thống: Sổ A0 và phiếu thu tin P0/CTV không ghi quan hệ huyết thống" in text
    assert text.index("“...”: chưa có số liệu.") < text.index("Người lập biểu")
