"""The rubric per round, one score sheet per assignment, and the sheet's append-only history.

Sheets change only through ``scoring.domain.sheets`` (save_draft, submit_sheet, reopen_sheet),
which writes a ``ScoreSheetEvent`` for every submit and reopen.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clusterdesk.panel.aggregate import MEAN, MEDIAN, TRIMMED
from clusterdesk.panel.rubric import NOT_RECOMMEND, RECOMMEND, default_rubric
from clusterdesk.shared.appendonly import AppendOnly


def _default_rubric() -> dict:
    return default_rubric().model_dump(mode="json")


class AggregateMethod(models.TextChoices):
    MEAN = MEAN, "算术平均分"
    MEDIAN = MEDIAN, "中位数"
    TRIMMED = TRIMMED, "去掉一个最高分和一个最低分后的平均分"


class Opinion(models.TextChoices):
    RECOMMEND = RECOMMEND, "推荐认定"
    NOT_RECOMMEND = NOT_RECOMMEND, "不推荐"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"


class ScoringSettings(models.Model):
    round = models.OneToOneField(
        "rounds.Round",
        on_delete=models.PROTECT,
        related_name="scoring_settings",
        verbose_name="申报轮次",
    )
    rubric = models.JSONField("评分标准", default=_default_rubric)
    aggregate = models.CharField(
        "汇总方法",
        max_length=10,
        choices=AggregateMethod.choices,
        default=AggregateMethod.TRIMMED,
    )
    disagreement_margin = models.DecimalField(
        "分歧提示阈值（分）", max_digits=5, decimal_places=2, default=Decimal(15)
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "评分设置"
        verbose_name_plural = "评分设置"
        constraints = (
            models.CheckConstraint(
                condition=Q(aggregate__in=AggregateMethod.values),
                name="scoring_settings_aggregate_valid",
            ),
            models.CheckConstraint(
                condition=Q(disagreement_margin__gte=0) & Q(disagreement_margin__lte=100),
                name="scoring_settings_margin_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.round} 评分设置"

    @property
    def margin_text(self) -> str:
        return format(Decimal(self.disagreement_margin).normalize(), "f")


class ScoreSheet(models.Model):
    assignment = models.OneToOneField(
        "review.Assignment",
        on_delete=models.PROTECT,
        related_name="score_sheet",
        verbose_name="评审任务",
    )
    scores = models.JSONField("各项得分", default=dict, blank=True)
    comments = models.JSONField("各项评语", default=dict, blank=True)
    opinion = models.CharField(
        "总体意见", max_length=20, choices=Opinion.choices, blank=True, default=""
    )
    opinion_reason = models.TextField("意见理由", blank=True, default="")
    status = models.CharField(
        "状态", max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    version = models.PositiveIntegerField("版本", default=0)
    # The weighted total as submitted (0–100), kept so the ranking need not re-read the rubric.
    total = models.DecimalField("加权总分", max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "专家评分表"
        verbose_name_plural = "专家评分表"
        constraints = (
            models.CheckConstraint(
                condition=Q(status__in=SheetStatus.values), name="score_sheet_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(opinion__in=[*Opinion.values, ""]), name="score_sheet_opinion_valid"
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=0),
                name="score_sheet_total_not_negative",
            ),
        )

    def __str__(self) -> str:
        return f"评分表 {self.assignment_id}"


class SheetAction(models.TextChoices):
    SUBMIT = "submit", "提交"
    REOPEN = "reopen", "退回重评"


class ScoreSheetEvent(AppendOnly):
    """A submit (with the scores as submitted) or a reopen (with the city's reason)."""

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.PROTECT, related_name="events", verbose_name="评分表"
    )
    action = models.CharField("操作", max_length=10, choices=SheetAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="score_sheet_events",
        verbose_name="操作人",
    )
    reason = models.TextField("理由", blank=True)
    detail = models.JSONField("内容", default=dict, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = "评分记录"
        verbose_name_plural = "评分记录"
        ordering = ("at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(action__in=SheetAction.values), name="score_sheet_event_action_valid"
            ),
        )


class ScoringSettingsEvent(AppendOnly):
    """A change of a round's rubric, aggregate or margin, with what it became."""

    round = models.ForeignKey(
        "rounds.Round",
        on_delete=models.PROTECT,
        related_name="scoring_settings_events",
        verbose_name="申报轮次",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scoring_settings_events",
        verbose_name="操作人",
    )
    detail = models.JSONField("修改内容", default=dict, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = "评分设置记录"
        verbose_name_plural = "评分设置记录"
        ordering = ("at", "pk")
