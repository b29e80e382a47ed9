"""User management (/users): administrators list and filter accounts, create one (a password typed or made and
shown once), disable and enable it, reset its password — CSRF-protected and audited with who and from where;
other roles may not; a manager with a scope (if ever allowed) manages only accounts within it."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from danso.domain.access import PERMISSIONS, Permission, Principal, Role
from danso.services import accounts

from .conftest import LOGINS

ADMIN = Principal(0, "admin", "admin", Role.ADMINISTRATOR, None)
PASSWORD = "mat-khau-thu-2026"


def token(client: TestClient) -> str:
    return client.cookies.get("danso_csrf")


def sign_in(world, login: str, password: str) -> TestClient | None:  # noqa: ANN001
    """A browser signed in with these credentials, or None when the login is refused."""
    client = TestClient(world.app, follow_redirects=False)
    client.get("/login")
    r = client.post("/login", data={"login": login, "password": password, "csrf_token": token(client)})
    return client if r.status_code == 303 else None


def listed_logins(text: str) -> set[str]:
    return set(re.findall(r'<a href="/users/\d+">([^<]+)</a>', text))


def user_id(world, login: str) -> int:  # noqa: ANN001
    return next(u.id for u in accounts.list_users(world.ctx) if u.login == login)


def audited(world, action: str, target: str) -> list:  # noqa: ANN001
    entries, _ = accounts.audit_entries(world.ctx, ADMIN, action=action)
    return [e for e in entries if e.target == target]


def test_the_administrator_lists_and_filters_accounts(world, pages_as):
    client = pages_as("admin")
    page = client.get("/users")
    assert page.status_code == 200 and '<a href="/users">Người dùng</a>' in page.text
    assert {LOGINS[k] for k in ("ctv", "xa", "huyen", "tinh", "quocgia", "admin", "xa_b")} <= listed_logins(page.text)
    r = client.post("/users", data={"role": "commune_officer", "csrf_token": token(client)})
    assert listed_logins(r.text) >= {"xa.demo", "xa.khac"} and "ctv.demo" not in listed_logins(r.text)
    assert all(u.role == Role.COMMUNE_OFFICER for u in accounts.list_users(world.ctx)
               if u.login in listed_logins(r.text))
    r = client.post("/users", data={"unit": "10507", "csrf_token": token(client)})
    assert {"ctv.demo", "xa.demo"} <= listed_logins(r.text) and "xa.khac" not in listed_logins(r.text)
    # Tỉnh Hải Dương (30), merged into Hải Phòng on 01/07/2025: along the hierarchy of its last day, the officer of
    # its district Thành phố Hải Dương (288) and the collaborator of an area whose village was in it then
    r = client.post("/users", data={"unit": "30", "csrf_token": token(client)})
    assert {"huyen.demo", "ctv.demo"} <= listed_logins(r.text)
    assert not listed_logins(r.text) & {"xa.demo", "tinh.demo"}  # the new commune and province were not
    r = client.post("/users", data={"text": "KHAC", "csrf_token": token(client)})
    assert listed_logins(r.text) == {"xa.khac", "huyen.khac", "tinh.khac"}
    r = client.post("/users", data={"text": "Vũ Thị Bình", "csrf_token": token(client)})
    assert listed_logins(r.text) == {"xa.khac"}  # by name too
    r = client.post("/users", data={"unit": "99999", "csrf_token": token(client)})
    assert r.status_code == 404 and "Không tìm thấy đơn vị mã 99999" in r.text
    r = client.post("/users", data={"role": "boss", "csrf_token": token(client)})
    assert r.status_code == 422 and "vai trò “boss” không có" in r.text.lower()


def test_the_administrator_creates_an_account_whose_password_is_shown_once(world, pages_as):
    client = pages_as("admin")
    form = client.get("/users/new")
    assert form.status_code == 200 and 'name="unit"' in form.text and 'hx-get="/users/units"' in form.text
    r = client.post("/users/new", data={"login": "lan.ctv2", "full_name": "Nguyễn Thị Lan", "role": "collaborator",
                                        "unit": world.area, "password": "", "csrf_token": token(client)})
    assert r.status_code == 200 and "Đã tạo tài khoản." in r.text
    password = re.search(r'<code class="us-secret">([^<]+)</code>', r.text).group(1)
    assert sign_in(world, "lan.ctv2", password) is not None
    view = client.get(f"/users/{user_id(world, 'lan.ctv2')}")
    assert password not in view.text and "Cộng tác viên" in view.text and world.area in view.text
    [entry] = audited(world, "user.create", f"user:{user_id(world, 'lan.ctv2')}")
    assert (entry.actor, entry.ip) == ("admin.demo", "testclient")
    # a password typed by the administrator is not shown back
    r = client.post("/users/new", data={"login": "minh.xa2", "full_name": "Trần Văn Minh", "role": "commune_officer",
                                        "unit": "10525", "password": PASSWORD, "csrf_token": token(client)})
    assert r.status_code == 200 and PASSWORD not in r.text and "us-secret" not in r.text
    assert sign_in(world, "minh.xa2", PASSWORD) is not None


def test_a_wrong_account_is_refused_field_by_field_in_vietnamese_and_nothing_is_written(world, pages_as):
    client = pages_as("admin")
    before = len(accounts.list_users(world.ctx))
    r = client.post("/users/new", data={"login": "Lan CTV", "full_name": " ", "role": "collaborator", "unit": "31",
                                        "password": "ngan", "csrf_token": token(client)})
    assert r.status_code == 422
    errors = dict(re.findall(r'<p class="field-error" id="(\w+)-error">([^<]+)</p>', r.text))
    assert set(errors) == {"login", "full_name", "unit", "password"}
    assert errors["full_name"] == "Chưa ghi họ và tên người dùng."
    assert errors["password"] == "Mật khẩu phải dài ít nhất 10 ký tự."
    assert "Thôn/tổ dân phố" in errors["unit"] and 'aria-invalid="true"' in r.text
    assert 'value="Lan CTV"' in r.text  # what was typed stays in the form
    r = client.post("/users/new", data={"login": "ctv.demo", "full_name": "Ai Đó", "role": "administrator",
                                        "unit": "", "password": PASSWORD, "csrf_token": token(client)})
    assert r.status_code == 422 and "đã có người dùng" in r.text
    r = client.post("/users/new", data={"login": "ai.do", "full_name": "Ai Đó", "role": "collaborator",
                                        "unit": "00000-999", "password": PASSWORD, "csrf_token": token(client)})
    assert r.status_code == 422 and "Không có đơn vị hành chính mã “00000-999”" in r.text
    assert len(accounts.list_users(world.ctx)) == before


def test_the_scope_is_found_by_name_and_picked_from_the_list(world, pages_as):
    client = pages_as("admin")
    found = client.get("/users/units", params={"role": "collaborator", "q": "thanh dong"})
    assert found.status_code == 200 and world.area in found.text and "Phường Thành Đông" in found.text
    pick = re.search(rf'hx-get="(/users/units/pick\?code={world.area}&amp;[^"]+)"', found.text).group(1)
    field = client.get(pick.replace("&amp;", "&"))
    assert f'name="unit" value="{world.area}"' in field.text and "Đã chọn: Địa bàn" in field.text
    provinces = client.get("/users/units", params={"role": "province_officer", "q": "hai phong"}).text
    assert ">Thành phố Hải Phòng</button>" in provinces and "Thái" not in provinces
    assert "31" in client.get("/users/units", params={"role": "province_officer", "q": "3"}).text
    assert "us-choices" not in client.get("/users/units", params={"role": "administrator", "q": "hai"}).text


def test_disabling_ends_the_sessions_and_enabling_lets_the_user_back(world, pages_as):
    accounts.create_user(world.ctx, "hoa.ctv3", "Lê Thị Hoa", "collaborator", world.area, PASSWORD)
    uid = user_id(world, "hoa.ctv3")
    session = sign_in(world, "hoa.ctv3", PASSWORD)
    assert session.get("/").status_code == 200
    client = pages_as("admin")
    r = client.post(f"/users/{uid}/disable", data={"csrf_token": token(client)})
    assert r.status_code == 303 and r.headers["location"] == f"/users/{uid}?done=disabled"
    page = client.get(r.headers["location"]).text
    assert "Đã khoá tài khoản" in page and "Mở khoá tài khoản" in page
    assert session.get("/").status_code == 303  # signed out at once
    assert sign_in(world, "hoa.ctv3", PASSWORD) is None
    r = client.post("/users", data={"status": "disabled", "csrf_token": token(client)})
    assert "hoa.ctv3" in listed_logins(r.text) and "ctv.demo" not in listed_logins(r.text)
    r = client.post(f"/users/{uid}/enable", data={"csrf_token": token(client)})
    assert r.status_code == 303 and sign_in(world, "hoa.ctv3", PASSWORD) is not None
    assert [e.actor for e in audited(world, "user.disable", f"user:{uid}")] == ["admin.demo"]
    assert [e.actor for e in audited(world, "user.enable", f"user:{uid}")] == ["admin.demo"]
    # nor may an administrator lock herself out
    me = user_id(world, "admin.demo")
    r = client.post(f"/users/{me}/disable", data={"csrf_token": token(client)})
    assert r.status_code == 422 and "không thể tự khoá tài khoản của chính mình" in r.text.lower()
    assert client.get("/users").status_code == 200


def test_a_password_reset_shows_the_new_password_once(world, pages_as):
    accounts.create_user(world.ctx, "tu.ctv4", "Phạm Văn Tư", "collaborator", world.area, PASSWORD)
    uid = user_id(world, "tu.ctv4")
    client = pages_as("admin")
    r = client.post(f"/users/{uid}/password", data={"password": "", "csrf_token": token(client)})
    assert r.status_code == 200 and "Đã đặt mật khẩu mới" in r.text
    new = re.search(r'<code class="us-secret">([^<]+)</code>', r.text).group(1)
    assert sign_in(world, "tu.ctv4", PASSWORD) is None and sign_in(world, "tu.ctv4", new) is not None
    assert new not in client.get(f"/users/{uid}").text
    r = client.post(f"/users/{uid}/password", data={"password": "ngan", "csrf_token": token(client)})
    assert r.status_code == 422 and "Mật khẩu phải dài ít nhất 10 ký tự." in r.text
    assert sign_in(world, "tu.ctv4", new) is not None  # unchanged
    r = client.post(f"/users/{uid}/password", data={"password": PASSWORD, "csrf_token": token(client)})
    assert r.status_code == 200 and PASSWORD not in r.text and sign_in(world, "tu.ctv4", PASSWORD) is not None
    assert [e.actor for e in audited(world, "user.reset_password", f"user:{uid}")] == ["admin.demo", "admin.demo"]


def test_only_administrators_manage_users_and_every_form_needs_its_csrf_token(world, pages_as):
    uid = user_id(world, "ctv.demo")
    for role in ("ctv", "xa", "huyen", "tinh", "quocgia"):
        client = pages_as(role)
        assert 'href="/users"' not in client.get("/").text
        assert client.get("/users").status_code == 403
        assert client.get("/users/new").status_code == 403
        assert client.get("/users/units", params={"role": "collaborator", "q": "thanh"}).status_code == 403
        assert client.post(f"/users/{uid}/disable", data={"csrf_token": token(client)}).status_code == 403
        assert client.post(f"/users/{uid}/password", data={"csrf_token": token(client)}).status_code == 403
    admin = pages_as("admin")
    r = admin.post(f"/users/{uid}/disable", data={})
    assert r.status_code == 403 and "Phiên làm việc của biểu mẫu đã hết hạn" in r.text
    assert sign_in(world, "ctv.demo", "danso-demo-2025") is not None  # still active
    assert admin.get("/users/999999").status_code == 404


def test_a_manager_with_a_scope_manages_only_accounts_within_it(world, pages_as, monkeypatch):
    """Province officers do not manage users (danso.domain.access); were they allowed, the service keeps each
    to her province."""
    monkeypatch.setitem(PERMISSIONS, Role.PROVINCE_OFFICER, PERMISSIONS[Role.PROVINCE_OFFICER] | {
        Permission.MANAGE_USERS})
    client = pages_as("tinh")  # Hải Phòng (31)
    page = client.get("/users")
    assert page.status_code == 200 and '<a href="/users">Người dùng</a>' in page.text
    assert {"ctv.demo", "xa.demo", "xa.khac", "tinh.demo"} <= listed_logins(page.text)
    assert not listed_logins(page.text) & {"tinh.khac", "admin.demo", "quocgia.demo"}
    assert client.get(f"/users/{user_id(world, 'tinh.khac')}").status_code == 404
    assert client.post(f"/users/{user_id(world, 'admin.demo')}/password",
                       data={"csrf_token": token(client)}).status_code == 404
    assert client.post("/users", data={"unit": "01", "csrf_token": token(client)}).status_code == 404
    r = client.post("/users/new", data={"login": "sep.moi", "full_name": "Sếp Mới", "role": "administrator",
                                        "unit": "", "password": PASSWORD, "csrf_token": token(client)})
    assert r.status_code == 422 and "Chỉ tạo được tài khoản có phạm vi trong Thành phố Hải Phòng" in r.text
    r = client.post("/users/new", data={"login": "xa.hanoi", "full_name": "Cán Bộ", "role": "commune_officer",
                                        "unit": "00004", "password": PASSWORD, "csrf_token": token(client)})
    assert r.status_code == 422 and "Không có đơn vị hành chính mã “00004”" in r.text
    r = client.post("/users/new", data={"login": "xa.haiphong", "full_name": "Cán Bộ", "role": "commune_officer",
                                        "unit": "10525", "password": PASSWORD, "csrf_token": token(client)})
    assert r.status_code == 200 and "Đã tạo tài khoản." in r.text
    search = {"role": "commune_officer", "q": "ba dinh"}  # Phường Ba Đình, Hà Nội: not hers
    assert "Phường Ba Đình" in pages_as("admin").get("/users/units", params=search).text
    assert "Phường Ba Đình" not in client.get("/users/units", params=search).text
    assert "10507" in client.get("/users/units", params={"role": "commune_officer", "q": "thanh dong"}).text


@pytest.fixture(autouse=True)
def _no_user_left_disabled(world):  # noqa: ANN001
    """The demo accounts are shared by every web test: none may stay disabled."""
    yield
    assert all(u.active for u in accounts.list_users(world.ctx) if u.login in LOGINS.values())
