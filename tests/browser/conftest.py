"""Browser tests: the real site in a separate process, driven by Debian's chromium.

The server is ``manage.py runserver`` in a subprocess, not pytest-django's ``live_server``: the
autosave test stops and restarts it while the page stays open, which a thread inside the test
process cannot do. It gets a database of its own (a fresh PostgreSQL database beside the one
``DATABASE_URL`` names, or a temporary SQLite file), migrated and loaded with the demo data by
``manage.py`` itself, so these tests never touch pytest-django's test database.

Playwright is started per test and closed before the next: its event loop must not be alive while
other tests use the Django ORM in this process.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_DIR / "test-artifacts"
SCREENSHOTS_DIR = ARTIFACTS_DIR / "screenshots"
DEMO_PASSWORD = "Ningbo-2023"  # clusterdesk.demo.seed.DEMO_PASSWORD; the server seeds it

# Flags for a headless chromium in a container: no sandbox (no user namespaces), no GPU, /tmp
# instead of a small /dev/shm, and none of the background traffic to Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT_S = 60
COMMAND_TIMEOUT_S = 300


def find_chromium() -> str | None:
    """Debian's chromium (``apt-get install chromium``; ``.ci/run`` installs it)."""
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """``manage.py runserver`` in its own process, which a test may stop and start again.

    The port stays the same across restarts, so an open page reaches the new process.
    """

    def __init__(self, env: dict[str, str], port: int, log_path: Path) -> None:
        self.env = env
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        if self.running:
            return
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "runserver",
                    f"127.0.0.1:{self.port}",
                    "--noreload",
                    "--skip-checks",
                ],
                cwd=REPO_DIR,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until(self._answers, "启动")

    def stop(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self._wait_until(lambda: not self._listening(), "停止")

    def _answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(
                f"测试服务器进程已退出（退出码 {self.process.returncode}）\n{self.log()}"
            )
        try:
            with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def _listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def _wait_until(self, condition, what: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        raise RuntimeError(f"测试服务器未能在 {START_TIMEOUT_S} 秒内{what}\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
        except OSError:
            return ""


def _manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} 失败：\n{result.stdout}\n{result.stderr}")


@contextmanager
def fresh_database(tmp_dir: Path) -> Iterator[str]:
    """A ``DATABASE_URL`` for an empty database that is removed afterwards.

    With a PostgreSQL ``DATABASE_URL``, a uniquely named database on that server; otherwise a
    SQLite file in ``tmp_dir``.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        yield f"sqlite:///{tmp_dir / 'browser.sqlite3'}"
        return

    import psycopg  # noqa: PLC0415 - only needed on PostgreSQL
    from psycopg import sql  # noqa: PLC0415

    name = f"clusterdesk_browser_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = parts._replace(path="/postgres", query="", fragment="").geturl()
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(drop)


def server_env(tmp_dir: Path, database_url: str) -> dict[str, str]:
    """The environment of a test's own server: its database, its var/ under ``tmp_dir``, debug
    on (runserver serves the static files; seed_demo is allowed)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CLUSTERDESK_DEBUG": "1",
        "CLUSTERDESK_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CLUSTERDESK_VAR_DIR": str(tmp_dir / "var"),
        "DJANGO_SETTINGS_MODULE": "clusterdesk.settings",
        "PYTHONUNBUFFERED": "1",
    }
    for variable in ("CLUSTERDESK_MEDIA_ROOT", "CLUSTERDESK_STATIC_ROOT"):
        env.pop(variable, None)
    return env


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        # Only locally: .ci/run installs chromium, and CI fails on any skip.
        pytest.skip("需要系统软件包 chromium")
    return path


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, chromium_path) -> Iterator[AppServer]:
    """The site with the demo data, on a free port, in a process of its own."""
    tmp_dir = tmp_path_factory.mktemp("browser-server")
    with fresh_database(tmp_dir) as database_url:
        env = server_env(tmp_dir, database_url)
        _manage(env, "migrate", "--noinput")
        _manage(env, "seed_demo")
        server = AppServer(env, free_port(), tmp_dir / "runserver.log")
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def server(app_server: AppServer) -> AppServer:
    """The running server; a test that stopped it and failed does not leave it down."""
    app_server.start()
    return app_server


@pytest.fixture
def browser(chromium_path):
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def browser_tab(browser, server: AppServer, **options) -> Iterator:
    """A fresh browser tab (own cookies and storage) whose uncaught script errors fail the test;
    ``options`` go to the browser context (``accept_downloads``, ``bypass_csp`` …)."""
    context = browser.new_context(
        base_url=server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
        **options,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    script_errors: list[str] = []
    tab.on("pageerror", lambda error: script_errors.append(str(error)))
    try:
        yield tab
    finally:
        context.close()
    assert not script_errors, f"页面脚本出错：{script_errors}"


@pytest.fixture
def page(browser, server: AppServer):
    with browser_tab(browser, server, accept_downloads=True) as tab:
        yield tab


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def screenshot_path(name: str) -> Path:
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS_DIR / f"{name}.png"
