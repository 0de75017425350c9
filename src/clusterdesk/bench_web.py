"""The web part of ``make bench``: every county page and autosave against a bare logged-in view.

Each page is measured side by side with a bare logged-in Django view (``bench_urls.bare``: the
middleware, the session and the user, nothing else) in the same run, and reported as a multiple
of it: p50 at one client, and for autosave the throughput at 16 concurrent clients. The data is
the demo's, with its submitted application (386 patents, 13 standards) copied until 1,000 and
then 10,000 applications are stored; every page's query count is taken at both sizes and the
bench fails when one differs.

When ``DATABASE_URL`` names PostgreSQL the pages are served by gunicorn (sync workers) from a
throw-away database ``<name>_bench_web`` beside the named one, dropped afterwards; otherwise the
Django test client is used on a throw-away SQLite file (no concurrency measured there).

    python -m clusterdesk.bench_web
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SIZES = (1_000, 10_000)
SAMPLES = 25  # requests per page for its p50 at one client
CLIENTS = 16
THROUGHPUT_SECONDS = 4.0
WORKERS = 4  # gunicorn sync workers on the bench machine (2 CPUs)
PAGE_GOAL = 3.0  # p50 of a page at most this multiple of the bare view's
DESK_GOAL_MS = 150.0  # the city's desk and inbox: p50 under this at every size (issue 10)
THROUGHPUT_GOAL = 0.35  # autosave's requests per second at least this share of the bare view's
BARE = "/bench/bare/"


@dataclass
class Row:
    name: str
    path: str
    who: str  # "county" | "city"
    p50: dict[int, float] = field(default_factory=dict)  # size → ms
    bare: dict[int, float] = field(default_factory=dict)  # the bare view's, measured in turn
    queries: dict[int, int] = field(default_factory=dict)  # size → count
    goal_ms: float | None = None  # an absolute p50 goal besides the multiple, if any


def _intake_pages(app: int, round_: int) -> list[Row]:
    """The city's desk and inbox (with the pre-check filters and a sort on a digest column, on a
    page deep in the list) and one application read by the city."""
    inbox = f"/intake/inbox/?round={round_}"
    return [
        Row("审核工作台", f"/intake/?round={round_}", "city", goal_ms=DESK_GOAL_MS),
        Row("收件箱", inbox, "city", goal_ms=DESK_GOAL_MS),
        Row(
            "收件箱（有未达标方面、有提醒）",
            f"{inbox}&precheck=fail&warnings=yes",
            "city",
            goal_ms=DESK_GOAL_MS,
        ),
        Row(
            "收件箱（按未达标方面排序，第10页）",
            f"{inbox}&sort=-aspects_failed&page=10",
            "city",
            goal_ms=DESK_GOAL_MS,
        ),
        Row("申报审核页（市局阅读）", f"/intake/applications/{app}/", "city"),
    ]


def digest_fill() -> None:
    """A pre-check digest for every application without one (the copies are stored past the
    workflow): one in two with an aspect 未达标, one in three with warnings, so the inbox's
    filters select a realistic share. One statement (%% is the modulo: the query has parameters)."""
    from django.db import connection  # noqa: PLC0415

    from clusterdesk.declarations.models import Application, Submission  # noqa: PLC0415
    from clusterdesk.intake.models import PrecheckDigest  # noqa: PLC0415

    submission = Submission.objects.order_by("pk").values_list("pk", flat=True).first()
    table, apps = PrecheckDigest._meta.db_table, Application._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (application_id, submission_id, aspects_failed, warnings, "
            f"computed_at) SELECT a.id, %s, a.id %% 2, a.id %% 3, CURRENT_TIMESTAMP FROM {apps} a "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} d WHERE d.application_id = a.id)",
            [submission],
        )


def _pages(app: int, form_pages: list[tuple[str, str]]) -> list[Row]:
    rows = [
        Row("基线：空白登录视图", BARE, "county"),
        Row("县区首页（我的申报）", "/county/", "county"),
    ]
    rows += [
        Row(f"表单页 {title}", f"/applications/{app}/form/{page}/", "county")
        for page, title in form_pages
    ]
    rows += [
        Row("自查", f"/county/applications/{app}/check/", "county"),
        Row("提交确认页", f"/county/applications/{app}/submit/", "county"),
    ]
    return rows


# --- clients ------------------------------------------------------------------------------------


class HttpClient:
    """Plain HTTP/1.1 to the server, one connection per request (sync workers close them)."""

    def __init__(self, port: int, cookies: dict[str, str]) -> None:
        self.port = port
        self.cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self.csrf = cookies.get("csrftoken", "")

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1"}
        if body is not None:
            headers |= {"Content-Type": "application/json", "X-CSRFToken": self.csrf}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        connection.close()
        return response.status, content


class TestClient:
    """The Django test client, in this process (SQLite)."""

    def __init__(self, user: Any) -> None:
        from django.test import Client  # noqa: PLC0415 - Django is set up by now

        self.client = Client()
        self.client.force_login(user)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        if method == "GET":
            response = self.client.get(path)
        else:
            response = self.client.post(path, data=body, content_type="application/json")
        return response.status_code, response.content


class Autosaver:
    """Saves one box of one application again and again, as the page does (with the page key,
    so the answer renders the page's findings), each time with the value it saved last."""

    PATH = "part2.total_output.2022"

    def __init__(self, app: int, original: Any) -> None:
        self.app = app
        self.original = original
        self.count = 0

    def body(self) -> bytes:
        self.count += 1
        value = f"{100 + self.count % 900}.50"
        change = {"path": self.PATH, "value": value, "original": self.original}
        self.original = value
        return json.dumps({"page": "part2", "changes": [change]}).encode()

    def save(self, client: Any) -> None:
        status, content = client.request("POST", f"/applications/{self.app}/autosave/", self.body())
        assert status == 200, (status, content[:300])
        assert not json.loads(content)["conflicts"], content[:300]


def p50_ms(
    operation: Callable[[], object], baseline: Callable[[], object], samples: int = SAMPLES
) -> tuple[float, float]:
    """Medians of ``operation`` and of ``baseline``, their requests taken in turn: a busy machine
    slows both alike, so their ratio holds where the times alone would not."""
    for _ in range(2 * WORKERS):
        operation()  # warm every worker: templates, profiles, its caches
    times: list[float] = []
    base: list[float] = []
    for _ in range(samples):
        for call, into in ((baseline, base), (operation, times)):
            start = time.perf_counter()
            call()
            into.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), statistics.median(base)


def throughput(make: Callable[[int], Callable[[], object]], clients: int) -> float:
    """Requests per second of ``clients`` threads, each running its own ``make(index)``."""
    stop = time.perf_counter() + THROUGHPUT_SECONDS
    done = [0] * clients
    errors: list[BaseException] = []

    def loop(index: int) -> None:
        operation = make(index)
        try:
            while time.perf_counter() < stop:
                operation()
                done[index] += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=loop, args=(index,)) for index in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return sum(done) / (time.perf_counter() - start)


# --- data ---------------------------------------------------------------------------------------


@dataclass
class World:
    target: int  # the county officer's application the pages show
    savers: list[int]  # the officer's applications, one per autosaving client
    county: Any
    city: Any


def _world(clients: int) -> World:
    from clusterdesk.accounts.models import User  # noqa: PLC0415
    from clusterdesk.declarations.enums import ApplicationState  # noqa: PLC0415
    from clusterdesk.declarations.models import Application  # noqa: PLC0415
    from clusterdesk.demo.seed import seed_demo  # noqa: PLC0415

    seed_demo()
    county = User.objects.get(username="haishu")
    city = User.objects.get(username="city")
    # The demo's filled application (the example: 386 patents) is what every copy holds.
    full = max(Application.objects.all(), key=lambda app: len(json.dumps(app.data)))
    own = Application.objects.filter(organisation=county.organisation).order_by("pk")
    target = own.filter(state=ApplicationState.DRAFT).first()
    target.data = full.data
    target.save(update_fields=["data"])
    copies = [
        Application(
            round=target.round,
            organisation=target.organisation,
            created_by=county,
            data=full.data,
        )
        for _ in range(clients)
    ]
    savers = [app.pk for app in Application.objects.bulk_create(copies)]
    return World(target.pk, savers, county, city)


def fill(total: int, source: int) -> float:
    """Copies of ``source`` spread over the demo's other counties until ``total`` are stored; the
    form data is copied inside the database (one statement), not sent 10,000 times."""
    from django.db import connection  # noqa: PLC0415

    from clusterdesk.accounts.enums import COUNTY_LEVEL_KINDS  # noqa: PLC0415
    from clusterdesk.accounts.models import Organisation  # noqa: PLC0415
    from clusterdesk.declarations.models import Application  # noqa: PLC0415

    started = time.perf_counter()
    existing = Application.objects.count()
    if existing >= total:
        return 0.0
    template = Application.objects.select_related("round").get(pk=source)
    units = list(
        Organisation.objects.filter(kind__in=sorted(COUNTY_LEVEL_KINDS))
        .exclude(pk=template.organisation_id)
        .values_list("pk", flat=True)
    )
    last = Application.objects.order_by("-pk").values_list("pk", flat=True).first()
    rows = [
        Application(
            round=template.round,
            organisation_id=units[index % len(units)],
            created_by_id=template.created_by_id,
            data={},
        )
        for index in range(total - existing)
    ]
    Application.objects.bulk_create(rows, batch_size=1000)
    table = Application._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET data = (SELECT data FROM {table} WHERE id = %s) WHERE id > %s",
            [source, last],
        )
    return time.perf_counter() - started


def query_counts(rows: list[Row], world: World, size: int) -> int:
    """Each page's queries at ``size`` applications (in this process, as the server runs it);
    answers autosave's."""
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    clients = {"county": TestClient(world.county), "city": TestClient(world.city)}
    for row in rows:
        client = clients[row.who]
        client.request("GET", row.path)  # the second request, as p50 measures them
        with CaptureQueriesContext(connection) as captured:
            status, _content = client.request("GET", row.path)
        assert status == 200, (row.path, status)
        row.queries[size] = len(captured)
    saver = Autosaver(world.target, _stored(world.target))
    saver.save(clients["county"])
    with CaptureQueriesContext(connection) as captured:
        saver.save(clients["county"])
    return len(captured)


def _stored(app: int) -> Any:
    from clusterdesk.declarations.models import Application  # noqa: PLC0415

    data = Application.objects.get(pk=app).data
    return data["part2"]["total_output"].get("2022")


# --- the server ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "clusterdesk.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _cookies(user: Any) -> dict[str, str]:
    from django.middleware.csrf import _get_new_csrf_string  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": _get_new_csrf_string()}


# --- running ------------------------------------------------------------------------------------


def _postgres(url: str) -> bool:
    return urlsplit(url).scheme in ("postgres", "postgresql", "pgsql")


def _bench_database(url: str) -> str:
    """A fresh database beside the one ``url`` names; the named one is never touched."""
    import psycopg  # noqa: PLC0415

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'clusterdesk'}_bench_web"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _drop_database(url: str) -> None:
    import psycopg  # noqa: PLC0415

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def main() -> bool:
    """Measure, print, and answer whether the query counts stayed equal across the sizes."""
    given = os.environ.get("DATABASE_URL", "")
    served = _postgres(given)
    with tempfile.TemporaryDirectory(prefix="clusterdesk-bench-web-") as var:
        url = _bench_database(given) if served else f"sqlite:///{Path(var) / 'bench.sqlite3'}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "clusterdesk.bench_settings",
            "DATABASE_URL": url,
            "CLUSTERDESK_VAR_DIR": var,
            "CLUSTERDESK_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "CLUSTERDESK_HTTPS": "0",
            "CLUSTERDESK_DEBUG": "0",
        }
        os.environ.update(env)
        try:
            return _run(env, served)
        finally:
            if served:
                from django.db import connections  # noqa: PLC0415

                connections.close_all()
                _drop_database(url)


def _run(env: dict[str, str], served: bool) -> bool:
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    from clusterdesk.declarations.domain.forms import PAGES  # noqa: PLC0415
    from clusterdesk.declarations.models import Application  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    world = _world(CLIENTS if served else 1)
    rows = _pages(world.target, list(PAGES))
    round_ = Application.objects.values_list("round_id", flat=True).get(pk=world.target)
    rows += _intake_pages(world.target, round_)
    autosave = Row("自动保存（一个栏目，回答含本页提示）", "", "county")
    floor = Row("下限：同一行同一 JSON 的 UPDATE", "", "county")
    rates: dict[int, tuple[float, float]] = {}  # size → (bare, autosave) requests per second
    server = None
    try:
        if served:
            server, port = start_gunicorn(env)
            cookies = {"county": _cookies(world.county), "city": _cookies(world.city)}

            def client_for(who: str) -> Any:
                return HttpClient(port, cookies[who])
        else:
            clients = {"county": TestClient(world.county), "city": TestClient(world.city)}

            def client_for(who: str) -> Any:
                return clients[who]

        for size in SIZES:
            took = fill(size, world.target)
            digest_fill()
            print(f"\n{size} 份申报已就绪（填充 {took:.1f} 秒）", flush=True)
            autosave.queries[size] = query_counts(rows, world, size)
            county = client_for("county")

            def bare(client: Any = county) -> None:
                _get(client, BARE)

            for row in rows:
                client = client_for(row.who)
                row.p50[size], row.bare[size] = p50_ms(
                    lambda c=client, p=row.path: _get(c, p), bare
                )
            saver = Autosaver(world.target, _stored(world.target))
            autosave.p50[size], autosave.bare[size] = p50_ms(
                lambda s=saver, c=county: s.save(c), bare
            )
            floor.p50[size], floor.bare[size] = p50_ms(update_floor(world.target), bare)
            floor.queries[size] = 1
            if served:
                rates[size] = _rates(world, client_for)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    return report(rows, autosave, rates, served, floor)


def update_floor(app: int) -> Callable[[], None]:
    """What storing the form costs the database alone: the same row updated with the same JSON
    (~124 KB), in its own transaction as autosave's, from this process (no request, no Python
    work besides sending it). PostgreSQL writes the whole value again, however little changed."""
    from django.db import transaction  # noqa: PLC0415

    from clusterdesk.declarations.models import Application  # noqa: PLC0415

    data = Application.objects.values_list("data", flat=True).get(pk=app)

    def update() -> None:
        with transaction.atomic():
            Application.objects.filter(pk=app).update(data=data)

    return update


def _get(client: Any, path: str) -> None:
    status, content = client.request("GET", path)
    assert status == 200, (path, status, content[:300])


def _rates(world: World, client_for: Callable[[str], Any]) -> tuple[float, float]:
    def bare(_index: int) -> Callable[[], None]:
        client = client_for("county")
        return lambda: _get(client, BARE)

    def save(index: int) -> Callable[[], None]:
        app = world.savers[index]
        saver, client = Autosaver(app, _stored(app)), client_for("county")
        return lambda: saver.save(client)

    return throughput(bare, CLIENTS), throughput(save, CLIENTS)


def report(
    rows: list[Row],
    autosave: Row,
    rates: dict[int, tuple[float, float]],
    served: bool,
    floor: Row | None = None,
) -> bool:
    where = f"gunicorn（{WORKERS} 个 sync worker）+ PostgreSQL" if served else "测试客户端 + SQLite"
    bare = rows[0]
    small, large = SIZES
    print(
        f"\n网页（{where}；p50 为单客户端 {SAMPLES} 次请求的中位数，倍数相对与之交替测量的"
        "空白登录视图）"
    )
    print(f"{'项目':<28}" + "".join(f"{f'{size}份 p50':>14}{'倍数':>8}" for size in SIZES), end="")
    print(f"{'查询次数':>16}  结论")
    ok = True
    for row in [*rows, autosave, *([floor] if floor else [])]:
        cells = ""
        worst = 0.0
        for size in SIZES:
            ratio = 1.0 if row is bare else row.p50[size] / row.bare[size]
            worst = max(worst, ratio)
            cells += f"{row.p50[size]:>12.2f}ms{ratio:>7.1f}×"
        counts = f"{row.queries[small]} → {row.queries[large]}"
        flat = row.queries[small] == row.queries[large]
        ok &= flat
        verdict = [] if row is bare else ["达标" if worst <= PAGE_GOAL else "未达标"]
        if row.goal_ms is not None:
            slowest = max(row.p50[size] for size in SIZES)
            met = slowest < row.goal_ms
            verdict.append(f"{'达标' if met else '未达标'}（< {row.goal_ms:.0f} ms）")
        if row is floor:
            verdict = ["（数据库本身，自动保存的下限）"]
        if not flat:
            verdict.append("查询次数随申报数增长！")
        print(f"{_pad(row.name, 28)}{cells}{counts:>16}  {' '.join(verdict)}")
    for size, (bare_rate, save_rate) in rates.items():
        share = save_rate / bare_rate
        verdict = "达标" if share >= THROUGHPUT_GOAL else "未达标"
        print(
            f"{size} 份、{CLIENTS} 个并发客户端：空白视图 {bare_rate:.0f} 次/秒，"
            f"自动保存 {save_rate:.0f} 次/秒"
            f"（{share:.0%}，目标 ≥ {THROUGHPUT_GOAL:.0%}）  {verdict}"
        )
    if not served:
        print("（未设 PostgreSQL 的 DATABASE_URL：不测并发吞吐量。）")
    if not ok:
        print("失败：有页面的查询次数随申报数增长。")
    return ok


def _pad(text: str, width: int) -> str:
    import unicodedata  # noqa: PLC0415

    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(1, width - used)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
