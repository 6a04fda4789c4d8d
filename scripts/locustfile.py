"""The load test's scenario (``make loadtest`` → ``manage.py loadtest`` runs it headless).

Coordinators fill in their own school's form: background draft saves with the version field (as
the page's script sends them) and now and then «Сохранить черновик»; every save the server
acknowledges is written to the log (``LOADTEST_LOG``) so the command can check afterwards that
the database holds it. Specialists review: their municipality's dashboard and a submitted
report's page. Methodists look at the region's dashboard and a municipality's.

The users are signed in before the run (``LOADTEST_PLAN``: sessions and pages, made by the
command); the portal runs as in production behind a TLS proxy, so the requests carry
``X-Forwarded-Proto: https`` and the cookies are sent by hand (they are marked Secure).
Only a loopback address is accepted as the host.
"""

import itertools
import json
import os
import random
import secrets
import string
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadtest_forms import form_fields  # noqa: E402 (next to this file)

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
LOG_PATH = os.environ["LOADTEST_LOG"]
MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", "0"))
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

_log = open(LOG_PATH, "a", encoding="utf-8")  # noqa: SIM115 (kept open for the whole run)
_counters = {role: itertools.count() for role in ("coordinators", "specialists", "methodists")}
_requests = itertools.count(1)


def log(**record) -> None:
    _log.write(json.dumps(record, ensure_ascii=False) + "\n")
    _log.flush()


_environment = None


@events.init.add_listener
def _loopback_only(environment, **_kwargs):
    global _environment
    _environment = environment
    host = urlsplit(environment.host or "").hostname
    if host not in LOOPBACK:
        raise SystemExit(f"нагрузочный тест идёт только на локальный адрес, а не на {host!r}")


@events.request.add_listener
def _bounded(**_kwargs):
    """Stops the run after LOADTEST_MAX_REQUESTS requests, whatever the time left."""
    if MAX_REQUESTS and next(_requests) == MAX_REQUESTS and _environment and _environment.runner:
        gevent.spawn(_environment.runner.quit)


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = between(1, 2)
    role = ""

    def on_start(self):
        self.client.client.cookiejar = None  # cookies by hand: they are Secure, the test is plain HTTP
        entries = PLAN[self.role]
        index = next(_counters[self.role])
        if index >= len(entries):
            raise StopUser()
        self.entry = entries[index]
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.headers = {
            "X-Forwarded-Proto": "https",
            "Origin": "https://" + urlsplit(self.host).netloc,
            "Cookie": f"{PLAN['session_cookie']}={self.entry['session']}; {PLAN['csrf_cookie']}={self.csrf}",
        }

    def get(self, url: str, name: str):
        with self.client.get(
            url, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} instead of 200")
            return r


class Coordinator(PortalUser):
    weight = 6
    role = "coordinators"

    def on_start(self):
        super().on_start()
        self.school = self.entry["school"]
        self.sequence = 0
        self.fields: list[list[str]] = []
        self.open_form()

    def open_form(self) -> bool:
        response = self.get(self.entry["edit"], "coordinator: form")
        if response.status_code != 200:
            return False
        self.fields = form_fields(response.text)
        return True

    def version(self) -> int:
        return int(next(value for name, value in self.fields if name == "version"))

    def next_token(self) -> str:
        self.sequence += 1
        return f"lt-{PLAN['run_id']}-{self.school}-{self.sequence}"

    def body(self, token: str, **extra) -> str:
        pairs = [(name, token if name == "notes" else value) for name, value in self.fields]
        pairs += list(extra.items())
        return urlencode(pairs)

    def post(self, url: str, body: str, name: str, **headers):
        return self.client.post(
            url,
            data=body,
            name=name,
            headers={**self.headers, "Content-Type": "application/x-www-form-urlencoded", **headers},
            allow_redirects=False,
            catch_response=True,
        )

    @task(4)
    def autosave(self):
        """The page's background save of the draft (JSON answer with the new version)."""
        if not self.fields and not self.open_form():
            return
        token, version = self.next_token(), self.version()
        log(event="sent", school=self.school, token=token, version=version)
        with self.post(
            self.entry["autosave"],
            self.body(token),
            "coordinator: autosave",
            **{"X-Requested-With": "XMLHttpRequest"},
        ) as r:
            if r.status_code == 409:
                log(event="conflict", school=self.school, token=token, version=version)
                r.success()  # counted apart: a conflict is a refusal, not an error of the server
                self.fields = []
                return
            try:
                answer = r.json()
            except ValueError:
                answer = {}
            if r.status_code != 200 or not answer.get("ok"):
                log(event="failed", school=self.school, token=token, version=version)
                r.failure(f"autosave: {r.status_code} {str(answer)[:200]}")
                self.fields = []
                return
            new_version = int(answer["version"])
            log(event="ack", school=self.school, token=token, version=new_version)
            self.fields = [
                [n, token if n == "notes" else str(new_version) if n == "version" else v]
                for n, v in self.fields
            ]

    @task(1)
    def save_draft(self):
        """«Сохранить черновик»: the form posted, the page shown again with the new version."""
        if not self.fields and not self.open_form():
            return
        token, version = self.next_token(), self.version()
        log(event="sent", school=self.school, token=token, version=version)
        with self.post(self.entry["edit"], self.body(token, action="draft"), "coordinator: save draft") as r:
            if r.status_code == 409:
                log(event="conflict", school=self.school, token=token, version=version)
                r.success()
                self.fields = []
                return
            if r.status_code != 302 or urlsplit(r.headers.get("Location", "")).path != self.entry["edit"]:
                log(event="failed", school=self.school, token=token, version=version)
                r.failure(f"save draft: {r.status_code} {r.headers.get('Location', '')}")
                self.fields = []
                return
            r.success()
        if not self.open_form():
            return
        notes = next((value for name, value in self.fields if name == "notes"), None)
        if notes == token:
            log(event="ack", school=self.school, token=token, version=self.version())


class Specialist(PortalUser):
    weight = 3
    role = "specialists"

    @task(2)
    def dashboard(self):
        self.get(self.entry["dashboard"], "specialist: municipality dashboard")

    @task(3)
    def review(self):
        if self.entry["reports"]:
            self.get(random.choice(self.entry["reports"]), "specialist: report review page")


class Methodist(PortalUser):
    weight = 1
    role = "methodists"

    @task(1)
    def region(self):
        self.get(self.entry["dashboard"], "methodist: region dashboard")

    @task(1)
    def municipality(self):
        self.get(random.choice(self.entry["municipalities"]), "methodist: municipality dashboard")
