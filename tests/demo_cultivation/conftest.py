"""The demo as seeded on ``SEEDED_AT`` (2026-12-01, when issue 12 was done), shared by this
package's tests like ``tests/demo``'s world: the demo's certified clusters are then two years into
their cultivation (``demo.cultivation``), which a demo seeded at the tests' clock (2023-04-10,
``tests/demo``) is not. Seeded once inside a transaction rolled back after the package's last
test; each test runs in a savepoint of it, with the workflow's clock at ``SEEDED_AT``."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import override_settings

from clusterdesk.declarations import clock
from clusterdesk.demo.seed import seed_demo

SEEDED_AT = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="package")
def late_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("late-demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        clock.frozen(SEEDED_AT),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed_demo()
            yield media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(late_demo, db, settings, clock_at):
    """The demo seeded on SEEDED_AT, the clock there (changes are undone)."""
    settings.MEDIA_ROOT = late_demo
    clock_at(SEEDED_AT)
    return late_demo
