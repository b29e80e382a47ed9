"""The reminders page on a 360-px phone (a collaborator, a commune officer) and user management on a laptop (an
administrator), in Chromium; screenshots in artifacts/."""
from __future__ import annotations

import re

from tests.browser.conftest import LAPTOP, PHONE, fits


def test_a_collaborator_goes_through_her_reminders_on_her_phone(phone):
    page = phone.page
    phone.login("ctv.demo")
    page.click("nav >> text=Nhắc việc")
    page.wait_for_selector(".rm-summary")
    assert page.locator(".rm-summary a").count() == 4
    assert page.locator("#elderly .rm-list li").count() == 20  # the demo records no health checks
    assert fits(page, PHONE["width"])
    phone.shot("17-reminders")
    page.click("#elderly >> text=Xem tất cả")
    page.wait_for_url(re.compile(r".*kind=elderly.*"))
    assert page.locator(".rm-list li").count() > 20
    assert fits(page, PHONE["width"])
    phone.shot("18-reminders-elderly", full_page=False)
    first = page.locator(".rm-list li").first
    name = first.locator("b").inner_text()
    first.locator("text=Ghi khám sức khỏe").click()
    page.wait_for_selector("form.slip-form")
    person = page.input_value("input[name=person]")
    assert person.isdigit() and name
    assert fits(page, PHONE["width"])
    phone.shot("19-reminder-slip-form", full_page=False)


def test_a_commune_officer_filters_her_reminders_by_village(phone):
    page = phone.page
    phone.login("xa.demo")
    phone.goto("/reminders")
    page.wait_for_selector("select[name=unit]")
    village = page.locator("select[name=unit] option").nth(1)
    code = village.get_attribute("value")
    page.select_option("select[name=unit]", code)
    page.click("form.filters button")
    page.wait_for_url(re.compile(rf".*unit={code}.*"))
    assert page.locator(".rm-summary").count() == 1
    assert fits(page, PHONE["width"])
    phone.shot("20-reminders-village")


def test_an_administrator_adds_a_collaborator_chosen_by_name_on_a_laptop(laptop):
    page = laptop.page
    laptop.login("admin.demo")
    page.click("nav >> text=Người dùng")
    page.wait_for_selector("table.us-table")
    assert "ctv.demo" in page.inner_text("table.us-table")
    assert fits(page, LAPTOP["width"])
    laptop.shot("14-users")
    page.click("text=Thêm người dùng")
    page.wait_for_selector("form.us-form")
    page.fill("input[name=login]", "x")
    page.fill("input[name=full_name]", "Nguyễn Thị Mai")
    page.select_option("select[name=role]", "collaborator")
    page.fill("input[name=unit]", "31")
    page.fill("input[name=password]", "ngan")
    page.click("button:has-text('Tạo tài khoản')")
    page.wait_for_selector(".field-error")
    assert page.locator(".field-error").count() == 3  # login, scope level, password
    laptop.shot("15-user-form-errors")
    laptop.errors.clear()  # the browser logs the 422 answer: expected
    page.fill("input[name=login]", "mai.ctv")
    page.fill("input[name=q]", "thanh dong")
    page.wait_for_selector(".us-choices button")
    laptop.shot("16-user-scope-search", full_page=False)
    page.locator(".us-choices li", has_text="Địa bàn 1").first.locator("button").click()
    page.wait_for_selector("#unit-field .notice")
    assert page.input_value("input[name=unit]").endswith("-01")
    page.fill("input[name=password]", "")
    page.click("button:has-text('Tạo tài khoản')")
    page.wait_for_selector(".us-secret")
    assert len(page.inner_text(".us-secret")) >= 10
    assert fits(page, LAPTOP["width"])
    laptop.shot("17-user-created")
