#!/usr/bin/env python3
"""Set up danso and run its main jobs, with nothing but Python 3.11+ on the machine.

    python3 tasks.py start   # create .venv, install, build the demo registry (SQLite), show its summary,
                             # create the demo accounts and serve the web application
    python3 tasks.py test    # create .venv, install, run the whole test suite
    python3 tasks.py bench [SUITE]  # create .venv, install, run the benchmarks (see bench/README.md)

Each command is idempotent: the virtual environment is created once and reinstalled only when
pyproject.toml or constraints.txt change.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("DANSO_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".danso-installed"

DEMO_PROVINCE = "31"  # Thành phố Hải Phòng (mã 31)


def _fingerprint() -> str:
    h = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        h.update((ROOT / name).read_bytes())
    return h.hexdigest()


def setup() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"danso cần Python ≥ 3.11 (đang chạy {sys.version.split()[0]})")
    if not PY.exists():
        print(f"• Tạo môi trường ảo {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("• Cài đặt danso và các thư viện (phiên bản đã khoá trong constraints.txt)")
    run([str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-c", str(ROOT / "constraints.txt"), "-e", f"{ROOT}[dev]"])
    STAMP.write_text(_fingerprint())


def run(cmd: list[str], **kw) -> None:
    rc = subprocess.call(cmd, cwd=ROOT, **kw)
    if rc != 0:
        sys.exit(rc)


def danso(*args: str) -> None:
    run([str(BIN / "danso"), *args])


def _demo_loaded() -> bool:
    """Whether the demo province already holds households (``start`` run again keeps the data and serves)."""
    check = ("import sys; from danso.bootstrap import build; from danso.config import Settings; "
             "from danso.services.registry import summary; "
             f"sys.exit(0 if summary(build(Settings.load()), {DEMO_PROVINCE!r}).households else 1)")
    return subprocess.call([str(PY), "-c", check], cwd=ROOT) == 0


def start() -> None:
    setup()
    danso("init")
    danso("units", "load")
    if not _demo_loaded():
        danso("demo", "--province", DEMO_PROVINCE, "--communes", "6", "--persons", "30000", "--seed", "1",
              "--months", "10")
    danso("summary", "--unit", DEMO_PROVINCE)
    danso("users", "demo", "--province", DEMO_PROVINCE)
    danso("serve", "--port", os.environ.get("DANSO_PORT", "8000"))


def test(extra: list[str]) -> None:
    setup()
    run([str(PY), "-m", "pytest", *extra])


BENCH_SUITES = {"foundation": "run.py", "slips": "slips.py", "forecast": "forecast.py", "reports": "reports.py",
                "web": "web_load.py"}


def bench(extra: list[str]) -> None:
    """``bench [SUITE] [options]``: one suite (foundation, slips, forecast) with its options, or all of them
    with their defaults (Hải Phòng scale: long; see bench/README.md)."""
    setup()
    if extra and extra[0] in BENCH_SUITES:
        run([str(PY), str(ROOT / "bench" / BENCH_SUITES[extra[0]]), *extra[1:]])
        return
    if extra:  # options without a suite: the foundation benchmark, as before
        run([str(PY), str(ROOT / "bench" / "run.py"), *extra])
        return
    for script in BENCH_SUITES.values():
        run([str(PY), str(ROOT / "bench" / script)])


def main() -> None:
    cmd, extra = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("start", [])
    if cmd == "start":
        start()
    elif cmd == "test":
        test(extra)
    elif cmd == "bench":
        bench(extra)
    elif cmd == "setup":
        setup()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
