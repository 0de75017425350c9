"""Kinds of notification (leaf module)."""

from django.db import models


class NotificationKind(models.TextChoices):
    RETURNED = "returned", "申报被退回"
    ACCEPTED = "accepted", "申报已受理"
    RESUBMITTED = "resubmitted", "申报重新提交"
    DEADLINE_7D = "deadline_7d", "截止前7天提醒"
    DEADLINE_1D = "deadline_1d", "截止前1天提醒"
    # The review and certification (审核认定) that follow intake.
    PROPOSED = "proposed", "拟认定公示"
    REJECTED = "rejected", "不予认定"
    CERTIFIED = "certified", "已认定"
    DEFENCE = "defence", "现场答辩安排"
    ASSIGNED = "assigned", "评审任务"
    RECUSAL = "recusal", "专家回避"
    # The three years after certification (monitoring, 复核, revocation).
    DEADLINE_30D = "deadline_30d", "截止前30天提醒"
    REPORT_ACCEPTED = "report_accepted", "年度报告已通过"
    MAJOR_CHANGE = "major_change", "重大变更"
    RECHECK = "recheck", "复核"
    RECTIFICATION = "rectification", "限期整改"
    REVOKED = "revoked", "撤销认定"


# The reminders and how long before the deadline each is due.
# Every reminder kind and its days; which of them a round sends depends on its kind (the annual
# reports are reminded 30 days ahead as well).
REMINDER_DAYS: dict[str, int] = {
    NotificationKind.DEADLINE_30D: 30,
    NotificationKind.DEADLINE_7D: 7,
    NotificationKind.DEADLINE_1D: 1,
}
