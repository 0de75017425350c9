import pytest
from django.test import override_settings

from clusterdesk.declarations import clock
from tests import factories


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # The real hasher is slow by design and tests create many users. Session-scoped, so that
    # Hypothesis tests do not see a function-scoped fixture.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
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
