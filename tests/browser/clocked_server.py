"""A walk's own server whose workflow clock stands where the walk needs it and moves on
(``set_clock``). Only ``declarations.clock.now()`` moves (``CLOCK_SHIM``, a ``sitecustomize``
only this server loads); Django's own time stays real.
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from tests.browser.conftest import REPO_DIR, AppServer, free_port, fresh_database, server_env

CLOCK_VARIABLE = "CLUSTERDESK_WALK_NOW"

# Loaded by the server process at start-up (PYTHONPATH): moves the workflow's clock to the
# time in CLOCK_VARIABLE, ticking from there, unless a ``clock.frozen()`` block says otherwise.
CLOCK_SHIM = textwrap.dedent(
    f"""
    import os

    if os.environ.get({CLOCK_VARIABLE!r}):
        import datetime as _dt

        from django.utils import timezone as _timezone

        from clusterdesk.declarations import clock as _clock

        _offset = _dt.datetime.fromisoformat(os.environ[{CLOCK_VARIABLE!r}]) - _timezone.now()

        def _shifted_now():
            return _clock._frozen.get() or _timezone.now() + _offset

        _clock.now = _shifted_now
    """
)

World = TypeVar("World")


@contextmanager
def clocked_server(
    tmp_dir: Path, at: dt.datetime, build_world: Callable[[dict[str, str]], World]
) -> Iterator[tuple[AppServer, World]]:
    """A fresh database, ``build_world(env)`` (which migrates and fills it, in a process of its
    own), then the server with its clock at ``at``; stopped and the database removed at the end."""
    shim_dir = tmp_dir / "shim"
    shim_dir.mkdir()
    (shim_dir / "sitecustomize.py").write_text(CLOCK_SHIM, encoding="utf-8")
    with fresh_database(tmp_dir) as database_url:
        env = server_env(tmp_dir, database_url)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(shim_dir), str(REPO_DIR), os.environ.get("PYTHONPATH")])
        )
        env[CLOCK_VARIABLE] = at.isoformat()
        world = build_world(env)
        server = AppServer(env, free_port(), tmp_dir / "runserver.log")
        server.start()
        try:
            yield server, world
        finally:
            server.stop()


def set_clock(server: AppServer, at: dt.datetime) -> None:
    """Move the server's workflow clock: a restart on the same port; open pages and their
    sessions carry on."""
    server.stop()
    server.env[CLOCK_VARIABLE] = at.isoformat()
    server.start()
