import pytest
from django.test import override_settings

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
