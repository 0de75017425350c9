"""Deadline reminders: 7 days and 1 day before, to units with work not sent in, once only."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connections

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.notifications import domain
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification, Reminder
from clusterdesk.rounds.enums import RoundStatus
from tests.factories import SHANGHAI, make_application, make_county_officer, make_round

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2023, 4, 20, 17, 0, tzinfo=SHANGHAI)
REMINDERS = (NotificationKind.DEADLINE_7D, NotificationKind.DEADLINE_1D)


@pytest.fixture
def units():
    """Four units of one open round and one of a closed round, as of TEST_NOW (10 April)."""
    round_ = make_round(submission_deadline=DEADLINE)
    closed = make_round(submission_deadline=DEADLINE, status=RoundStatus.OPEN)
    officers = {
        name: make_county_officer(email=f"{name}@county.example")
        for name in ("draft", "returned", "submitted", "closed_round")
    }
    make_application(round_=round_, officer=officers["draft"])
    make_application(round_=round_, officer=officers["returned"], path=(S.SUBMITTED, S.RETURNED))
    make_application(round_=round_, officer=officers["submitted"], path=(S.SUBMITTED,))
    make_application(round_=closed, officer=officers["closed_round"])
    closed.status = RoundStatus.CLOSED
    closed.save()
    mail.outbox.clear()
    return round_, officers


def reminded(officers, kind) -> set[str]:
    names = {user.pk: name for name, user in officers.items()}
    return {names[n.recipient_id] for n in Notification.objects.filter(kind=kind)}


def run(clock_at, at, capture):
    clock_at(at)
    with capture(execute=True):
        call_command("send_reminders")


def test_nothing_is_due_more_than_7_days_before(
    units, clock_at, django_capture_on_commit_callbacks
):
    run(clock_at, DEADLINE - dt.timedelta(days=7, minutes=1), django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(kind__in=REMINDERS).exists()
    assert not mail.outbox


def test_7_days_before_once(units, clock_at, django_capture_on_commit_callbacks):
    _, officers = units
    at = DEADLINE - dt.timedelta(days=6, hours=20)
    run(clock_at, at, django_capture_on_commit_callbacks)
    run(clock_at, at + dt.timedelta(hours=1), django_capture_on_commit_callbacks)  # the next run

    assert reminded(officers, NotificationKind.DEADLINE_7D) == {"draft", "returned"}
    assert Notification.objects.filter(kind__in=REMINDERS).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "draft@county.example",
        "returned@county.example",
    ]
    notice = Notification.objects.get(recipient=officers["draft"])
    assert notice.title.endswith("申报将于7天内截止")
    assert "2023年4月20日 17:00" in notice.body
    assert "还有 1 份申报尚未提交" in notice.body


def test_1_day_before_once_after_the_7_day_reminder(
    units, clock_at, django_capture_on_commit_callbacks
):
    _, officers = units
    run(clock_at, DEADLINE - dt.timedelta(days=6), django_capture_on_commit_callbacks)
    run(clock_at, DEADLINE - dt.timedelta(hours=20), django_capture_on_commit_callbacks)
    run(clock_at, DEADLINE - dt.timedelta(hours=2), django_capture_on_commit_callbacks)

    assert reminded(officers, NotificationKind.DEADLINE_7D) == {"draft", "returned"}
    assert reminded(officers, NotificationKind.DEADLINE_1D) == {"draft", "returned"}
    assert Notification.objects.filter(kind__in=REMINDERS).count() == 4
    assert len(mail.outbox) == 4
    assert Reminder.objects.count() == 4


def test_nothing_after_the_deadline(units, clock_at, django_capture_on_commit_callbacks):
    run(clock_at, DEADLINE + dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    assert not Reminder.objects.exists()


def test_a_concurrent_run_that_recorded_it_first_wins(units, monkeypatch, clock_at):
    """Two runs at once both pass the cheap "already sent?" check; the unique constraint lets
    only the first record and send it (the second is simulated by recording before it)."""
    round_, officers = units
    clock_at(DEADLINE - dt.timedelta(days=3))
    Reminder.objects.create(
        round=round_, organisation=officers["draft"].organisation, kind=NotificationKind.DEADLINE_7D
    )
    real_filter = Reminder.objects.filter
    monkeypatch.setattr(
        Reminder.objects,
        "filter",
        lambda **kwargs: real_filter(pk__in=[]) if "kind" in kwargs else real_filter(**kwargs),
    )
    result = domain.send_reminders()
    assert [(unit, kind) for _, unit, kind in result.sent] == [
        (officers["returned"].organisation, NotificationKind.DEADLINE_7D)
    ]
    assert result.skipped == 1
    assert reminded(officers, NotificationKind.DEADLINE_7D) == {"returned"}


def test_a_bad_time_is_refused_in_chinese(db):
    with pytest.raises(CommandError) as refused:
        call_command("send_reminders", at="下周一")
    assert refused.value.returncode == 2
    assert "参数 --at 的时间“下周一”无法识别" in str(refused.value)


def test_an_unknown_option_exits_2_in_chinese():
    finished = subprocess.run(
        [sys.executable, "manage.py", "send_reminders", "--bogus"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 2
    assert "参数有误" in finished.stderr
    assert "Traceback" not in finished.stderr


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_once(monkeypatch):
    """Two processes run the job at once, both past the "already sent?" check: the database's
    unique constraint lets one record and send each reminder, the other nothing."""
    round_ = make_round(submission_deadline=DEADLINE)
    officer = make_county_officer(email="draft@county.example")
    make_application(round_=round_, officer=officer)
    real_filter = Reminder.objects.filter
    monkeypatch.setattr(
        Reminder.objects,
        "filter",
        lambda **kwargs: real_filter(pk__in=[]) if "kind" in kwargs else real_filter(**kwargs),
    )
    start = threading.Barrier(2)
    results = []

    def job():
        try:
            start.wait()
            results.append(domain.send_reminders(DEADLINE - dt.timedelta(days=3)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(len(result.sent) for result in results) == [0, 1]
    assert Reminder.objects.count() == 1
    assert Notification.objects.filter(kind__in=REMINDERS).count() == 1
    assert len(mail.outbox) == 1
