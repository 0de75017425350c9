import pytest

from clusterdesk.declarations.enums import ApplicationState as S
from tests.factories import make_admin, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_admin())
    return client


def test_application_pages_show_state_and_history_read_only(admin_client):
    application = make_application(cluster_name="宁波鄞州模具产业集群", path=(S.SUBMITTED,))
    listing = admin_client.get("/admin/declarations/application/?q=鄞州模具").content.decode()
    assert "宁波鄞州模具产业集群" in listing
    assert "已提交" in listing

    page = admin_client.get(f"/admin/declarations/application/{application.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "草稿" in html  # the history inline
    assert 'name="state"' not in html  # the workflow is the only way to change state


def test_no_adding_or_deleting_applications_and_events_in_admin(admin_client):
    application = make_application()
    event = application.events.get()
    assert admin_client.get("/admin/declarations/application/add/").status_code == 403
    delete_url = f"/admin/declarations/application/{application.pk}/delete/"
    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.get("/admin/declarations/applicationevent/add/").status_code == 403
    event_url = f"/admin/declarations/applicationevent/{event.pk}/change/"
    assert admin_client.post(event_url, {"reason": "改写"}).status_code == 403


def test_round_admin_lists_rounds(admin_client, round_):
    page = admin_client.get("/admin/declarations/round/").content.decode()
    assert round_.name in page
    assert "申报截止时间" in page
