"""What the tracking app stores: the thresholds per round (with their change record), and two
caches that keep the dashboard off the forms' JSON.

A declaration is ~120 KB of JSON and a report some KB: the city-wide dashboard over 500 certified
clusters × 3 reports cannot read them. So what tracking needs of each is derived once and kept:

- ``ClusterPlan``: per certification, part 八's baseline and targets (``panel.tracking.
  plan_from_application``) from the certified declaration's last submitted snapshot. The
  snapshot never changes after certification, so the row is written once (lazily, the first time
  a page tracks that certification) and never goes stale.
- ``ReportFigures``: per annual report application, its ``target_actuals`` at the application's
  ``version``. A report returned and submitted again has a higher version: the row is recomputed
  then (reads compare versions).

Both are rebuilt from the forms at any time; deleting them loses nothing.

- ``TrackSummary``: per certification and year tracked through, what the city-wide figures need
  of its track (status, counts of flagged targets, the largest gap, the output per year), with
  the digest of everything the track was computed from (plan, each counted year's figures,
  thresholds, year, the code's ``SUMMARY_VERSION``). A row whose digest no longer matches its
  inputs is recomputed on read, never shown: a report accepted or figures changed, a plan
  derived, thresholds changed, a renewal all change the inputs; a revoked cluster is no longer
  tracked. So a new process (or another worker) shows the dashboard without tracking 500
  clusters again. The thresholds' door refreshes its round's rows at once (it changes every
  row of the round); ``manage.py refresh_tracking`` fills them all (after a deploy, the demo).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from clusterdesk.declarations import clock
from clusterdesk.declarations.models import Application
from clusterdesk.registry.models import Certification
from clusterdesk.rounds.models import Round
from clusterdesk.shared.appendonly import AppendOnly

DEFAULT_LAGGING = Decimal(5)
DEFAULT_SERIOUS = Decimal(15)


class TrackingSettings(models.Model):
    """Per declaration round: behind the trajectory by more than ``lagging`` % is 滞后, by more
    than ``serious`` % 严重滞后."""

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, related_name="tracking_settings", verbose_name="申报轮次"
    )
    lagging = models.DecimalField(
        "滞后阈值（%）",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_LAGGING,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    serious = models.DecimalField(
        "严重滞后阈值（%）",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_SERIOUS,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        verbose_name = "目标跟踪设置"
        verbose_name_plural = "目标跟踪设置"
        constraints = (
            models.CheckConstraint(
                condition=Q(lagging__gte=0) & Q(lagging__lte=F("serious")) & Q(serious__lte=100),
                name="tracking_settings_order",
            ),
        )

    def __str__(self) -> str:
        return f"{self.round}的目标跟踪设置"


class TrackingSettingsChange(AppendOnly):
    """Who changed a round's thresholds, when, from what to what. Append-only."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="tracking_changes", verbose_name="申报轮次"
    )
    before = models.JSONField("修改前")
    after = models.JSONField("修改后")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tracking_settings_changes",
        verbose_name="操作人",
    )
    at = models.DateTimeField("时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "目标跟踪设置修改记录"
        verbose_name_plural = "目标跟踪设置修改记录"
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.round}：目标跟踪设置修改"


class ClusterPlan(models.Model):
    """Part 八's targets of a certified declaration, derived once (a cache, see the module)."""

    certification = models.OneToOneField(
        Certification,
        on_delete=models.CASCADE,
        related_name="tracking_plan",
        verbose_name="认定记录",
    )
    base_year = models.PositiveSmallIntegerField("基准年度")
    target_year = models.PositiveSmallIntegerField("目标年度")
    # {indicator key: [baseline, target]} as strings (None where not declared).
    goals = models.JSONField("基准值与目标值")

    class Meta:
        verbose_name = "集群规划目标（缓存）"
        verbose_name_plural = "集群规划目标（缓存）"

    def __str__(self) -> str:
        return f"{self.certification_id}的规划目标"


class ReportFigures(models.Model):
    """An annual report's actual values of targets a–g at its ``version`` (a cache)."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="tracking_figures",
        verbose_name="年度报告",
    )
    version = models.PositiveIntegerField("报告版本号")
    values = models.JSONField("实际值")

    class Meta:
        verbose_name = "年度报告指标（缓存）"
        verbose_name_plural = "年度报告指标（缓存）"

    def __str__(self) -> str:
        return f"{self.application_id}的年度指标"


class TrackSummary(models.Model):
    """One certification's track through one year, as the dashboard counts it (a store: see the
    module). ``data``: {"serious": n, "lagging": n, "gap": "…" or null, "output": [[year, "…"]]}."""

    certification = models.ForeignKey(
        Certification,
        on_delete=models.CASCADE,
        related_name="tracking_summaries",
        verbose_name="认定记录",
    )
    through = models.PositiveSmallIntegerField("跟踪至年度")
    digest = models.CharField("输入摘要", max_length=64)
    status = models.CharField("集群状态", max_length=16)
    data = models.JSONField("汇总")

    class Meta:
        verbose_name = "集群跟踪汇总（存储）"
        verbose_name_plural = "集群跟踪汇总（存储）"
        constraints = (
            models.UniqueConstraint(
                fields=("certification", "through"), name="tracking_summary_once_per_year"
            ),
        )

    def __str__(self) -> str:
        return f"{self.certification_id}截至{self.through}年的跟踪汇总"
