"""manage.py login_unlock: lifting the login limits by hand."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.accounts.test_login_policy import ATTACKER, USER_AT, lock, post
from tests.factories import PASSWORD, make_county_officer

pytestmark = pytest.mark.django_db


def unlock(*args) -> str:
    out = StringIO()
    call_command("login_unlock", *args, stdout=out)
    return out.getvalue()


def test_unlocking_an_account_lets_its_user_in_at_once(login_clock):
    user, other = make_county_officer(), make_county_officer()
    lock(user.username)
    lock(other.username)
    assert unlock(user.username) == f"账户 {user.username}：已解除锁定。\n"
    assert post(Client(), user.username, PASSWORD, USER_AT).status_code == 302
    assert post(Client(), other.username, PASSWORD, USER_AT).status_code == 429
    assert "未被锁定" in unlock(user.username)


def test_unlocking_an_address(login_clock):
    for n in range(31):
        post(Client(), f"nobody{n}", "guess", ATTACKER)
    assert post(Client(), "x", "y", ATTACKER).status_code == 429
    assert "已解除频率限制" in unlock("--ip", ATTACKER)
    assert post(Client(), "x", "y", ATTACKER).status_code == 200


def test_unlocking_everything(login_clock):
    user = make_county_officer()
    lock(user.username)
    for n in range(31):
        post(Client(), f"nobody{n}", "guess", ATTACKER)
    assert unlock("--all") == "已解除全部登录锁定和频率限制。\n"
    assert post(Client(), user.username, PASSWORD, ATTACKER).status_code == 302


@pytest.mark.parametrize(
    ("args", "message"),
    [((), "请指定用户名、--ip 地址或 --all。"), (("--ip", "10.0.0.999"), "不是有效的网络地址")],
)
def test_unclear_requests_are_refused_in_chinese(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("login_unlock", *args)
