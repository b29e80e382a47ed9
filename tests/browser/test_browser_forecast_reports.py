"""The forecast and report pages in Chromium on a 360-px phone (and the forecast on a laptop); screenshots in
artifacts/."""
from __future__ import annotations


from danso.domain import clock
from tests.browser.conftest import LAPTOP, PHONE, fits


def test_a_province_officer_projects_the_province_on_her_phone(phone):
    page = phone.page
    phone.login("tinh.demo")
    page.click("nav >> text=Dự báo")
    page.wait_for_selector("button:has-text('Dự báo')")
    assert page.input_value("input[name=base_date]") == f"31/12/{clock.today().year - 1}"
    assert page.locator("svg").count() == 0  # nothing computed before the form is sent
    phone.shot("12-forecast-form")
    page.fill("input[name=base_date]", "31/12/2025")
    page.fill("input[name=years]", "30")
    page.select_option("select[name=scenario]", "low")
    page.click("button:has-text('Dự báo')")
    page.wait_for_selector(".fc-pyramid svg")
    assert "scenario=low" in page.url
    assert page.locator(".fc-pyramid svg rect[stroke='#222']").count() == 2 * 18  # 0–4 … 85+ by sex, the last year
    assert page.locator(".trend svg circle.dot.total").count() == 7
    assert "31/12/2055" in page.inner_text("table.fc-table")
    assert fits(page, PHONE["width"])
    phone.shot("13-forecast-results")
    page.locator(".fc-pyramid").scroll_into_view_if_needed()
    phone.shot("14-forecast-charts", full_page=False)
    page.fill("input[name=years]", "0")
    page.evaluate("document.querySelector('input[name=years]').removeAttribute('min')")
    page.click("button:has-text('Dự báo')")
    page.wait_for_selector(".problems")
    assert "Số năm dự báo “0” không hợp lệ" in page.inner_text(".problems")
    assert fits(page, PHONE["width"])
    phone.shot("16-forecast-problems", full_page=False)
    phone.errors.clear()  # the browser logs the 422 answer: expected


def test_the_forecast_on_a_laptop(laptop):
    laptop.login("tinh.demo")
    laptop.goto("/forecast?unit=31&base_date=31/12/2025&years=30&step=5&scenario=medium")
    laptop.page.wait_for_selector(".fc-pyramid svg")
    assert fits(laptop.page, LAPTOP["width"])
    laptop.shot("12-forecast-results")


def test_a_commune_officer_previews_a_quarterly_report_on_her_phone(phone):
    page = phone.page
    phone.login("xa.demo")
    page.click("nav >> text=Báo cáo")
    page.wait_for_selector("button:has-text('Xem báo cáo')")
    page.fill("input[name=period]", "2025-Q4")
    page.check("input[name=breakdowns]")
    page.click("button:has-text('Xem báo cáo')")
    page.wait_for_selector("table.rp-table")
    text = page.inner_text("table.rp-table")
    assert "Tổng số nhân khẩu thực tế thường trú" in text and "- Nam" in text
    assert "Quý IV năm 2025" in page.inner_text(".rp-head")
    assert fits(page, PHONE["width"])
    phone.shot("15-report-preview")
    with page.expect_download() as download:
        page.click(".downloads >> text=XLSX")
    assert download.value.suggested_filename.endswith("-2025-Q4.xlsx")


def test_the_province_report_on_a_laptop(laptop):
    laptop.login("tinh.demo")
    laptop.page.click("nav >> text=Báo cáo")
    laptop.page.fill("input[name=period]", "2025-Q4")
    laptop.page.select_option("select[name=form]", "01-DSH")
    laptop.page.click("button:has-text('Xem báo cáo')")
    laptop.page.wait_for_selector("table.rp-table")
    assert laptop.page.locator("table.rp-table thead th.num").count() == 3  # the total and the two demo communes
    assert fits(laptop.page, LAPTOP["width"])
    laptop.shot("13-report-preview")
