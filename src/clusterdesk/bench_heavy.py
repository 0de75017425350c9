"""``make bench``, expensive downloads: another user's form page while four PDF loops run.

A real server (``manage.py runserver``, threaded, in its own process) on a throw-away SQLite
database with the demo data. One county officer's form page (二、主导产业情况) is timed alone,
then while four other officers each download their Attachment 2 as PDF in a loop — once as
before the slots (no limit, LibreOffice at normal priority) and once with the settings'
defaults (one at a time per user, two overall, LibreOffice at nice 10). A loop that gets 429
waits a second before it asks again, as a person clicking again would.

    python -m clusterdesk.bench_heavy
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FORM_USER = "beilun"
PDF_USERS = ("haishu", "jiangbei", "zhenhai", "yinzhou")
SAMPLES = 40
GOAL_MS = 300.0
BEFORE = {
    "CLUSTERDESK_HEAVY_PER_USER": "100",
    "CLUSTERDESK_HEAVY_TOTAL": "100",
    "CLUSTERDESK_PDF_NICENESS": "0",
}
AFTER = {
    "CLUSTERDESK_HEAVY_PER_USER": "1",
    "CLUSTERDESK_HEAVY_TOTAL": "2",
    "CLUSTERDESK_PDF_NICENESS": "10",
}


@dataclass(frozen=True)
class Timing:
    name: str
    median_ms: float
    p95_ms: float
    pdf_answers: dict[int, int]  # status → count, over the loops

    @property
    def verdict(self) -> str:
        return "达标" if self.p95_ms <= GOAL_MS else "未达标"


def _environment(var: Path) -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="clusterdesk.settings",
        DATABASE_URL=f"sqlite:///{var / 'bench.sqlite3'}",
        CLUSTERDESK_VAR_DIR=str(var),
        CLUSTERDESK_ALLOWED_HOSTS="127.0.0.1,localhost",
        CLUSTERDESK_HTTPS="0",
        CLUSTERDESK_DEBUG="0",
    )


def _prepare(var: Path) -> dict[str, str]:
    """Migrate, seed, give the form user a draft; return each user's session cookie and the
    URLs, as ``KEY=VALUE`` lines printed by a child process (Django set up there, not here)."""
    script = f"""
import django; django.setup()
from django.core.management import call_command
from django.test import Client
from clusterdesk.accounts.models import User
from clusterdesk.declarations.models import Application
from clusterdesk.demo.seed import seed_demo
call_command("migrate", verbosity=0)
seed_demo()
template = Application.objects.exclude(data={{}}).first()
form_user = User.objects.get(username={FORM_USER!r})
draft = Application.objects.create(
    round=template.round, organisation=form_user.organisation, created_by=form_user,
    data=template.data,
)
print(f"form_url=/applications/{{draft.pk}}/form/part2/")
for name in ({FORM_USER!r}, *{PDF_USERS!r}):
    user = User.objects.get(username=name)
    client = Client()
    client.force_login(user)
    print(f"cookie_{{name}}=" + client.cookies["sessionid"].value)
    mine = Application.objects.filter(organisation=user.organisation).first()
    print(f"pdf_{{name}}=/county/applications/{{mine.pk}}/attachment2.pdf")
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=_environment(var),
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int, seconds: float) -> bool:
    """Whether something accepts connections on ``port`` within ``seconds`` (a server starting)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


class Server:
    def __init__(self, var: Path, settings: dict[str, str]) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            env=_environment(var) | settings,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not listening(self.port, seconds=60):
            self.stop()
            raise RuntimeError("runserver did not start")

    def get(self, path: str, cookie: str) -> tuple[int, float]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"Cookie": f"sessionid={cookie}"}
        )
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            error.read()
            status = error.code
        return status, (time.perf_counter() - start) * 1000

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _time_form(server: Server, data: dict[str, str]) -> list[float]:
    samples = []
    for _ in range(SAMPLES):
        status, ms = server.get(data["form_url"], data[f"cookie_{FORM_USER}"])
        assert status == 200, status
        samples.append(ms)
        time.sleep(0.05)  # a person reading, not a flood
    return samples


def _scenario(var: Path, data: dict[str, str], name: str, settings: dict[str, str]) -> Timing:
    server = Server(var, settings)
    try:
        _time_form(server, data)  # warm up: templates, schema metadata
        if name.startswith("无"):
            samples, answers = _time_form(server, data), Counter()
        else:
            samples, answers = _under_load(server, data)
    finally:
        server.stop()
    p95 = statistics.quantiles(samples, n=20)[-1]
    return Timing(name, statistics.median(samples), p95, dict(answers))


def _under_load(server: Server, data: dict[str, str]) -> tuple[list[float], Counter]:
    stop = threading.Event()
    answers: Counter = Counter()

    def loop(user: str) -> None:
        while not stop.is_set():
            status, _ms = server.get(data[f"pdf_{user}"], data[f"cookie_{user}"])
            answers[status] += 1
            if status == 429:
                stop.wait(1.0)

    threads = [threading.Thread(target=loop, args=(user,)) for user in PDF_USERS]
    for thread in threads:
        thread.start()
    time.sleep(3)  # the first conversions are under way
    try:
        samples = _time_form(server, data)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return samples, answers


def run() -> list[Timing]:
    with tempfile.TemporaryDirectory(prefix="clusterdesk-bench-heavy-") as var:
        data = _prepare(Path(var))
        return [
            _scenario(Path(var), data, "无下载（基线）", AFTER),
            _scenario(Path(var), data, "4 个 PDF 循环，改前（不限并发、正常优先级）", BEFORE),
            _scenario(Path(var), data, "4 个 PDF 循环，改后（每人 1 个、共 2 个、nice 10）", AFTER),
        ]


def report(timings: list[Timing]) -> None:
    print(
        f"\n昂贵下载：另一用户的表单页（{SAMPLES} 次）在 4 个用户循环下载附件2 PDF 时的耗时；"
        f"目标 p95 ≤ {GOAL_MS:g} ms"
    )
    for timing in timings:
        answers = "、".join(
            f"{status}×{count}" for status, count in sorted(timing.pdf_answers.items())
        )
        print(
            f"  {timing.name}：中位数 {timing.median_ms:.0f} ms，p95 {timing.p95_ms:.0f} ms"
            f"  {timing.verdict}" + (f"（PDF 请求应答：{answers}）" if answers else "")
        )


def main() -> None:
    from .documents.pdf import libreoffice_available  # noqa: PLC0415

    if not libreoffice_available():
        print("\n注意：未安装 LibreOffice（soffice），跳过昂贵下载的测量。")
        return
    report(run())


if __name__ == "__main__":
    main()
