"""The unit dashboard in Chromium, on a 360-px phone and a 1366×768 laptop: charts drawn from a demo province with
ten months of accepted slips (births among them), the table sorted by a click (and without JavaScript by its
links), drill-down to a village's households; screenshots in artifacts/."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from danso.domain import clock
from danso.domain.periods import parse_period
from tests.browser.conftest import LAPTOP, PASSWORD, PHONE, Server, Session, demo_context, fits, serve

MONTH = "2026-10"  # the stream's ten months are January – October 2026
PATH = f"/units/31?month={MONTH}"


@pytest.fixture(scope="module")
def dash_server(chromium_path, template_sqlite, tmp_path_factory) -> Iterator[Server]:  # noqa: ANN001
    """Its own server: the slips of the stream would change what the other browser tests find."""
    from danso.services.demo_accounts import create_demo_accounts
    from danso.services.demo_stream import run_stream

    ctx = demo_context(template_sqlite, tmp_path_factory, "dashboard", persons=6_000)
    stream = run_stream(ctx, "31", months=10, seed=3, start=dt.date(2025, 12, 31))
    assert stream.by_kind.get("birth", 0) > 20
    create_demo_accounts(ctx, "31", PASSWORD)
    with serve(ctx) as s:
        yield s


@pytest.fixture
def device(browser, dash_server):  # noqa: ANN001, ANN201
    sessions = []

    def make(viewport: dict, name: str) -> Session:
        s = Session(browser, dash_server, viewport, name)
        sessions.append(s)
        return s
    yield make
    for s in sessions:
        s.close()


def _codes(page) -> list[str]:  # noqa: ANN001
    return page.locator("table.dash-table tbody tr td:nth-child(2)").all_inner_texts()


def test_a_province_officer_reads_the_charts_and_sorts_the_communes_on_a_laptop(device, dash_server):
    from danso.services.dashboard import unit_dashboard

    laptop = device(LAPTOP, "laptop")
    page = laptop.page
    laptop.login("tinh.demo")
    laptop.goto(PATH)
    page.wait_for_selector("#births-title", state="attached")
    d = unit_dashboard(dash_server.ctx, "31", parse_period(MONTH), clock.today())
    # one pair of bars a month, a point of the sex ratio for each month with a girl born
    assert page.locator("svg rect.boys").count() == page.locator("svg rect.girls").count() == 12
    assert page.locator("svg .dot.srb").count() == sum(1 for m in d.months if m.srb is not None)
    titles = page.locator("svg rect.boys").evaluate_all("els => els.map(e => e.parentNode.querySelector('title')"
                                                        ".textContent)")
    assert titles[-1] == (f"Tháng 10/2026: {d.months[-1].births} trẻ sinh ra, {d.months[-1].boys} trai, "
                          f"{d.months[-1].girls} gái")
    assert page.locator("svg.methods rect.method").count() == 9
    assert page.locator("svg rect.male").count() == 17  # the pyramid: 0–4 … 80+
    assert fits(page, LAPTOP["width"])
    laptop.shot("30-dashboard-province")
    # a click on "Trẻ sinh" sorts in the page (largest first), a second one turns it round; the server agrees
    page.click("table.dash-table th[data-key=births] a")
    assert page.get_attribute("table.dash-table th[data-key=births]", "aria-sort") == "descending"
    assert "sort=births" in page.url and "dir=desc" in page.url and f"month={MONTH}" in page.url
    by_script = _codes(page)
    births = [int(t.replace(".", "")) for t in page.locator("table.dash-table tbody tr td:nth-child(5)")
              .all_inner_texts()]
    assert births == sorted(births, reverse=True)
    page.locator("table.dash-table th[data-key=births]").scroll_into_view_if_needed()
    laptop.shot("31-dashboard-sorted", full_page=False)
    page.click("table.dash-table th[data-key=births] a")
    assert page.get_attribute("table.dash-table th[data-key=births]", "aria-sort") == "ascending"
    assert _codes(page) == list(reversed(by_script)) or len(set(births)) < len(births)
    laptop.goto(PATH + "&sort=births&dir=desc")
    assert _codes(page) == by_script
    # drill-down: the commune, then a village's households
    page.locator("table.dash-table tbody a").first.click()
    page.wait_for_selector("text=Danh sách hộ")
    assert "Thành phố Hải Phòng" in page.inner_text("nav.crumbs")
    laptop.shot("32-dashboard-commune")
    page.locator("table.dash-table tbody a").first.click()
    page.wait_for_selector(".cards li a")
    assert "/households?unit=" in page.url


def test_the_dashboard_reads_on_a_phone(device):
    phone = device(PHONE, "phone")
    page = phone.page
    phone.login("xa.demo")
    page.click("nav >> text=Thống kê")
    page.wait_for_selector("#births-title", state="attached")
    phone.goto(f"/units/10507?month={MONTH}")
    page.wait_for_selector("#srb-title", state="attached")
    assert fits(page, PHONE["width"])
    phone.shot("30-dashboard-commune")
    for n, chart in enumerate(("#births-title", "#srb-title", "#pyr-title", "#methods-title")):
        page.locator(chart).locator("xpath=ancestor::figure").scroll_into_view_if_needed()
        phone.shot(f"3{n + 1}-dashboard-chart-{chart[1:-6]}", full_page=False)
    # the month list: another month, same address scheme
    page.select_option("select[name=month]", "2026-06")
    page.click("form.dash-month button")
    page.wait_for_url("**month=2026-06**")
    assert "đến 30/06/2026" in page.inner_text("main")


def test_without_javascript_the_header_links_sort_on_the_server(browser, dash_server):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(dash_server.url + "/login")
        page.fill("input[name=login]", "tinh.demo")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(dash_server.url + PATH)
        page.click("table.dash-table th[data-key=population] a")
        page.wait_for_url("**sort=population**")
        people = [int(t.replace(".", "")) for t in page.locator("table.dash-table tbody tr td:nth-child(4)")
                  .all_inner_texts()]
        assert people == sorted(people, reverse=True) and len(people) >= 2
        assert page.get_attribute("table.dash-table th[data-key=population]", "aria-sort") == "descending"
    finally:
        context.close()
