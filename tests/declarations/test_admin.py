import copy
import json

import pytest

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, SummaryHeader
from clusterdesk.rounds.enums import RoundAction, RoundStatus
from clusterdesk.rounds.models import Round, RoundEvent
from tests.factories import (
    make_admin,
    make_application,
    make_city_officer,
    make_county_officer,
    make_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_admin(username="admin-user"))
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
    page = admin_client.get("/admin/rounds/round/").content.decode()
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


def _inline_management(prefix, objects, parent):
    """What the admin's change page posts for a read-only inline: its management form."""
    fields = {
        f"{prefix}-TOTAL_FORMS": len(objects),
        f"{prefix}-INITIAL_FORMS": len(objects),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for i, obj in enumerate(objects):
        fields[f"{prefix}-{i}-id"] = obj.pk
        fields[f"{prefix}-{i}-{parent}"] = getattr(obj, f"{parent}_id")
    return fields


@pytest.mark.parametrize(
    "path",
    [(), (S.SUBMITTED,), (S.SUBMITTED, S.RETURNED), (S.SUBMITTED, S.UNDER_REVIEW)],
    ids=["draft", "submitted", "returned", "under_review"],
)
def test_application_cannot_be_changed_in_admin_in_any_state(admin_client, path):
    # The attack: the 2022 output of a submitted application rewritten in the admin, with no
    # event, and the official document printing it.
    application = make_application(path=path, city_officer=make_city_officer())
    stored = Application.objects.get(pk=application.pk)
    other_round, other_county = make_round(), make_county_officer()
    data = copy.deepcopy(stored.data)
    data["part2"]["total_output"]["2022"] = 999999.99
    url = f"/admin/declarations/application/{application.pk}/change/"

    page = admin_client.get(url).content.decode()
    for field in ("data", "round", "organisation", "created_by"):
        assert f'name="{field}"' not in page
    assert "121.8" in page  # the data is shown, read-only

    events = list(application.events.all())
    response = admin_client.post(
        url,
        {
            "data": json.dumps(data),
            "round": other_round.pk,
            "organisation": other_county.organisation.pk,
            "created_by": other_county.pk,
            **_inline_management("events", events, "application"),
        },
    )
    assert response.status_code == 403
    after = Application.objects.get(pk=application.pk)
    assert after.data["part2"]["total_output"]["2022"] == 121.8
    assert (after.round_id, after.organisation_id) == (stored.round_id, stored.organisation_id)
    assert (after.created_by_id, after.version) == (stored.created_by_id, stored.version)
    assert after.events.count() == len(events)


def test_applications_cannot_be_deleted_through_the_admins_bulk_action(admin_client):
    application = make_application(path=(S.SUBMITTED,))
    response = admin_client.post(
        "/admin/declarations/application/",
        {"action": "delete_selected", "_selected_action": [application.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Application.objects.filter(pk=application.pk).exists()


def _round_values(round_=None, **changes):
    """The round admin's form as a browser posts it: the stored values, then ``changes``."""
    values = {
        "name": "2030年度",
        "first_data_year": 2020,
        "last_data_year": 2022,
        "reference_date": "2022-12-31",
        "submission_deadline": "2031-01-01T00:00",
        "county_limit": 2,
        "form_version": "2023",
        "criteria_profile": "national-2022",
        **_inline_management("events", [], "round"),
    }
    if round_ is not None:
        values.update(
            name=round_.name,
            county_limit=round_.county_limit,
            status=round_.status,
            **_inline_management("events", list(round_.events.all()), "round"),
        )
    return {**values, **changes}


def _change_round(admin_client, round_, **changes):
    url = f"/admin/rounds/round/{round_.pk}/change/"
    return admin_client.post(url, _round_values(round_, **changes))


def test_round_created_in_admin_is_recorded_like_on_the_round_pages(admin_client):
    response = admin_client.post("/admin/rounds/round/add/", _round_values())
    assert response.status_code == 302
    round_ = Round.objects.get(name="2030年度")
    assert round_.status == RoundStatus.OPEN
    event = round_.events.get()
    assert (event.action, event.actor.username) == (RoundAction.CREATED, "admin-user")


def test_round_settings_changed_in_admin_write_round_events(admin_client):
    admin_client.post("/admin/rounds/round/add/", _round_values())
    round_ = Round.objects.get(name="2030年度")

    assert _change_round(admin_client, round_, county_limit=3).status_code == 302
    round_.refresh_from_db()
    assert round_.county_limit == 3
    updated = round_.events.latest("pk")
    assert updated.action == RoundAction.UPDATED
    assert updated.note == "修改了：每个申报单位限报数"
    assert updated.actor.username == "admin-user"

    assert _change_round(admin_client, round_, status=RoundStatus.CLOSED).status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    assert round_.events.latest("pk").action == RoundAction.CLOSED
    assert list(round_.events.values_list("action", flat=True)) == [
        RoundAction.CREATED,
        RoundAction.UPDATED,
        RoundAction.CLOSED,
    ]

    unchanged = _change_round(admin_client, round_)
    assert unchanged.status_code == 302
    assert round_.events.count() == 3  # saving without a change records nothing


def test_round_admin_applies_the_round_pages_rules(admin_client, round_):
    make_application(round_=round_)
    before = RoundEvent.objects.count()
    refused = _change_round(admin_client, round_, first_data_year=2019, form_version="2023")
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "本轮已有 1 份申报，不能再修改数据起始年度" in html
    # Reopening a round whose deadline has passed, unless the deadline moves too.
    round_.status = RoundStatus.CLOSED
    round_.save()
    late = _change_round(
        admin_client, round_, submission_deadline="2023-01-01T00:00", status=RoundStatus.OPEN
    )
    assert "已过，请先修改截止时间再开放申报" in late.content.decode()
    round_.refresh_from_db()
    assert (round_.first_data_year, round_.status) == (2020, RoundStatus.CLOSED)
    assert RoundEvent.objects.count() == before


def test_rounds_cannot_be_deleted_in_admin(admin_client, round_):
    assert admin_client.get(f"/admin/rounds/round/{round_.pk}/delete/").status_code == 403
    admin_client.post(
        "/admin/rounds/round/",
        {"action": "delete_selected", "_selected_action": [round_.pk], "post": "yes"},
    )
    assert Round.objects.filter(pk=round_.pk).exists()
