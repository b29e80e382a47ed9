"""A commune officer submits her monthly report on her phone (the confirmation box first), the province officer
approves it from the side-by-side page on a laptop, and the commune sees it approved; screenshots in artifacts/."""
from __future__ import annotations

from tests.browser.conftest import LAPTOP, PHONE, fits

PERIOD = "2025-11"  # used by no other browser test


def test_the_commune_submits_and_the_province_approves(phone, laptop):
    page = phone.page
    phone.login("xa.demo")
    page.click("nav >> text=Báo cáo")
    page.fill("input[name=period]", PERIOD)
    page.click("button:has-text('Xem báo cáo')")
    page.wait_for_selector("#nop-bao-cao")
    panel = page.inner_text("#nop-bao-cao")
    assert "Chưa nộp" in panel and "hạn nộp 05/12/2025" in panel and "Thành phố Hải Phòng" in panel
    commune = page.input_value("input[name=unit][type=hidden]")
    page.click("button:has-text('Nộp báo cáo')")  # the box is not ticked: the browser keeps the form
    assert "/reports?" in page.url and "Chưa nộp" in page.inner_text("#nop-bao-cao")
    assert fits(page, PHONE["width"])
    phone.shot("30-report-submit")
    page.check("input[name=confirm]")
    page.click("button:has-text('Nộp báo cáo')")
    page.wait_for_selector(".notice")
    assert "Đã nộp báo cáo Tháng 11 năm 2025" in page.inner_text(".notice")
    assert "Đã nộp, chờ duyệt" in page.inner_text("#nop-bao-cao") and "nộp muộn" in page.inner_text("#nop-bao-cao")
    phone.shot("31-report-submitted", full_page=False)

    lp = laptop.page
    laptop.login("tinh.demo")
    laptop.goto(f"/reports/status?unit=31&period={PERIOD}")
    lp.wait_for_selector("table.rs-table")
    row = lp.locator(f"tr#u-{commune}")
    assert "Đã nộp, chờ duyệt" in row.inner_text()
    assert lp.locator("table.rs-table tbody tr").count() == 114
    assert fits(lp, LAPTOP["width"])
    laptop.shot("30-report-status", full_page=False)
    row.locator("button:has-text('Duyệt')").click()
    lp.wait_for_selector(".notice")
    assert "Đã duyệt báo cáo Tháng 11 năm 2025" in lp.inner_text(".notice")
    assert "Đã duyệt" in lp.locator(f"tr#u-{commune}").inner_text()
    lp.select_option("select[name=only]", "approved")
    lp.click("button:has-text('Xem')")
    lp.wait_for_selector("table.rs-table")
    assert lp.locator("table.rs-table tbody tr").count() == 1
    laptop.shot("31-report-approved")

    page.reload()
    assert "Đã duyệt" in page.inner_text("#nop-bao-cao")
    assert "duyệt phiên bản 1" in page.inner_text(".rp-history")
