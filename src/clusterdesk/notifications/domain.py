"""Who is told what, in the app and by e-mail.

Notifications are written in the transaction that causes them (a workflow move, a reminder), so
they exist exactly when the move does; e-mail goes out only once that transaction has committed,
and a mail server that fails is logged, never undoes the move.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import Organisation, User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as State
from clusterdesk.declarations.models import (
    Application,
    ApplicationEvent,
    Comment,
    CommentStatus,
)
from clusterdesk.notifications.enums import REMINDER_DAYS, NotificationKind
from clusterdesk.notifications.models import Notification, Reminder
from clusterdesk.rounds.enums import RoundKind, RoundStatus
from clusterdesk.rounds.models import Round

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "【集群申报平台】"

# The moves someone must hear about, and what kind of notice each is.
MOVE_KINDS: dict[tuple[str, str], str] = {
    (State.SUBMITTED, State.RETURNED): NotificationKind.RETURNED,
    (State.UNDER_REVIEW, State.RETURNED): NotificationKind.RETURNED,
    (State.SUBMITTED, State.UNDER_REVIEW): NotificationKind.ACCEPTED,
    (State.RETURNED, State.SUBMITTED): NotificationKind.RESUBMITTED,
    (State.UNDER_REVIEW, State.PROPOSED): NotificationKind.PROPOSED,
    (State.UNDER_REVIEW, State.REJECTED): NotificationKind.REJECTED,
    (State.PROPOSED, State.REJECTED): NotificationKind.REJECTED,
    (State.PROPOSED, State.CERTIFIED): NotificationKind.CERTIFIED,
}

# The decision's notices to the county (what the county sees of the review: never scores or
# experts' names, only the outcome and, for a refusal, its reason).
DECISION_TEXTS: dict[str, tuple[str, str]] = {
    NotificationKind.PROPOSED: (
        "申报{name}拟认定，进入公示",
        "经会审，{unit}的申报{name}拟认定，现进入公示。",
    ),
    NotificationKind.REJECTED: (
        "申报{name}不予认定",
        "经审核，{unit}的申报{name}不予认定。\n理由：{reason}",
    ),
    NotificationKind.CERTIFIED: (
        "申报{name}已认定",
        "{unit}的申报{name}经公示无异议，已发文认定。",
    ),
}

# A unit still has work to send in while one of its applications is in these states.
UNSUBMITTED = (State.DRAFT, State.RETURNED)


def county_officers(organisation_id: int) -> Iterable[User]:
    return User.objects.filter(
        role=Role.COUNTY_OFFICER, organisation_id=organisation_id, is_active=True
    ).order_by("pk")


def city_officers() -> Iterable[User]:
    return User.objects.filter(role=Role.CITY_OFFICER, is_active=True).order_by("pk")


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    body: str
    url: str  # a path on the site


def notify(
    recipients: Iterable[User], message: Message, application: Application | None = None
) -> list[Notification]:
    """Write ``message`` for each recipient now; e-mail those with an address after commit."""
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=message.kind,
            application=application,
            title=message.title,
            body=message.body,
            url=message.url,
        )
        for user in recipients
    )
    addresses = [n.recipient.email for n in notifications if n.recipient.email]
    if addresses:
        transaction.on_commit(lambda: send_emails(message, addresses))
    return notifications


def absolute_url(path: str) -> str:
    return settings.CLUSTERDESK_SITE_URL.rstrip("/") + path


def send_emails(message: Message, addresses: list[str]) -> None:
    """One e-mail per address (no one sees the others' addresses); failures are logged."""
    link = absolute_url(message.url)
    body = f"{message.body}\n\n查看详情：{link}\n\n（本邮件由系统自动发送，请勿回复。）"
    try:
        connection = get_connection()
        connection.send_messages(
            [
                EmailMessage(SUBJECT_PREFIX + message.title, body, to=[address])
                for address in addresses
            ]
        )
    except Exception:
        # The move is saved and the notice is in the app; a mail server being down must not
        # turn into an error page for the officer who made the move.
        logger.exception("通知邮件发送失败：%s（%d 个收件人）", message.title, len(addresses))


# --- workflow moves --------------------------------------------------------------------------


def notify_move(application: Application, event: ApplicationEvent, actor: User) -> None:
    """Registered in ``workflow.AFTER_EVERY_MOVE``: runs inside the move's transaction."""
    kind = MOVE_KINDS.get((event.from_state, event.to_state))
    if kind is None:
        return
    name = f"“{application}”"
    unit = application.organisation
    if kind == NotificationKind.RETURNED:
        message = Message(
            kind,
            f"申报{name}被退回修改",
            f"市经信局退回了{unit}的申报{name}，请按意见修改后重新提交。\n退回理由：{event.reason}"
            + _comments_sent(event),
            reverse("form:start", kwargs={"pk": application.pk}),
        )
        recipients = county_officers(application.organisation_id)
    elif kind == NotificationKind.ACCEPTED:
        message = Message(
            kind,
            f"申报{name}已受理审核",
            f"市经信局已受理{unit}的申报{name}，进入审核。",
            reverse("form:start", kwargs={"pk": application.pk}),
        )
        recipients = county_officers(application.organisation_id)
    elif kind in DECISION_TEXTS:
        title, body = DECISION_TEXTS[kind]
        message = Message(
            kind,
            title.format(name=name),
            body.format(name=name, unit=unit, reason=event.reason),
            reverse("form:timeline", kwargs={"pk": application.pk}),
        )
        recipients = county_officers(application.organisation_id)
    else:
        message = Message(
            kind,
            f"{unit}重新提交了申报{name}",
            f"{unit}修改后重新提交了被退回的申报{name}，请审核。" + _comments_answered(application),
            reverse("form:timeline", kwargs={"pk": application.pk}),
        )
        recipients = city_officers()
    notify(recipients, message, application)


def _comments_sent(event: ApplicationEvent) -> str:
    """The field comments this return published (declarations.domain.comments), if any."""
    sent = Comment.objects.filter(returned_with=event).count()
    return f"\n随退回发出审核意见 {sent} 条，请在申报表各栏目旁逐条回复。" if sent else ""


def _comments_answered(application: Application) -> str:
    """How many of the comments sent back the county marked answered, if any were sent."""
    counts = Comment.objects.filter(
        application=application, status__in=(CommentStatus.OPEN, CommentStatus.ANSWERED)
    ).aggregate(total=Count("pk"), answered=Count("pk", filter=Q(status=CommentStatus.ANSWERED)))
    if not counts["total"]:
        return ""
    return f"\n审核意见已标记处理 {counts['answered']} 条，共 {counts['total']} 条未关闭。"


# --- deadline reminders ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderResult:
    sent: list[tuple[Round, Organisation, str]]  # (round, unit, kind) reminded in this run
    skipped: int  # due but already sent (by an earlier or a concurrent run)


# The reminders each kind of round sends: a declaration 7 and 1 days ahead (issue 5); an annual
# report also 30 days ahead, its window being three months long.
_DECLARATION_REMINDERS = (NotificationKind.DEADLINE_7D, NotificationKind.DEADLINE_1D)
REMINDERS_OF_KIND: dict[str, tuple[str, ...]] = {
    RoundKind.DECLARATION: _DECLARATION_REMINDERS,
    RoundKind.ANNUAL: (NotificationKind.DEADLINE_30D, *_DECLARATION_REMINDERS),
    RoundKind.RECHECK: (),  # nothing for a county to submit
}


def due_kind(
    deadline: dt.datetime, now: dt.datetime, kinds: tuple[str, ...] = _DECLARATION_REMINDERS
) -> str | None:
    """The reminder of ``kinds`` due ``now`` for ``deadline``: the nearest window it is in
    (1 day, then 7, then 30)."""
    if now >= deadline:
        return None
    left = deadline - now
    for kind, days in sorted(((k, REMINDER_DAYS[k]) for k in kinds), key=lambda item: item[1]):
        if left <= dt.timedelta(days=days):
            return kind
    return None


# Apps above say, per round kind, which units have something due in a round beyond their drafts
# (monitoring: certified clusters without a submitted annual report), with a count and the
# page to do it on: each hook (round) -> {organisation id: count}; LINK_OF_KIND the URL name.
PENDING_FROM_ABOVE: dict[str, list[Callable[[Round], dict[int, int]]]] = {}
LINK_OF_KIND: dict[str, str] = {}


def send_reminders(now: dt.datetime | None = None) -> ReminderResult:
    """Remind every unit with a draft or returned application in an open round whose deadline
    is 7 days (or 1 day) away; each (unit, round, kind) once, however often this runs."""
    now = now or clock.now()
    sent, skipped = [], 0
    rounds = Round.objects.filter(status=RoundStatus.OPEN, submission_deadline__gt=now)
    for round_ in rounds.order_by("submission_deadline", "pk"):
        kind = due_kind(round_.submission_deadline, now, REMINDERS_OF_KIND[round_.kind])
        if kind is None:
            continue
        due: dict[int, int] = {}
        for hook in PENDING_FROM_ABOVE.get(round_.kind, ()):
            for unit_id, count in hook(round_).items():
                due[unit_id] = max(due.get(unit_id, 0), count)
        units = Organisation.objects.filter(
            Q(
                pk__in=Application.objects.filter(round=round_, state__in=UNSUBMITTED).values(
                    "organisation_id"
                )
            )
            | Q(pk__in=[unit_id for unit_id, count in due.items() if count])
        ).order_by("position", "pk")
        for unit in units:
            if _remind(round_, unit, kind, due.get(unit.pk)):
                sent.append((round_, unit, kind))
            else:
                skipped += 1
    return ReminderResult(sent, skipped)


def _remind(round_: Round, unit: Organisation, kind: str, due: int | None = None) -> bool:
    if Reminder.objects.filter(round=round_, organisation=unit, kind=kind).exists():
        return False
    try:
        with transaction.atomic():
            # Recorded first: a concurrent run inserting the same row waits for this one and
            # then fails on the unique constraint, so it writes and sends nothing.
            Reminder.objects.create(round=round_, organisation=unit, kind=kind)
            pending = Application.objects.filter(
                round=round_, organisation=unit, state__in=UNSUBMITTED
            ).count()
            pending = max(pending, due or 0)
            deadline = timezone.localtime(round_.submission_deadline)
            days = REMINDER_DAYS[kind]
            notify(
                county_officers(unit.pk),
                Message(
                    kind,
                    f"“{round_}”申报将于{days}天内截止",
                    f"“{round_}”的申报截止时间为{deadline.year}年{deadline.month}月"
                    f"{deadline.day}日 {deadline:%H:%M}。{unit}还有 {pending} 份"
                    + (
                        "申报尚未提交（草稿或被退回）"
                        if due is None
                        else f"{RoundKind(round_.kind).label}尚未提交"
                    )
                    + "，请在截止前完成提交。",
                    reverse(LINK_OF_KIND.get(round_.kind, "county:dashboard")),
                ),
            )
    except IntegrityError:
        return False
    return True


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
