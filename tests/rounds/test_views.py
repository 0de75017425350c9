"""Round management pages (/rounds/): every view for every role, and what each one sees."""

import datetime as dt

import pytest
from django.utils import timezone

from clusterdesk.rounds.enums import RoundAction, RoundStatus
from clusterdesk.rounds.models import Round, RoundEvent
from tests.factories import SHANGHAI, make_application, make_round
from tests.roles import MANAGERS, NOT_MANAGERS, ROLES, log_in

pytestmark = pytest.mark.django_db

REFUSED = "只有市经信局可以管理申报轮次。"


def valid_post(**overrides):
    data = {
        "name": "2023年度（第二批）",
        "first_data_year": "2020",
        "last_data_year": "2022",
        "reference_date": "2022-12-31",
        "submission_deadline": "2023-04-14T17:00",
        "county_limit": "2",
        "form_version": "2023",
        "criteria_profile": "ningbo-2023",
    }
    return {**data, **overrides}


def edit_post(round_, **overrides):
    deadline = round_.submission_deadline.astimezone(SHANGHAI)
    data = valid_post(
        name=round_.name,
        reference_date=round_.reference_date.isoformat(),
        submission_deadline=deadline.strftime("%Y-%m-%dT%H:%M"),
        county_limit=str(round_.county_limit),
    )
    return {**data, **overrides}


def future_deadline():
    return timezone.now() + dt.timedelta(days=30)


# The access matrix ----------------------------------------------------------------------------

# (method, path template, data) for every view; {pk} is an existing round.
VIEWS = [
    ("get", "/rounds/", None),
    ("get", "/rounds/new/", None),
    ("post", "/rounds/new/", valid_post()),
    ("get", "/rounds/{pk}/edit/", None),
    ("post", "/rounds/{pk}/edit/", {"county_limit": "1"}),
    ("post", "/rounds/{pk}/open/", None),
    ("post", "/rounds/{pk}/close/", None),
]
VIEW_IDS = [f"{method} {path}" for method, path, _ in VIEWS]


@pytest.mark.parametrize(("method", "path", "data"), VIEWS, ids=VIEW_IDS)
def test_anonymous_users_are_sent_to_login(client, method, path, data):
    round_ = make_round()
    url = path.format(pk=round_.pk)
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    _assert_untouched(round_)


@pytest.mark.parametrize("role", NOT_MANAGERS)
@pytest.mark.parametrize(("method", "path", "data"), VIEWS, ids=VIEW_IDS)
def test_county_officers_and_experts_are_refused_with_a_reason(client, role, method, path, data):
    round_ = make_round()
    log_in(client, role, home=None)
    url = path.format(pk=round_.pk)
    response = getattr(client, method)(url, data or {})
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in page
    assert REFUSED in page
    assert round_.name not in page
    _assert_untouched(round_)


@pytest.mark.parametrize("role", MANAGERS)
@pytest.mark.parametrize(("method", "path", "data"), VIEWS, ids=VIEW_IDS)
def test_city_officers_and_admins_get_through(client, role, method, path, data):
    round_ = make_round(submission_deadline=future_deadline())
    log_in(client, role)
    if path.endswith("/open/"):
        round_.status = RoundStatus.CLOSED
        round_.save()
    url = path.format(pk=round_.pk)
    response = getattr(client, method)(url, edit_post(round_) if "edit" in path else data or {})
    assert response.status_code == (200 if method == "get" else 302)


@pytest.mark.parametrize("role", MANAGERS)
@pytest.mark.parametrize("path", ["/rounds/999999/edit/", "/rounds/999999/close/"])
def test_unknown_round_is_a_chinese_404(client, role, path):
    log_in(client, role)
    method = client.get if path.endswith("edit/") else client.post
    response = method(path)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["open", "close"])
def test_open_and_close_refuse_get(client, role, action):
    round_ = make_round()
    log_in(client, role)
    response = client.get(f"/rounds/{round_.pk}/{action}/")
    expected = {"anonymous": 302, "city": 405, "admin": 405}.get(role, 403)
    assert response.status_code == expected
    _assert_untouched(round_)


def _assert_untouched(round_):
    stored = Round.objects.get(pk=round_.pk)
    assert (stored.status, stored.county_limit, stored.name) == (
        round_.status,
        round_.county_limit,
        round_.name,
    )
    assert not RoundEvent.objects.filter(round=round_).exists()
    assert not Round.objects.filter(name=valid_post()["name"]).exists()


# What the city officer sees and does -------------------------------------------------------------


def test_list_shows_every_round_with_its_facts(client):
    make_round(name="2023年度", county_limit=1)
    make_round(name="2021年度", status=RoundStatus.CLOSED)
    log_in(client, "city")
    page = client.get("/rounds/").content.decode()
    assert "<h1>申报轮次</h1>" in page
    assert "2023年度" in page
    assert "2021年度" in page
    assert "开放申报" in page
    assert "已关闭" in page
    assert "2023年4月14日 23:59" in page
    assert "2020—2022年" in page
    assert "宁波市中小企业特色产业集群认定标准（2023年度，暂按国家标准）" in page
    assert "4 项阈值未设定" in page  # until the city officer sets them for the round
    assert "关闭申报</button>" in page
    assert 'href="/rounds/new/"' in page


def test_list_when_there_is_no_round(client):
    log_in(client, "city")
    assert "还没有申报轮次" in client.get("/rounds/").content.decode()


def test_create_form_is_chinese_with_choices(client):
    log_in(client, "city")
    page = client.get("/rounds/new/").content.decode()
    for label in (
        "轮次名称",
        "数据起始年度",
        "数据截止年度",
        "数据基准日",
        "申报截止时间",
        "每个申报单位限报数",
        "申报表版本",
        "认定标准",
    ):
        assert label in page
    assert 'type="datetime-local"' in page
    assert 'type="date"' in page
    assert '<option value="2023">2023年版（数据年度2020—2022年）</option>' in page
    assert "宁波市中小企业特色产业集群认定标准（2023年度，暂按国家标准）" in page
    assert "国家中小企业特色产业集群认定标准（2022年版）" in page
    # Another province's figures are a template to copy, not a choice (test_thresholds.py).
    assert "云南省省级中小企业特色产业集群认定标准（2023年）" not in page


def test_create_saves_the_round_open_with_a_beijing_deadline(client):
    officer = log_in(client, "city")
    response = client.post("/rounds/new/", valid_post())
    assert response["Location"] == "/rounds/"
    round_ = Round.objects.get(name="2023年度（第二批）")
    assert round_.status == RoundStatus.OPEN
    assert round_.submission_deadline == dt.datetime(2023, 4, 14, 17, 0, tzinfo=SHANGHAI)
    assert round_.submission_deadline == dt.datetime(2023, 4, 14, 9, 0, tzinfo=dt.UTC)
    [event] = round_.events.all()
    assert (event.action, event.actor) == (RoundAction.CREATED, officer)
    page = client.get("/rounds/").content.decode()
    assert "已创建申报轮次“2023年度（第二批）”" in page
    assert "2023年度（第二批）" in client.get("/").content.decode()


def test_deadline_before_the_data_years_is_refused_in_chinese(client):
    log_in(client, "city")
    response = client.post("/rounds/new/", valid_post(submission_deadline="2021-06-30T17:00"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "申报截止时间应晚于数据年度" in page
    assert "2022年12月31日" in page
    assert "请修改下列标红的内容后再保存" in page
    # Nothing typed is lost: the form comes back filled in.
    assert 'value="2023年度（第二批）"' in page
    assert not Round.objects.filter(name="2023年度（第二批）").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_data_year": "2023"}, "数据截止年度不能早于数据起始年度。"),
        ({"reference_date": "2021-12-31"}, "数据基准日应在数据截止年度之内。"),
        ({"county_limit": "0"}, "每个申报单位限报数至少为 1。"),
        (
            {
                "first_data_year": "2021",
                "last_data_year": "2023",
                "reference_date": "2023-12-31",
                "submission_deadline": "2024-04-14T17:00",
            },
            "申报表2023年版的数据年度为2020—2022年，与本轮的数据年度2021—2023年不一致",
        ),
        ({"form_version": "1999"}, "选择一个有效的选项"),
        ({"criteria_profile": "made-up"}, "选择一个有效的选项"),
        ({"submission_deadline": "下周五"}, "输入一个有效的日期/时间"),
        ({"name": ""}, "这个字段是必填项"),
    ],
)
def test_bad_rounds_are_refused_with_a_chinese_message(client, overrides, message):
    log_in(client, "city")
    response = client.post("/rounds/new/", valid_post(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Round.objects.exists()


def test_a_duplicate_name_is_refused(client):
    make_round(name="2023年度")
    log_in(client, "city")
    response = client.post("/rounds/new/", valid_post(name="2023年度"))
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_edit_form_shows_the_deadline_in_beijing_time_and_the_history(client):
    round_ = make_round(name="2023年度")
    officer = log_in(client, "city")
    client.post(f"/rounds/{round_.pk}/close/")
    page = client.get(f"/rounds/{round_.pk}/edit/").content.decode()
    assert "编辑申报轮次“2023年度”" in page
    assert 'value="2023-04-14T23:59"' in page
    assert 'value="2022-12-31"' in page
    assert "操作记录" in page
    assert "关闭申报" in page
    assert str(officer) in page


def test_edit_saves_and_records_what_changed(client):
    round_ = make_round(name="2023年度")
    log_in(client, "city")
    response = client.post(
        f"/rounds/{round_.pk}/edit/",
        edit_post(round_, county_limit="1", submission_deadline="2023-04-20T17:00"),
    )
    assert response["Location"] == "/rounds/"
    round_.refresh_from_db()
    assert round_.county_limit == 1
    assert round_.submission_deadline == dt.datetime(2023, 4, 20, 17, 0, tzinfo=SHANGHAI)
    [event] = round_.events.all()
    assert event.action == RoundAction.UPDATED
    assert event.note == "修改了：申报截止时间、每个申报单位限报数"
    assert "已保存申报轮次“2023年度”" in client.get("/rounds/").content.decode()


def test_an_invalid_edit_keeps_the_stored_round(client):
    round_ = make_round(name="2023年度")
    log_in(client, "city")
    response = client.post(
        f"/rounds/{round_.pk}/edit/",
        edit_post(round_, name="改名了", submission_deadline="2020-01-01T09:00"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "编辑申报轮次“2023年度”" in page
    assert "申报截止时间应晚于数据年度" in page
    round_.refresh_from_db()
    assert round_.name == "2023年度"
    assert not round_.events.exists()


def test_data_years_are_frozen_once_a_county_has_applied(client):
    round_ = make_round(name="2023年度")
    make_application(round_=round_)
    log_in(client, "city")
    response = client.post(
        f"/rounds/{round_.pk}/edit/", edit_post(round_, reference_date="2022-06-30")
    )
    assert response.status_code == 200
    assert "本轮已有 1 份申报，不能再修改数据基准日" in response.content.decode()
    # Other settings may still change.
    response = client.post(f"/rounds/{round_.pk}/edit/", edit_post(round_, county_limit="1"))
    assert response.status_code == 302


def test_closing_a_round_takes_it_off_the_landing_page(client):
    round_ = make_round(name="2023年度")
    officer = log_in(client, "city")
    assert "2023年度宁波市中小企业特色产业集群申报" in client.get("/").content.decode()

    response = client.post(f"/rounds/{round_.pk}/close/")
    assert response["Location"] == "/rounds/"
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    [event] = round_.events.all()
    assert (event.action, event.actor) == (RoundAction.CLOSED, officer)
    page = client.get("/rounds/").content.decode()
    assert "申报轮次“2023年度”已关闭" in page
    assert "开放申报</button>" in page
    home = client.get("/").content.decode()
    assert "2023年度宁波市中小企业特色产业集群申报" not in home
    assert "目前没有开放申报的轮次。" in home


def test_closing_twice_says_so(client):
    round_ = make_round(name="2023年度", status=RoundStatus.CLOSED)
    log_in(client, "city")
    client.post(f"/rounds/{round_.pk}/close/")
    assert "申报轮次“2023年度”已关闭。" in client.get("/rounds/").content.decode()
    assert not round_.events.exists()


def test_opening_a_round_after_its_deadline_is_refused(client):
    round_ = make_round(name="2023年度", status=RoundStatus.CLOSED)
    log_in(client, "city")
    client.post(f"/rounds/{round_.pk}/open/")
    page = client.get("/rounds/").content.decode()
    assert "申报截止时间（2023年4月14日 23:59）已过，请先修改截止时间再开放申报。" in page
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED


def test_opening_a_round_puts_it_on_the_landing_page(client):
    round_ = make_round(
        name="2026年度", status=RoundStatus.CLOSED, submission_deadline=future_deadline()
    )
    log_in(client, "admin")
    client.post(f"/rounds/{round_.pk}/open/")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    assert round_.events.get().action == RoundAction.OPENED
    assert "2026年度宁波市中小企业特色产业集群申报" in client.get("/").content.decode()
