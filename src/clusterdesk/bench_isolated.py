"""A measurement in a process of its own, on a database of its own, for ``make bench``.

The benches that need Django set up for a throw-away database (the cross-check's rebuild, the
ranking) start themselves again as a child process: SQLite in a temporary directory by default;
when ``DATABASE_URL`` names PostgreSQL, a database ``<name><suffix>`` beside it, created and
dropped by the child. The child prints its figures as JSON on its last line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def run_child(module: str, suffix: str, what: str, settings: str, extra_env=None) -> dict:
    """Run ``python -m module`` on its own database; its figures, or a Chinese error."""
    given = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix=f"clusterdesk-bench{suffix}-") as var:
        url = (
            sibling(given, suffix)
            if given.startswith("postgres")
            else f"sqlite:///{Path(var) / 'bench.sqlite3'}"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": url,
            "CLUSTERDESK_VAR_DIR": var,
            "CLUSTERDESK_DEBUG": "0",
            **(extra_env or {}),
        }
        done = subprocess.run(
            [sys.executable, "-m", module], env=env, capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        raise RuntimeError(f"{what}基准测试失败：\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(run: Callable[[], Any]) -> None:
    """In the child: make its PostgreSQL database (if any), print ``run()``'s figures, drop it."""
    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[-1]
    if url.startswith("postgres"):
        postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        postgres_admin(url, f'CREATE DATABASE "{name}"')
    try:
        print(json.dumps(asdict(run())))
    finally:
        if url.startswith("postgres"):
            from django.db import connections  # noqa: PLC0415

            connections.close_all()
            postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sibling(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def postgres_admin(url: str, sql: str) -> None:
    """Run ``sql`` on the server's ``postgres`` database (creating or dropping the bench's)."""
    import psycopg  # noqa: PLC0415

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)
