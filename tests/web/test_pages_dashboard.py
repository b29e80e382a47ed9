"""The unit dashboard (/units/{code}) on the hand-built register of tests/report_scenario.py (births in Q1 2026:
a boy on 20/01 in 10507, a girl on 15/02 and a boy on 10/03 in 11602): every figure of the charts and of the
table checked against the report service, sorting on the server, drill-down links, scope, bad input."""
from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from danso.domain import clock
from danso.domain.periods import parse_period
from danso.services import accounts
from danso.services.dashboard import (PeriodBirths, latest_month, month_choices, quarters, shift, srb_interval,
                                      unit_dashboard)
from danso.services.demo_accounts import DEMO_PASSWORD
from danso.services.reports import build_report
from danso.web.app import create_app
from danso.web.pages.rendering import decimal, number
from factories import COMMUNE
from report_scenario import OTHER_COMMUNE, first_quarter

MONTH = "2026-03"  # the window: April 2025 – March 2026
PROVINCE = "31"
LOGINS = {"tinh": ("tinh.dash", "province_officer", PROVINCE), "xa": ("xa.dash", "commune_officer", COMMUNE),
          "xa_b": ("xa.dash.b", "commune_officer", OTHER_COMMUNE), "quocgia": ("quocgia.dash", "national_viewer", None)}


@pytest.fixture(scope="module")
def scene(read_only_ctx):  # noqa: ANN001, ANN201
    ctx = read_only_ctx
    s = first_quarter(ctx)
    for login, role, unit in LOGINS.values():
        accounts.create_user(ctx, login, "Người Thử", role, unit, DEMO_PASSWORD)
    return ctx, s, create_app(ctx)


@pytest.fixture
def as_user(scene):  # noqa: ANN001, ANN201
    def make(who: str) -> TestClient:
        client = TestClient(scene[2], follow_redirects=False)
        client.get("/login")
        r = client.post("/login", data={"login": LOGINS[who][0], "password": DEMO_PASSWORD,
                                        "csrf_token": client.cookies.get("danso_csrf")})
        assert r.status_code == 303, r.text
        return client
    return make


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", fragment))


def _births_titles(page: str) -> dict[str, tuple[int, int]]:
    """Month ("1/2026") → (boys, girls) as the births chart's bars say them."""
    found = re.findall(r"<title>Tháng (\d+/\d{4}): (\d+) trẻ sinh ra, (\d+) trai, (\d+) gái</title>", page)
    assert all(int(t) == int(b) + int(g) for _, t, b, g in found)
    return {m: (int(b), int(g)) for m, _, b, g in found}


def _bar_heights(page: str) -> list[tuple[float, float]]:
    """(boy bar height, girl bar height) of each month, in order."""
    section = page.split('id="births-title"')[1].split("</svg>")[0]
    boys = [float(h) for h in re.findall(r'<rect class="boys"[^>]* height="([\d.]+)"', section)]
    girls = [float(h) for h in re.findall(r'<rect class="girls"[^>]* height="([\d.]+)"', section)]
    return list(zip(boys, girls, strict=True))


def test_the_births_chart_shows_each_month_by_sex_as_the_monthly_reports_count_them(scene, as_user):
    ctx, _s, _app = scene
    page = as_user("tinh").get(f"/units/{PROVINCE}", params={"month": MONTH})
    assert page.status_code == 200
    shown = _births_titles(page.text)
    window = [shift(parse_period(MONTH), -k) for k in range(11, -1, -1)]
    assert list(shown) == [f"{p.first_month}/{p.year}" for p in window]  # April 2025 … March 2026, in order
    units_on = clock.today()
    for p in window:
        by_sex = build_report(ctx, PROVINCE, p, units_on=units_on).total["births"].breakdowns["sex"]
        assert shown[f"{p.first_month}/{p.year}"] == (by_sex.get("1", 0), by_sex.get("2", 0)), p.code
    # known from the scenario: a boy in January, a girl in February, a boy in March, nobody else
    assert [v for v in shown.values() if v != (0, 0)] == [(1, 0), (0, 1), (1, 0)]
    heights = _bar_heights(page.text)
    assert heights[:9] == [(0.0, 0.0)] * 9
    assert heights[9][0] == heights[10][1] == heights[11][0] > 0 and heights[9][1] == heights[11][1] == 0
    assert "trẻ sinh ra trong 12 tháng: trai 2, gái 1" in _text(page.text)


def test_the_sex_ratio_at_birth_is_the_reports_with_its_births_and_marked_as_few(scene, as_user):
    ctx, _s, _app = scene
    text = _text(as_user("tinh").get(f"/units/{PROVINCE}", params={"month": MONTH}).text)
    # January: a boy and no girl, no ratio; February: a girl, 0; both on a single birth: for reference only
    assert "Tháng 1/2026: không tính được (không có bé gái); 1 trẻ sinh ra (1 trai, 0 gái), dưới 100 trẻ" in text
    assert "Tháng 2/2026: 0,0 bé trai/100 bé gái; 1 trẻ sinh ra (0 trai, 1 gái), dưới 100 trẻ" in text
    q1 = build_report(ctx, PROVINCE, "2026-Q1", units_on=clock.today()).total
    assert q1["srb"].value == 200.0
    assert f"Quý I năm 2026: <b>{decimal(q1['srb'].value)}</b> (3 trẻ)" in text
    assert "Quý II năm 2025" in text and "Quý IV năm 2025: <b>–</b> (0 trẻ)" in text
    assert '<circle class="dot srb small"' in text and '<circle class="dot srb"' not in text
    assert "bé trai/100 bé gái sinh ra trong 12 tháng (ít trẻ sinh: chỉ để tham khảo)" in text


def test_contraceptive_use_by_method_is_the_reports_share_of_married_women(scene, as_user):
    ctx, _s, _app = scene
    text = _text(as_user("tinh").get(f"/units/{PROVINCE}", params={"month": MONTH}).text)
    report = build_report(ctx, PROVINCE, MONTH, units_on=clock.today())
    women = report.total["married_women_15_49"].value
    users = report.total["contraceptive_users"].breakdowns["method"]
    assert women == 3 and users == {"6": 1, "7": 1}  # the pill since 01/02, condoms since 20/03
    bars = dict(re.findall(r"<title>([^<:]+): ([\d,]+ %) \(\d+ người\)</title>", text))
    assert len(bars) == 9  # every method of the code list, the unused ones at 0
    assert bars["Thuốc uống tránh thai"] == bars["Bao cao su"] == f"{decimal(100 / 3)} %"
    assert bars["Dụng cụ tử cung (vòng tránh thai)"] == "0,0 %"
    assert list(bars)[:2] == ["Thuốc uống tránh thai", "Bao cao su"]  # most used first
    assert (f"2 trong 3 phụ nữ 15–49 tuổi có chồng đang dùng biện pháp tránh thai ngày 31/03/2026: "
            f"<b>{decimal(report.total['cpr'].value)} %</b>") in text


def _rows(page: str) -> list[list[str]]:
    body = page.split('<table class="list dash-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return [[_text(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _rate(value: float | None) -> str:
    return "–" if value is None else decimal(value)


def test_the_table_has_a_row_per_child_unit_with_the_reports_figures(scene, as_user):
    ctx, _s, _app = scene
    page = as_user("tinh").get(f"/units/{PROVINCE}", params={"month": MONTH}).text
    report = build_report(ctx, PROVINCE, MONTH, units_on=clock.today())
    rows = {r[1]: r for r in _rows(page)}
    assert set(rows) == {COMMUNE, OTHER_COMMUNE}  # the communes without data are folded away
    for col in report.columns:
        if col.unit.code in rows:
            v = col.values
            assert rows[col.unit.code][:4] == [col.unit.name, col.unit.code, number(v["households"].value),
                                               number(v["population"].value)]
            assert rows[col.unit.code][7:] == [number(v["married_women_15_49"].value), _rate(v["cpr"].value),
                                               _rate(v["cpr_modern"].value)]
    assert rows[OTHER_COMMUNE][7:] == ["0", "–", "–"]  # divorced on 25/03: no married woman, no rate
    # twelve months of births: 11602 a girl and a boy (ratio 100), 10507 a boy (no ratio), a 3rd child
    assert rows[COMMUNE][4:7] == ["2", "100,0", "0,0"] and rows[OTHER_COMMUNE][4:7] == ["1", "–", "100,0"]
    assert f"{len(report.columns) - 2} đơn vị chưa có dữ liệu" in page
    foot = _text(page.split("<tfoot>")[1].split("</tfoot>")[0])
    assert "Tổng số" in foot and f">{number(report.total['population'].value)}<" in foot


@pytest.mark.parametrize(("sort", "direction", "order"), [
    ("", "", [OTHER_COMMUNE, COMMUNE]),  # by code
    ("code", "desc", [COMMUNE, OTHER_COMMUNE]),
    ("births", "desc", [COMMUNE, OTHER_COMMUNE]),
    ("births", "asc", [OTHER_COMMUNE, COMMUNE]),
    ("srb", "asc", [COMMUNE, OTHER_COMMUNE]),  # 10507 has no ratio: last whichever the direction
    ("srb", "desc", [COMMUNE, OTHER_COMMUNE]),
    ("third_plus_share", "desc", [OTHER_COMMUNE, COMMUNE]),
    ("name", "asc", [COMMUNE, OTHER_COMMUNE]),  # Phường Hồng An before Phường Thành Đông
    ("name", "desc", [OTHER_COMMUNE, COMMUNE]),
])
def test_the_table_sorts_on_the_server_by_any_column(scene, as_user, sort, direction, order):
    params = {"month": MONTH, **({"sort": sort, "dir": direction} if sort else {})}
    page = as_user("tinh").get(f"/units/{PROVINCE}", params=params).text
    rows = _rows(page)
    assert [r[1] for r in rows] == order
    key = sort or "code"
    heads = dict(re.findall(r'<th[^>]*data-key="(\w+)"[^>]*><a href="([^"]+)"', page))
    flipped = "asc" if (direction or "asc") == "desc" else "desc"
    assert heads[key] == f"?month={MONTH}&amp;sort={key}&amp;dir={flipped}"  # a second click turns it round
    if key != "population":
        assert heads["population"] == f"?month={MONTH}&amp;sort=population&amp;dir=desc"  # numbers: largest first
    if key != "name":
        assert heads["name"] == f"?month={MONTH}&amp;sort=name&amp;dir=asc"  # text: A to Z
    assert re.search(rf'data-key="{key}"[^>]*aria-sort="(a|de)scending"', page)
    assert page.count("aria-sort=") == 1


def test_an_unknown_sort_is_said_and_the_table_stays_by_code(as_user):
    page = as_user("tinh").get(f"/units/{PROVINCE}", params={"month": MONTH, "sort": "tuoi", "dir": "up"})
    assert page.status_code == 200
    assert "Không sắp xếp được theo “tuoi”; bảng được xếp theo mã." in page.text
    assert [r[1] for r in _rows(page.text)] == [OTHER_COMMUNE, COMMUNE]


def test_the_page_loads_its_small_sorting_script_and_the_table_reads_without_it(as_user):
    client = as_user("tinh")
    page = client.get(f"/units/{PROVINCE}", params={"month": MONTH}).text
    assert '<script src="/static/sortable.js" defer></script>' in page
    assert "<table class=\"list dash-table\" data-sortable>" in page
    script = client.get("/static/sortable.js")
    assert script.status_code == 200 and "data-sortable" in script.text and "replaceState" in script.text


def test_drill_down_from_the_province_to_a_commune_to_its_villages_households(scene, as_user):
    _ctx, s, _app = scene
    client = as_user("tinh")
    province = client.get(f"/units/{PROVINCE}", params={"month": MONTH}).text
    assert f'<a href="/units/{COMMUNE}">' in province and f'<a href="/units/{OTHER_COMMUNE}">' in province
    commune = client.get(f"/units/{COMMUNE}", params={"month": MONTH}).text
    assert f'<a href="/units/{PROVINCE}">' in commune  # the breadcrumb leads back up
    villages = re.findall(r'<a href="/households\?unit=([^"]+)">(Tổ dân phố (?:Một|Hai))</a>', commune)
    assert [v[1] for v in villages] == ["Tổ dân phố Một", "Tổ dân phố Hai"]
    households = client.get(f"/households?unit={villages[0][0]}")
    assert households.status_code == 200 and f'href="/households/{s.households["H1"]}"' in households.text
    assert [r[4] for r in _rows(commune)] == ["2", "0"]  # the two births of 11602 are in village 1
    # a national viewer sees the figures of the villages, not their households
    national = as_user("quocgia").get(f"/units/{COMMUNE}", params={"month": MONTH}).text
    assert "Tổ dân phố Một" in national and "/households?unit=" not in national


@pytest.mark.parametrize(("who", "unit", "status"), [
    ("xa", COMMUNE, 200), ("xa", OTHER_COMMUNE, 404), ("xa", PROVINCE, 404), ("xa_b", COMMUNE, 404),
    ("xa_b", OTHER_COMMUNE, 200), ("tinh", OTHER_COMMUNE, 200), ("quocgia", PROVINCE, 200)])
def test_a_commune_officer_cannot_open_another_communes_dashboard(as_user, who, unit, status):
    r = as_user(who).get(f"/units/{unit}", params={"month": MONTH})
    assert r.status_code == status
    if status == 404:
        assert "Không tìm thấy" in r.text and "births-title" not in r.text


def test_a_month_that_cannot_be_shown_is_said_in_vietnamese(as_user):
    client = as_user("xa")
    today = clock.today()
    current = f"{today.year}-{today.month:02d}"
    for month, message in (("2026-13", "Tháng “2026-13” không hợp lệ; viết theo dạng năm-tháng, ví dụ 2026-10."),
                           ("2026-Q1", "Tháng “2026-Q1” không hợp lệ"),
                           (current, "chưa kết thúc")):
        r = client.get(f"/units/{COMMUNE}", params={"month": month})
        assert r.status_code == 422 and message in html.unescape(r.text), month
        assert "Traceback" not in r.text


def test_the_default_month_is_the_last_that_has_ended_and_is_offered_first(as_user):
    page = as_user("xa").get(f"/units/{COMMUNE}").text
    last = latest_month(clock.today())
    assert f'<option value="{last.code}" selected>' in page
    assert f"đến {last.end.strftime('%d/%m/%Y')}" in page


def test_the_service_gives_the_same_births_as_the_monthly_reports_for_each_child_unit(scene):
    ctx, _s, _app = scene
    d = unit_dashboard(ctx, PROVINCE, parse_period(MONTH), clock.today())
    year = build_report(ctx, PROVINCE, parse_period("2026-Q1"), units_on=clock.today())  # all the births
    for col in year.columns:
        mine = d.year.get(col.unit_id)
        assert (mine["births"].value if mine else 0) == col.values["births"].value
    assert d.months[-1].counts["births"] == d.report.total["births"].value == 1


def test_months_and_quarters():
    assert latest_month(dt.date(2026, 11, 23)).code == "2026-10"
    assert latest_month(dt.date(2026, 1, 1)).code == "2025-12"
    assert latest_month(dt.date(2026, 11, 23), dt.date(2025, 6, 30)).code == "2025-06"  # a legacy district
    assert latest_month(dt.date(2026, 11, 23), dt.date(2025, 6, 29)).code == "2025-05"
    assert [p.code for p in month_choices(dt.date(2026, 2, 5), n=3)] == ["2026-01", "2025-12", "2025-11"]
    months = [PeriodBirths(shift(parse_period("2025-11"), k), Counter({"births": 2, "births|sex=1": 1,
                                                                        "births|sex=2": 1})) for k in range(12)]
    qs = quarters(months)  # November 2025 – October 2026: the quarters I, II and III of 2026 are whole
    assert [q.period.code for q in qs] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert qs[0].births == 6 and qs[0].srb == 100.0


def test_the_interval_chance_allows_narrows_with_more_births():
    small, large = srb_interval(5, 5), srb_interval(500, 500)
    assert small[0] < 50 and small[1] > 200  # ten births say almost nothing
    assert (round(large[0], 1), round(large[1], 1)) == (88.3, 113.2)  # p = ½ ± 1,96·√(¼/1000), about
    assert large[0] * large[1] == pytest.approx(10_000)  # as many boys as girls: symmetric around 100
    assert srb_interval(0, 0) is None and srb_interval(3, 0)[1] == float("inf")
