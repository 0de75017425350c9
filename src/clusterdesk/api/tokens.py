"""Issuing, revoking and checking API tokens (the one place that knows how a token looks).

A token is ``cdk_`` followed by 43 URL-safe characters (256 random bits). Only its SHA-256 is
stored: a table of SHA-256s of random 256-bit secrets cannot be reversed or guessed, so no slow
password hash is needed and a request costs one indexed lookup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.utils import timezone

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from clusterdesk.api.models import ApiToken
from clusterdesk.errors import DomainError

PREFIX = "cdk_"
PREFIX_SHOWN = 12  # "cdk_" and 8 characters of the secret: enough to tell tokens apart
DEFAULT_DAYS = 90
MAX_DAYS = 366
# last_used_at is written at most this often per token: not one UPDATE per request.
TOUCH_EVERY = dt.timedelta(minutes=1)
# Who may hold a token: the API's endpoints are scoped like the county's and the city's pages;
# an expert's work (scoring within an open phase) has no API.
TOKEN_ROLES = frozenset({Role.COUNTY_OFFICER, Role.CITY_OFFICER, Role.ADMIN})


class TokenRefused(DomainError):
    """A request's token does not open the API; ``message`` says why (401)."""


@dataclass(frozen=True)
class Issued:
    token: ApiToken
    secret: str  # shown once, never stored


def hash_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_refusal(user: User) -> str | None:
    if not user.is_active:
        return f"用户“{user.username}”已停用，不能签发接口令牌。"
    if user.role not in TOKEN_ROLES:
        role = user.get_role_display()
        return f"用户“{user.username}”的角色是{role}，开放接口只供区县、市局和管理员使用。"
    return None


def issue(user: User, name: str, days: int = DEFAULT_DAYS) -> Issued:
    """A new token for ``user``, valid for ``days`` days; the secret is in the answer only."""
    problem = issue_refusal(user)
    if problem:
        raise DomainError(problem)
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError("请填写令牌用途（1–100 个字）。")
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(f"有效天数应在 1 到 {MAX_DAYS} 之间。")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:PREFIX_SHOWN],
        token_hash=hash_of(secret),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return Issued(token, secret)


def revoke(token: ApiToken) -> bool:
    """Revoke ``token`` from now on; False if it was revoked already."""
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def authenticate(secret: str) -> ApiToken:
    """The live token for ``secret`` with its user, or ``TokenRefused`` saying why."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        raise TokenRefused("接口令牌无效。")
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(token_hash=hash_of(secret))
        .first()
    )
    if token is None:
        raise TokenRefused("接口令牌无效。")
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused("接口令牌已被吊销，请向系统管理员申请新的令牌。")
    if token.expires_at <= now:
        raise TokenRefused("接口令牌已过期，请向系统管理员申请新的令牌。")
    user = token.user
    if issue_refusal(user):
        raise TokenRefused("该令牌的用户已停用或无权使用开放接口。")
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
