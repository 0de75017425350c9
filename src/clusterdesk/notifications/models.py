"""In-app notifications, and the record that a deadline reminder went out (at most once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clusterdesk.accounts.models import Organisation
from clusterdesk.declarations.models import Application
from clusterdesk.notifications.enums import REMINDER_DAYS, NotificationKind
from clusterdesk.rounds.models import Round
from clusterdesk.shared.appendonly import AppendOnly


class Notification(models.Model):
    """One message to one user; shown in the list until read (``read_at``)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
    )
    kind = models.CharField("类型", max_length=20, choices=NotificationKind.choices)
    # Reminders concern a round, not one application.
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="申报",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, editable=False)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ("-created_at", "-pk")
        indexes = (
            # The header's unread count on every page, and the user's list.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_time"),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            ),
        )

    def __str__(self) -> str:
        return self.title


class Reminder(AppendOnly):
    """A deadline reminder sent to a unit for a round: the unique constraint makes a second
    run, even one running at the same moment, fail to record it again, and so not send it.
    The log of what was sent: append-only, so a reminder cannot be "unsent" and sent again."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="reminders", verbose_name="申报轮次"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="reminders", verbose_name="申报单位"
    )
    kind = models.CharField("类型", max_length=20, choices=NotificationKind.choices)
    sent_at = models.DateTimeField("发送时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "截止提醒"
        verbose_name_plural = "截止提醒"
        constraints = (
            models.UniqueConstraint(
                fields=["round", "organisation", "kind"], name="reminder_once_per_unit_round_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=list(REMINDER_DAYS)), name="reminder_kind_valid"
            ),
        )

    def __str__(self) -> str:
        return f"{self.organisation} · {self.round} · {self.get_kind_display()}"
