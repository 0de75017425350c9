"""What is stored about the annual reports.

A report is an ``Application`` of the year's annual round (``Round.kind`` = annual, form
``annual-…``), so it is filled, autosaved, evidenced, self-checked, submitted, returned with
comments at the field and accepted through the same doors as a declaration. ``ClusterReport``
ties it to the certification it reports on, once per year.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from clusterdesk.declarations import clock
from clusterdesk.declarations.models import Application
from clusterdesk.registry.models import Certification
from clusterdesk.shared.appendonly import AppendOnly


class ClusterReport(models.Model):
    """The annual report ``application`` of certified cluster ``certification`` on ``year``."""

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="cluster_report",
        verbose_name="年度报告",
    )
    certification = models.ForeignKey(
        Certification,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name="认定记录",
    )
    year = models.PositiveSmallIntegerField("报告年度")

    class Meta:
        verbose_name = "年度发展情况报告"
        verbose_name_plural = "年度发展情况报告"
        ordering = ("certification", "year")
        constraints = (
            models.UniqueConstraint(
                fields=["certification", "year"], name="cluster_report_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="cluster_report_year_range"
            ),
        )

    def __str__(self) -> str:
        return f"{self.certification.application}·{self.year}年度报告"


class ChangeDecision(models.TextChoices):
    ACCEPT = "accept", "接受变更"
    REVOKE = "revoke", "启动撤销"


class MajorChangeCase(AppendOnly):
    """A report that listed major changes (主导产业, 区域范围, 运营主体), opened for the city
    when the report was submitted; once per report. Append-only: the decision is its own row."""

    report = models.OneToOneField(
        ClusterReport,
        on_delete=models.PROTECT,
        related_name="major_change",
        verbose_name="年度报告",
    )
    changes = models.JSONField("报告的重大变更", default=list)
    opened_at = models.DateTimeField("提出时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "重大变更事项"
        verbose_name_plural = "重大变更事项"
        ordering = ("-opened_at", "-pk")

    def __str__(self) -> str:
        return f"{self.report}的重大变更"


class MajorChangeDecision(AppendOnly):
    """The city's decision on a major change case: 接受变更 or 启动撤销. Append-only, once."""

    case = models.OneToOneField(
        MajorChangeCase,
        on_delete=models.PROTECT,
        related_name="decision",
        verbose_name="重大变更事项",
    )
    decision = models.CharField("决定", max_length=10, choices=ChangeDecision.choices)
    note = models.TextField("说明")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="major_change_decisions",
        verbose_name="决定人",
    )
    decided_at = models.DateTimeField("决定时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "重大变更决定"
        verbose_name_plural = "重大变更决定"
        constraints = (
            models.CheckConstraint(
                condition=Q(decision__in=ChangeDecision.values), name="major_change_decision_valid"
            ),
        )

    def __str__(self) -> str:
        return f"{self.case}：{self.get_decision_display()}"
