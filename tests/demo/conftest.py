"""The demo's tests share one seeded demo (``demo_world``): seeding it plays two rounds through
every door and uploads some 700 evidence files, far too slow to repeat for each test.

The world is seeded once for the package inside a transaction that is rolled back when the
package's last test is done; each test runs in a savepoint inside it (pytest-django's own
per-test transaction), so a test's changes never reach the next one. The few tests that seed a
database of their own (a first run of the command, a demo seeded after the notice's deadline)
run before the world is made (``pytest_collection_modifyitems``): once it is, every test of the
package sees it.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from clusterdesk.demo.seed import SeedReport, seed_demo

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """This package's tests without the world first, in their order, then those with it."""
    positions = [n for n, item in enumerate(items) if HERE in Path(item.path).resolve().parents]
    ours = [items[n] for n in positions]
    ours.sort(key=lambda item: "world" in getattr(item, "fixturenames", ()))
    for n, item in zip(positions, ours, strict=True):
        items[n] = item


@dataclass(frozen=True)
class World:
    report: SeedReport  # of the first seeding
    media: Path  # where its evidence files are


@pytest.fixture(scope="package")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory) -> World:
    """The demo as ``make run`` seeds it."""
    media = tmp_path_factory.mktemp("demo-world-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield World(seed_demo(), media)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(demo_world, db, settings) -> World:
    """The shared seeded demo, for a test that reads or changes it (changes are undone)."""
    settings.MEDIA_ROOT = demo_world.media
    return demo_world


@pytest.fixture(autouse=True)
def _private_media(request, settings, tmp_path):
    # The demo uploads its evidence files: into the test's own directory, never var/media (a
    # test of the shared world reads the world's, see ``world``).
    if "world" not in request.fixturenames:
        settings.MEDIA_ROOT = tmp_path / "media"
