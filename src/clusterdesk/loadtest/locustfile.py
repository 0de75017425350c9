"""The simulated people of ``make loadtest`` (run by locust, never imported by Django code).

The plan (``LOADTEST_PLAN``, JSON written by ``run``) names the accounts, each officer's draft
and the box it types in. Every user logs in once through the login form, as a person does (the
login limits stay on), then works until locust stops it. Autosave is posted exactly as the
page's queue (autosave-queue.js) posts it: JSON ``{"page", "changes": [{path, value,
original}]}`` with the CSRF token in ``X-CSRFToken``, ``original`` being what the server last
confirmed. A save that failed is sent again unchanged, as the queue does, so an answer lost on
the way cannot turn into a conflict.

Every request is recorded (``LOADTEST_RECORDS``) and every save answered as applied is written
down (``LOADTEST_ACKS``) for ``world.lost_saves`` to find in the database afterwards.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant, events, task

from clusterdesk.demo.evidence import demo_pdf

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
# (kind, start, milliseconds, ok, which user)
RECORDS: list[tuple[str, float, float, bool, int]] = []
ACKS: list[dict[str, Any]] = []
# Every value sent, per "application path", in order: a save still on its way when the run stops
# may land after its answer is lost, so the box may hold a later value than the last confirmed.
SENT: dict[str, list[str]] = {}
_officers = itertools.count()
_city = itertools.count()
_bare = itertools.count()
_saves = itertools.count(1)
EXPORT_ID = re.compile(r"/exports/(\d+)/")
EXPORT_WAIT_S = 60

# The kinds of request, as the table names them.
LOGIN = "登录"
AUTOSAVE = "自动保存"
FORM_PAGE = "申报表页面"
UPLOAD = "上传佐证材料"
DESK = "市局工作台"
INBOX = "收件箱"
CITY_APPLICATION = "市局查看申报"
EXPORT_START = "发起导出"
EXPORT_STATUS = "导出进度查询"
EXPORT_DOWNLOAD = "下载导出文件"
BARE = "空白视图（基准）"


@events.request.add_listener
def _record(request_type, name, response_time, exception, start_time=None, **kw) -> None:
    user = kw.get("context", {}).get("user", 0)
    RECORDS.append((name, start_time or time.time(), response_time, exception is None, user))


LOGGED_IN = [0]
# What ``Flood`` clients send: the bare view first, then autosave (switched by ``_clock``).
FLOOD_KIND = [BARE]
HARD_STOP_S = 900  # whatever happens, a phase ends (its process is also given a timeout)


@events.test_start.add_listener
def _clock(environment, **_kw) -> None:
    """The phase's clock: it starts when every user has logged in (a login hashes a password,
    slow by design, and must not eat the measured time) and stops the run ``PLAN["seconds"]``
    later — and not before one save has been answered, so a short run on a busy machine still
    exercises the whole path. The throughput run (``PLAN["flood"]``) has two such spans: the
    bare view, then autosave, on the same clients."""
    import gevent  # noqa: PLC0415 - locust's own dependency

    def run() -> None:
        started = time.monotonic()
        users = PLAN["users"]
        while LOGGED_IN[0] < users and time.monotonic() - started < HARD_STOP_S:
            gevent.sleep(0.1)
        PLAN["measured_from"] = time.time()
        gevent.sleep(PLAN["seconds"])
        if PLAN.get("flood"):
            FLOOD_KIND[0] = AUTOSAVE
            gevent.sleep(PLAN["seconds"])
        while PLAN["wants_save"] and not ACKS and time.monotonic() - started < HARD_STOP_S:
            gevent.sleep(0.1)
        environment.runner.quit()

    gevent.spawn(run)


@events.quitting.add_listener
def _write(environment, **_kw) -> None:
    since = PLAN.get("measured_from", 0.0)
    measured = {"since": since, "records": RECORDS}
    Path(os.environ["LOADTEST_RECORDS"]).write_text(json.dumps(measured), encoding="utf-8")
    saves = {"acks": ACKS, "sent": SENT}
    Path(os.environ["LOADTEST_ACKS"]).write_text(json.dumps(saves), encoding="utf-8")


class _Person(HttpUser):
    abstract = True
    account: dict[str, Any]
    _numbers = itertools.count(1)

    def context(self) -> dict[str, Any]:
        # Locust adds this to every request event: which simulated person sent it.
        if not hasattr(self, "number"):
            self.number = next(_Person._numbers)
        return {"user": self.number}

    def log_in(self, account: dict[str, Any]) -> None:
        self.account = account
        self.client.get("/accounts/login/", name=LOGIN)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": account["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name=LOGIN,
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"{account['username']} 未能登录")
        LOGGED_IN[0] += 1

    def headers(self, **extra: str) -> dict[str, str]:
        return {
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "Origin": self.host,
            "Referer": self.host + "/",
            **extra,
        }


class _Typist(_Person):
    """A county officer's account typing in its own box: the autosave, as the page sends it.
    No task of its own: ``Officer`` and ``Flood`` say how often it runs (locust would add a
    base class's tasks to every subclass)."""

    abstract = True

    def on_start(self) -> None:
        officers = PLAN["officers"]
        self.log_in(officers[next(_officers) % len(officers)])
        self.original = self.account["value"]
        self.pending: str | None = None  # a value sent without a clear answer: sent again

    def save(self) -> None:
        account = self.account
        value = self.pending or f"{account['text']}（第{next(_saves)}次保存）"
        change = {"path": account["path"], "value": value, "original": self.original}
        body = json.dumps({"page": account["page"], "changes": [change]}, ensure_ascii=False)
        if self.pending != value:
            SENT.setdefault(f"{account['application']} {account['path']}", []).append(value)
        self.pending = value
        with self.client.post(
            f"/applications/{account['application']}/autosave/",
            data=body.encode("utf-8"),
            headers=self.headers(
                **{
                    "Content-Type": "application/json",
                    "X-Requested-With": "XMLHttpRequest",
                    "Accept": "application/json",
                }
            ),
            name=AUTOSAVE,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                return
            answer = response.json()
            if answer["applied"] != [account["path"]]:
                response.failure(f"未保存：{json.dumps(answer, ensure_ascii=False)[:300]}")
                return
            ACKS.append(
                {
                    "application": account["application"],
                    "path": account["path"],
                    "value": value,
                    "version": answer["version"],
                }
            )
            self.original, self.pending = value, None


class Officer(_Typist):
    """A county officer on the last day: typing in one box of the unit's draft (an autosave
    every second or two), now and then opening a page or uploading a scanned document."""

    abstract = True

    @task(20)
    def autosave(self) -> None:
        self.save()

    @task(2)
    def form_page(self) -> None:
        self.client.get(
            f"/applications/{self.account['application']}/form/{self.account['page']}/",
            name=FORM_PAGE,
        )

    @task(1)
    def upload(self) -> None:
        number = next(_saves)
        name = f"佐证材料{number}.pdf"
        content = demo_pdf(f"佐证材料 {number}", [f"账户：{self.account['username']}"])
        with self.client.post(
            f"/evidence/{self.account['application']}/upload/",
            data={"path": PLAN["evidence_path"]},
            files={"file": (name, content, "application/pdf")},
            headers=self.headers(**{"X-Evidence-Widget": "1"}),
            name=UPLOAD,
            catch_response=True,
        ) as response:
            if response.status_code != 200 or name not in response.text:
                response.failure(f"HTTP {response.status_code}: 未上传 {name}")


class RushOfficer(Officer):
    wait_time = between(1, 3)


class Flood(_Typist):
    """The throughput: back to back, the bare view and then autosave (``FLOOD_KIND``), on the
    same logged-in officers in one run, so the two rates are measured alike and the logins (a
    slow hash each) are paid once; autosave alone, without the officer's pages and uploads."""

    wait_time = constant(0)

    @task
    def flood(self) -> None:
        if FLOOD_KIND[0] == BARE:
            self.client.get(PLAN["bare_url"], name=BARE)
        else:
            self.save()


class City(_Person):
    """The city bureau's officer: the desk, the inbox, an application, now and then an export
    (started, followed until done, downloaded)."""

    wait_time = between(2, 5)
    fixed_count = PLAN["city_users"]

    def on_start(self) -> None:
        accounts = PLAN["city"]
        self.log_in(accounts[next(_city) % len(accounts)])

    @task(3)
    def desk(self) -> None:
        self.client.get("/intake/", name=DESK)

    @task(3)
    def inbox(self) -> None:
        self.client.get(f"/intake/inbox/?round={PLAN['round']}", name=INBOX)

    @task(3)
    def application(self) -> None:
        pk = PLAN["submitted"][next(_saves) % len(PLAN["submitted"])]
        self.client.get(f"/intake/applications/{pk}/", name=CITY_APPLICATION)

    @task(1)
    def export(self) -> None:
        with self.client.post(
            "/exports/start/",
            data={
                "round": str(PLAN["round"]),
                "kind": "inbox_xlsx",
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": self.host + "/exports/"},
            name=EXPORT_START,
            catch_response=True,
        ) as response:
            found = [int(pk) for pk in EXPORT_ID.findall(response.text)]
            if response.status_code != 200 or not found:
                response.failure(f"HTTP {response.status_code}: 未开始导出")
                return
        export = max(found)
        deadline = time.monotonic() + EXPORT_WAIT_S
        while time.monotonic() < deadline:
            answer = self.client.get(f"/exports/{export}/status.json", name=EXPORT_STATUS)
            state = answer.json().get("status") if answer.status_code == 200 else None
            if state == "done":
                self.client.get(f"/exports/{export}/download/", name=EXPORT_DOWNLOAD)
                return
            if state == "failed":
                events.request.fire(
                    request_type="GET", name=EXPORT_DOWNLOAD, response_time=0,
                    response_length=0, exception=RuntimeError(f"导出 {export} 失败"),
                    start_time=time.time(),
                )  # fmt: skip
                return
            time.sleep(1)


class Bare(_Person):
    """The baseline: a bare logged-in view (middleware, session, user; nothing else)."""

    wait_time = between(1, 3)
    fixed_count = PLAN["bare_users"]

    def on_start(self) -> None:
        accounts = PLAN["bare"]
        self.log_in(accounts[next(_bare) % len(accounts)])

    @task
    def bare(self) -> None:
        self.client.get(PLAN["bare_url"], name=BARE)
