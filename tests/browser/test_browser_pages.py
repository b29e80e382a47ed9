"""The main pages in Chromium, on a 360-px phone and a 1366×768 laptop; screenshots in artifacts/."""
from __future__ import annotations

import re

from tests.browser.conftest import PHONE, fits


def test_a_collaborator_on_a_phone_signs_in_finds_a_household_and_opens_its_sheet(phone):
    page = phone.page
    phone.goto("/login")
    phone.shot("01-login")
    page.fill("input[name=login]", "ctv.demo")
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("button[type=submit]")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.inner_text(".alert")
    phone.shot("02-login-error")
    phone.errors.clear()  # the 401 of the refused login is logged by the browser: expected
    phone.login("ctv.demo")
    assert "Xin chào, Nguyễn Thị Lan" in page.inner_text("h1")
    assert fits(page, PHONE["width"])
    phone.shot("03-home-collaborator")
    page.click("text=Hộ của tôi")
    page.wait_for_selector(".cards li")
    assert fits(page, PHONE["width"])
    phone.shot("04-my-households")
    first = page.locator(".cards li a").first
    head = first.inner_text().split("·")[1].strip().split("\n")[0]
    # filter by the head's name without diacritics: htmx swaps the list in place
    from danso.domain.vntext import fold

    page.fill("input[name=text]", fold(head))
    page.click("button:has-text('Lọc')")
    page.wait_for_selector("#households-result >> text=khớp với")
    assert head in page.inner_text("#households-result")
    phone.shot("05-my-households-filtered")
    page.locator("#households-result .cards li a").first.click()
    page.wait_for_selector("text=I. Thành viên của hộ")
    assert fits(page, PHONE["width"])
    phone.shot("06-household-sheet")


def test_a_commune_officer_on_a_laptop_searches_and_manages_villages(laptop):
    page = laptop.page
    laptop.login("xa.demo")
    laptop.shot("01-home-commune")
    page.click("nav >> text=Tìm kiếm")
    page.fill("input[name=text]", "nguyen thi")
    page.click("button:has-text('Tìm')")
    page.wait_for_selector("#search-result .cards li")
    assert re.search(r"\d+ người", page.inner_text("#search-result"))
    assert "nguyen" not in page.url  # the search was posted
    laptop.shot("02-search-persons")
    page.click("nav >> text=Thôn và địa bàn")
    page.fill("form[action='/areas/villages'] input[name=name]", "Thôn Trình Duyệt")
    page.click("form[action='/areas/villages'] button")
    page.wait_for_selector(".notice")
    assert "Thôn Trình Duyệt" in page.inner_text(".tree")
    laptop.shot("03-villages-and-areas")


def test_a_province_officer_drills_down_from_the_pyramid_to_a_household_and_prints_it(laptop):
    page = laptop.page
    laptop.login("tinh.demo")
    page.click("nav >> text=Thống kê")
    page.wait_for_selector("svg rect.male")
    assert page.locator("svg rect.male").count() == 17  # 0–4 … 80+
    laptop.shot("04-province-dashboard")
    page.locator("table.list tbody a").first.click()
    page.wait_for_selector("text=Danh sách hộ")
    laptop.shot("05-commune-dashboard")
    page.locator("table.list tbody a").first.click()
    page.wait_for_selector(".cards li a")
    page.locator(".cards li a").first.click()
    page.wait_for_selector("text=I. Thành viên của hộ")
    laptop.shot("06-household-sheet")
    href = page.get_attribute("a:has-text('Bản in')", "href")
    laptop.goto(href)
    page.emulate_media(media="print")
    laptop.shot("07-household-print")


def test_the_pyramid_fits_a_phone(phone):
    phone.login("tinh.demo")
    phone.goto("/units/31")
    phone.page.wait_for_selector("svg rect.female")
    assert fits(phone.page, PHONE["width"])
    phone.shot("07-province-dashboard")


def test_an_administrator_reads_the_audit_trail(laptop):
    page = laptop.page
    laptop.login("admin.demo")
    page.click("nav >> text=Nhật ký")
    page.fill("input[name=action]", "login")
    page.click("button:has-text('Lọc')")
    page.wait_for_selector("table.list tbody tr")
    assert "login.succeeded" in page.inner_text("table.list")
    laptop.shot("08-audit-trail")


def test_a_collaborator_follows_her_slips_on_a_phone(phone):
    phone.login("ctv.demo")
    phone.page.click("nav >> text=Phiếu của tôi")
    phone.page.wait_for_selector(".cards li a")
    assert "Chờ duyệt" in phone.page.inner_text(".cards")
    assert fits(phone.page, PHONE["width"])
    phone.shot("08-my-slips")


def test_a_commune_officer_reviews_the_queue_and_returns_a_slip(laptop):
    page = laptop.page
    laptop.login("xa.demo")
    page.click("nav >> text=Duyệt phiếu")
    page.wait_for_selector(".cards li a")
    laptop.shot("09-review-queue")
    page.locator(".cards li a").first.click()
    page.wait_for_selector("text=Duyệt phiếu >> nth=-1")
    laptop.shot("10-slip-detail")
    page.fill("input[name=reason]", "Ngày khám ghi chưa đúng")
    page.click("button:has-text('Trả lại để sửa')")
    page.wait_for_selector(".notice")
    assert "Trả lại để sửa" in page.inner_text("main")
    laptop.shot("11-slip-returned")


def test_a_collaborator_enters_a_slip_on_her_phone(phone, server):
    page = phone.page
    phone.login("ctv.demo")
    phone.goto("/slips")
    page.click("text=Ghi phiếu mới")
    page.wait_for_selector(".cards li a")
    phone.shot("09-slip-kinds")
    page.click("text=Trẻ sinh ra")
    page.wait_for_selector("form.slip-form")
    assert fits(page, PHONE["width"])
    phone.shot("10-slip-form-birth")
    phone.goto("/slips/new/elderly_checkup")
    page.fill("input[name=person]", "1")
    page.fill("input[name=date]", "31/02/2026")
    page.click("button:has-text('Nộp phiếu')")
    page.wait_for_selector(".problems")
    assert page.inner_text(".problems").startswith("Ngày xảy ra “31/02/2026” không phải ngày hợp lệ")
    assert fits(page, PHONE["width"])
    phone.shot("11-slip-form-errors")
    phone.errors.clear()  # the browser logs the 422 answer: expected
