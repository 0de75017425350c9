import pytest

from clusterdesk.rounds.enums import RoundAction
from clusterdesk.rounds.models import RoundEvent
from clusterdesk.shared.appendonly import AppendOnlyError
from tests.factories import make_city_officer, make_round

pytestmark = pytest.mark.django_db


def test_round_events_are_append_only():
    round_ = make_round(name="2023年度")
    event = RoundEvent.objects.create(
        round=round_, action=RoundAction.CLOSED, actor=make_city_officer()
    )
    assert str(event) == "2023年度：关闭申报"
    event.note = "改写历史"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert RoundEvent.objects.get().note == ""


def test_round_event_admin_is_read_only(admin_client):
    RoundEvent.objects.create(
        round=make_round(), action=RoundAction.OPENED, actor=make_city_officer()
    )
    page = admin_client.get("/admin/rounds/roundevent/")
    assert page.status_code == 200
    assert "开放申报" in page.content.decode()
    assert admin_client.get("/admin/rounds/roundevent/add/").status_code == 403
