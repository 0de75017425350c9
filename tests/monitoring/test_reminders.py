"""An annual round reminds 30, 7 and 1 days ahead the units whose certified clusters have no
submitted report; each reminder once; a unit that has filed is not reminded."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterdesk.declarations import clock
from clusterdesk.monitoring.domain import windows
from clusterdesk.notifications.domain import send_reminders
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from tests.factories import SHANGHAI
from tests.monitoring.world import submitted_report
from tests.registry.world import certified_world

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2024, 3, 30, 23, 59, tzinfo=SHANGHAI)


def test_annual_reminders_30_7_1_days_ahead_to_units_without_a_report():
    world = certified_world()
    windows.open_annual_round(2023, actor=world.city)
    filed, *others = world.applications
    with clock.frozen(dt.datetime(2024, 2, 1, 10, 0, tzinfo=SHANGHAI)):
        submitted_report(filed, world.city)
    with clock.frozen(DEADLINE - dt.timedelta(days=40)):
        assert send_reminders().sent == []
    for days, kind in (
        (29, NotificationKind.DEADLINE_30D),
        (6, NotificationKind.DEADLINE_7D),
        (0.5, NotificationKind.DEADLINE_1D),
    ):
        with clock.frozen(DEADLINE - dt.timedelta(days=days)):
            result = send_reminders()
            assert send_reminders().sent == []  # once
        units = {unit for _, unit, sent_kind in result.sent if sent_kind == kind}
        assert units == {a.organisation for a in others}
    notes = Notification.objects.filter(
        recipient=others[0].created_by, kind=NotificationKind.DEADLINE_30D
    )
    assert notes.count() == 1
    note = notes.get()
    assert "年度发展情况报告尚未提交" in note.body
    assert note.url == "/monitoring/county/"
    assert not Notification.objects.filter(
        recipient=filed.created_by, kind__startswith="deadline"
    ).exists()
