"""What is stored about the annual reports.

A report is an ``Application`` of the year's annual round (``Round.kind`` = annual, form
``annual-…``), so it is filled, autosaved, evidenced, self-checked, submitted, returned with
comments at the field and accepted through the same doors as a declaration. ``ClusterReport``
ties it to the certification it reports on, once per year.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from clusterdesk.declarations.models import Application
from clusterdesk.registry.models import Certification


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
