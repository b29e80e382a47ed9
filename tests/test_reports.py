"""Reports on the hand-built register of tests/report_scenario.py: every indicator of the catalogue checked
against a value worked out by hand in the comments, roll-up, periods, and the outputs (JSON, CSV, XLSX, ADX,
DHIS2, CLI). Changes of the register: tests/test_reports_changes.py."""
from __future__ import annotations

import io
import json
from collections import Counter

import pytest
from click.testing import CliRunner
from lxml import etree
from openpyxl import load_workbook

from danso.cli.main import cli
from danso.domain.indicators import catalogue
from danso.exports.exchange import ADX_NS, adx_schema, to_adx, to_dhis2
from danso.exports.machine import report_dict, to_csv
from danso.exports.xlsx import HEADER_ROW, to_xlsx
from danso.services.reports import ReportInputError, build_report, build_reports
from factories import COMMUNE
from report_scenario import OTHER_COMMUNE, first_quarter


@pytest.fixture(scope="module")
def q1(read_only_ctx):  # noqa: ANN001, ANN201
    """The scenario, built once per engine for the module's tests (which only read)."""
    return read_only_ctx, first_quarter(read_only_ctx)


def values(report, column: str | None = None) -> dict:  # noqa: ANN001
    """code → value of the total, or of the column of the child unit with this code."""
    if column is None:
        return {k: v.value for k, v in report.total.items()}
    col = next(c for c in report.columns if c.unit is not None and c.unit.code == column)
    return {k: v.value for k, v in col.values.items()}


def breakdown(report, code: str, name: str) -> dict:  # noqa: ANN001
    return report.total[code].breakdowns[name]


# Residents on 31/03/2026 (resident codes 1, 2, 4; the lodger of H2 is tạm trú and never counted):
#   H1 (11602): head M 45, wife F 36, newborn boy (10/03) — the child moved out on 20/03, the grandmother died 05/03
#   H2 (11602): head M 40, wife F 29, daughter F 10 (tạm vắng: counted), newborn girl (15/02)
#   H3 (11602, hộ tập thể): woman F 25 (married 14/02, pregnant since 25/03), man M 35 (moved in 10/01)
#   H4 (10507): head M 65, wife F 47 (divorced 25/03, stopped method 9 on 15/03), newborn boy (20/01)
# Population on 31/12/2025 = 10 (H1 4, H2 3, H3 1, H4 2); 31/01 = 12 (+ mover, + H4 boy); 28/02 = 13 (+ H2 girl);
# 31/03 = 12 (+ H1 boy, − grandmother, − child). Average Q1 = (10/2 + 12 + 13 + 12/2) / 3 = 12.
EXPECTED_Q1 = {
    "households": 4, "family_households": 3, "population": 12, "women_15_49": 4, "married_women_15_49": 3,
    "persons_60_plus": 1, "average_population": 12.0, "births": 3, "deaths": 1, "infant_deaths": 0,
    "moves_in": 1, "moves_out": 1, "marriages": 1, "divorces": 1,
    "cbr": 1000.0,  # 3 births × 12/3 / 12 × 1000
    "cdr": 333.33,  # 1 × 4 / 12 × 1000
    "natural_increase": 666.67,  # (3 − 1) × 4 / 12 × 1000
    "srb": 200.0,  # 2 boys / 1 girl × 100
    "sex_ratio": 100.0,  # 6 men / 6 women × 100
    "gfr": 3000.0,  # 4 women 15–49 on each of the 4 dates: W̄ = 4; 3 × 4 / 4 × 1000
    # mothers' ages at birth: H2 wife 29 (25–29), H1 wife 36 on her birthday (35–39), H4 wife 47 (45–49).
    # women by group on 31/12, 31/01, 28/02, 31/03 (weights 1, 2, 2, 1; divided by 6):
    #   25–29: 1, 1, 2, 2 (H3 woman turns 25 on 02/02) → 9/6 = 1.5; 35–39: 1 each → 1; 45–49: 1 each → 1
    # TFR = 5 × (1×4/1.5 + 1×4/1 + 1×4/1) = 5 × 10.667 = 53.33
    "tfr": 53.33,
    "third_plus_share": 33.33,  # 1 of 3
    "contraceptive_users": 2,  # H1 wife (switched to 6 on 01/02), H2 wife (7 from 20/03); H4 wife stopped
    "modern_users": 2, "cpr": 66.67, "cpr_modern": 66.67,  # 2 of 3 married women 15–49
    "new_users": 1, "method_switches": 1, "discontinuations": 1,
    "pregnant_women": 1,  # H3 woman (H2 wife's pregnancy ended with the birth)
    "miscarriages": 1, "abortions": 1,
    "prenatal_screened": 2,  # H2 wife twice, H3 woman once
    "prenatal_screening_rate": 66.67,  # 2 / 3 births
    "newborn_screened": 1, "newborn_screening_rate": 33.33,
    "elderly_checked": 1,  # H4 head twice
    "elderly_check_rate": 100.0,  # 1 / 1 person 60+
}


def test_every_indicator_of_the_catalogue_has_a_value_worked_out_by_hand(q1):  # noqa: ANN001
    ctx, _ = q1
    assert set(EXPECTED_Q1) == {i.code for i in catalogue()}
    r = build_report(ctx, "31", "2026-Q1")
    assert values(r) == EXPECTED_Q1


def test_breakdowns_of_the_quarter_worked_out_by_hand(q1):  # noqa: ANN001
    ctx, _ = q1
    r = build_report(ctx, "31", "2026-Q1")
    assert breakdown(r, "population", "sex") == {"1": 6, "2": 6}
    assert breakdown(r, "population", "age_group") == {"0": 3, "10": 1, "25": 2, "35": 2, "40": 1, "45": 2, "65": 1}
    # men: 2 newborn boys, the mover 35, H2 head 40, H1 head 45, H4 head 65; women: the newborn girl, the
    # daughter 10, H2 wife 29 and H3 woman 25, H1 wife 36, H4 wife 47
    assert breakdown(r, "population", "sex_age_group") == {
        "1:0": 2, "1:35": 1, "1:40": 1, "1:45": 1, "1:65": 1, "2:0": 1, "2:10": 1, "2:25": 2, "2:35": 1, "2:45": 1}
    assert breakdown(r, "women_15_49", "age_group") == {"25": 2, "35": 1, "45": 1}
    assert breakdown(r, "married_women_15_49", "age_group") == {"25": 2, "35": 1}  # H4 wife divorced
    assert breakdown(r, "persons_60_plus", "sex") == {"1": 1}
    assert breakdown(r, "births", "sex") == {"1": 2, "2": 1}
    assert breakdown(r, "births", "birth_order") == {"1": 1, "2": 1, "3+": 1}
    assert breakdown(r, "births", "delivery_place") == {"1": 2, "2": 1}
    assert breakdown(r, "deaths", "sex") == {"2": 1}
    assert breakdown(r, "deaths", "age_group") == {"75": 1}  # born 1950 (year only): 76 on 05/03/2026
    assert breakdown(r, "contraceptive_users", "method") == {"6": 1, "7": 1}
    assert breakdown(r, "new_users", "method") == {"7": 1}
    assert breakdown(r, "method_switches", "method") == {"6": 1}
    assert breakdown(r, "discontinuations", "method") == {"9": 1}


def test_one_column_per_commune_and_the_province_is_their_sum(q1):  # noqa: ANN001
    ctx, _ = q1
    r = build_report(ctx, "31", "2026-Q1")
    a, b = values(r, COMMUNE), values(r, OTHER_COMMUNE)
    # 11602: H1, H2, H3 — 9 residents, 2 births (H2 girl, H1 boy); 10507: H4 — 3 residents, 1 birth (boy)
    assert (a["population"], a["households"], a["family_households"], a["births"]) == (9, 3, 2, 2)
    assert (b["population"], b["households"], b["family_households"], b["births"]) == (3, 1, 1, 1)
    assert (a["srb"], b["srb"]) == (100.0, None)  # 1 boy / 1 girl; no girl born in 10507
    assert (a["married_women_15_49"], b["married_women_15_49"], a["cpr"], b["cpr"]) == (3, 0, 66.67, None)
    # every count of the province is the sum of its communes' counts (every other commune is empty)
    summed: Counter = Counter()
    for c in r.columns:
        summed.update(c.counts)
    assert +summed == +r.counts
    assert sum(1 for c in r.columns if c.counts) == 2


def test_a_commune_report_equals_its_column_in_the_province_report_and_sums_its_villages(q1):  # noqa: ANN001
    ctx, _ = q1
    province = build_report(ctx, "31", "2026-Q1")
    commune = build_report(ctx, COMMUNE, "2026-Q1")
    col = next(c for c in province.columns if c.unit.code == COMMUNE)
    assert +commune.counts == +col.counts
    assert values(commune) == values(province, COMMUNE)
    assert [c.unit.name for c in commune.columns] == ["Tổ dân phố Một", "Tổ dân phố Hai"]
    v1, v2 = (values(commune, c.unit.code) for c in commune.columns)
    assert (v1["population"], v2["population"]) == (7, 2)  # H1 3 + H2 4; H3 2
    assert (v1["households"], v2["households"], v2["family_households"]) == (2, 1, 0)
    # rates are recomputed from the summed counts: 2 screened / 2 births in the commune, not an average of
    # the villages' rates (village 1: 1/2 = 50 %, village 2: 1 screened / 0 births = none)
    assert (v1["prenatal_screening_rate"], v2["prenatal_screening_rate"]) == (50.0, None)
    assert values(commune)["prenatal_screening_rate"] == 100.0


def _same(a, b) -> None:  # noqa: ANN001
    """Two reports of one unit hold the same columns, counts and values."""
    assert (a.unit.code, a.form.code, a.period.code) == (b.unit.code, b.form.code, b.period.code)
    assert [(c.unit_id, +c.counts, {k: v.value for k, v in c.values.items()}) for c in a.columns] == \
        [(c.unit_id, +c.counts, {k: v.value for k, v in c.values.items()}) for c in b.columns]
    assert +a.counts == +b.counts
    assert {k: (v.value, v.breakdowns) for k, v in a.total.items()} == \
        {k: (v.value, v.breakdowns) for k, v in b.total.items()}


@pytest.mark.parametrize("period", ["2026-02", "2026-Q1"])
def test_the_reports_of_a_unit_and_of_each_child_from_one_pass_equal_each_built_alone(q1, period):  # noqa: ANN001
    ctx, _ = q1
    province, *communes = build_reports(ctx, "31", period, form="01-DSH" if period.endswith("Q1") else None)
    _same(province, build_report(ctx, "31", period, form=province.form.code))
    assert [c.unit.code for c in communes] == [c.unit.code for c in province.columns if c.unit is not None]
    assert len(communes) == 114
    for commune in communes:
        # 01-DSH is not a commune's form: each commune's own report is on the default form
        assert commune.form.code == "DANSO"
        _same(commune, build_report(ctx, commune.unit.code, period))
    busy = {c.unit.code: c for c in communes}
    assert values(busy[COMMUNE])["pregnant_women"] == (1 if period.endswith("Q1") else 0)
    assert [c.unit.name for c in busy[COMMUNE].columns] == ["Tổ dân phố Một", "Tổ dân phố Hai"]


@pytest.mark.parametrize("unit", ["31", COMMUNE])
def test_flows_counted_from_the_events_or_from_the_households_are_the_same(q1, unit, monkeypatch):  # noqa: ANN001
    from danso.storage import report_queries

    ctx, _ = q1
    built = []
    for first_from in (1, 10**9):  # the events first for any number of areas, then never
        monkeypatch.setattr(report_queries, "MANY_AREAS", first_from)
        built.append(build_report(ctx, unit, "2026-Q1"))
    _same(*built)
    assert values(built[0])["births"] == (3 if unit == "31" else 2)


@pytest.mark.parametrize("period", ["2026-02", "2026-Q1", "2026"])
def test_the_passes_over_the_residents_on_several_connections_give_the_same_report(q1, period, monkeypatch):  # noqa: ANN001
    from danso.services import reports

    ctx, _ = q1
    built = []
    for parallel_from in (1, 10**9):  # in parts on several connections for any number of areas, then never
        monkeypatch.setattr(reports, "PARALLEL_FROM", parallel_from)
        built.append(build_report(ctx, "31", period))
    _same(*built)
    assert values(built[0])["population"] == {"2026-02": 13}.get(period, 12)  # 28/02: 13; 31/03 and later: 12


def test_cli_each_child_writes_the_unit_and_every_child_unit_report(q1, tmp_path):  # noqa: ANN001
    ctx, _ = q1
    res = _cli(ctx, "report", "--unit", "31", "--period", "2026-Q1", "--format", "json", "--each-child",
               str(tmp_path / "q1"))
    assert res.exit_code == 0, res.output
    files = sorted(p.name for p in (tmp_path / "q1").iterdir())
    assert len(files) == 115 and "31.json" in files and f"{COMMUNE}.json" in files
    commune = json.loads((tmp_path / "q1" / f"{COMMUNE}.json").read_text(encoding="utf-8"))
    alone = json.loads(_cli(ctx, "report", "--unit", COMMUNE, "--period", "2026-Q1", "--format", "json").output)
    assert commune.pop("created_at") and alone.pop("created_at")
    assert commune == alone
    res = _cli(ctx, "report", "--unit", "31", "--period", "2026-Q1", "--each-child", str(tmp_path / "t"))
    assert res.exit_code == 2 and "--each-child" in res.output


def test_a_month_and_longer_periods_worked_out_by_hand(q1):  # noqa: ANN001
    ctx, _ = q1
    feb = values(build_report(ctx, COMMUNE, "2026-02"))
    # commune 11602 in February: population 31/01 = 9 (H1 4, H2 3, H3 2), 28/02 = 10 (+ H2 girl)
    assert feb["average_population"] == 9.5  # (9/2 + 10/2) / 1
    assert feb["births"] == 1 and feb["marriages"] == 1 and feb["moves_in"] == 0
    assert feb["cbr"] == 1263.16  # 1 × 12 / 9.5 × 1000
    # married women 15–49 on 28/02: H1 wife, H2 wife, H3 woman (married 14/02); only H1 wife uses a method
    assert (feb["married_women_15_49"], feb["contraceptive_users"], feb["cpr"]) == (3, 1, 33.33)
    # nobody pregnant on 28/02: H2 wife delivered on 15/02, H3 woman (pregnant 01/02) miscarried on 20/02
    assert (feb["miscarriages"], feb["abortions"], feb["pregnant_women"]) == (1, 0, 0)
    year = values(build_report(ctx, "31", "2026"))
    # no event after March: 31/12/2025 10, Jan 12, Feb 13, Mar … Nov 12, Dec 12
    # (10 + 2 × (12 + 13 + 12 + 8 × 12) + 12) / 24 = 288 / 24 = 12
    assert year["average_population"] == 12.0
    assert year["births"] == 3 and year["cbr"] == 250.0  # 3 / 12 × 1000
    for code in ("2026-6T", "2026-9T"):
        r = values(build_report(ctx, "31", code))
        assert (r["births"], r["deaths"], r["population"], r["average_population"]) == (3, 1, 12, 12.0)


def test_json_lists_each_indicator_by_code_with_value_breakdowns_and_units(q1):  # noqa: ANN001
    ctx, _ = q1
    d = report_dict(build_report(ctx, "31", "2026-Q1"))
    assert d["period"] == {"code": "2026-Q1", "label": "Quý I năm 2026", "kind": "quarter", "start": "2026-01-01",
                           "end": "2026-03-31", "months": 3}
    assert d["unit"] == {"code": "31", "name": "Thành phố Hải Phòng", "level": "province"}
    by_code = {i["code"]: i for i in d["indicators"]}
    assert {c: i["value"] for c, i in by_code.items()} == EXPECTED_Q1
    assert by_code["births"]["breakdowns"]["birth_order"] == {"1": 1, "2": 1, "3+": 1}
    assert by_code["births"]["breakdowns"]["sex"] == {"1": 2, "2": 1}
    assert by_code["population"]["by_unit"][COMMUNE] == 9 and by_code["population"]["by_unit"][OTHER_COMMUNE] == 3
    assert len(d["columns"]) == len(by_code["population"]["by_unit"]) > 100  # every commune of Hải Phòng


def test_csv_has_a_line_per_unit_indicator_and_breakdown_key(q1):  # noqa: ANN001
    ctx, _ = q1
    lines = to_csv(build_report(ctx, COMMUNE, "2026-Q1")).splitlines()
    assert lines[0] == "period,unit_code,unit_name,indicator,breakdown,key,value"
    assert "2026-Q1,11602,Phường Hồng An,population,,,9" in lines
    assert "2026-Q1,11602,Phường Hồng An,births,delivery_place,2,1" in lines  # H2 girl born at home
    assert "2026-Q1,11602,Phường Hồng An,cbr,,," not in lines
    assert "2026-Q1,11602,Phường Hồng An,srb,,,100.0" in lines


def _sheet(report):  # noqa: ANN001, ANN202
    return load_workbook(io.BytesIO(to_xlsx(report))).active


def _row_of(ws, label: str) -> int:  # noqa: ANN001
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == label)


def test_xlsx_in_the_layout_of_the_district_form_with_a_column_per_commune(q1):  # noqa: ANN001
    ctx, _ = q1
    r = build_report(ctx, "31", "2026-Q1", form="01-DSH")
    ws = _sheet(r)
    assert ws["A1"].value == "Biểu số: 01-DSH"
    assert ws["A2"].value == "Ban hành kèm theo Thông tư số 01/2022/TT-BYT"
    assert ws["A3"].value == "Đơn vị báo cáo: Thành phố Hải Phòng (mã 31)"
    assert ws["A5"].value == "BÁO CÁO THỐNG KÊ CHUYÊN NGÀNH DÂN SỐ"
    assert ws["A6"].value == "Kỳ báo cáo: Quý I năm 2026 (từ 01/01/2026 đến 31/03/2026)"
    headings = [ws.cell(HEADER_ROW, j).value for j in range(1, ws.max_column + 1)]
    assert headings[:4] == ["STT", "Tên chỉ tiêu", "Đơn vị tính", "Tổng số"]
    commune_col = headings.index("Phường Hồng An") + 1
    # the form's rows first, in the Circular's wording (tests/test_report_forms.py has them all)
    assert [ws.cell(HEADER_ROW + k, 2).value for k in (1, 2, 3)] == [
        "Tổng số hộ dân cư tính đến cuối quý", "Trong đó: Số hộ gia đình",
        "Tổng số nhân khẩu thực tế thường trú (dân số) tính đến cuối quý"]
    row = _row_of(ws, "Tổng số hộ dân cư tính đến cuối quý")
    assert (ws.cell(row, 4).value, ws.cell(row, commune_col).value) == (4, 3)
    births = _row_of(ws, "Tổng số trẻ sinh ra trong quý")
    assert ws.cell(births + 2, 2).value == "- Số trẻ em nam sinh ra" and ws.cell(births + 2, 4).value == 2
    cbr = _row_of(ws, "Tỷ suất sinh thô (CBR)")
    assert ws.cell(cbr, 4).value == 1000.0 and ws.cell(cbr, 4).number_format == "#,##0.00"
    assert ws.cell(_row_of(ws, "Tỷ số giới tính khi sinh"), headings.index("Phường Thành Đông") + 1).value == "-"
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"Người lập biểu", "Thủ trưởng đơn vị", "(Ký, ghi rõ họ tên)", "(Ký, đóng dấu, ghi rõ họ tên)"} <= texts


def test_xlsx_of_the_annual_commune_form_has_one_value_column(q1):  # noqa: ANN001
    ctx, _ = q1
    ws = _sheet(build_report(ctx, COMMUNE, "2026", form="03-DSX"))
    assert ws["A1"].value == "Biểu số: 03-DSX"
    assert [ws.cell(HEADER_ROW, j).value for j in range(1, 5)] == ["STT", "Tên chỉ tiêu", "Đơn vị tính", "Số lượng"]
    assert ws.max_column == 4
    assert ws.cell(_row_of(ws, "Tổng số nhân khẩu thực tế thường trú (dân số) tính đến cuối năm"), 4).value == 9
    assert ws["A4"].value == "Đơn vị nhận báo cáo: Thành phố Hải Phòng"


@pytest.mark.parametrize("form, unit, period, message", [
    ("03-DSX", "31", "2026", "Biểu 03-DSX dành cho cấp Xã/phường"),
    ("03-DSX", COMMUNE, "2026-Q1", "Biểu 03-DSX là báo cáo theo năm; kỳ 2026-Q1 là quý"),
    ("99-XYZ", "31", "2026", "Không có biểu mẫu “99-XYZ”"),
])
def test_a_form_refuses_a_unit_or_period_it_is_not_for(q1, form, unit, period, message):  # noqa: ANN001
    ctx, _ = q1
    with pytest.raises(ReportInputError, match=message):
        build_report(ctx, unit, period, form=form)


def _cli(ctx, *args: str):  # noqa: ANN001, ANN202
    return CliRunner().invoke(cli, ["--db", ctx.engine.url.render_as_string(hide_password=False), *args])


def test_cli_report_json_csv_xlsx_and_the_catalogue(q1, tmp_path):  # noqa: ANN001
    ctx, _ = q1
    out = _cli(ctx, "report", "--unit", COMMUNE, "--period", "2026-Q1", "--format", "json")
    assert out.exit_code == 0, out.output
    assert {i["code"]: i["value"] for i in json.loads(out.output)["indicators"]}["births"] == 2
    out = _cli(ctx, "report", "--unit", COMMUNE, "--period", "2026-Q1")
    assert out.exit_code == 0 and "Tổng số nhân khẩu thực tế thường trú" in out.output
    assert "Tổ dân phố Một" in out.output  # a column per village
    path = tmp_path / "q1.xlsx"
    out = _cli(ctx, "report", "--unit", "31", "--period", "2026-Q1", "--form", "01-DSH", "--format", "xlsx",
               "-o", str(path))
    assert out.exit_code == 0, out.output
    assert load_workbook(path).active["A1"].value == "Biểu số: 01-DSH"
    out = _cli(ctx, "indicators", "--format", "json")
    assert [i["code"] for i in json.loads(out.output)["indicators"]] == [i.code for i in catalogue()]
    assert "Tổng tỷ suất sinh (TFR)" in _cli(ctx, "indicators").output


@pytest.mark.parametrize("args, message", [
    (["--unit", "31", "--period", "2026-13"], "Kỳ báo cáo “2026-13” không hợp lệ"),
    (["--unit", "99999", "--period", "2026-Q1"], "không có đơn vị hành chính mã “99999”"),
    (["--unit", "303", "--period", "2026-Q1"], "không còn/chưa có hiệu lực ngày 31/03/2026"),  # a district
    (["--unit", "31"], "thiếu --period"),
    (["--unit", "31", "--period", "2026", "--format", "xlsx"], "cần tệp kết quả"),
])
def test_cli_bad_input_is_explained_with_exit_code_2(q1, args, message):  # noqa: ANN001
    ctx, _ = q1
    out = _cli(ctx, "report", *args)
    assert out.exit_code == 2
    assert message in out.output


# ADX and DHIS2 dataValueSets


def _values(adx: str) -> dict[tuple, str]:
    doc = etree.fromstring(adx.encode())
    out = {}
    for dv in doc.iter(f"{{{ADX_NS}}}dataValue"):
        a = dict(dv.attrib)
        out[(a.pop("dataElement"), tuple(sorted((k, v) for k, v in a.items() if k != "value")))] = a["value"]
    return out


def test_adx_validates_against_its_schema_and_carries_the_counts(q1):  # noqa: ANN001
    ctx, _ = q1
    adx = to_adx(build_report(ctx, COMMUNE, "2026-Q1"))
    schema = etree.XMLSchema(etree.fromstring(adx_schema().encode()))
    doc = etree.fromstring(adx.encode())
    schema.assertValid(doc)
    group = doc.find(f"{{{ADX_NS}}}group")
    assert group.attrib == {"dataSet": "DANSO", "orgUnit": COMMUNE, "period": "2026-01-01/P3M", "completed": "false"}
    v = _values(adx)
    # commune 11602 in Q1: 9 residents (4 men, 5 women), 2 births (1st child at home, 2nd in a facility)
    assert v[("population", ())] == "9"
    assert (v[("population", (("SEX", "1"),))], v[("population", (("SEX", "2"),))]) == ("4", "5")
    assert v[("births", (("BIRTH_ORDER", "1"),))] == "1" and v[("births", (("BIRTH_ORDER", "3P"),))] == "0"
    assert v[("births", (("DELIVERY_PLACE", "2"),))] == "1"
    # the pyramid: two disaggregations on one value (girls 0–4: H2's newborn; boys 0–4: H1's)
    assert v[("population", (("AGE_GROUP", "0"), ("SEX", "2")))] == "1"
    assert v[("population", (("AGE_GROUP", "0"), ("SEX", "1")))] == "1"
    assert v[("average_population", ())] == "9.17"  # (8/2 + 9 + 10 + 9/2) / 3 = 27.5 / 3
    assert not any(code in ("cbr", "srb", "cpr") for code, _ in v)  # rates are recomputed by the receiver


def test_an_adx_message_breaking_the_schema_is_refused(q1):  # noqa: ANN001
    ctx, _ = q1
    schema = etree.XMLSchema(etree.fromstring(adx_schema().encode()))
    good = to_adx(build_report(ctx, COMMUNE, "2026-02"))
    for bad in (good.replace('dataElement="births"', 'dataElement="birthz"'),
                good.replace('SEX="2"', 'SEX="F"'), good.replace("/P1M", "/1M"),
                good.replace('value="1"', 'value="một"')):
        assert bad != good
        assert not schema.validate(etree.fromstring(bad.encode()))


def test_dhis2_data_value_set(q1):  # noqa: ANN001
    ctx, _ = q1
    d = json.loads(to_dhis2(build_report(ctx, COMMUNE, "2026-02")))
    assert (d["dataSet"], d["period"], d["orgUnit"], d["dataElementIdScheme"]) == ("DANSO", "202602", COMMUNE, "CODE")
    by = {(x["dataElement"], x.get("categoryOptionCombo")): x["value"] for x in d["dataValues"]}
    assert all(x["period"] == "202602" and x["orgUnit"] == COMMUNE for x in d["dataValues"])
    assert by[("births", None)] == "1" and by[("births", "sex_2")] == "1" and by[("births", "sex_1")] == "0"
    assert by[("marriages", None)] == "1" and by[("average_population", None)] == "9.5"
    assert by[("population", "sex_2_age_group_0")] == "1" and by[("population", "sex_1_age_group_0")] == "0"
    periods = {p: json.loads(to_dhis2(build_report(ctx, COMMUNE, p)))["period"] for p in ("2026-Q1", "2026-6T", "2026")}
    assert periods == {"2026-Q1": "2026Q1", "2026-6T": "2026S1", "2026": "2026"}
    with pytest.raises(ReportInputError, match="DHIS2 không có kỳ 9 tháng"):
        to_dhis2(build_report(ctx, COMMUNE, "2026-9T"))


def test_cli_adx_dhis2_and_the_schema(q1):  # noqa: ANN001
    ctx, _ = q1
    url = ctx.engine.url.render_as_string(hide_password=False)
    run = CliRunner().invoke
    out = run(cli, ["--db", url, "report", "--unit", COMMUNE, "--period", "2026-Q1", "--format", "adx"])
    assert out.exit_code == 0 and out.output.startswith('<?xml version="1.0"')
    xsd = run(cli, ["--db", url, "indicators", "--format", "adx-schema"]).output
    etree.XMLSchema(etree.fromstring(xsd.encode())).assertValid(etree.fromstring(out.output.encode()))
    out = run(cli, ["--db", url, "report", "--unit", COMMUNE, "--period", "2026-9T", "--format", "dhis2"])
    assert out.exit_code == 2 and "DHIS2 không có kỳ 9 tháng" in out.output
