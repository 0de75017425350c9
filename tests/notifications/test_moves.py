"""Workflow moves tell the right people, in the app and by e-mail, and nobody else."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.workflow import transition
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from tests.factories import (
    make_admin,
    make_application,
    make_city_officer,
    make_county_officer,
    make_round,
)

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def people():
    own = make_county_officer(email="own@county.example")
    return {
        "own": own,
        "own_no_mail": make_county_officer(own.organisation),  # no address: in the app only
        "own_inactive": make_county_officer(
            own.organisation, email="gone@county.example", is_active=False
        ),
        "other_county": make_county_officer(email="other@county.example"),
        "city": make_city_officer(email="city@city.example"),
        "city_no_mail": make_city_officer(),
        "admin": make_admin(email="admin@city.example"),
    }


def received(people, kind) -> set[str]:
    names = {user.pk: name for name, user in people.items()}
    return {names[n.recipient_id] for n in Notification.objects.filter(kind=kind)}


def move(application, state, actor, capture, reason=""):
    with capture(execute=True):
        transition(application, state, actor, reason=reason)


def test_submitting_a_draft_tells_nobody(people, django_capture_on_commit_callbacks):
    application = make_application(officer=people["own"])
    move(application, S.SUBMITTED, people["own"], django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_accepting_tells_the_unit_only(people, django_capture_on_commit_callbacks):
    application = make_application(officer=people["own"], cluster_name="本县模具产业集群")
    move(application, S.SUBMITTED, people["own"], django_capture_on_commit_callbacks)
    move(application, S.UNDER_REVIEW, people["city"], django_capture_on_commit_callbacks)

    assert received(people, NotificationKind.ACCEPTED) == {"own", "own_no_mail"}
    assert Notification.objects.count() == 2
    (message,) = mail.outbox
    assert message.to == ["own@county.example"]
    assert message.subject == "【集群申报平台】申报“本县模具产业集群”已受理审核"
    assert f"http://127.0.0.1:8000/applications/{application.pk}/" in message.body


@pytest.mark.parametrize("path", [(S.SUBMITTED,), (S.SUBMITTED, S.UNDER_REVIEW)])
def test_returning_tells_the_unit_with_the_reason(people, path, django_capture_on_commit_callbacks):
    application = make_application(officer=people["own"], path=path, city_officer=people["city"])
    Notification.objects.all().delete()
    mail.outbox.clear()

    move(
        application, S.RETURNED, people["city"], django_capture_on_commit_callbacks, "缺少佐证材料"
    )

    assert received(people, NotificationKind.RETURNED) == {"own", "own_no_mail"}
    notice = Notification.objects.get(recipient=people["own"])
    assert notice.application == application
    assert "退回理由：缺少佐证材料" in notice.body
    (message,) = mail.outbox
    assert message.to == ["own@county.example"]
    assert "缺少佐证材料" in message.body


def test_resubmitting_tells_the_city(people, django_capture_on_commit_callbacks):
    application = make_application(
        officer=people["own"], path=(S.SUBMITTED, S.RETURNED), city_officer=people["city"]
    )
    mail.outbox.clear()
    move(application, S.SUBMITTED, people["own"], django_capture_on_commit_callbacks)

    assert received(people, NotificationKind.RESUBMITTED) == {"city", "city_no_mail"}
    assert [m.to for m in mail.outbox] == [["city@city.example"]]
    notice = Notification.objects.get(kind=NotificationKind.RESUBMITTED, recipient=people["city"])
    assert notice.url == f"/applications/{application.pk}/timeline/"


def test_a_rolled_back_move_leaves_no_notice_and_sends_no_mail(
    people, django_capture_on_commit_callbacks
):
    application = make_application(officer=people["own"], path=(S.SUBMITTED,))

    def move_then_fail():
        with transaction.atomic():
            transition(application, S.UNDER_REVIEW, people["city"])
            raise RuntimeError("the request failed after the move")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        move_then_fail()
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_mail_is_sent_only_after_commit(people, django_capture_on_commit_callbacks):
    application = make_application(officer=people["own"], path=(S.SUBMITTED,))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transition(application, S.UNDER_REVIEW, people["city"])
        assert Notification.objects.count() == 2  # written with the move...
    assert not mail.outbox  # ...mailed only when it commits
    assert len(callbacks) == 1


def test_a_failing_mail_server_does_not_undo_the_move(
    people, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    application = make_application(officer=people["own"], path=(S.SUBMITTED,))
    with caplog.at_level(logging.ERROR, logger="clusterdesk.notifications.domain"):
        move(application, S.UNDER_REVIEW, people["city"], django_capture_on_commit_callbacks)
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert Notification.objects.filter(kind=NotificationKind.ACCEPTED).count() == 2
    assert "通知邮件发送失败" in caplog.text


def test_another_round_or_county_is_not_concerned(people, django_capture_on_commit_callbacks):
    other = make_application(
        round_=make_round(), officer=people["other_county"], path=(S.SUBMITTED,)
    )
    move(other, S.UNDER_REVIEW, people["city"], django_capture_on_commit_callbacks)
    assert received(people, NotificationKind.ACCEPTED) == {"other_county"}
    assert [m.to for m in mail.outbox] == [["other@county.example"]]
