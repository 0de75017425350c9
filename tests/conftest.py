import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.forms import forget_checked
from clusterdesk.declarations.interfaces import page_cache
from tests import factories
from tests.append_only_flush import flush_allowed
from tests.s3 import s3_bucket, s3_endpoint  # noqa: F401 - fixtures: a real S3 server


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """The SQLite test database is a file, as in production, not Django's shared in-memory one:
    there a second writer fails at once ("database table is locked") instead of waiting for the
    first, so tests/declarations/test_locks.py could not run two writers at once. No slower."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # The real hasher is slow by design and tests create many users. Session-scoped, so that
    # Hypothesis tests do not see a function-scoped fixture.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _plain_http():
    # Tests run with debug off, where the settings redirect plain http to HTTPS; the test client
    # speaks http, like `make run`. tests/test_production.py checks the production defaults.
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(autouse=True, scope="session")
def _memory_cache():
    # Tests never touch var/cache (the login counts live in the cache): one in-memory cache...
    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    with override_settings(CACHES={"default": memory}):
        yield


@pytest.fixture(autouse=True)
def _empty_cache(_memory_cache):
    # ...emptied before every test, so that no test sees another's login attempts. Autouse
    # function-scoped fixtures do not trouble Hypothesis's health check.
    cache.clear()
    forget_checked()  # findings kept per process by data version (declarations.domain.forms)
    page_cache.clear()  # form pages kept per process by data version


@pytest.fixture(autouse=True, scope="session")
def _private_slot_locks(tmp_path_factory):
    # The slots of expensive downloads are lock files shared by every process of the host: the
    # tests get their own directory, so that a test run never waits for another's (or a
    # server's) PDF, and user ids of different test databases never meet.
    with override_settings(CLUSTERDESK_LOCK_DIR=tmp_path_factory.mktemp("locks")):
        yield


@pytest.fixture(autouse=True, scope="session")
def _flush_append_only_tables():
    # Transactional tests end with a flush, which the append-only triggers would refuse.
    with flush_allowed():
        yield


@pytest.fixture
def round_(db):
    return factories.make_round()


@pytest.fixture
def county_officer(db):
    return factories.make_county_officer()


@pytest.fixture
def city_officer(db):
    return factories.make_city_officer()


@pytest.fixture(autouse=True, scope="session")
def _frozen_clock():
    """The workflow's clock stands at ``factories.TEST_NOW``, before the default round's deadline.

    Session-scoped for the same reason as above; a test that needs another time uses ``clock_at``.
    Django's own ``timezone.now()`` is untouched.
    """
    with clock.frozen(factories.TEST_NOW):
        yield


@pytest.fixture
def clock_at():
    """``clock_at(datetime)`` moves the workflow's clock for the rest of the test."""
    contexts = []

    def move_to(at):
        context = clock.frozen(at)
        context.__enter__()
        contexts.append(context)

    yield move_to
    while contexts:
        contexts.pop().__exit__(None, None, None)
