"""The audit trail of rounds: who created, changed, opened or closed a round, and when.

A separate app so that the record of rounds has its own migrations next to ``declarations``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clusterdesk.declarations.models import AppendOnly, Round
from clusterdesk.rounds.enums import RoundAction


class RoundEvent(AppendOnly):
    """One thing a city officer did to a round. Append-only, like ApplicationEvent."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="events", verbose_name="申报轮次"
    )
    action = models.CharField("操作", max_length=10, choices=RoundAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="round_events",
        verbose_name="操作人",
    )
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = "轮次记录"
        verbose_name_plural = "轮次记录"
        ordering = ("at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(action__in=RoundAction.values), name="round_event_action_valid"
            ),
        )

    def __str__(self) -> str:
        return f"{self.round}：{self.get_action_display()}"
