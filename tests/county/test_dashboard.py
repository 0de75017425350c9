import datetime as dt

import pytest

from clusterdesk.county.domain.board import countdown
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, SummaryHeader
from clusterdesk.rounds.enums import RoundStatus
from tests.declarations.county_world import ROLES, assert_login_redirect, client_for, make_world
from tests.factories import SHANGHAI, make_application, make_county_officer, make_round

pytestmark = pytest.mark.django_db
S = ApplicationState


def test_county_sees_the_round_deadline_countdown_and_only_its_own_applications(client):
    world = make_world(name="2023年度")
    make_round(name="2021年度", status=RoundStatus.CLOSED)
    page = client_for(client, world, "own").get("/county/").content.decode()
    assert "2023年度宁波市中小企业特色产业集群申报" in page
    assert "2021年度" not in page
    assert "2023年4月14日 23:59" in page  # stored in UTC, shown in Beijing time
    assert "剩余 4 天 14 小时" in page  # the tests' clock: 2023-04-10 09:30
    assert "本县模具产业集群" in page
    assert "他县纺织产业集群" not in page
    assert "草稿" in page
    # Progress per page, each linking to its form page.
    app = world.application
    for page_name, title in (("cover", "封面"), ("part1", "一、基本情况")):
        assert f'href="/applications/{app.pk}/form/{page_name}/">{title}</a>' in page
    for link in ("/check/", "/submit/", "/attachment2.docx", "/import/"):
        assert f"/county/applications/{app.pk}{link}" in page
    assert f"/county/applications/{world.other_application.pk}/" not in page
    for download in ("/county/summary.docx", "/county/summary.xlsx", "/county/package.zip"):
        assert download in page


def test_after_the_deadline_the_countdown_says_so_and_no_new_draft(client, clock_at):
    world = make_world()
    clock_at(dt.datetime(2023, 4, 15, 8, 0, tzinfo=SHANGHAI))
    client_for(client, world, "own")
    page = client.get("/county/").content.decode()
    assert "已截止" in page
    response = client.post("/county/new/", {"round": world.round.pk}, follow=True)
    assert "申报截止时间2023年4月14日 23:59已过，不能新建申报。" in response.content.decode()
    assert Application.objects.filter(organisation=world.own.organisation).count() == 1


def test_new_draft_opens_the_cover_page(client):
    world = make_world()
    response = client_for(client, world, "own").post("/county/new/", {"round": world.round.pk})
    created = Application.objects.filter(organisation=world.own.organisation).latest("pk")
    assert response.status_code == 302
    assert response.url == f"/applications/{created.pk}/form/cover/"
    assert created.state == S.DRAFT
    assert created.created_by == world.own
    assert created.events.count() == 1


def test_new_draft_is_refused_once_the_quota_is_used(client):
    officer = make_county_officer()
    round_ = make_round(county_limit=2)
    for name in ("甲集群", "乙集群"):
        make_application(round_=round_, officer=officer, cluster_name=name, path=(S.SUBMITTED,))
    client.force_login(officer)
    page = client.get("/county/").content.decode()
    assert "达到每个申报单位 2 个的上限，不能再新建申报。" in page
    assert "disabled" in page
    response = client.post("/county/new/", {"round": round_.pk}, follow=True)
    assert "达到每个申报单位 2 个的上限" in response.content.decode()
    assert Application.objects.filter(organisation=officer.organisation).count() == 2


def test_at_most_one_draft_more_than_the_remaining_quota(client):
    officer = make_county_officer()
    round_ = make_round(county_limit=1)
    client.force_login(officer)
    for _ in range(2):
        assert client.post("/county/new/", {"round": round_.pk}).status_code == 302
    response = client.post("/county/new/", {"round": round_.pk}, follow=True)
    assert "草稿最多比剩余名额多 1 份" in response.content.decode()
    assert Application.objects.filter(organisation=officer.organisation).count() == 2


def test_new_draft_needs_an_open_round(client):
    world = make_world()
    closed = make_round(status=RoundStatus.CLOSED)
    response = client_for(client, world, "own").post("/county/new/", {"round": closed.pk})
    assert response.status_code == 404


def test_summary_header_is_saved_per_round_and_unit(client):
    world = make_world()
    client_for(client, world, "own")
    response = client.post(
        f"/county/rounds/{world.round.pk}/header/",
        {"department": "测试区经济和信息化局", "contact": "王芳", "mobile": "138 0000 1234"},
        follow=True,
    )
    assert "推荐汇总表表头已保存。" in response.content.decode()
    header = SummaryHeader.objects.get(round=world.round, organisation=world.own.organisation)
    assert (header.department, header.contact, header.mobile) == (
        "测试区经济和信息化局",
        "王芳",
        "13800001234",
    )
    page = client.get("/county/").content.decode()
    assert 'value="测试区经济和信息化局"' in page

    bad = client.post(
        f"/county/rounds/{world.round.pk}/header/",
        {"department": "x", "contact": "y", "mobile": "12345"},
        follow=True,
    )
    assert "手机应为 11 位手机号码" in bad.content.decode()
    header.refresh_from_db()
    assert header.mobile == "13800001234"
    # The other county's header is its own.
    assert not SummaryHeader.objects.filter(organisation=world.other_county.organisation).exists()


def test_city_and_admin_are_sent_to_the_desk_whose_inbox_lists_every_county(client):
    world = make_world()
    make_application(round_=world.round, cluster_name="已交集群", path=(S.SUBMITTED,))
    for role in ("city", "admin"):
        client.logout()
        client_for(client, world, role)
        response = client.get("/county/", follow=True)
        assert response.redirect_chain == [("/intake/", 302)]
        assert "审核工作台" in response.content.decode()
        page = client.get("/intake/inbox/", {"round": world.round.pk}).content.decode()
        for name in ("本县模具产业集群", "他县纺织产业集群", "已交集群"):
            assert name in page
        assert "已提交" in page
        assert str(world.own.organisation) in page


def test_countdown_text():
    deadline = dt.datetime(2023, 4, 14, 23, 59, tzinfo=SHANGHAI)
    assert countdown(deadline, deadline - dt.timedelta(days=2, hours=3, minutes=5)).text == (
        "剩余 2 天 3 小时"
    )
    assert countdown(deadline, deadline - dt.timedelta(minutes=25)).text == "剩余 25 分钟"
    assert countdown(deadline, deadline).text == "已截止"
    assert countdown(deadline, deadline + dt.timedelta(seconds=1)).passed


# --- access: every view of this module, every role -------------------------------------------

EXPECTED = {
    # role: (GET /county/, POST /county/new/, POST header)
    "own": (200, 302, 302),
    "other_county": (200, 302, 302),
    "city": (302, 403, 403),  # to 审核工作台
    "expert": (403, 403, 403),
    "admin": (302, 403, 403),
}


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_access(client, role):
    world = make_world()
    client_for(client, world, role)
    responses = (
        client.get("/county/"),
        client.post("/county/new/", {"round": world.round.pk}),
        client.post(f"/county/rounds/{world.round.pk}/header/", {"department": "某部门"}),
    )
    if role == "anonymous":
        for response in responses:
            assert_login_redirect(response)
        return
    assert tuple(response.status_code for response in responses) == EXPECTED[role]
    if role == "other_county":
        page = responses[0].content.decode()
        assert "他县纺织产业集群" in page
        assert "本县模具产业集群" not in page
        # Its new draft and header went to its own unit, never to the other one.
        assert world.own.organisation.applications.count() == 1
        assert not SummaryHeader.objects.filter(organisation=world.own.organisation).exists()
    if role in ("city", "expert", "admin"):
        assert Application.objects.count() == 2
        assert not SummaryHeader.objects.exists()
