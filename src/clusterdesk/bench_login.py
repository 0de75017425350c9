"""How much password hashing an attacker can cause through the login form, and what it does to
another user's form page (not a test: it prints figures).

Starts ``manage.py runserver`` of a source tree (this one, or ``--tree`` for another checkout,
e.g. the code before a change) on a free port with a throw-away database and cache, seeds the
demo data, then for each scenario lets ``--connections`` threads post random usernames with
random passwords to ``/accounts/login/`` for ``--seconds`` while one officer loads a form page:

- ``one-ip``: every request from 127.0.0.1;
- ``many-ips``: every request names a new random client address in X-Forwarded-For, and the
  server is told it sits behind one proxy (``CLUSTERDESK_TRUSTED_PROXY_COUNT=1``), so each
  request looks like a different address; a tree that ignores the setting sees one address.

An answer 200 (the login form again, "wrong password") means the server hashed a password; 429
means it refused before hashing. Run: ``python -m clusterdesk.bench_login [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from clusterdesk.bench_heavy import listening

HERE = Path(__file__).resolve().parents[2]
OFFICER, OFFICER_PASSWORD = "haishu", "Ningbo-2023"
SETUP = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from clusterdesk.demo.seed import seed_demo
seed_demo()
from clusterdesk.declarations.models import Application
from clusterdesk.accounts.models import User
officer = User.objects.get(username="haishu")
print(Application.objects.filter(organisation=officer.organisation).first().pk)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """A runserver of ``tree`` with its own database and cache under ``var``."""

    def __init__(self, tree: Path, var: Path, *, proxies: int) -> None:
        self.port = free_port()
        self.env = {
            **os.environ,
            "PYTHONPATH": str(tree / "src"),
            "DJANGO_SETTINGS_MODULE": "clusterdesk.settings",
            "CLUSTERDESK_VAR_DIR": str(var),
            "DATABASE_URL": f"sqlite:///{var / 'bench.sqlite3'}",
            "CLUSTERDESK_ALLOWED_HOSTS": "127.0.0.1",
            "CLUSTERDESK_TRUSTED_PROXY_COUNT": str(proxies),
            "CLUSTERDESK_HTTPS": "0",  # plain http on the loopback
        }
        self.tree = tree
        self.application = int(
            subprocess.run(
                [sys.executable, "-c", SETUP],
                env=self.env,
                cwd=tree,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()[-1]
        )
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            env=self.env,
            cwd=tree,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not listening(self.port, seconds=30):
            raise RuntimeError("runserver did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class Browser:
    """One connection with its cookies, like a browser tab."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None, **headers):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        cookie = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        headers = {"Cookie": cookie, "Referer": f"http://127.0.0.1:{self.port}/", **headers}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, data, headers)
        response = connection.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        connection.close()
        return response.status, content

    def csrf(self) -> str:
        _, page = self.request("GET", "/accounts/login/")
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


def attack(port: int, stop: threading.Event, counts: Counter, *, many_ips: bool) -> None:
    browser = Browser(port)
    token = browser.csrf()
    while not stop.is_set():
        body = {
            "csrfmiddlewaretoken": token,
            "username": f"u{random.getrandbits(48):x}",
            "password": f"p{random.getrandbits(48):x}",
        }
        headers = {}
        if many_ips:
            headers["X-Forwarded-For"] = f"10.{random.randrange(256)}.{random.randrange(256)}.7"
        status, _ = browser.request("POST", "/accounts/login/", body, **headers)
        counts[status] += 1


def page_ms(browser: Browser, path: str, samples: int) -> float:
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        status, _ = browser.request("GET", path)
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, status
        time.sleep(0.2)
    return statistics.median(times)


def scenario(site: Site, *, many_ips: bool, seconds: float, connections: int) -> str:
    officer = Browser(site.port)
    token = officer.csrf()
    body = {"csrfmiddlewaretoken": token, "username": OFFICER, "password": OFFICER_PASSWORD}
    status, _ = officer.request("POST", "/accounts/login/", body)
    assert status == 302, f"the officer could not log in ({status})"
    form = f"/applications/{site.application}/form/part2/"
    quiet = page_ms(officer, form, 10)
    stop, counts = threading.Event(), Counter()
    args, kwargs = (site.port, stop, counts), {"many_ips": many_ips}
    threads = [
        threading.Thread(target=attack, args=args, kwargs=kwargs) for _ in range(connections)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    loaded = []
    while time.monotonic() - started < seconds:
        loaded.append(page_ms(officer, form, 1))
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    hashed = counts[200]
    return (
        f"{'many-ips' if many_ips else 'one-ip':8}  {sum(counts.values()):6} posts  "
        f"{hashed:5} hashed ({hashed / elapsed:5.2f}/s)  {counts[429]:6} refused (429)  "
        f"form page {quiet:6.0f} ms quiet, {statistics.median(loaded):6.0f} ms median under attack"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=HERE, help="source tree to serve")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    print(f"tree {args.tree}, {args.connections} connections, {args.seconds:.0f} s per scenario")
    for many_ips in (False, True):
        with tempfile.TemporaryDirectory(prefix="clusterdesk-bench-login-") as var:
            site = Site(args.tree.resolve(), Path(var), proxies=1 if many_ips else 0)
            try:
                print(
                    scenario(
                        site, many_ips=many_ips, seconds=args.seconds, connections=args.connections
                    ),
                    flush=True,
                )
            finally:
                site.stop()


if __name__ == "__main__":
    main()
