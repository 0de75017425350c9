"""What is stored about a 复核.

A 复核 round is a ``Round`` of kind recheck. Each cluster under 复核 is an ``Application`` of that
round (the county's unit, the certified declaration's data), so experts, conflicts, phases,
score sheets, the 会审, the 公示 and the 发文 work on it unchanged. ``RecheckCase`` ties it to
the certification it re-examines.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from clusterdesk.declarations import clock
from clusterdesk.declarations.models import Application
from clusterdesk.registry.models import Certification
from clusterdesk.rounds.models import Round
from clusterdesk.shared.appendonly import AppendOnly


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


class StepKind(models.TextChoices):
    RECTIFY = "rectify", "限期整改"
    FOLLOW_UP_PASSED = "follow_up_passed", "整改复查通过"
    REVOKED = "revoked", "复核不通过，撤销认定"


class RecheckStep(AppendOnly):
    """One decision on a 复核 outside the 会审: 限期整改 (with its deadline and requirements),
    the follow-up that found it rectified (the case goes back to the 会审), or 撤销 (the
    revocation is the revocation app's record). Append-only: the case's history."""

    case = models.ForeignKey(
        RecheckCase, on_delete=models.PROTECT, related_name="steps", verbose_name="复核"
    )
    kind = models.CharField("决定", max_length=20, choices=StepKind.choices)
    deadline = models.DateField("整改期限", null=True, blank=True)
    # The requirements (限期整改), the follow-up's findings, or the reason of the 撤销.
    text = models.TextField("内容")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="recheck_steps",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "复核决定"
        verbose_name_plural = "复核决定"
        ordering = ("case", "recorded_at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(kind__in=StepKind.values), name="recheck_step_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="rectify") | Q(deadline__isnull=False),
                name="recheck_step_rectify_has_deadline",
            ),
        )

    def __str__(self) -> str:
        return f"{self.case}：{self.get_kind_display()}"
