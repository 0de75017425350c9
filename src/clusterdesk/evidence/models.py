"""What is stored about evidence files. Which item of which application uses a file is in the
application's register (``data["evidence"]``); a blob is the file itself, shared by content."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Blob(models.Model):
    """One stored file, addressed by its SHA-256; created by the first upload of that content."""

    sha256 = models.CharField("SHA-256 校验值", max_length=64, primary_key=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    kind = models.CharField("格式", max_length=10)
    content_type = models.CharField("内容类型", max_length=100)
    created_at = models.DateTimeField("首次上传时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="首次上传人",
    )

    class Meta:
        verbose_name = "佐证材料文件"
        verbose_name_plural = "佐证材料文件"
        constraints = (
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="blob_sha256_hex"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="blob_not_empty"),
        )

    def __str__(self) -> str:
        return self.sha256
