"""The register's pages: home per role, household list and sheet, print view, search; scope per role."""
from __future__ import annotations

import pytest

from danso.domain.access import Principal, Role
from danso.domain.vntext import fold
from danso.services import accounts

ADMIN = Principal(0, "admin", "admin", Role.ADMINISTRATOR, None)

PAGES = {  # path → status for each role
    "ctv": {"/": 200, "/households": 200, "/search": 200, "/units/31": 404, "/areas": 403, "/audit": 403},
    "xa": {"/": 200, "/households": 200, "/search": 200, "/units/31": 404, "/units/10507": 200, "/areas": 200,
           "/audit": 403},
    "huyen": {"/": 200, "/units/288": 200, "/units/31": 404, "/search": 200, "/areas": 403, "/audit": 403},
    "tinh": {"/": 200, "/units/31": 200, "/units/10525": 200, "/search": 200, "/areas": 403, "/audit": 403},
    "quocgia": {"/": 303, "/units/VN": 200, "/units/31": 200, "/search": 403, "/households": 403, "/audit": 403},
    "admin": {"/": 200, "/audit": 200, "/units/31": 200, "/search": 200},
}


@pytest.mark.parametrize("role", PAGES)
def test_each_role_reaches_its_pages_and_no_other(world, pages_as, role):
    client = pages_as(role)
    for path, status in PAGES[role].items():
        r = client.get(path)
        assert r.status_code == status, (path, r.status_code)
        if status in (403, 404):
            assert "Không" in r.text and "Traceback" not in r.text


HOUSEHOLDS = {"ctv": (200, 404, 404), "xa": (200, 200, 404), "xa_b": (404, 404, 200), "huyen": (200, 200, 200),
              "huyen_khac": (404, 404, 404), "tinh": (200, 200, 200), "tinh_khac": (404, 404, 404),
              "quocgia": (403, 403, 403), "admin": (200, 200, 200)}


@pytest.mark.parametrize("role", HOUSEHOLDS)
def test_typing_another_scopes_household_id_shows_nothing_of_it(world, pages_as, role):
    client = pages_as(role)
    targets = (world.household, world.household_same_commune, world.household_other_commune)
    for household_id, status in zip(targets, HOUSEHOLDS[role], strict=True):
        for suffix in ("", "/print"):
            r = client.get(f"/households/{household_id}{suffix}")
            assert r.status_code == status, (household_id, suffix)
            assert ("Thành viên của hộ" in r.text) is (status == 200)


def test_the_household_sheet_shows_the_so_a0_page_in_vietnamese(world, pages_as, api_as):
    sheet = api_as("admin").get(f"/api/v1/households/{world.household}").json()
    r = pages_as("ctv").get(f"/households/{world.household}")
    assert r.status_code == 200
    for text in ("Sổ A0", "I. Thành viên của hộ", "II. Theo dõi sử dụng biện pháp tránh thai",
                 "III. Theo dõi các thay đổi", "Bản in", sheet["members"][0]["full_name"]):
        assert text in r.text
    assert "/" in sheet["members"][0]["birth"] or sheet["members"][0]["birth"].isdigit()


def test_the_print_view_is_recorded_as_an_export_of_personal_data(world, pages_as):
    r = pages_as("xa").get(f"/households/{world.household_same_commune}/print")
    assert "SỔ GHI CHÉP BAN ĐẦU VỀ DÂN SỐ" in r.text and "/static/print.css" in r.text
    entries, _ = accounts.audit_entries(world.ctx, ADMIN, actor="xa.demo", action="export.household")
    assert entries[0].target == f"household:{world.household_same_commune}"


def test_my_households_lists_only_the_collaborators_area_and_filters_by_name_in_a_post(world, pages_as, api_as):
    client = pages_as("ctv")
    page = client.get("/households")
    assert "Hộ của tôi" in page.text and f"/households/{world.household}" in page.text
    assert f"/households/{world.household_same_commune}\"" not in page.text
    head = api_as("admin").get(f"/api/v1/households/{world.household}").json()["members"][0]["full_name"]
    r = client.post("/households", data={"text": fold(head), "csrf_token": client.cookies.get("danso_csrf")},
                    headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.text.startswith('<div id="households-result">')  # a fragment for htmx
    assert f"/households/{world.household}\"" in r.text


def test_a_commune_officer_filters_her_list_by_village_or_area(world, pages_as):
    client = pages_as("xa")
    r = client.get("/households", params={"unit": world.other_area})
    assert f"/households/{world.household_same_commune}\"" in r.text
    assert f"/households/{world.household}\"" not in r.text
    assert client.get("/households", params={"unit": "10525-001-01"}).status_code == 404


def test_search_finds_persons_without_diacritics_and_households_by_number(world, pages_as, api_as):
    client = pages_as("xa")
    token = client.cookies.get("danso_csrf")
    person = api_as("admin").get(f"/api/v1/households/{world.household}").json()["members"][0]
    r = client.post("/search", data={"text": fold(person["full_name"]), "csrf_token": token})
    assert r.status_code == 200 and person["full_name"] in r.text
    r = client.post("/search", data={"text": "1", "csrf_token": token})
    assert "Hộ số 1" in r.text
    r = client.post("/search", data={"text": "!!", "csrf_token": token}, headers={"HX-Request": "true"})
    assert r.status_code == 422 and "nhập tên, số CCCD hoặc mã BHYT để tìm" in r.text


def test_search_by_another_communes_name_finds_nobody_there(world, pages_as, api_as):
    other = api_as("admin").get(f"/api/v1/households/{world.household_other_commune}").json()["members"][0]
    client = pages_as("xa")
    r = client.post("/search", data={"text": other["bhyt"] or other["full_name"],
                                     "csrf_token": client.cookies.get("danso_csrf")})
    assert f"/households/{world.household_other_commune}\"" not in r.text


def test_the_province_dashboard_draws_the_pyramid_and_drills_down_to_a_household(world, pages_as):
    client = pages_as("tinh")
    r = client.get("/units/31")
    assert "<svg" in r.text and "Tháp dân số" in r.text and 'class="male"' in r.text
    assert 'href="/units/10507"' in r.text and 'href="/units/10525"' in r.text
    commune = client.get("/units/10507")
    assert "Danh sách hộ" in commune.text and "Thành phố Hải Phòng" in commune.text  # breadcrumb up
    village_link = commune.text.split('href="/households?unit=')[1].split('"')[0]
    households = client.get(f"/households?unit={village_link}")
    assert households.status_code == 200 and 'href="/households/' in households.text


def test_a_district_officer_drills_down_the_legacy_hierarchy(world, pages_as):
    client = pages_as("huyen")
    r = client.get("/units/288")
    assert "địa giới cũ" in r.text and "30/06/2025" in r.text and "<svg" in r.text
    assert 'href="/units/' in r.text


def test_no_page_puts_a_name_into_its_address(world, pages_as):
    """Searches are posted: the forms of the search and list pages never use GET with a text field."""
    client = pages_as("xa")
    for path in ("/search", "/households"):
        html = client.get(path).text
        form = html.split("<form class=\"filters\"")[1].split(">")[0]
        assert 'method="post"' in form
