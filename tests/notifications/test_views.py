"""The header's unread count, the list, and marking read: each user sees only their own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from tests.factories import make_county_officer

pytestmark = pytest.mark.django_db


def notice(user, title="申报“本县模具产业集群”已受理审核", **fields):
    return Notification.objects.create(
        recipient=user, kind=NotificationKind.ACCEPTED, title=title, **fields
    )


@pytest.fixture
def two_officers():
    return make_county_officer(), make_county_officer()


def test_the_header_shows_the_unread_count(client, two_officers):
    me, other = two_officers
    notice(me)
    notice(me)
    notice(me, read_at="2023-04-10T10:00:00+08:00")
    notice(other)  # not mine
    client.force_login(me)
    page = client.get(reverse("portal:home")).content.decode()
    assert '通知<span class="unread-count">（2 条未读）</span>' in page


def test_no_count_when_all_is_read(client, two_officers):
    me, _ = two_officers
    notice(me, read_at="2023-04-10T10:00:00+08:00")
    client.force_login(me)
    page = client.get(reverse("portal:home")).content.decode()
    assert ">通知</a>" in page
    assert "条未读" not in page


def test_the_count_costs_one_query_and_none_when_signed_out(client, two_officers):
    me, _ = two_officers
    notice(me)
    client.force_login(me)
    with CaptureQueriesContext(connection) as signed_in:
        client.get(reverse("portal:home"))
    counting = [q["sql"] for q in signed_in if "notifications_notification" in q["sql"]]
    assert len(counting) == 1, counting
    client.logout()
    with CaptureQueriesContext(connection) as signed_out:
        page = client.get(reverse("portal:home")).content.decode()
    assert not [q for q in signed_out if "notifications_notification" in q["sql"]]
    assert "条未读" not in page


def test_the_list_shows_only_my_notifications(client, two_officers):
    me, other = two_officers
    notice(me, title="我的通知", body="退回理由：缺少佐证材料", url="/county/")
    notice(other, title="他人的通知")
    client.force_login(me)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "我的通知" in page
    assert "退回理由：缺少佐证材料" in page
    assert "他人的通知" not in page
    assert "共 1 条通知，其中 1 条未读。" in page


def test_mark_one_read(client, two_officers):
    me, _ = two_officers
    first, second = notice(me), notice(me)
    client.force_login(me)
    response = client.post(reverse("notifications:read", kwargs={"pk": first.pk}))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    page = client.get(reverse("notifications:list")).content.decode()
    assert "（1 条未读）" in page


def test_another_users_notification_is_not_found(client, two_officers):
    me, other = two_officers
    theirs = notice(other)
    client.force_login(me)
    response = client.post(reverse("notifications:read", kwargs={"pk": theirs.pk}))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_mine(client, two_officers):
    me, other = two_officers
    mine = [notice(me), notice(me)]
    theirs = notice(other)
    client.force_login(me)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "已将 2 条通知标为已读。" in response.content.decode()
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(client, two_officers):
    me, _ = two_officers
    mine = notice(me)
    client.force_login(me)
    assert client.get(reverse("notifications:read", kwargs={"pk": mine.pk})).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None
