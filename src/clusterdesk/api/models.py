"""An API token: a user's key to /api/v1/, kept only as the SHA-256 of its secret."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ApiToken(models.Model):
    """Issued and revoked by the administrator. The secret is shown once when issued; the
    database holds its SHA-256 (a leaked table opens nothing) and a prefix to tell tokens apart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name="用户",
    )
    name = models.CharField("用途", max_length=100, help_text="如“省厅数据对接”。")
    prefix = models.CharField("令牌前缀", max_length=16, unique=True, editable=False)
    token_hash = models.CharField("令牌 SHA-256", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ("-created_at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"), name="api_token_hash_sha256"
            ),
        )

    def __str__(self) -> str:
        return f"{self.prefix}…（{self.name}）"
