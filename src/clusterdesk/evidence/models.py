"""What is stored about evidence files. Which item of which application uses a file is in the
application's register (``data["evidence"]``); a blob is the file itself, shared by content."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clusterdesk.shared.appendonly import AppendOnly


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


class Upload(AppendOnly):
    """A file given to one application: the only way a file enters that application's register.

    An application's register may name a file only if it has an ``Upload`` of that file, and a
    download or package includes a file only then, so a SHA-256 learnt elsewhere (every printed
    Attachment 2 lists them) opens nothing. Uploads are never removed: taking a file off the
    register leaves the record that it was given.
    """

    application = models.ForeignKey(
        "declarations.Application",
        on_delete=models.PROTECT,
        related_name="uploads",
        verbose_name="集群申报",
    )
    blob = models.ForeignKey(
        Blob, on_delete=models.PROTECT, related_name="uploads", verbose_name="文件"
    )
    name = models.CharField("文件名", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="上传人",
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "佐证材料上传记录"
        verbose_name_plural = "佐证材料上传记录"
        constraints = (
            models.UniqueConstraint(
                fields=["application", "blob"], name="upload_once_per_application"
            ),
        )

    def __str__(self) -> str:
        return self.name
