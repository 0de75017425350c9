import pytest

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import SummaryHeader
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


def test_submissions_are_shown_and_never_changed_in_admin(admin_client):
    application = make_application(cluster_name="宁波北仑压铸产业集群", path=(S.SUBMITTED,))
    submission = application.submissions.get()
    listing = admin_client.get("/admin/declarations/submission/").content.decode()
    assert "提交快照" in listing
    assert "宁波北仑压铸产业集群" in listing
    assert submission.data_sha256[:12] in listing

    change_url = f"/admin/declarations/submission/{submission.pk}/change/"
    page = admin_client.get(change_url)
    assert page.status_code == 200  # view only
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.post(change_url, {"data_sha256": "0" * 64}).status_code == 403
    assert admin_client.get("/admin/declarations/submission/add/").status_code == 403
    delete_url = f"/admin/declarations/submission/{submission.pk}/delete/"
    assert admin_client.get(delete_url).status_code == 403
    submission.refresh_from_db()
    assert submission.data_sha256 != "0" * 64


def test_summary_headers_are_edited_with_the_dashboards_phone_rule(admin_client):
    application = make_application()
    header = SummaryHeader.objects.create(
        round=application.round, organisation=application.organisation, contact="王海峰"
    )
    listing = admin_client.get("/admin/declarations/summaryheader/").content.decode()
    assert "推荐汇总表表头" in listing
    assert "王海峰" in listing

    url = f"/admin/declarations/summaryheader/{header.pk}/change/"
    values = {
        "round": application.round.pk,
        "organisation": application.organisation.pk,
        "department": "经信局中小企业处",
        "contact": "王海峰",
    }
    refused = admin_client.post(url, {**values, "mobile": "12345"})
    assert refused.status_code == 200
    assert "手机应为 11 位手机号码" in refused.content.decode()
    saved = admin_client.post(url, {**values, "mobile": "138 0000 0000"})
    assert saved.status_code == 302
    header.refresh_from_db()
    assert header.mobile == "13800000000"
