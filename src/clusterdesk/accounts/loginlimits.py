"""The login policy: who may try a password now, decided before any password is hashed.

Hashing a password is deliberately slow (~0.25 s of CPU), so an unchecked login form lets anyone
burn the server's CPU and guess passwords at leisure. Every login POST (the site's and the
admin's) goes through ``admit`` first, which costs a few cache operations:

- **Trusted device.** A browser in which the account logged in before carries a signed cookie
  naming it (``devices``). Its attempts skip the checks below, so that no attacker, wherever
  they are, can keep the real user out. Such attempts are still bounded: at most
  ``2 × FAILURE_LIMIT`` per account per cool-off period; beyond that (a stolen cookie used for
  guessing) the device is treated like any other until the period ends.
- **Per address.** At most ``IP_LIMIT`` attempts per client address (IPv6: per /64) in five
  minutes, whatever the usernames: one machine cannot hash passwords in bulk.
- **Account lock.** After ``FAILURE_LIMIT`` failed passwords for one username from untrusted
  devices (from any addresses) within one cool-off period, untrusted attempts at that username
  are refused for ``COOLOFF_MINUTES``, counted from the failure that set the lock. Attempts
  during the lock are refused before hashing and not counted, so they cannot extend it: when it
  ends, the right password works.
- **Everyone.** At most ``GLOBAL_LIMIT`` untrusted attempts per minute in total, which bounds
  the hashing that many addresses together can cause. Attempts refused by the checks above do
  not use it up.

Counts live in Django's cache (shared by the server processes; see ``CLUSTERDESK_CACHE_URL``) in
fixed windows whose number is part of the key, so the decision depends only on ``now()`` — which
tests move — and never on when the cache expires an entry.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger("clusterdesk.accounts.login")

IP_WINDOW = 5 * 60  # seconds; CLUSTERDESK_LOGIN_IP_LIMIT counts attempts in one such window
GLOBAL_WINDOW = 60  # seconds; CLUSTERDESK_LOGIN_GLOBAL_LIMIT likewise
GENERATION = "clusterdesk:login:generation"  # raised by unlock_all(): every older key is void
MARGIN = 60  # seconds an entry outlives its window in the cache
_counting = threading.Lock()  # one read-and-count at a time in this process (see _incr)


def now() -> float:
    """The policy's clock (seconds since the epoch); tests replace it."""
    return time.time()


@dataclass(frozen=True)
class Policy:
    failure_limit: int
    cooloff: int  # seconds
    ip_limit: int
    global_limit: int

    @property
    def device_limit(self) -> int:
        return 2 * self.failure_limit

    @classmethod
    def current(cls) -> Policy:
        return cls(
            failure_limit=settings.CLUSTERDESK_LOGIN_FAILURE_LIMIT,
            cooloff=settings.CLUSTERDESK_LOGIN_COOLOFF_MINUTES * 60,
            ip_limit=settings.CLUSTERDESK_LOGIN_IP_LIMIT,
            global_limit=settings.CLUSTERDESK_LOGIN_GLOBAL_LIMIT,
        )


@dataclass(frozen=True)
class Refusal:
    """Why an attempt was refused before hashing, and until when."""

    reason: str  # "account", "address" or "everyone"
    until: float
    at: float

    @property
    def retry_after(self) -> int:
        """Whole seconds to wait (the Retry-After header), at least 1."""
        return max(1, math.ceil(self.until - self.at))


@dataclass
class Attempt:
    """An admitted attempt; the outcome is recorded by ``failed`` / ``succeeded``."""

    username: str  # normalised, see ``normalise``
    address: str
    trusted: bool
    generation: int
    succeeded: bool = False


def normalise(username: str) -> str:
    """The account a typed username names, as the counts see it: Django's login form applies
    NFKC (full-width ｈａｉｓｈｕ logs in as haishu) after stripping; case is folded so that
    spelling variants cannot spread guesses over several counters."""
    # Longer than any username (150): cut first, so a megabyte of "username" costs nothing.
    return unicodedata.normalize("NFKC", username[:300].strip()).casefold()


def admit(username: str, address: str, bucket: str, trusted_names: list[str]) -> Attempt | Refusal:
    """Decide, before hashing, whether this attempt may go ahead (see the module's text).

    ``address`` is the client address (for the log), ``bucket`` what the per-address limit counts
    (``client.address_bucket``), ``trusted_names`` the usernames of the device cookie.
    """
    policy, t, generation = Policy.current(), now(), _generation()
    name = normalise(username)
    trusted = bool(name) and name in trusted_names
    if trusted and _hit(generation, "device", name, policy.device_limit, policy.cooloff, t) is None:
        return Attempt(name, address, trusted=True, generation=generation)
    # Untrusted, or over the trusted budget: from here on, this device is like any other.
    end = _hit(generation, "address", bucket, policy.ip_limit, IP_WINDOW, t)
    if end is not None:
        return Refusal("address", end, t)
    if name:
        until = cache.get(_key(generation, "lock", name))
        if until is not None and until > t:
            return Refusal("account", until, t)
    end = _hit(generation, "everyone", "", policy.global_limit, GLOBAL_WINDOW, t)
    if end is not None:
        return Refusal("everyone", end, t)
    return Attempt(name, address, trusted=False, generation=generation)


def failed(attempt: Attempt) -> None:
    """A wrong password (or an inactive account) after ``admit``: count it against the account,
    unless it came from a trusted device, and lock the account at the limit."""
    if attempt.trusted or not attempt.username:
        return
    policy, t = Policy.current(), now()
    key = _window_key(attempt.generation, "failures", attempt.username, policy.cooloff, t)
    with _counting:
        failures = _incr(key, policy.cooloff + MARGIN)
    if failures < policy.failure_limit:
        return
    until = t + policy.cooloff
    cache.set(_key(attempt.generation, "lock", attempt.username), until, policy.cooloff + MARGIN)
    # The lock replaces the count: when it ends, the account has its full allowance again.
    cache.delete(key)
    log.warning(
        "login: account %r locked for untrusted devices for %d minutes after %d failures "
        "(last from %s)",
        attempt.username,
        policy.cooloff // 60,
        policy.failure_limit,
        attempt.address,
    )


def succeeded(attempt: Attempt) -> None:
    """The right password: earlier failures no longer count (a lock in force stays)."""
    attempt.succeeded = True
    policy = Policy.current()
    cache.delete(
        _window_key(attempt.generation, "failures", attempt.username, policy.cooloff, now())
    )


# Lifting limits (manage.py login_unlock) --------------------------------------------------------


def unlock_account(username: str) -> bool:
    """Lift the account's lock and forget its failures; True if it was locked."""
    policy, t, generation = Policy.current(), now(), _generation()
    name = normalise(username)
    lock = _key(generation, "lock", name)
    was_locked = (cache.get(lock) or 0) > t
    keys = [lock]
    for kind in ("failures", "device"):
        for earlier in (0, policy.cooloff):  # this window and the one before
            keys.append(_window_key(generation, kind, name, policy.cooloff, t - earlier))
    cache.delete_many(keys)
    return was_locked


def unlock_address(bucket: str) -> None:
    generation, t = _generation(), now()
    cache.delete_many(
        [_window_key(generation, "address", bucket, IP_WINDOW, t - d) for d in (0, IP_WINDOW)]
    )


def unlock_all() -> None:
    """Void every lock and count at once: the keys of the next generation start empty."""
    cache.set(GENERATION, _generation() + 1, timeout=None)


def count_request(kind: str, value: str, limit: int, window: int) -> float | None:
    """Count one request of ``value`` in the current fixed window of ``window`` seconds; over
    ``limit``, the time (``now()`` seconds) the window ends. The login's counters, for other
    limits (the API's per token): the same cache, clock and ``unlock_all``."""
    return _hit(_generation(), kind, value, limit, window, now())


# Counting -------------------------------------------------------------------------------------


def _generation() -> int:
    return cache.get(GENERATION, 0)


def _key(generation: int, kind: str, value: str) -> str:
    # Hashed: a username or address of any length or character becomes a safe, short key.
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"clusterdesk:login:{generation}:{kind}:{digest}"


def _window_key(generation: int, kind: str, value: str, window: int, t: float) -> str:
    return _key(generation, f"{kind}:{window}:{int(t // window)}", value)


def _hit(  # noqa: PLR0917 - the key's parts, then the limit's
    generation: int, kind: str, value: str, limit: int, window: int, t: float
) -> float | None:
    """Count one attempt in the current window; over ``limit``, the time that window ends.

    An attempt over the limit is refused after one read, without writing: a flood of refused
    attempts costs the cache nothing but reads.
    """
    key = _window_key(generation, kind, value, window, t)
    end = (int(t // window) + 1) * window
    with _counting:
        if cache.get(key, 0) >= limit:
            return end
        if _incr(key, int(end - t) + MARGIN) == limit:  # logged once per window
            log.warning("login: %s limit of %d reached (%s)", kind, limit, value or "all")
    return None


def _incr(key: str, ttl: int) -> int:
    """Add one, atomically where the cache can (Redis, memory); a new key lives ``ttl`` s.
    The file cache reads and rewrites: ``_counting`` keeps the threads of one process from
    losing each other's counts; separate processes may, rarely, lose one."""
    if cache.add(key, 1, ttl):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, ttl)
        return 1
    # The file cache's incr() rewrites the entry with the default timeout (300 s), which could
    # end a 15-minute count early; put the intended expiry back.
    cache.touch(key, ttl)
    return count
