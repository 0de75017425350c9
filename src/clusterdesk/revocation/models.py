"""What is stored about a revocation: the decision, its 文号 and reason class. Append-only: a
revocation is a document that was issued; the certification and its history stay as they were
(the application moves to 已撤销 through the workflow, with this decision's reason)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from clusterdesk.declarations import clock
from clusterdesk.declarations.models import ApplicationEvent
from clusterdesk.registry.models import Certification
from clusterdesk.revocation.enums import RevocationReason
from clusterdesk.shared.appendonly import AppendOnly


class Revocation(AppendOnly):
    """One 撤销认定 decision of one certification."""

    certification = models.OneToOneField(
        Certification,
        on_delete=models.PROTECT,
        related_name="revocation",
        verbose_name="认定记录",
    )
    reason_class = models.CharField("撤销原因类别", max_length=20, choices=RevocationReason.choices)
    reason = models.TextField("撤销理由")
    document_number = models.CharField("撤销文号", max_length=60)
    # The 文号 with brackets, width and spaces normalised (registry.domain.numbers), unique.
    number_key = models.CharField("文号（规范化）", max_length=60, unique=True, editable=False)
    decided_on = models.DateField("决定日期")
    # The workflow's record of the move 已认定 → 已撤销, written in the same transaction.
    event = models.OneToOneField(
        ApplicationEvent,
        on_delete=models.PROTECT,
        related_name="revocation",
        verbose_name="申报记录",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="revocations",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "撤销认定"
        verbose_name_plural = "撤销认定"
        ordering = ("-decided_on", "-pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(reason_class__in=RevocationReason.values),
                name="revocation_reason_class_valid",
            ),
        )

    def __str__(self) -> str:
        return f"{self.certification.application}（{self.document_number}）"
