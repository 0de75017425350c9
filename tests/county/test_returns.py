"""A returned application says why: the city's reason, who and when, on the dashboard row, on every
page of the form, on the self-check and on the resubmit page; and the application's 办理记录."""

from __future__ import annotations

import io
from urllib.parse import unquote

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localtime

from clusterdesk.declarations.domain.editing import Change, save_changes
from clusterdesk.declarations.domain.timeline import (
    latest_arrivals,
    latest_return,
    latest_returns,
    timeline,
)
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Submission
from clusterdesk.declarations.workflow import transition
from tests.declarations.county_world import client_for, make_world
from tests.factories import make_application, make_city_officer

pytestmark = pytest.mark.django_db
S = ApplicationState

FIRST_REASON = "请补充研发投入的佐证材料。"
REASON = "请核对规上企业数与中小企业数，并补充近三年研发经费投入的佐证材料。"


@pytest.fixture
def returned():
    """``make_world``'s own application: submitted, returned, resubmitted and returned again."""
    world = make_world()
    app = world.application
    transition(app, S.SUBMITTED, world.own)
    transition(app, S.RETURNED, world.city, FIRST_REASON)
    transition(app, S.SUBMITTED, world.own)
    transition(app, S.RETURNED, world.city, REASON)
    return world


def when(event_at) -> str:
    return f"{localtime(event_at):%Y-%m-%d %H:%M}"


# --- the domain -----------------------------------------------------------------------------


def test_latest_return_is_the_last_one_with_its_reason_who_and_when(returned):
    app = returned.application
    note = latest_return(app)
    assert note.reason == REASON
    assert note.unit == str(returned.city.organisation)
    assert returned.city.username in note.who
    assert note.at == app.events.filter(to_state=S.RETURNED).latest("at", "pk").at


def test_no_return_note_once_resubmitted_or_never_returned(returned):
    assert latest_return(returned.other_application) is None
    transition(returned.application, S.SUBMITTED, returned.own)
    assert latest_return(returned.application) is None


def test_returns_of_a_list_take_one_query(returned):
    city = make_city_officer()
    others = [make_application(path=(S.SUBMITTED, S.RETURNED), city_officer=city) for _ in range(5)]
    apps = [returned.application, returned.other_application, *others]
    with CaptureQueriesContext(connection) as queries:
        notes = latest_returns(apps)
    assert len(queries) == 1
    assert notes[returned.application.pk].reason == REASON
    assert set(notes) == {app.pk for app in apps if app.state == S.RETURNED}


def test_timeline_tells_every_move_with_each_snapshot(returned):
    entries = timeline(returned.application)
    assert [entry.what for entry in entries] == [
        "新建草稿",
        "提交",
        "退回修改",
        "重新提交",
        "退回修改",
    ]
    assert [entry.reason for entry in entries if entry.reason] == [FIRST_REASON, REASON]
    submissions = Submission.objects.filter(application=returned.application).order_by("pk")
    assert [entry.submission.data_sha256 for entry in entries if entry.submission] == [
        submission.data_sha256 for submission in submissions
    ]


# --- the pages ------------------------------------------------------------------------------


def test_the_dashboard_row_says_why_who_and_when(client, returned):
    page = client_for(client, returned, "own").get("/county/").content.decode()
    row = page[page.index(f'id="application-{returned.application.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "已退回" in row
    assert f"退回理由：</strong>{REASON}" in row
    assert FIRST_REASON not in row  # the latest return, not an old one
    assert str(returned.city.organisation) in row
    assert when(latest_return(returned.application).at) in row
    assert f"/applications/{returned.application.pk}/timeline/" in row
    assert f"/applications/{returned.application.pk}/history/" in row


@pytest.mark.parametrize("page", ["cover", "part3", "part8", "attachment1"])
def test_every_form_page_carries_the_return_banner(client, returned, page):
    url = f"/applications/{returned.application.pk}/form/{page}/"
    html = client_for(client, returned, "own").get(url).content.decode()
    assert 'id="return-banner"' in html
    assert f"退回理由：{REASON}" in html
    assert str(returned.city.organisation) in html


def test_self_check_and_resubmit_pages_carry_the_banner(client, returned):
    pk = returned.application.pk
    client_for(client, returned, "own")
    for url in (f"/county/applications/{pk}/check/", f"/county/applications/{pk}/submit/"):
        html = client.get(url).content.decode()
        assert f"退回理由：{REASON}" in html, url
    assert "重新提交" in client.get(f"/county/applications/{pk}/submit/").content.decode()


def test_no_banner_once_resubmitted(client, returned):
    transition(returned.application, S.SUBMITTED, returned.own)
    client_for(client, returned, "own")
    html = client.get(f"/applications/{returned.application.pk}/form/cover/").content.decode()
    assert "return-banner" not in html
    assert REASON not in client.get("/county/").content.decode()


def test_the_city_sees_the_same_banner_read_only(client, returned):
    html = (
        client_for(client, returned, "city")
        .get(f"/applications/{returned.application.pk}/form/cover/")
        .content.decode()
    )
    assert f"退回理由：{REASON}" in html


def test_timeline_page_lists_moves_reasons_and_snapshots(client, returned):
    pk = returned.application.pk
    html = client_for(client, returned, "own").get(f"/applications/{pk}/timeline/").content
    html = html.decode()
    for text in ("新建草稿", "重新提交", f"理由：{REASON}", f"理由：{FIRST_REASON}"):
        assert text in html
    for submission in Submission.objects.filter(application_id=pk):
        assert submission.data_sha256 in html
        assert f"/county/applications/{pk}/submissions/{submission.pk}.docx" in html
    assert f"/applications/{pk}/history/" in html  # and the history links back
    assert (
        f"/applications/{pk}/timeline/"
        in client.get(f"/applications/{pk}/history/").content.decode()
    )


def test_a_submission_prints_as_it_was_filed(client, returned):
    app = returned.application
    first = Submission.objects.filter(application=app).earliest("pk")
    # The county corrects the returned application after its submissions.
    save_changes(
        app,
        [Change("part1.cluster_name", "改名后的集群", app.data["part1"]["cluster_name"])],
        returned.own,
    )
    client_for(client, returned, "own")
    response = client.get(f"/county/applications/{app.pk}/submissions/{first.pk}.docx")
    assert response.status_code == 200
    text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(response.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "本县模具产业集群" in text
    assert "改名后的集群" not in text
    assert "提交.docx" in unquote(response["Content-Disposition"])


def test_a_county_cannot_reach_another_countys_snapshot_through_its_own_application(
    client, returned
):
    other = returned.other_application
    transition(other, S.SUBMITTED, returned.other_county)
    foreign = Submission.objects.get(application=other)
    client_for(client, returned, "own")
    own_pk = returned.application.pk
    response = client.get(f"/county/applications/{own_pk}/submissions/{foreign.pk}.docx")
    assert response.status_code == 404
    assert client.get(f"/applications/{other.pk}/timeline/").status_code == 404


REFUSAL = "集群主导产业营业收入未达到认定条件，且龙头企业带动作用不明显。"


def test_a_rejected_row_says_why_and_a_proposed_row_that_it_is_under_publicity(client, returned):
    """未认定 shows the city's 不予认定 reason (the latest, as for a return), 拟认定 the 公示;
    neither shows a score or an expert."""
    app, other = returned.application, returned.other_application
    transition(app, S.SUBMITTED, returned.own)
    transition(app, S.UNDER_REVIEW, returned.city)
    transition(app, S.PROPOSED, returned.city)
    page = client_for(client, returned, "own").get("/county/").content.decode()
    row = page[page.index(f'id="application-{app.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "拟认定" in row
    assert "公示" in row
    assert "不予认定理由" not in row
    assert "退回理由" not in row

    transition(app, S.REJECTED, returned.city, REFUSAL)
    page = client.get("/county/").content.decode()
    row = page[page.index(f'id="application-{app.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "未认定" in row
    assert f"不予认定理由：</strong>{REFUSAL}" in row
    assert when(latest_arrivals([app], S.REJECTED)[app.pk].at) in row
    assert REASON not in row
    assert "退回理由" not in row
    assert "得分" not in row
    assert "评分" not in row
    assert "专家" not in row
    assert f'id="application-{other.pk}"' not in page  # another county's stays away
