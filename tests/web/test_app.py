"""The application factory, the schema of migration 0002, and what a slow connection downloads."""
from __future__ import annotations

import subprocess
import sys

from alembic import command
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from danso.storage.schema import _config, upgrade


def test_importing_the_web_app_builds_nothing():
    code = ("import sys, danso.web.app, danso.cli.main; "
            "sys.exit(1 if any(m.startswith(('uvicorn', 'psycopg')) for m in sys.modules) else 0)")
    assert subprocess.call([sys.executable, "-c", code]) == 0


def test_migration_0002_creates_the_accounts_tables_and_can_be_undone(ctx):
    tables = set(inspect(ctx.engine).get_table_names())
    assert {"users", "web_sessions", "api_tokens", "login_attempts"} <= tables
    assert {"ip", "target"} <= {c["name"] for c in inspect(ctx.engine).get_columns("audit_log")}
    cfg = _config()
    with ctx.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    ctx.engine.dispose()
    assert "users" not in inspect(ctx.engine).get_table_names()
    assert "ip" not in {c["name"] for c in inspect(ctx.engine).get_columns("audit_log")}
    upgrade(ctx.engine)
    ctx.engine.dispose()
    assert "users" in inspect(ctx.engine).get_table_names()
    with ctx.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() is not None


def test_static_assets_are_local_and_compressed(world):
    client = TestClient(world.app)
    page = client.get("/login").text
    assert "/static/htmx.min.js" in page and "/static/style.css" in page
    assert "http://" not in page and "https://" not in page  # no CDN
    r = client.get("/static/htmx.min.js", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert int(r.headers["content-length"]) < 25_000


def test_danso_serve_prints_its_address_and_serves_the_login_page(db_url, tmp_path):
    import os
    import shutil
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    danso = shutil.which("danso", path=os.path.dirname(sys.executable)) or "danso"
    proc = subprocess.Popen([danso, "--db", db_url, "serve", "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line and "danso đang chạy tại" in line
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    assert r.status == 200 and "Đăng nhập" in r.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
