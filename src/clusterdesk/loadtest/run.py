"""``make loadtest``: a fresh database, the production stack, the rush, the figures, the verdict.

1. A fresh PostgreSQL database beside the server that ``--database-url`` names (default
   ``postgres://postgres@127.0.0.1:5432``; a ``sqlite:///`` file for the quick test), migrated
   and seeded by ``world`` in this process.
2. ``manage.py serve`` as ``make serve`` runs it (gunicorn with its default workers, a queue
   worker, debug off), with a generated secret key and localhost as its host, plain http, and
   the bench's URLs (``bench_settings``: the project's plus the bare view).
3. The rush (locust, headless, in a process of its own): ``--users`` people for ``--duration``
   seconds, one in ten the city's, one in ten on the bare view, the rest county officers.
4. The throughput: ``--flood-users`` clients back to back on the bare view, then on autosave,
   ``--flood-seconds`` each, in one locust run (the same clients, logged in once); autosave's
   rate must be at least half the bare view's.
5. Every save answered as applied is looked up in the database (``world.lost_saves``).

The servers are stopped and the database dropped however the run ends. Exit code 0 when every
goal is met, 1 when one is missed, 2 on a bad option.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from clusterdesk.loadtest import figures

REPO_DIR = Path(__file__).resolve().parents[3]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
START_TIMEOUT_S = 120
LOGIN = "登录"  # the locustfile's kind
LOGIN_LIMIT = 100_000  # every simulated person comes from 127.0.0.1: see ``server_env``
MAX_OFFICERS = 90  # world: 15 county units × the 6 narrative boxes of part 8, one per officer
SAVING = {"RushOfficer", "Flood"}  # the locustfile's classes that autosave


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make loadtest", description="申报截止日压力测试")
    parser.add_argument("--users", default="50", help="并发用户数（默认 50）")
    parser.add_argument("--duration", default="60", help="压力阶段秒数（默认 60）")
    parser.add_argument("--flood-users", default="10", help="吞吐量阶段并发数（默认 10）")
    parser.add_argument("--flood-seconds", default="10", help="吞吐量阶段每项秒数")
    parser.add_argument("--workers", default="", help="gunicorn worker 数（默认同 make serve）")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_SERVER),
        help="PostgreSQL 服务器（将新建并删除一个数据库），或 sqlite:///文件",
    )
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="直接使用 --database-url 指定的数据库（已迁移的空库，如测试库），不新建、不删除",
    )
    args = parser.parse_args(argv)
    for name in ("users", "duration", "flood_users", "flood_seconds"):
        raw = str(getattr(args, name)).strip()
        if not raw.isdigit() or int(raw) < 1:
            parser.error(f"参数 --{name.replace('_', '-')} 应为正整数，而不是“{raw}”")
        setattr(args, name, int(raw))
    if args.users < 3:
        parser.error("参数 --users 至少为 3（县级经办人、市局、基准视图各一）")
    scheme = urlsplit(args.database_url).scheme
    if scheme not in ("postgres", "postgresql", "sqlite"):
        parser.error("参数 --database-url 应为 postgres://… 或 sqlite:///…")
    return args


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(server: str, var: Path) -> str:
    parts = urlsplit(server)
    if parts.scheme == "sqlite":
        return f"sqlite:///{var / 'loadtest.sqlite3'}"
    import psycopg  # noqa: PLC0415

    name = f"clusterdesk_loadtest_{os.getpid()}"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return  # the file goes with the temporary directory
    import psycopg  # noqa: PLC0415

    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def server_env(database_url: str, var: Path) -> dict[str, str]:
    """Production settings (debug off, a fresh secret key), plain http on this machine.

    The login limits per address and in total are raised: in the rush the officers log in from
    hundreds of addresses, here all from 127.0.0.1. The rest of the login policy (account locks,
    the slow hash of every password) stays as in production."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERDESK_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "clusterdesk.bench_settings",
        "DATABASE_URL": database_url,
        "CLUSTERDESK_ENV": "production",
        "CLUSTERDESK_SECRET_KEY": secrets.token_urlsafe(50),
        "CLUSTERDESK_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CLUSTERDESK_HTTPS": "0",
        "CLUSTERDESK_DEBUG": "0",
        "CLUSTERDESK_VAR_DIR": str(var),
        "CLUSTERDESK_LOGIN_IP_LIMIT": str(LOGIN_LIMIT),
        "CLUSTERDESK_LOGIN_GLOBAL_LIMIT": str(LOGIN_LIMIT),
        "PYTHONUNBUFFERED": "1",
    }


def prepare(
    env: dict[str, str], officers: int, city: int, bare: int, *, migrate: bool = True
) -> dict[str, Any]:
    """Migrate (unless the database is reused: migrated already) and seed the database in this
    process; the locustfile's plan."""
    os.environ.update(env)
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connections  # noqa: PLC0415

    from clusterdesk.bench_urls import BARE_URL  # noqa: PLC0415
    from clusterdesk.loadtest import world  # noqa: PLC0415

    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    plan = world.seed(officers, city, bare) | {"bare_url": BARE_URL}
    connections.close_all()
    return plan


class Server:
    """``manage.py serve`` in its own process group, its output in a log file."""

    def __init__(self, env: dict[str, str], var: Path, workers: str) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log_path = var / "serve.log"
        args = ["--port", self.url.rsplit(":", 1)[1], "--no-migrate", "--queue-workers", "1"]
        if workers:
            args += ["--workers", workers]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "serve", *args],
                cwd=REPO_DIR, env=env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"服务器已退出（{self.process.returncode}）\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"服务器未能在 {START_TIMEOUT_S} 秒内就绪\n{self.log()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


def locust(  # noqa: PLR0917 - one phase's every setting
    host: str, plan: dict[str, Any], var: Path, phase: str, classes: list[str], users: int,
    seconds: int,
) -> tuple[list[list[Any]], list[dict[str, Any]]]:  # fmt: skip
    """One locust run; its request records and its applied saves."""
    files = {name: var / f"{phase}-{name}.json" for name in ("plan", "records", "acks")}
    wants_save = any(name in SAVING for name in classes)
    flood = classes == ["Flood"]
    plan = plan | {"users": users, "seconds": seconds, "wants_save": wants_save, "flood": flood}
    files["plan"].write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    env = os.environ | {f"LOADTEST_{name.upper()}": str(path) for name, path in files.items()}
    # Every user at work within five seconds; a handful (the quick test) all at once.
    spawn = max(users // 5, min(users, 5))
    # Two spans of ``seconds`` in the throughput run.
    timeout = seconds * (2 if flood else 1) + 1200
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", host,
         "--users", str(users), "--spawn-rate", str(spawn),
         "--stop-timeout", "2", "--only-summary", "--loglevel", "ERROR", *classes],
        cwd=REPO_DIR, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=(var / f"{phase}-locust.log").open("ab"), timeout=timeout, check=False,
    )  # fmt: skip
    if not files["records"].exists():
        log = (var / f"{phase}-locust.log").read_text(encoding="utf-8", errors="replace")
        raise RuntimeError(f"locust 未能运行（{phase}）\n{log[-3000:]}")
    measured = json.loads(files["records"].read_text(encoding="utf-8"))
    # The logins (warm-up) and what was sent from the moment every user was at work.
    records = [r for r in measured["records"] if r[0] == LOGIN or r[1] >= measured["since"]]
    return records, json.loads(files["acks"].read_text(encoding="utf-8"))  # {acks, sent}


def flood_rate(records: list[list[Any]], kind: str) -> float:
    """Requests of ``kind`` per second while every client was at it: from the first request of
    the last client to log in (a login hashes a password, which slows the others) to the end."""
    mine = [r for r in records if r[0] == kind]
    if not mine:
        return 0.0
    first: dict[Any, float] = {}
    for r in mine:
        client = r[4] if len(r) > 4 else 0
        first[client] = min(first.get(client, r[1]), r[1])
    since = max(first.values())
    counted = [r for r in mine if r[1] >= since]
    seconds = max(r[1] + r[2] / 1000 for r in counted) - since
    return len(counted) / seconds if seconds > 0 and len(counted) > 1 else 0.0


def main(argv: list[str] | None = None) -> int:
    try:
        args = options(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    city = bare = max(1, args.users // 10)
    officers = max(args.users - city - bare, args.flood_users)
    if officers > MAX_OFFICERS:
        print(
            f"参数 --users / --flood-users 太大：最多模拟 {MAX_OFFICERS} 名县级经办人"
            f"（每单位每个叙述栏目一人），现需 {officers} 名。",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="clusterdesk-loadtest-") as tmp:
        var = Path(tmp)
        try:
            database_url = (
                args.database_url if args.reuse_database else fresh_database(args.database_url, var)
            )
        except Exception as exc:  # psycopg's many ways to fail, said plainly
            print(f"无法新建压力测试数据库（{args.database_url}）：{exc}", file=sys.stderr)
            return 2
        server = None
        try:
            env = server_env(database_url, var / "var")
            print(f"准备数据：{officers} 名县级经办人、{city} 名市局用户 …", flush=True)
            plan = prepare(env, officers, city, bare, migrate=not args.reuse_database) | {
                "city_users": city,
                "bare_users": bare,
            }
            server = Server(env, var, args.workers)
            server.wait_ready()
            print(f"压力阶段：{args.users} 个并发用户，全部登录后计 {args.duration} 秒 …",
                  flush=True)  # fmt: skip
            rush, acks = locust(server.url, plan, var, "rush", ["RushOfficer", "City", "Bare"],
                                args.users, args.duration)  # fmt: skip
            print(f"吞吐量阶段：{args.flood_users} 个客户端连续请求，各 {args.flood_seconds} 秒 …")
            flood, flood_acks = locust(server.url, refreshed(plan), var, "flood", ["Flood"],
                                       args.flood_users, args.flood_seconds)  # fmt: skip
            lost = lost_saves(acks, flood_acks)
        except RuntimeError as exc:  # the server or locust did not start: their log says why
            print(f"压力测试未能完成：{exc}", file=sys.stderr)
            return 1
        finally:
            if server is not None:
                server.stop()
            if not args.reuse_database:
                drop_database(database_url)
    return report(args, rush, flood, acks["acks"] + flood_acks["acks"], lost)


def refreshed(plan: dict[str, Any]) -> dict[str, Any]:
    from clusterdesk.loadtest import world  # noqa: PLC0415

    try:
        return world.refreshed(plan)
    finally:
        _close()


def lost_saves(*phases: dict[str, Any]) -> list[str]:
    from clusterdesk.loadtest import world  # noqa: PLC0415

    sent: dict[str, list[str]] = {}
    for phase in phases:
        for key, values in phase["sent"].items():
            sent.setdefault(key, []).extend(values)
    try:
        return world.lost_saves([a for phase in phases for a in phase["acks"]], sent)
    finally:
        _close()


def _close() -> None:
    from django.db import connections  # noqa: PLC0415

    connections.close_all()


def report(
    args: argparse.Namespace,
    rush: list[list[Any]],
    flood: list[list[Any]],
    acks: list[dict[str, Any]],
    lost: list[str],
) -> int:
    # Counted from the end of the last login: every person at work, no password being hashed.
    logins = [r for r in rush if r[0] == LOGIN]
    since = max((r[1] + r[2] / 1000 for r in logins), default=0.0)
    counted = [r for r in rush if r[0] != LOGIN and r[1] >= since]
    until = max((r[1] + r[2] / 1000 for r in counted), default=since)
    rush_rows = figures.rows(
        logins, until - min((r[1] for r in rush), default=until)
    ) + figures.rows(counted, until - since)
    print(
        f"\n截止日压力测试：{args.users} 个并发用户（make serve 默认设置），"
        f"全部登录后实测 {until - since:.0f} 秒；登录一行为预热阶段"
    )
    print(figures.table(rush_rows))
    flood_rows = figures.rows([r for r in flood if r[0] in (figures.BARE, figures.AUTOSAVE)], 1)
    bare_rate = flood_rate(flood, figures.BARE)
    save_rate = flood_rate(flood, figures.AUTOSAVE)
    print(f"\n吞吐量：{args.flood_users} 个客户端连续请求（每秒 = 该阶段实测）")
    print(figures.table([
        figures.Row(r.kind, r.count, bare_rate if r.kind == figures.BARE else save_rate,
                    r.p50, r.p95, r.p99, r.errors) for r in flood_rows
    ]))  # fmt: skip
    # Every error counts, the warm-up's and the floods' logins too.
    errors = sum(not r[3] for r in rush + flood)
    autosave = next((r for r in rush_rows if r.kind == figures.AUTOSAVE), None)
    print(f"\n已确认的保存 {len(acks)} 次，逐一在数据库中核对：丢失 {len(lost)} 次。")
    for line in lost[:10]:
        print(f"  {line}")
    verdict = figures.Verdict(
        users=args.users, errors=errors, lost=len(lost),
        autosave_p95=autosave.p95 if autosave else 0.0, autosave_rate=save_rate,
        bare_rate=bare_rate,
    )  # fmt: skip
    print("\n" + verdict.text())
    return 0 if verdict.passed else 1
