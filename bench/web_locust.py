"""The simulated users of the web benchmark (locust). bench/web_load.py runs this file with the plan it drew
from the database (``DANSO_WEB_PLAN``: accounts, and the households, names, persons and units each account
works on) and reads back every request it timed (``DANSO_WEB_SAMPLES``).

Three kinds of users, each signed in once (GET /login, POST /login with the CSRF token) and then looping over
their tasks with a think time between them (the plan's ``think``, seconds). Every request is labelled with its
page type; a request fails unless it answers as the page does for a person (200, or 303 to the expected page
after a form), and the failure keeps the status and an excerpt of the page's text.
"""
from __future__ import annotations

import contextlib
import html
import itertools
import json
import os
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

from gevent import GreenletExit
from locust import HttpUser, between, events, task
from locust.exception import StopUser
from urllib3.util.retry import Retry

PLAN = json.loads(Path(os.environ["DANSO_WEB_PLAN"]).read_text())
SAMPLES: list[tuple[str, float, bool, float]] = []  # (page type, ms, ok, end time)
FAILURES: list[dict] = []
TASK_ERRORS: list[str] = []
PENDING: dict[object, tuple[str, float]] = {}  # requests sent, not yet answered
UNANSWERED: list[list] = []  # [page type, ms waited] of requests cut off by the end of the run
MAX_FAILURES = 50
TAKEN: dict[str, itertools.count] = {}  # accounts handed out, by kind of user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SLIP_LINK = re.compile(r'href="/slips/(\d+)"')
FIELD = r'name="{}" value="([^"]*)"'
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None,  # noqa: ANN001
            **_kw) -> None:
    SAMPLES.append((name, response_time, exception is None, time.time()))
    if exception is not None and len(FAILURES) < MAX_FAILURES:
        FAILURES.append({"page": name, "method": request_type, "error": str(exception)})


@events.user_error.add_listener
def _task_error(user_instance, exception, tb, **_kw) -> None:  # noqa: ANN001
    """An exception in a task (not a request): a bug of this file, counted as an error all the same."""
    TASK_ERRORS.append(f"{type(user_instance).__name__}: {exception!r}")


@contextlib.contextmanager
def pending(name: str) -> Iterator[None]:
    """A request on its way: those still unanswered when the run stops are reported (not in the samples)."""
    key = object()
    PENDING[key] = (name, time.time())
    try:
        yield
    except GreenletExit:  # the run ended (stop timeout) while it waited for the answer
        UNANSWERED.append([name, (time.time() - PENDING[key][1]) * 1000])
        raise
    finally:
        PENDING.pop(key, None)


@events.quitting.add_listener
def _dump(**_kw) -> None:
    now = time.time()
    unanswered = sorted([*UNANSWERED, *([name, (now - start) * 1000] for name, start in PENDING.values())],
                        key=lambda x: -x[1])
    Path(os.environ["DANSO_WEB_SAMPLES"]).write_text(json.dumps({"samples": SAMPLES, "failures": FAILURES,
                                                                 "task_errors": TASK_ERRORS,
                                                                 "unanswered": unanswered}))


def status(r) -> str:  # noqa: ANN001
    """The status, or the connection error when there was no response."""
    return f"HTTP {r.status_code}" if r.status_code else f"no response ({r.error!r})"


def excerpt(body: str, limit: int = 300) -> str:
    """The page's text (its <main> if any), tags and scripts removed, for a failure message."""
    start = body.find("<main")
    text = TAGS.sub(" ", body[start:] if start >= 0 else body)
    return " ".join(html.unescape(text).split())[:limit]


class DansoUser(HttpUser):
    """A person using the web application in a browser: a session cookie, the CSRF token of the pages."""

    abstract = True
    wait_time = between(*PLAN["think"])
    accounts: list[dict] = []

    def on_start(self) -> None:
        self.me = self.accounts[next(TAKEN.setdefault(type(self).__name__, itertools.count())) % len(self.accounts)]
        ports = PLAN["ports"]
        self.client.base_url = f"http://127.0.0.1:{ports[self.me['index'] % len(ports)]}"  # a sticky balancer
        # as a browser does: a request sent on a kept-alive connection just as the server closed it (uvicorn
        # closes idle connections after 5 s) is sent again once, on a new connection (logged by urllib3)
        self.client.adapters["http://"].max_retries = Retry(total=1, connect=1, read=1, redirect=0, status=0,
                                                            other=0, allowed_methods=None, raise_on_status=False)
        self.rnd = random.Random(f"{PLAN['seed']}:{self.me['login']}")
        self.csrf = ""
        self.get("/login", "login: form")
        if not self.post("/login", "login: sign in", {"login": self.me["login"], "password": PLAN["password"]},
                         expect="/"):
            raise StopUser()  # counted as a failure; the rest of its pages would only say "sign in first"

    # ----------------------------------------------------------------------------------------------------
    def get(self, path: str, name: str, *, hx: bool = False) -> str:
        """GET a page; the page's text ("" when it failed)."""
        headers = {"HX-Request": "true"} if hx else {}
        with pending(name), self.client.get(path, name=name, headers=headers, allow_redirects=False,
                                            catch_response=True) as r:
            return self._check(r, path, 200)

    def post(self, path: str, name: str, data: dict, *, expect: str | None = None, hx: bool = False) -> str:
        """POST a form with the page's CSRF token. ``expect``: the 303's target (a prefix); otherwise 200 (htmx).
        Returns the redirect target, or the fragment's text."""
        headers = {"HX-Request": "true", "X-CSRF-Token": self.csrf} if hx else {}
        with pending(name), self.client.post(path, name=name, data={"csrf_token": self.csrf, **data},
                                             headers=headers, allow_redirects=False, catch_response=True) as r:
            if expect is None:
                return self._check(r, path, 200, "POST")
            location = r.headers.get("location", "")
            if r.status_code != 303 or not location.startswith(expect):
                r.failure(f"POST {path}: {status(r)} (expected 303 → {expect}, got {location!r}): "
                          f"{excerpt(r.text if r.status_code else '')}")
                return ""
            return location

    def _check(self, r, path: str, expected: int, method: str = "GET") -> str:  # noqa: ANN001
        if r.status_code != expected:
            r.failure(f"{method} {path}: {status(r)} "
                      f"{r.headers.get('location', '')} {excerpt(r.text if r.status_code else '')}")
            return ""
        token = CSRF.search(r.text)
        if token:
            self.csrf = token.group(1)
        return r.text

    def search(self, text: str, name: str) -> None:
        """The search page, then the search as htmx sends it (the results replace the list)."""
        self.get("/search", "search: page")
        self.wait()  # typing
        self.post("/search", name, {"text": text}, hx=True)


class Collaborator(DansoUser):
    """A village collaborator (cộng tác viên) with her area's households: lists and opens them, searches a
    name as typed on a phone (no diacritics), records slips through the form, checks her slips."""

    accounts = PLAN["collaborators"]
    fixed_count = len(accounts)

    @task(1)
    def home(self) -> None:
        self.get("/", "home: collaborator")

    @task(3)
    def households(self) -> None:
        self.get("/households", "households: list")

    @task(3)
    def search_name(self) -> None:
        self.search(self.rnd.choice(self.me["names"]), "search: name")

    @task(3)
    def household(self) -> None:
        self.get(f"/households/{self.rnd.choice(self.me['households'])}", "household sheet")

    @task(1)
    def my_slips(self) -> None:
        self.get("/slips", "slips: mine")

    @task(1)
    def record_slip(self) -> None:
        """Ghi phiếu mới → the kind → the form → submit → the slip (a person of her area, each once)."""
        if self.me["elderly"]:
            kind, fields = "elderly_checkup", {"person": str(self.me["elderly"].pop())}
        elif self.me["women"]:
            pid, method, place = self.me["women"].pop()
            kind, fields = "contraception_start", {"person": str(pid), "method": method, "place": place}
        else:
            return  # her persons are used up (a run longer than planned): nothing more to record
        self.get("/slips/new", "slip: choose kind")
        form = self.get(f"/slips/new/{kind}", "slip: form")
        client_id = re.search(FIELD.format("client_id"), form)
        month = re.search(FIELD.format("month"), form)
        if not client_id or not month:
            return
        self.wait()  # filling it in
        target = self.post(f"/slips/new/{kind}", "slip: submit", {
            "client_id": client_id.group(1), "month": month.group(1), "area": self.me["area"],
            "date": PLAN["today"], **fields}, expect="/slips/")
        if target:
            self.get(target, "slip: view")


class CommuneOfficer(DansoUser):
    """A commune's population officer (cán bộ dân số xã): home, dashboard, the review queue, accepting slips,
    searching by CCCD or household number, household sheets."""

    accounts = PLAN["officers"]
    fixed_count = len(accounts)

    @task(1)
    def home(self) -> None:
        self.get("/", "home: commune")

    @task(1)
    def dashboard(self) -> None:
        self.get(f"/units/{self.me['commune']}", "dashboard: commune")

    @task(2)
    def queue(self) -> None:
        self.get("/slips", "slips: review queue")

    @task(2)
    def accept_one(self) -> None:
        self.accept(1)

    @task(1)
    def accept_several(self) -> None:
        """Working down the queue: the next few slips opened and accepted one after the other."""
        self.accept(5)

    def accept(self, count: int) -> None:
        for _ in range(count):
            ids = SLIP_LINK.findall(self.get("/slips", "slips: review queue"))
            if not ids:
                return
            slip = ids[0]
            self.get(f"/slips/{slip}", "slip: view")
            self.wait()  # reading it
            target = self.post(f"/slips/{slip}/review", "slip: accept", {"decision": "accept"},
                               expect=f"/slips/{slip}?done=accept")
            if not target:
                return
            self.get(target, "slip: view")

    @task(2)
    def search_number(self) -> None:
        if self.rnd.random() < 0.5:
            self.search(self.rnd.choice(self.me["cccds"]), "search: CCCD / household no.")
        else:
            self.search(self.rnd.choice(self.me["numbers"]), "search: CCCD / household no.")

    @task(2)
    def household(self) -> None:
        self.get(f"/households/{self.rnd.choice(self.me['households'])}", "household sheet")


class ProvinceOfficer(DansoUser):
    """A province officer: the province's dashboard, a commune's, the report of the last month."""

    accounts = PLAN["province"]
    fixed_count = len(accounts)

    @task(1)
    def home(self) -> None:
        self.get("/", "home: province")

    @task(2)
    def dashboard(self) -> None:
        self.get(f"/units/{self.me['unit']}", "dashboard: province")

    @task(1)
    def commune_dashboard(self) -> None:
        self.get(f"/units/{self.rnd.choice(self.me['communes'])}", "dashboard: commune")

    @task(1)
    def report(self) -> None:
        self.get(f"/reports?unit={self.me['unit']}&period={PLAN['report_period']}", "reports: province, last month")
