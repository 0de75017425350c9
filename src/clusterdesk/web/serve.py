"""``manage.py serve`` (``make serve``): the production stack in the foreground.

One supervisor process starts gunicorn (its master and ``workers`` sync workers, serving
``clusterdesk.wsgi``; static files through whitenoise) and ``queue_workers`` queue workers
(``manage.py exports_worker``: the database queue's worker, or RQ workers when
CLUSTERDESK_TASKS_URL names Redis). Ctrl+C or SIGTERM stops them all gracefully (gunicorn
finishes the requests in flight, a worker the export it is building); a second signal kills them.
If one of them dies on its own, the others are stopped too and the supervisor exits non-zero, so
that systemd (``Restart=always``) or the container runtime starts the whole stack again.

The settings come from the environment (``production_env``). Two ways to start:

* **Production**: CLUSTERDESK_SECRET_KEY and CLUSTERDESK_ALLOWED_HOSTS set (and required when
  CLUSTERDESK_ENV=production). A missing or weak one refuses the start, exit code 2.
* **Local trial** on a fresh clone (neither set, CLUSTERDESK_ENV not ``production``): a secret
  key is generated once and kept in ``var/secret_key``, the site answers only 127.0.0.1 and
  localhost, binds only to the loopback address, and speaks plain http (no TLS here) — with a
  warning saying so.
"""

from __future__ import annotations

import contextlib
import ctypes
import ipaddress
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from clusterdesk.conf import ConfigError, env_bool

SECRET_KEY_FILE = "secret_key"
TRIAL_HOSTS = "127.0.0.1,localhost"
MIN_SECRET_LENGTH = 50  # Django's deploy check (security.W009) wants 50 characters, 5 distinct
MIN_DISTINCT_CHARACTERS = 5
# A PDF or an electronic package is built in the request (guarded by the slots); LibreOffice
# takes about 12 s per application, so gunicorn's 30 s default would kill a busy worker.
REQUEST_TIMEOUT_S = 120
GRACEFUL_TIMEOUT_S = 30  # requests in flight get this long to finish on SIGTERM
POLL_S = 0.2


class Refusal(Exception):
    """A production setting is missing or unsafe: the message says which, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Plan:
    env: dict[str, str]  # the environment of every child process
    trial: bool
    warnings: list[str] = field(default_factory=list)


def default_workers() -> int:
    """gunicorn's advice for sync workers, 2 × CPUs + 1: a worker waiting on the database or
    on LibreOffice leaves the CPU to another."""
    return 2 * (os.cpu_count() or 1) + 1


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _kept_secret_key(var_dir: Path) -> str:
    """The trial's secret key: made once, kept, so sessions survive a restart."""
    path = var_dir / SECRET_KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(MIN_SECRET_LENGTH)
    # Created readable by its owner only; O_EXCL: two starts at once do not both write.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(key + "\n")
    return key


def production_env(environ: Mapping[str, str], var_dir: Path, host: str) -> Plan:
    """The environment the stack runs with, or ``Refusal``."""
    env = dict(environ)
    key = environ.get("CLUSTERDESK_SECRET_KEY", "").strip()
    hosts = environ.get("CLUSTERDESK_ALLOWED_HOSTS", "").strip()
    production = environ.get("CLUSTERDESK_ENV", "").strip().lower() == "production"
    try:
        debug = env_bool(environ, "CLUSTERDESK_DEBUG", default=False)
    except ConfigError as exc:
        raise Refusal(str(exc)) from None
    if debug:
        raise Refusal(
            "拒绝启动：make serve 以生产方式运行，不能开启调试模式；"
            "请去掉 CLUSTERDESK_DEBUG=1（开发调试请用 make run）。"
        )

    if production or key or hosts:
        missing = [
            name
            for name, value in (
                ("CLUSTERDESK_SECRET_KEY", key),
                ("CLUSTERDESK_ALLOWED_HOSTS", hosts),
            )
            if not value
        ]
        if missing:
            raise Refusal(
                "拒绝启动：缺少生产配置 "
                + "、".join(missing)
                + "。CLUSTERDESK_SECRET_KEY 为足够长的随机密钥（例如 python3 -c "
                "'import secrets; print(secrets.token_urlsafe(50))'，须妥善保存），"
                "CLUSTERDESK_ALLOWED_HOSTS 为网站域名（多个用逗号分隔）。见 README“make serve”。"
            )
        if (
            key.startswith("django-insecure")
            or len(key) < MIN_SECRET_LENGTH
            or len(set(key)) < MIN_DISTINCT_CHARACTERS
        ):
            raise Refusal(
                f"拒绝启动：CLUSTERDESK_SECRET_KEY 太弱，须为至少 {MIN_SECRET_LENGTH} "
                "个字符的随机字符串，且不能以 django-insecure 开头。"
            )
        env["CLUSTERDESK_DEBUG"] = "0"
        return Plan(env=env, trial=False)

    # The local trial: nothing configured, not declared production.
    if not _is_loopback(host):
        raise Refusal(
            "拒绝启动：未设置 CLUSTERDESK_SECRET_KEY 和 CLUSTERDESK_ALLOWED_HOSTS 时"
            "只能在本机试用，"
            f"不能监听 {host}；对外服务请先设置这两项（见 README“make serve”）。"
        )
    env["CLUSTERDESK_SECRET_KEY"] = _kept_secret_key(var_dir)
    env["CLUSTERDESK_ALLOWED_HOSTS"] = TRIAL_HOSTS
    env["CLUSTERDESK_DEBUG"] = "0"
    warnings = [
        f"本机试用模式：未设置 CLUSTERDESK_SECRET_KEY，已使用保存在 {var_dir / SECRET_KEY_FILE} "
        "的随机密钥；网站只响应 127.0.0.1 和 localhost。正式部署请设置生产配置并"
        "设置 CLUSTERDESK_ENV=production。"
    ]
    if "CLUSTERDESK_HTTPS" not in environ:
        env["CLUSTERDESK_HTTPS"] = "0"
        warnings.append("本机试用模式：不使用 HTTPS（本机没有 TLS 证书）。")
    return Plan(env=env, trial=True, warnings=warnings)


def gunicorn_command(host: str, port: int, workers: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "clusterdesk.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--timeout",
        str(REQUEST_TIMEOUT_S),
        "--graceful-timeout",
        str(GRACEFUL_TIMEOUT_S),
        # Heartbeat files in memory, not in /tmp, which may be a slow disk in a container.
        "--worker-tmp-dir",
        "/dev/shm" if Path("/dev/shm").is_dir() else "/tmp",
        "--error-logfile",
        "-",
    ]


def queue_worker_command(manage_py: Path) -> list[str]:
    return [sys.executable, str(manage_py), "exports_worker"]


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the supervisor dies, even by SIGKILL (Linux),
    so that no worker is left behind."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Supervisor:
    """Runs the named commands, forwards SIGINT/SIGTERM as SIGTERM, and stops them all when
    one stops."""

    def __init__(
        self, commands: dict[str, list[str]], env: Mapping[str, str], cwd: Path, out: TextIO
    ) -> None:
        self.commands = commands
        self.env = dict(env)
        self.cwd = cwd
        self.out = out
        self.processes: dict[str, subprocess.Popen] = {}
        self.signals = 0

    def _say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _on_signal(self, signum: int, frame: object) -> None:
        self.signals += 1

    def start(self) -> None:
        for name, command in self.commands.items():
            # A process group of its own: Ctrl+C in the terminal reaches only the supervisor,
            # which stops the children in order instead of all at once.
            self.processes[name] = subprocess.Popen(
                command,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                process_group=0,
                preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads at this point
            )
            self._say(f"已启动 {name}（进程 {self.processes[name].pid}）")

    def _send(self, sig: int) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(sig)

    def run(self) -> int:
        """Until every child has stopped; 0 after a requested stop, 1 if a child died."""
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        failed = False
        try:
            self.start()
            handled = 0
            while any(process.poll() is None for process in self.processes.values()):
                if self.signals > handled:
                    handled = self.signals
                    if handled == 1:
                        self._say(
                            "正在停止（等待处理中的请求和导出完成；再按一次 Ctrl+C 强制结束）…"
                        )
                        self._send(signal.SIGTERM)
                    else:
                        self._say("强制结束所有进程。")
                        self._send(signal.SIGKILL)
                elif not handled and not failed:
                    for name, process in self.processes.items():
                        if process.poll() is not None:
                            self._say(
                                f"{name} 意外退出（退出码 {process.returncode}），停止其余进程。"
                            )
                            failed = True
                            self._send(signal.SIGTERM)
                            break
                time.sleep(POLL_S)
        finally:
            self._send(signal.SIGKILL)  # only left over after an error in this loop
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self._say("已停止。")
        return 1 if failed else 0
