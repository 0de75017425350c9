"""The login policy: limits that stop guessing and password-hashing floods, yet never keep the
real user out for longer than the cool-off, and never at all on a browser they used before."""

import re

import pytest
from django.test import Client, override_settings

from clusterdesk.accounts.devices import COOKIE
from tests.factories import PASSWORD, make_admin, make_county_officer

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ATTACKER = "203.0.113.66"
USER_AT = "198.51.100.7"
ACCOUNT_LOCKED = "该账户连续登录失败次数过多，已暂停登录15分钟"
ADDRESS_LIMITED = "您所在网络地址的登录尝试过于频繁"
EVERYONE_LIMITED = "当前登录请求过多"


def post(client, username, password, address, **extra):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def attacker_address(n: int) -> str:
    return f"203.0.113.{n % 250 + 1}"


def lock(username: str, *, address: str | None = None) -> None:
    """Five wrong passwords from fresh browsers, from five addresses unless one is given."""
    for n in range(5):
        post(Client(), username, "wrong-password", address or attacker_address(n))


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# The account lock ------------------------------------------------------------------------------


def test_five_failures_from_anywhere_lock_the_account_for_new_browsers(login_clock):
    user = make_county_officer()
    for n in range(4):
        assert post(Client(), user.username, "wrong", attacker_address(n)).status_code == 200
    fifth = post(Client(), user.username, "wrong", attacker_address(4))
    assert fifth.status_code == 200  # the fifth failure is answered, and sets the lock

    real_user = Client()
    refused = post(real_user, user.username, PASSWORD, USER_AT)
    assert refused.status_code == 429
    assert ACCOUNT_LOCKED in refused.content.decode()
    assert refused["Retry-After"] == "900"
    assert not signed_in(real_user)


def test_the_right_password_works_when_the_lock_ends_though_the_attacker_kept_trying(
    login_clock,
):
    # Behind an unconfigured proxy everyone shares one address: the worst case.
    user = make_county_officer()
    lock(user.username, address=ATTACKER)
    for _ in range(14):  # one guess a minute for the whole lock
        login_clock.advance(minutes=1)
        assert post(Client(), user.username, "guess", ATTACKER).status_code == 429
    login_clock.advance(minutes=1)

    real_user = Client()
    response = post(real_user, user.username, PASSWORD, ATTACKER)
    assert response["Location"] == "/county/"
    assert signed_in(real_user)


def test_attempts_during_the_lock_do_not_extend_it(login_clock):
    user = make_county_officer()
    lock(user.username)
    login_clock.advance(minutes=14)
    late = post(Client(), user.username, "guess", ATTACKER)
    assert late.status_code == 429
    assert late["Retry-After"] == "60"  # still the lock set 14 minutes ago
    assert "请在1分钟后" in late.content.decode()

    login_clock.advance(minutes=1)
    assert post(Client(), user.username, PASSWORD, USER_AT)["Location"] == "/county/"


def test_when_the_lock_ends_the_account_has_its_full_allowance_again(login_clock):
    user = make_county_officer()
    lock(user.username)
    login_clock.advance(minutes=15)
    for n in range(4):
        assert post(Client(), user.username, "wrong", attacker_address(n)).status_code == 200
    assert post(Client(), user.username, PASSWORD, USER_AT).status_code == 302


def test_a_success_before_the_limit_resets_the_count(login_clock):
    user = make_county_officer()
    for _ in range(4):
        post(Client(), user.username, "wrong", ATTACKER)
    assert post(Client(), user.username, PASSWORD, USER_AT).status_code == 302
    for _ in range(4):
        assert post(Client(), user.username, "wrong", ATTACKER).status_code == 200


def test_a_full_width_or_upper_case_spelling_counts_against_the_same_account(login_clock):
    user = make_county_officer(username="beilun")
    for spelling in ("ｂｅｉｌｕｎ", "BEILUN", " beilun", "Beilun", "ｂｅｉｌｕｎ"):
        post(Client(), spelling, "wrong", ATTACKER)
    assert post(Client(), user.username, PASSWORD, USER_AT).status_code == 429


@override_settings(CLUSTERDESK_LOGIN_FAILURE_LIMIT=2, CLUSTERDESK_LOGIN_COOLOFF_MINUTES=30)
def test_limit_and_cooloff_come_from_settings(login_clock):
    user = make_county_officer()
    post(Client(), user.username, "wrong", ATTACKER)
    post(Client(), user.username, "wrong", ATTACKER)
    refused = post(Client(), user.username, PASSWORD, USER_AT)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1800"
    assert "已暂停登录30分钟。请在30分钟后" in refused.content.decode()


def test_the_admin_login_follows_the_same_policy(login_clock):
    admin = make_admin()
    for n in range(5):
        Client().post(
            "/admin/login/",
            {"username": admin.username, "password": "wrong"},
            REMOTE_ADDR=attacker_address(n),
        )
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": admin.username, "password": PASSWORD},
        REMOTE_ADDR=USER_AT,
    )
    assert response.status_code == 429
    assert ACCOUNT_LOCKED in response.content.decode()
    assert not signed_in(client)


def test_force_login_is_not_affected_by_a_lock(client, login_clock):
    user = make_county_officer()
    lock(user.username)
    client.force_login(user)
    assert client.get("/accounts/password/").status_code == 200


# Trusted browsers ------------------------------------------------------------------------------


def trusted_browser(user) -> Client:
    """A browser in which ``user`` logged in (and out) before."""
    browser = Client()
    assert post(browser, user.username, PASSWORD, USER_AT).status_code == 302
    assert COOKIE in browser.cookies
    browser.post("/accounts/logout/")
    return browser


def test_a_trusted_browser_logs_in_while_its_account_is_under_attack(login_clock):
    user = make_county_officer()
    browser = trusted_browser(user)
    lock(user.username)
    for n in range(40):  # the attack goes on from many addresses
        post(Client(), user.username, "guess", attacker_address(n))

    assert post(Client(), user.username, PASSWORD, USER_AT).status_code == 429  # a new browser
    response = post(browser, user.username, PASSWORD, USER_AT)
    assert response["Location"] == "/county/"
    assert signed_in(browser)


@override_settings(CLUSTERDESK_LOGIN_GLOBAL_LIMIT=3)
def test_a_trusted_browser_logs_in_while_everyone_else_waits(login_clock):
    user = make_county_officer()
    browser = trusted_browser(user)  # one of the three
    for n in range(3):
        post(Client(), f"random{n}", "guess", attacker_address(n))
    assert EVERYONE_LIMITED in post(Client(), "x", "y", USER_AT).content.decode()
    assert post(browser, user.username, PASSWORD, USER_AT).status_code == 302


def test_a_device_cookie_helps_only_the_account_that_logged_in(login_clock):
    victim, attacker = make_county_officer(), make_county_officer()
    browser = trusted_browser(attacker)
    lock(victim.username)
    assert post(browser, victim.username, PASSWORD, ATTACKER).status_code == 429


def test_a_forged_device_cookie_is_worthless(login_clock):
    user = make_county_officer()
    browser = trusted_browser(user)
    lock(user.username)
    value = browser.cookies[COOKIE].value
    browser.cookies[COOKIE] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert post(browser, user.username, PASSWORD, USER_AT).status_code == 429


def test_a_trusted_browser_cannot_guess_without_end(login_clock):
    # A stolen device cookie buys ten guesses per cool-off period; then the browser is like any
    # other: five more failures lock the account.
    user = make_county_officer()
    browser = trusted_browser(user)
    for _ in range(10 + 5):
        assert post(browser, user.username, "guess", ATTACKER).status_code == 200
    assert post(browser, user.username, PASSWORD, ATTACKER).status_code == 429


def test_logging_in_remembers_the_last_accounts_of_a_shared_computer(login_clock):
    first, second = make_county_officer(), make_county_officer()
    browser = trusted_browser(first)
    assert post(browser, second.username, PASSWORD, USER_AT).status_code == 302
    browser.post("/accounts/logout/")
    lock(first.username)
    assert post(browser, first.username, PASSWORD, USER_AT).status_code == 302


# Limits before hashing -------------------------------------------------------------------------


def test_the_address_limit_refuses_before_any_password_is_hashed(hashes, login_clock):
    attacker = Client()
    for n in range(30):
        assert post(attacker, f"nobody{n}", "guess", ATTACKER).status_code == 200
    assert hashes.calls == 30

    refused = post(attacker, "nobody-else", "guess", ATTACKER)
    assert refused.status_code == 429
    assert ADDRESS_LIMITED in refused.content.decode()
    assert refused["Retry-After"] == "300"
    assert hashes.calls == 30  # refused without hashing

    assert post(Client(), "someone", "guess", USER_AT).status_code == 200  # elsewhere: allowed
    login_clock.advance(minutes=5)
    assert post(attacker, "nobody-again", "guess", ATTACKER).status_code == 200


def test_the_global_limit_caps_hashing_from_many_addresses(hashes, login_clock):
    for n in range(60):
        assert post(Client(), f"random{n}", "guess", f"192.0.2.{n + 1}").status_code == 200
    assert hashes.calls == 60

    refused = post(Client(), "random-x", "guess", "192.0.2.200")
    assert refused.status_code == 429
    assert EVERYONE_LIMITED in refused.content.decode()
    assert refused["Retry-After"] == "60"
    assert hashes.calls == 60

    login_clock.advance(seconds=59)
    assert "请在1秒后" in post(Client(), "a", "b", "192.0.2.201").content.decode()
    login_clock.advance(seconds=1)
    assert post(Client(), "random-y", "guess", "192.0.2.202").status_code == 200


def test_a_locked_account_is_refused_before_hashing(hashes, login_clock):
    user = make_county_officer()
    lock(user.username)
    before = hashes.calls
    assert post(Client(), user.username, PASSWORD, USER_AT).status_code == 429
    assert hashes.calls == before


# The client address ----------------------------------------------------------------------------


def test_a_spoofed_forwarded_for_is_ignored_without_proxy_configuration(login_clock):
    for n in range(30):
        post(Client(), f"nobody{n}", "guess", ATTACKER, HTTP_X_FORWARDED_FOR=f"10.9.8.{n}")
    refused = post(Client(), "nobody", "guess", ATTACKER, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert refused.status_code == 429


@override_settings(CLUSTERDESK_TRUSTED_PROXY_COUNT=1)
def test_the_forwarded_for_of_a_configured_proxy_is_honoured(login_clock):
    proxy = "10.0.0.1"
    # The proxy appends the address it saw; what the client wrote stays on the left.
    for n in range(30):
        forwarded = f"10.9.8.{n}, {ATTACKER}"
        post(Client(), f"nobody{n}", "guess", proxy, HTTP_X_FORWARDED_FOR=forwarded)
    spoofed = f"10.9.9.9, {ATTACKER}"
    assert post(Client(), "x", "y", proxy, HTTP_X_FORWARDED_FOR=spoofed).status_code == 429
    other = post(Client(), "x", "y", proxy, HTTP_X_FORWARDED_FOR=USER_AT)
    assert other.status_code == 200  # another client behind the same proxy


# The page --------------------------------------------------------------------------------------


def test_the_refusal_page_is_chinese_and_says_when_to_retry(login_clock):
    user = make_county_officer()
    lock(user.username)
    response = post(Client(), user.username, PASSWORD, USER_AT)
    page = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "<h1>登录暂时受限</h1>" in page
    # Locked at 06:15 Beijing time (START) for 15 minutes.
    assert "请在15分钟后（北京时间 06:30 以后）再试" in page
    assert "在此前成功登录过该账户的电脑和浏览器上，不受此限制" in page
    assert re.search(r"[A-Za-z]{4,}", re.sub(r"<[^>]+>|\{[^}]*\}", "", _main(page))) is None


def _main(page: str) -> str:
    """The page's own section, without the site's header and scripts."""
    start = page.index('<section class="card">')
    return page[start : page.index("</section>", start)]
