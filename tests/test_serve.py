"""``make serve`` (``manage.py serve``) and the health endpoints.

- The start refuses, exit code 2, without the production settings; a fresh clone gets the local
  trial (a kept random key, localhost only).
- ``/healthz`` and ``/readyz`` answer probes: JSON, 200 or 503, no session, no HTTPS redirect.
- The real stack — the supervisor, gunicorn with debug off, a queue worker — answers pages, health
  and static files, and SIGTERM stops every process it started.
- Two app servers and two queue workers on one database and one storage (README "Stateless app
  servers"): an autosave on A is on B's form page, evidence uploaded on A downloads verified
  from B, an export started on A is built by a worker and downloads from B. On the database
  queue and on Redis (RQ) with the local directories, and once with S3-compatible object storage
  (a moto server, tests/s3.py) and no file on the servers' disks; on SQLite and on PostgreSQL,
  whichever ``DATABASE_URL`` names (CI runs both).
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import io
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client, override_settings
from django.test.client import BOUNDARY, encode_multipart

from clusterdesk.web import serve
from tests.browser.conftest import free_port, fresh_database
from tests.evidence import samples
from tests.queues import REDIS_URL, SERVERS_REDIS_URL, redis_problem

REPO_DIR = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 120  # 2 shared CPUs: several Django processes starting at once
CHINESE = re.compile(r"[\u4e00-\u9fff]")


# --- refusing to start, and the local trial ----------------------------------------------------


def test_production_without_its_settings_is_refused_naming_them(tmp_path):
    with pytest.raises(serve.Refusal) as refused:
        serve.production_env({"CLUSTERDESK_ENV": "production"}, tmp_path, "127.0.0.1")
    assert "CLUSTERDESK_SECRET_KEY" in refused.value.message
    assert "CLUSTERDESK_ALLOWED_HOSTS" in refused.value.message
    assert refused.value.message.startswith("拒绝启动")
    assert not (tmp_path / serve.SECRET_KEY_FILE).exists()


def test_half_a_production_configuration_is_refused(tmp_path):
    key = secrets.token_urlsafe(50)
    with pytest.raises(serve.Refusal) as refused:
        serve.production_env({"CLUSTERDESK_SECRET_KEY": key}, tmp_path, "0.0.0.0")
    assert "CLUSTERDESK_ALLOWED_HOSTS" in refused.value.message
    assert "CLUSTERDESK_SECRET_KEY" not in refused.value.message.split("。")[0]
    with pytest.raises(serve.Refusal) as refused:
        serve.production_env({"CLUSTERDESK_ALLOWED_HOSTS": "a.example.cn"}, tmp_path, "0.0.0.0")
    assert "CLUSTERDESK_SECRET_KEY" in refused.value.message


@pytest.mark.parametrize(
    "key", ["short", "django-insecure-" + "x" * 60, "ab" * 40], ids=["short", "insecure", "dull"]
)
def test_a_weak_secret_key_is_refused(tmp_path, key):
    environ = {"CLUSTERDESK_SECRET_KEY": key, "CLUSTERDESK_ALLOWED_HOSTS": "a.example.cn"}
    with pytest.raises(serve.Refusal, match="CLUSTERDESK_SECRET_KEY 太弱"):
        serve.production_env(environ, tmp_path, "127.0.0.1")


def test_debug_mode_is_refused(tmp_path):
    with pytest.raises(serve.Refusal, match="调试模式"):
        serve.production_env({"CLUSTERDESK_DEBUG": "1"}, tmp_path, "127.0.0.1")


def test_the_production_settings_given_are_used_with_debug_off(tmp_path):
    key = secrets.token_urlsafe(50)
    environ = {
        "CLUSTERDESK_ENV": "production",
        "CLUSTERDESK_SECRET_KEY": key,
        "CLUSTERDESK_ALLOWED_HOSTS": "cluster.example.gov.cn",
    }
    plan = serve.production_env(environ, tmp_path, "0.0.0.0")
    assert not plan.trial
    assert not plan.warnings
    assert plan.env["CLUSTERDESK_SECRET_KEY"] == key
    assert plan.env["CLUSTERDESK_DEBUG"] == "0"
    assert "CLUSTERDESK_HTTPS" not in plan.env  # secure by default: HTTPS on


def test_a_fresh_clone_gets_the_local_trial_with_a_kept_key(tmp_path):
    plan = serve.production_env({}, tmp_path / "var", "127.0.0.1")
    key_file = tmp_path / "var" / serve.SECRET_KEY_FILE
    assert plan.trial
    assert plan.env["CLUSTERDESK_SECRET_KEY"] == key_file.read_text().strip()
    assert len(plan.env["CLUSTERDESK_SECRET_KEY"]) >= serve.MIN_SECRET_LENGTH
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert plan.env["CLUSTERDESK_ALLOWED_HOSTS"] == "127.0.0.1,localhost"
    assert plan.env["CLUSTERDESK_HTTPS"] == "0"
    assert plan.env["CLUSTERDESK_DEBUG"] == "0"
    assert any("本机试用" in warning for warning in plan.warnings)
    # Kept: a restart keeps the sessions.
    again = serve.production_env({}, tmp_path / "var", "localhost")
    assert again.env["CLUSTERDESK_SECRET_KEY"] == plan.env["CLUSTERDESK_SECRET_KEY"]


def test_the_local_trial_does_not_listen_beyond_this_machine(tmp_path):
    with pytest.raises(serve.Refusal, match="只能在本机试用"):
        serve.production_env({}, tmp_path, "0.0.0.0")
    assert not (tmp_path / serve.SECRET_KEY_FILE).exists()


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without any CLUSTERDESK_ setting, var/ in ``tmp_path``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CLUSTERDESK_") and key != "DJANGO_SETTINGS_MODULE"
    }
    return env | {"CLUSTERDESK_VAR_DIR": str(tmp_path / "var"), "PYTHONUNBUFFERED": "1"} | extra


def test_manage_py_serve_refuses_with_exit_code_2_and_starts_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "serve", "--port", str(free_port())],
        env=clean_env(tmp_path, CLUSTERDESK_ENV="production"), cwd=REPO_DIR,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert "拒绝启动：缺少生产配置 CLUSTERDESK_SECRET_KEY、CLUSTERDESK_ALLOWED_HOSTS" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert "gunicorn" not in result.stderr


@pytest.mark.parametrize("option", ["--workers", "--port", "--queue-workers"])
def test_manage_py_serve_refuses_a_count_that_is_not_one(tmp_path, option):
    result = subprocess.run(
        [sys.executable, "manage.py", "serve", option, "abc"],
        env=clean_env(tmp_path), cwd=REPO_DIR, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert f"参数 {option} 应为" in result.stderr


# --- the health endpoints ------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLUSTERDESK_EXPORT_DIR = tmp_path / "exports"  # /readyz probes both stores
    return settings.MEDIA_ROOT


def _json(response) -> dict:
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


@pytest.mark.django_db
def test_liveness_says_the_process_answers_and_sets_no_cookie():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert _json(response) == {"status": "ok"}
    assert not response.cookies
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_readiness_checks_database_storage_and_queue_and_leaves_no_file(media):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert _json(response) == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok", "queue": "ok"},
    }
    assert not response.cookies
    assert not any(path.is_file() for path in media.rglob("*"))  # the probe file is deleted


@pytest.mark.django_db
def test_a_probe_over_plain_http_with_an_address_as_host_is_answered(media):
    # Production: HTTPS redirect on, one host name. The load balancer asks 10.0.0.5:8000.
    with override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["cluster.example.gov.cn"]):
        client = Client(HTTP_HOST="10.0.0.5:8000")
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
        assert client.get("/accounts/login/").status_code == 400  # the rest of the site: not


@pytest.mark.django_db
def test_readiness_fails_with_503_when_the_storage_cannot_be_written(media, monkeypatch):
    def broken(name, content, max_length=None):
        raise PermissionError(f"[Errno 13] Permission denied: '{media}/{name}'")

    monkeypatch.setattr(storages["default"], "save", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = _json(response)
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "ok", "storage": "文件存储无法读写", "queue": "ok"}
    assert body["message"] == "服务暂不可用：文件存储无法读写"
    assert str(media) not in response.content.decode()  # paths go to the log only


@pytest.mark.django_db
def test_readiness_fails_with_503_when_redis_does_not_answer(media):
    with override_settings(CLUSTERDESK_TASKS_URL=f"redis://127.0.0.1:{free_port()}/0"):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert _json(response)["checks"]["queue"] == "后台任务队列无法访问"


@pytest.mark.django_db
def test_readiness_pings_redis_when_the_queue_is_there(media):
    problem = redis_problem()
    if problem:
        pytest.skip(problem)  # only locally: CI starts Redis and allows no skip
    with override_settings(CLUSTERDESK_TASKS_URL=REDIS_URL):
        response = Client().get("/readyz")
    assert response.status_code == 200
    assert _json(response)["checks"]["queue"] == "ok"


@pytest.mark.django_db
def test_posting_to_a_health_endpoint_is_refused():
    assert Client().post("/healthz").status_code == 405
    assert Client().post("/readyz").status_code == 405


# --- the real stack ----------------------------------------------------------------------------


class Stack:
    """``manage.py serve`` in a process of its own, its output in a log file."""

    def __init__(self, env: dict[str, str], log_path: Path, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "serve", "--port", str(self.port), *args],
                cwd=REPO_DIR, env=env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-6000:]

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve 已退出（{self.process.returncode}）\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise AssertionError(f"serve 未能在 {START_TIMEOUT_S} 秒内就绪\n{self.log()}")

    def descendants(self) -> set[int]:
        """Every process below the supervisor (gunicorn's master and workers, queue workers)."""
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            parents[int(stat.parent.name)] = int(fields[1])
        found, frontier = set(), {self.process.pid}
        while frontier:
            frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
            found |= frontier
        return found

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        return self.process.returncode


@contextmanager
def stack(env: dict[str, str], log_path: Path, *args: str) -> Iterator[Stack]:
    running = Stack(env, log_path, *args)
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def production(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    """A production configuration (CLUSTERDESK_ENV=production), plain http on this host."""
    return clean_env(
        tmp_path,
        CLUSTERDESK_ENV="production",
        CLUSTERDESK_SECRET_KEY=secrets.token_urlsafe(50),
        CLUSTERDESK_ALLOWED_HOSTS="127.0.0.1,localhost",
        CLUSTERDESK_HTTPS="0",  # no TLS in the test; the proxy's job (README's nginx example)
        DATABASE_URL=database_url,
        **extra,
    )


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_serve_runs_the_site_with_debug_off_and_sigterm_stops_every_process(tmp_path):
    with fresh_database(tmp_path) as database_url:
        env = production(tmp_path, database_url)
        running = Stack(env, tmp_path / "serve.log", "--workers", "2", "--queue-workers", "1")
        try:
            running.wait_ready()  # migrated first: /readyz reads the queue's table
            status, headers, body = fetch(f"{running.url}/accounts/login/")
            assert status == 200
            assert "登录" in body.decode()
            assert headers["Server"] == "gunicorn"
            assert "Content-Security-Policy" in headers

            # Static files from whitenoise, with debug off.
            status, headers, body = fetch(f"{running.url}/static/clusterdesk/form.css")
            assert status == 200
            assert headers["Content-Type"].startswith("text/css")
            assert "max-age=60" in headers["Cache-Control"]
            assert body

            # Debug off: the Chinese 404 page with the request id, not Django's technical page.
            status, headers, body = fetch(f"{running.url}/no-such-page/")
            assert status == 404
            page = body.decode()
            assert headers["X-Request-ID"] in page
            assert "URLconf" not in page
            assert CHINESE.search(page)

            status, _, body = fetch(f"{running.url}/healthz")
            assert (status, json.loads(body)) == (200, {"status": "ok"})

            children = running.descendants()
            # gunicorn's master, its 2 workers, one queue worker.
            assert len(children) >= 4, running.log()
        finally:
            code = running.stop()
        assert code == 0, running.log()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in children if alive(pid)], running.log()
        assert "已停止。" in running.log()


# --- two app servers, two workers, one database, one storage -----------------------------------


class Browser:
    """One person's cookies, sent to either server (cookies do not depend on the port)."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(
        self, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, bytes]:
        """(status, final URL after redirects, body)."""
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.url, response.read()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read()

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def post(self, url: str, fields: dict[str, str]) -> tuple[int, str, bytes]:
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        body = urllib.parse.urlencode(fields).encode()
        return self.request(url, body, {"Referer": url})

    def upload(self, url: str, fields: dict[str, str], name: str, content: bytes):
        """A multipart POST of ``fields`` and one file ``file``, as the evidence widget sends."""
        data = {"csrfmiddlewaretoken": self.csrf(), **fields, "file": ContentFile(content, name)}
        headers = {
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Referer": url,
            "X-Evidence-Widget": "1",
        }
        return self.request(url, encode_multipart(BOUNDARY, data), headers)

    def log_in(self, server: str, username: str, password: str) -> None:
        status, _, _ = self.request(f"{server}/accounts/login/")
        assert status == 200
        status, landed, body = self.post(
            f"{server}/accounts/login/", {"username": username, "password": password}
        )
        assert status == 200
        assert "/accounts/login/" not in landed, body.decode()[-2000:]


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=REPO_DIR, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _queue_env(backend: str) -> dict[str, str]:
    if backend == "database":
        return {}
    problem = redis_problem()
    if problem:
        pytest.skip(problem)  # only locally: CI starts Redis and allows no skip
    # A Redis database of its own: the queue's name is the site's ("default"), and no other
    # test run or `make run` may take these servers' tasks, nor these workers theirs.
    import redis  # noqa: PLC0415

    redis.Redis.from_url(SERVERS_REDIS_URL).flushdb()
    return {"CLUSTERDESK_TASKS_URL": SERVERS_REDIS_URL}


def _storage_env(request: pytest.FixtureRequest, store: str) -> dict[str, str]:
    """The local directories (var/ under tmp_path, shared by both servers as one mounted
    directory would be), or one bucket of the session's S3 server for all four processes."""
    if store == "local":
        return {}
    return {"CLUSTERDESK_STORAGE_URL": request.getfixturevalue("s3_bucket").url}


# Local files on both queues; object storage once (a slow test: not every combination).
@pytest.mark.parametrize(
    ("backend", "store"),
    [("database", "local"), ("redis", "local"), ("database", "s3")],
    ids=["database-local", "redis-local", "database-s3"],
)
def test_two_app_servers_and_two_workers_share_one_database_and_storage(  # noqa: PLR0915 - one story
    request, tmp_path, backend, store
):
    with fresh_database(tmp_path) as database_url, ExitStack() as servers:
        # One configuration (the secret key included: a session signed on A is valid on B).
        env = production(
            tmp_path, database_url, **_queue_env(backend), **_storage_env(request, store)
        )
        _manage(env, "manage.py", "migrate", "--noinput")
        world = json.loads(_manage(env, "-m", "tests.serving_world").strip().splitlines()[-1])
        # Two supervisors, each one gunicorn and one queue worker; B leaves migrating to A.
        options = ("--workers", "1", "--queue-workers", "1", "--no-migrate")
        a = servers.enter_context(stack(env, tmp_path / "a.log", *options))
        b = servers.enter_context(stack(env, tmp_path / "b.log", *options))

        # An autosave on A; the form page on B shows it.
        county = Browser()
        county.log_in(a.url, world["county"], world["password"])
        draft = world["draft"]
        status, _, page = county.request(f"{a.url}/applications/{draft}/form/part1/")
        assert status == 200
        assert world["operator"] in page.decode()
        change = {"path": "part1.operator", "value": "两台服务器园区管委会"}
        body = json.dumps({"changes": [{**change, "original": world["operator"]}]}).encode()
        status, _, answer = county.request(
            f"{a.url}/applications/{draft}/autosave/",
            body,
            {"Content-Type": "application/json", "X-CSRFToken": county.csrf(),
             "Referer": a.url + "/"},
        )  # fmt: skip
        assert status == 200, answer.decode()
        status, _, page = county.request(f"{b.url}/applications/{draft}/form/part1/")
        assert status == 200
        assert "两台服务器园区管委会" in page.decode()
        assert world["operator"] not in page.decode()

        # Evidence uploaded on A downloads from B, checked against its SHA-256.
        status, _, answer = county.upload(
            f"{a.url}/evidence/{draft}/upload/", {"path": "part2.chain_map"}, "图谱.pdf",
            samples.PDF,
        )  # fmt: skip
        assert status == 200, answer.decode()[-2000:]
        assert "已上传“图谱.pdf”。" in answer.decode()
        sha256 = hashlib.sha256(samples.PDF).hexdigest()
        status, _, content = county.request(f"{b.url}/evidence/{draft}/{sha256}/")
        assert status == 200
        assert content == samples.PDF

        # An export started on A is built by a worker and downloads from B.
        city = Browser()
        city.log_in(a.url, world["city"], world["password"])
        status, landed, page = city.post(
            f"{a.url}/exports/start/", {"round": str(world["round"]), "kind": "inbox_xlsx"}
        )
        assert status == 200
        assert landed.endswith("/exports/"), page.decode()[-2000:]
        export_id = max(int(pk) for pk in re.findall(r"/exports/(\d+)/", page.decode()))
        deadline = time.monotonic() + START_TIMEOUT_S
        state = {}
        while time.monotonic() < deadline:
            status, _, raw = city.request(f"{b.url}/exports/{export_id}/status.json")
            assert status == 200
            state = json.loads(raw)
            if state.get("status") in ("done", "failed"):
                break
            time.sleep(0.5)
        assert state.get("status") == "done", f"{state}\n{a.log()}\n{b.log()}"
        status, _, content = city.request(f"{b.url}/exports/{export_id}/download/")
        assert status == 200
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
        cells = {str(value) for row in sheet.iter_rows(values_only=True) for value in row}
        assert "他县纺织产业集群" in cells

        var = tmp_path / "var"
        stored = [p for d in ("media", "exports") for p in (var / d).rglob("*") if p.is_file()]
        if store == "s3":  # all in the bucket, nothing on the servers' disks
            bucket = request.getfixturevalue("s3_bucket")
            keys = bucket.object_keys()
            assert bucket.key("media", f"evidence/{sha256[:2]}/{sha256[2:4]}/{sha256}") in keys
            assert [key for key in keys if key.startswith(bucket.key("exports", ""))]
            assert not stored
        else:
            assert any(path.name == sha256 for path in stored)
