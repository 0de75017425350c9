"""Kinds of notification (leaf module)."""

from django.db import models


class NotificationKind(models.TextChoices):
    RETURNED = "returned", "申报被退回"
    ACCEPTED = "accepted", "申报已受理"
    RESUBMITTED = "resubmitted", "申报重新提交"
    DEADLINE_7D = "deadline_7d", "截止前7天提醒"
    DEADLINE_1D = "deadline_1d", "截止前1天提醒"


# The reminders and how long before the deadline each is due.
REMINDER_DAYS: dict[str, int] = {NotificationKind.DEADLINE_7D: 7, NotificationKind.DEADLINE_1D: 1}
