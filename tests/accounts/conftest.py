"""A movable clock for the login policy and a password hasher that counts its work."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import override_settings

from clusterdesk.accounts import loginlimits

# 2023-11-15 06:15:00 Beijing time; a multiple of 900 s, so every policy window starts here.
START = 1_700_000_100


class MovableClock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta).total_seconds()


@pytest.fixture
def login_clock(monkeypatch):
    """The login policy's clock, standing still at START until a test moves it."""
    clock = MovableClock(START)
    monkeypatch.setattr(loginlimits, "now", clock)
    return clock


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting every hash computed (checking a password is one)."""

    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes():
    """``hashes.calls``: passwords hashed since the test started (logins included)."""
    with override_settings(PASSWORD_HASHERS=["tests.accounts.conftest.CountingHasher"]):
        CountingHasher.calls = 0
        yield CountingHasher
