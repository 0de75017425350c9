"""Exports built in the background (导出文件): what was asked, how far it got, the file made."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clusterdesk.rounds.models import Round

# A worker stopped mid-export (a machine restarted) leaves it 生成中, a lost task 排队中: after
# this long (RQ's job timeout) it may be retried.
STALE_AFTER = dt.timedelta(hours=4)


class ExportKind(models.TextChoices):
    ROUND_ZIP = "round_zip", "全部申报材料（ZIP）"
    SUMMARY_DOCX = "summary_docx", "附件1 推荐汇总表（Word）"
    SUMMARY_XLSX = "summary_xlsx", "附件1 推荐汇总表（Excel）"
    SUMMARY_PDF = "summary_pdf", "附件1 推荐汇总表（PDF）"
    INBOX_XLSX = "inbox_xlsx", "收件箱列表（Excel）"
    APPLICATION_PDF = "application_pdf", "附件2 申报表（PDF）"
    APPLICATION_ZIP = "application_zip", "单个申报电子版（ZIP）"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Export(models.Model):
    """One export a user asked for. The file is written by the worker under a temporary name
    and renamed into ``file_path`` only when complete; only a ``done`` export is served."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exports",
        verbose_name="导出人",
    )
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="exports", verbose_name="申报轮次"
    )
    kind = models.CharField("导出内容", max_length=20, choices=ExportKind.choices)
    # What the kind needs besides the round: the inbox's filters (``query``), ``pdf``, the
    # ``application`` of the per-application kinds.
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    done = models.PositiveIntegerField("已完成步数", default=0)
    total = models.PositiveIntegerField("总步数", default=0)
    message = models.TextField("说明", blank=True)
    file_name = models.CharField("下载文件名", max_length=255)
    # Relative to CLUSTERDESK_EXPORT_DIR; empty until the file is complete.
    file_path = models.CharField("文件", max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.BigIntegerField("大小（字节）", null=True, blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    created_at = models.DateTimeField("创建时间", default=timezone.now, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出文件"
        verbose_name_plural = "导出文件"
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=("user", "-created_at"), name="export_user_created"),)
        constraints = (
            models.CheckConstraint(
                condition=Q(kind__in=ExportKind.values), name="export_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="export_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(size__isnull=True) | Q(size__gte=0), name="export_size_not_negative"
            ),
        )

    def __str__(self) -> str:
        return f"{self.round} · {self.get_kind_display()}"

    @property
    def pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def retryable(self) -> bool:
        """Failed, or stuck: 生成中 or 排队中 for longer than ``STALE_AFTER`` (a worker that
        stopped mid-export, a task the queue lost)."""
        if self.status == ExportStatus.FAILED:
            return True
        since = timezone.now() - STALE_AFTER
        if self.status == ExportStatus.RUNNING:
            return self.started_at is not None and self.started_at < since
        return self.status == ExportStatus.QUEUED and self.created_at < since
