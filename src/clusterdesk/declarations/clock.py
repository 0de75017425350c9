"""The time the workflow and the county pages go by (leaf module).

Deadlines are compared with ``now()``, never with ``timezone.now()`` directly, so that tests and the
demo data can say "as of 10 April 2023" with ``frozen(...)`` instead of patching Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_frozen: ContextVar[dt.datetime | None] = ContextVar("clusterdesk_frozen_now", default=None)


def now() -> dt.datetime:
    """The current time (aware), or the time set by an enclosing ``frozen()``."""
    return _frozen.get() or timezone.now()


def today() -> dt.date:
    """Today's date in the site's time zone (Beijing), by ``now()``."""
    return timezone.localdate(now())


@contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Let ``now()`` return ``at`` inside the block (``at`` must be timezone-aware)."""
    if timezone.is_naive(at):
        raise ValueError("frozen() needs an aware datetime")
    token = _frozen.set(at)
    try:
        yield
    finally:
        _frozen.reset(token)
