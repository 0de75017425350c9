"""Round domain functions: the rules, who may act, and the audit trail they write."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from clusterdesk.errors import DomainError
from clusterdesk.rounds.domain import (
    close_round,
    create_round,
    manageable_rounds,
    open_refusal,
    open_round,
    round_management_refusal,
    round_problems,
    update_round,
)
from clusterdesk.rounds.enums import RoundAction, RoundStatus
from tests.factories import SHANGHAI, make_application, make_round
from tests.roles import MANAGERS, NOT_MANAGERS, user_for

VALUES = {
    "name": "2023年度",
    "first_data_year": 2020,
    "last_data_year": 2022,
    "reference_date": dt.date(2022, 12, 31),
    "submission_deadline": dt.datetime(2023, 4, 14, 17, 0, tzinfo=SHANGHAI),
    "county_limit": 2,
    "form_version": "2023",
    "criteria_profile": "national-2022",
}


def test_valid_values_have_no_problem():
    assert round_problems(VALUES) == {}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"county_limit": 0}, "county_limit", "至少为 1"),
        ({"submission_deadline": dt.datetime(2023, 4, 14, 17)}, "submission_deadline", "时区"),
        (
            # 15:59 UTC is 23:59 in Beijing: still the reference day itself.
            {"submission_deadline": dt.datetime(2022, 12, 31, 15, 59, tzinfo=dt.UTC)},
            "submission_deadline",
            "不能早于或等于数据基准日（2022年12月31日）",
        ),
        ({"form_version": "2019"}, "form_version", "申报表版本“2019”不存在"),
        ({"criteria_profile": "nope"}, "criteria_profile", "认定标准“nope”不存在"),
        ({"first_data_year": 2019, "last_data_year": 2022}, "form_version", "2019—2022年不一致"),
    ],
)
def test_each_rule_names_its_field(changes, field, message):
    problems = round_problems({**VALUES, **changes})
    assert list(problems) == [field]
    assert message in problems[field]


def test_deadline_is_compared_in_beijing_time():
    first_minute_of_2023 = dt.datetime(2022, 12, 31, 16, 0, tzinfo=dt.UTC)
    assert round_problems({**VALUES, "submission_deadline": first_minute_of_2023}) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_only_the_city_bureau_manages_rounds(role):
    user = user_for(role)
    round_ = make_round()
    assert round_management_refusal(user) == "只有市经信局可以管理申报轮次。"
    assert not manageable_rounds(user).exists()
    for action in (
        lambda: create_round(actor=user, values=VALUES),
        lambda: update_round(round_, actor=user, values={"county_limit": 1}),
        lambda: close_round(round_, actor=user),
        lambda: open_round(round_, actor=user),
    ):
        with pytest.raises(DomainError, match="只有市经信局"):
            action()
    assert not round_.events.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", MANAGERS)
def test_managers_see_every_round(role):
    rounds = {make_round(), make_round(status=RoundStatus.CLOSED)}
    assert set(manageable_rounds(user_for(role))) == rounds


@pytest.mark.django_db
def test_an_inactive_city_officer_is_refused():
    officer = user_for("city")
    officer.is_active = False
    assert round_management_refusal(officer) == "您的账户已停用。"


@pytest.mark.django_db
def test_create_validates_model_and_domain_rules_together():
    officer = user_for("city")
    bad = {**VALUES, "last_data_year": 2019, "county_limit": 0}
    with pytest.raises(ValidationError) as caught:
        create_round(actor=officer, values=bad)
    assert caught.value.message_dict == {
        "last_data_year": ["数据截止年度不能早于数据起始年度。"],
        "county_limit": ["每个申报单位限报数至少为 1。"],
    }


@pytest.mark.django_db
def test_update_without_change_writes_no_event():
    officer = user_for("city")
    round_ = create_round(actor=officer, values=VALUES)
    update_round(round_, actor=officer, values=dict(VALUES))
    assert [event.action for event in round_.events.all()] == [RoundAction.CREATED]


@pytest.mark.django_db
def test_update_refuses_fields_it_does_not_manage():
    round_ = make_round()
    with pytest.raises(ValueError, match="status"):
        update_round(round_, actor=user_for("city"), values={"status": RoundStatus.CLOSED})


@pytest.mark.django_db
def test_frozen_fields_only_matter_once_there_are_applications():
    round_ = make_round()
    assert round_problems({"reference_date": dt.date(2022, 6, 30)}, existing=round_) == {}
    make_application(round_=round_)
    problems = round_problems({"reference_date": dt.date(2022, 6, 30)}, existing=round_)
    assert problems == {
        "reference_date": "本轮已有 1 份申报，不能再修改数据基准日（已填报的数据按原设置填写）。"
    }


@pytest.mark.django_db
def test_close_then_open_is_recorded_in_order():
    officer = user_for("city")
    future = dt.datetime(2099, 4, 14, 17, 0, tzinfo=SHANGHAI)
    round_ = make_round(submission_deadline=future)
    close_round(round_, actor=officer)
    assert round_.status == RoundStatus.CLOSED
    with pytest.raises(DomainError, match="已关闭"):
        close_round(round_, actor=officer)
    open_round(round_, actor=officer)
    with pytest.raises(DomainError, match="已在开放申报"):
        open_round(round_, actor=officer)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    events = list(round_.events.all())
    assert [event.action for event in events] == [RoundAction.CLOSED, RoundAction.OPENED]
    assert {event.actor for event in events} == {officer}


@pytest.mark.django_db
def test_open_refusal_for_a_passed_deadline():
    round_ = make_round(status=RoundStatus.CLOSED)
    before = dt.datetime(2023, 4, 1, tzinfo=SHANGHAI)
    assert open_refusal(round_, now=before) is None
    assert "已过" in open_refusal(round_)
