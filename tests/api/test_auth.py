"""Tokens: issued by the administrator, hashed at rest, with expiry and revocation, rate-limited."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from clusterdesk.api import tokens
from clusterdesk.api.models import ApiToken
from clusterdesk.errors import DomainError
from tests.factories import make_admin, make_county_officer, make_user

pytestmark = pytest.mark.django_db

ROUNDS = "/api/v1/rounds"
SECRET = re.compile(r"cdk_[A-Za-z0-9_-]{43}")


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def detail(response) -> str:
    return response.json()["detail"]


def test_the_secret_is_kept_only_as_its_sha256():
    officer = make_county_officer()
    issued = tokens.issue(officer, "省厅数据对接")
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert row.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.filter(pk=row.pk).values().get().values()]
    assert issued.secret not in stored
    assert all(issued.secret not in value or value == row.prefix for value in stored)
    assert issued.secret.startswith(row.prefix)
    assert len(row.prefix) < len(issued.secret) // 3
    assert row.expires_at - timezone.now() > dt.timedelta(days=tokens.DEFAULT_DAYS - 1)


def test_a_live_token_opens_the_api_and_is_marked_used(client):
    officer = make_county_officer()
    issued = tokens.issue(officer, "对接")
    response = client.get(ROUNDS, **bearer(issued.secret))
    assert response.status_code == 200
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at is not None


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (None, "需要接口令牌"),
        ("Bearer cdk_" + "x" * 43, "接口令牌无效"),
        ("Bearer nonsense", "接口令牌无效"),
        ("Basic dXNlcjpwYXNz", "需要接口令牌"),
    ],
)
def test_missing_or_unknown_tokens_get_401_in_chinese(client, header, words):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(ROUNDS, **extra)
    assert response.status_code == 401
    assert words in detail(response)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused(client):
    issued = tokens.issue(make_county_officer(), "对接", days=1)
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(ROUNDS, **bearer(issued.secret))
    assert response.status_code == 401
    assert "已过期" in detail(response)


def test_a_revoked_token_is_refused(client):
    issued = tokens.issue(make_county_officer(), "对接")
    assert client.get(ROUNDS, **bearer(issued.secret)).status_code == 200
    assert tokens.revoke(issued.token)
    assert not tokens.revoke(issued.token)  # once
    response = client.get(ROUNDS, **bearer(issued.secret))
    assert response.status_code == 401
    assert "已被吊销" in detail(response)


def test_a_deactivated_user_s_token_is_refused(client):
    officer = make_county_officer()
    issued = tokens.issue(officer, "对接")
    officer.is_active = False
    officer.save()
    assert client.get(ROUNDS, **bearer(issued.secret)).status_code == 401


def test_experts_get_no_token():
    with pytest.raises(DomainError, match="开放接口只供"):
        tokens.issue(make_user("expert"), "评审")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("name", "days"), [("", 30), ("对接", 0), ("对接", 400)])
def test_bad_issue_input_is_refused(name, days):
    with pytest.raises(DomainError):
        tokens.issue(make_county_officer(), name, days)


def test_requests_over_the_rate_limit_get_429_per_token(client, settings):
    settings.CLUSTERDESK_API_RATE_LIMIT = 3
    officer = make_county_officer()
    first, second = tokens.issue(officer, "一"), tokens.issue(officer, "二")
    statuses = [client.get(ROUNDS, **bearer(first.secret)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(ROUNDS, **bearer(first.secret))
    assert "请求过于频繁" in detail(refused)
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert client.get(ROUNDS, **bearer(second.secret)).status_code == 200  # per token
    assert client.get("/api/v1/certified").status_code == 200  # the public list: no token


# --- the command ---------------------------------------------------------------------------


def test_the_command_issues_lists_and_revokes(capsys, client):
    officer = make_county_officer()
    call_command("api_token", "issue", officer.username, "--name", "省厅对接", "--days", "30")
    out = capsys.readouterr().out
    secret = out.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert secret.startswith(token.prefix)
    assert token.token_hash == tokens.hash_of(secret)
    assert client.get(ROUNDS, **bearer(secret)).status_code == 200
    call_command("api_token", "list")
    listed = capsys.readouterr().out
    assert token.prefix in listed
    assert "有效" in listed
    assert secret not in listed
    call_command("api_token", "revoke", token.prefix)
    assert "已吊销" in capsys.readouterr().out
    assert client.get(ROUNDS, **bearer(secret)).status_code == 401


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["issue", "nobody", "--name", "x"], "没有用户"),
        (["revoke", "cdk_missing"], "令牌前缀"),
        ([], "issue"),
    ],
)
def test_the_command_refuses_bad_input_with_exit_code_2(args, words):
    make_county_officer()
    with pytest.raises(CommandError, match=words) as raised:
        call_command("api_token", *args)
    assert raised.value.returncode == 2
    assert not ApiToken.objects.exists()


def test_the_command_refuses_an_expert():
    expert = make_user("expert")
    with pytest.raises(CommandError, match="开放接口只供") as raised:
        call_command("api_token", "issue", expert.username, "--name", "评审")
    assert raised.value.returncode == 2


# --- the admin -----------------------------------------------------------------------------


def test_the_admin_issues_a_token_shown_once_and_revokes_it(client):
    admin_user = make_admin()
    officer = make_county_officer()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:api_apitoken_add"), {"user": officer.pk, "name": "省厅对接"}, follow=True
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    secret = next(m for m in map(SECRET.search, shown) if m).group()
    assert secret.startswith(token.prefix)
    assert token.token_hash == tokens.hash_of(secret)
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert secret not in page.content.decode()  # never again
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get(ROUNDS, **bearer(secret)).status_code == 401
