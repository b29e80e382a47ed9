"""Signing in and out in the browser: cookies, CSRF, rate limit, audit."""
from __future__ import annotations

from fastapi.testclient import TestClient

from danso.domain.access import Principal, Role
from danso.services import accounts
from danso.services.demo_accounts import DEMO_PASSWORD

ADMIN = Principal(0, "admin", "admin", Role.ADMINISTRATOR, None)


def _fresh(world) -> TestClient:  # noqa: ANN001
    client = TestClient(world.app, follow_redirects=False)
    r = client.get("/login")
    assert r.status_code == 200 and "Đăng nhập" in r.text
    return client


def test_a_page_without_a_session_redirects_to_the_login_form(world):
    client = TestClient(world.app, follow_redirects=False)
    for path in ("/", "/households", f"/households/{world.household}", "/search", "/units/31", "/audit", "/areas"):
        r = client.get(path)
        assert r.status_code == 303 and r.headers["location"] == "/login", path


def test_signing_in_sets_a_session_cookie_that_scripts_cannot_read(world):
    client = _fresh(world)
    r = client.post("/login", data={"login": "xa.demo", "password": DEMO_PASSWORD,
                                    "csrf_token": client.cookies.get("danso_csrf")})
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("danso_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # plain http in tests
    home = client.get("/")
    assert home.status_code == 200 and "Xin chào, Trần Văn Minh" in home.text
    assert home.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in home.headers["content-security-policy"]


def test_over_https_the_session_cookie_is_secure(world):
    client = TestClient(world.app, base_url="https://danso.test", follow_redirects=False)
    client.get("/login")
    r = client.post("/login", data={"login": "xa.demo", "password": DEMO_PASSWORD,
                                    "csrf_token": client.cookies.get("danso_csrf")})
    cookies = r.headers.get_list("set-cookie")
    assert all("Secure" in c for c in cookies if c.startswith("danso_session="))


def test_a_wrong_password_is_refused_with_one_message_for_every_cause(world):
    client = _fresh(world)
    token = client.cookies.get("danso_csrf")
    wrong = client.post("/login", data={"login": "tinh.demo", "password": "sai", "csrf_token": token})
    unknown = client.post("/login", data={"login": "khong.co.ai", "password": "sai", "csrf_token": token})
    assert wrong.status_code == unknown.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in wrong.text and "Tên đăng nhập hoặc mật khẩu không đúng." in unknown.text
    assert "danso_session" not in wrong.headers.get("set-cookie", "")


def test_a_form_posted_without_the_csrf_token_is_refused(world, pages_as):
    client = _fresh(world)
    r = client.post("/login", data={"login": "xa.demo", "password": DEMO_PASSWORD})
    assert r.status_code == 403 and "Tải lại trang" in r.text
    signed_in = pages_as("xa")
    r = signed_in.post("/search", data={"text": "nguyen", "csrf_token": "forged"})
    assert r.status_code == 403
    r = signed_in.post("/areas/villages", data={"commune": "10507", "name": "Thôn Giả"})
    assert r.status_code == 403


def test_repeated_failures_lock_the_login_for_a_while_and_are_audited(world):
    accounts.create_user(world.ctx, "thu.nghiem", "Đặng Thu", "province_officer", "31", DEMO_PASSWORD)
    client = _fresh(world)
    token = client.cookies.get("danso_csrf")
    for _ in range(5):
        assert client.post("/login", data={"login": "thu.nghiem", "password": "sai-roi",
                                           "csrf_token": token}).status_code == 401
    r = client.post("/login", data={"login": "thu.nghiem", "password": DEMO_PASSWORD, "csrf_token": token})
    assert r.status_code == 429 and "thử lại sau 15 phút" in r.text
    entries, _ = accounts.audit_entries(world.ctx, ADMIN, actor="thu.nghiem", action="login")
    assert [e.action for e in entries][:2] == ["login.rate_limited", "login.failed"]
    assert all(e.ip == "testclient" for e in entries)


def test_signing_out_ends_the_session(world, pages_as):
    client = pages_as("ctv")
    assert client.get("/").status_code == 200
    old = client.cookies.get("danso_session")
    r = client.post("/logout", data={"csrf_token": client.cookies.get("danso_csrf")})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    replay = TestClient(world.app, follow_redirects=False, cookies={"danso_session": old})
    assert replay.get("/").status_code == 303
