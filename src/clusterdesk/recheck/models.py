"""What is stored about a 复核.

A 复核 round is a ``Round`` of kind recheck. Each cluster under 复核 is an ``Application`` of that
round (the county's unit, the certified declaration's data), so experts, conflicts, phases,
score sheets, the 会审, the 公示 and the 发文 work on it unchanged. ``RecheckCase`` ties it to
the certification it re-examines.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from clusterdesk.declarations import clock
from clusterdesk.declarations.models import Application
from clusterdesk.registry.models import Certification
from clusterdesk.rounds.models import Round


class RecheckCase(models.Model):
    """Certification ``certification`` re-examined in 复核 round ``round`` as ``application``."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="recheck_cases", verbose_name="复核轮次"
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="recheck_case",
        verbose_name="复核申报",
    )
    certification = models.ForeignKey(
        Certification,
        on_delete=models.PROTECT,
        related_name="recheck_cases",
        verbose_name="认定记录",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="recheck_cases",
        verbose_name="发起人",
    )
    opened_at = models.DateTimeField("发起时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "复核"
        verbose_name_plural = "复核"
        ordering = ("round", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=["round", "certification"], name="recheck_case_once_per_round"
            ),
        )

    def __str__(self) -> str:
        return f"{self.certification.application}（{self.round}）"
