import pytest
from django.db import DatabaseError

from clusterdesk.accounts.enums import Role
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.declarations.workflow import (
    MOVES,
    TransitionRefused,
    refusal,
    transition,
)
from clusterdesk.errors import DomainError
from clusterdesk.rounds.enums import RoundStatus
from tests.factories import (
    make_admin,
    make_application,
    make_county_officer,
    make_round,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_the_table_has_one_move_per_edge_and_nothing_leaves_a_final_state():
    edges = [(m.source, m.target) for m in MOVES]
    assert len(edges) == len(set(edges))
    assert not [m for m in MOVES if m.source in (S.REJECTED, S.REVOKED)]
    # A submitted application never becomes a draft again: the only way back to 草稿 is the
    # restore of a deleted draft, and only a draft can be deleted.
    assert [m.source for m in MOVES if m.target == S.DRAFT] == [S.DELETED]
    assert [m.source for m in MOVES if m.target == S.DELETED] == [S.DRAFT]


def test_full_life_writes_one_event_per_move(county_officer, city_officer):
    application = make_application(officer=county_officer)
    steps = [
        (S.SUBMITTED, county_officer, ""),
        (S.RETURNED, city_officer, "请补充佐证材料"),
        (S.SUBMITTED, county_officer, ""),
        (S.UNDER_REVIEW, city_officer, ""),
        (S.PROPOSED, city_officer, ""),
        (S.UNDER_REVIEW, city_officer, "会审决定重新评审"),
        (S.REJECTED, city_officer, "综合得分未达推荐线"),
    ]
    for to_state, actor, reason in steps:
        event = transition(application, to_state, actor, reason)
        assert event.to_state == to_state
        assert event.actor == actor
        assert event.reason == reason

    application.refresh_from_db()
    assert application.state == S.REJECTED
    assert application.version == 1 + len(steps)
    history = list(application.events.values_list("from_state", "to_state", "reason"))
    assert history == [
        ("", S.DRAFT, ""),
        (S.DRAFT, S.SUBMITTED, ""),
        (S.SUBMITTED, S.RETURNED, "请补充佐证材料"),
        (S.RETURNED, S.SUBMITTED, ""),
        (S.SUBMITTED, S.UNDER_REVIEW, ""),
        (S.UNDER_REVIEW, S.PROPOSED, ""),
        (S.PROPOSED, S.UNDER_REVIEW, "会审决定重新评审"),
        (S.UNDER_REVIEW, S.REJECTED, "综合得分未达推荐线"),
    ]


def test_reason_is_stripped(city_officer):
    application = make_application(path=(S.SUBMITTED,))
    event = transition(application, S.RETURNED, city_officer, "  请补充  \n")
    assert event.reason == "请补充"


@pytest.mark.parametrize(
    ("path", "to_state", "who", "reason", "message"),
    [
        ((), S.CERTIFIED, "city", "", "申报当前为“草稿”，不能变为“已认定”。"),
        ((), S.SUBMITTED, "city", "", "只有区县经信部门可以提交申报。"),
        ((), S.SUBMITTED, "other_county", "", "只能由本单位办理"),
        ((), S.SUBMITTED, "admin", "", "只有区县经信部门可以提交申报。"),
        ((), S.SUBMITTED, "expert", "", "只有区县经信部门可以提交申报。"),
        ((S.SUBMITTED,), S.RETURNED, "county", "理由", "只有市经信局可以退回修改申报。"),
        ((S.SUBMITTED,), S.RETURNED, "city", "  ", "退回修改申报必须填写理由。"),
        ((S.SUBMITTED,), S.CERTIFIED, "city", "", "申报当前为“已提交”，不能变为“已认定”。"),
        ((S.SUBMITTED, S.UNDER_REVIEW), S.REJECTED, "city", "", "不予认定申报必须填写理由。"),
        # Certification follows the 会审's proposal and its 公示, never the review directly.
        ((S.SUBMITTED, S.UNDER_REVIEW), S.CERTIFIED, "city", "", "不能变为“已认定”。"),
        ((S.SUBMITTED, S.UNDER_REVIEW, S.PROPOSED), S.UNDER_REVIEW, "city", "", "必须填写理由"),
        ((), "published", "county", "", "未知的申报状态：published"),
    ],
)
def test_refused_moves_say_why_and_change_nothing(  # noqa: PLR0917 — parametrized
    path, to_state, who, reason, message, city_officer
):
    officer = make_county_officer()
    application = make_application(officer=officer, path=path, city_officer=city_officer)
    actors = {
        "county": officer,
        "other_county": make_county_officer(),
        "city": city_officer,
        "admin": make_admin(),
        "expert": make_user(Role.EXPERT),
    }
    before = (application.state, application.version, application.events.count())

    with pytest.raises(TransitionRefused) as excinfo:
        transition(application, to_state, actors[who], reason)

    assert message in excinfo.value.message
    assert isinstance(excinfo.value, DomainError)
    application.refresh_from_db()
    assert (application.state, application.version, application.events.count()) == before


def test_guards_registered_from_above_refuse_through_the_door(city_officer, monkeypatch):
    application = make_application(path=(S.SUBMITTED, S.UNDER_REVIEW, S.PROPOSED))
    guards = {(S.PROPOSED, S.CERTIFIED): [lambda app, actor: "公示尚未结束，不能认定。"]}
    monkeypatch.setattr("clusterdesk.declarations.workflow.GUARDS_FROM_ABOVE", guards)

    assert refusal(application, S.CERTIFIED, city_officer) == "公示尚未结束，不能认定。"
    with pytest.raises(TransitionRefused, match="公示尚未结束"):
        transition(application, S.CERTIFIED, city_officer)
    application.refresh_from_db()
    assert application.state == S.PROPOSED
    # Another move of the same application is not concerned.
    assert refusal(application, S.REJECTED, city_officer, "异议成立") is None


def test_inactive_account_is_refused():
    officer = make_county_officer()
    application = make_application(officer=officer)
    officer.is_active = False
    with pytest.raises(TransitionRefused, match="账户已停用"):
        transition(application, S.SUBMITTED, officer)


def test_closed_round_refuses_new_submissions_but_not_resubmissions(city_officer):
    round_ = make_round()
    officer = make_county_officer()
    draft = make_application(round_=round_, officer=officer)
    returned = make_application(
        round_=round_, officer=officer, path=(S.SUBMITTED, S.RETURNED), city_officer=city_officer
    )
    round_.status = RoundStatus.CLOSED
    round_.save()

    with pytest.raises(TransitionRefused, match="已关闭"):
        transition(draft, S.SUBMITTED, officer)
    # The city returns applications during review, after intake closed: they must come back.
    transition(returned, S.SUBMITTED, officer)
    assert returned.state == S.SUBMITTED


def test_county_limit_counts_everything_ever_submitted(city_officer):
    round_ = make_round(county_limit=2)
    officer = make_county_officer()
    make_application(round_=round_, officer=officer, path=(S.SUBMITTED,))
    make_application(
        round_=round_,
        officer=officer,
        path=(S.SUBMITTED, S.UNDER_REVIEW, S.REJECTED),
        city_officer=city_officer,
    )
    third = make_application(round_=round_, officer=officer)
    with pytest.raises(TransitionRefused, match="已申报 2 个集群，达到每个申报单位 2 个的上限"):
        transition(third, S.SUBMITTED, officer)
    # Another county and another round have their own quota.
    make_application(round_=round_, path=(S.SUBMITTED,))
    make_application(officer=officer, path=(S.SUBMITTED,))


@pytest.mark.django_db(transaction=True)
def test_asking_about_the_county_limit_outside_a_transaction(city_officer):
    # The dashboard and the self-check ask refusal() in autocommit mode, as a real request does
    # (not inside the test's transaction): the guard's row lock belongs to transition() only.
    # PostgreSQL refuses SELECT … FOR UPDATE outside a transaction; SQLite ignores it.
    round_ = make_round(county_limit=1)
    officer = make_county_officer()
    make_application(round_=round_, officer=officer, path=(S.SUBMITTED,))
    draft = make_application(round_=round_, officer=officer)
    assert "达到每个申报单位 1 个的上限" in refusal(draft, S.SUBMITTED, officer)


def test_resubmitting_a_returned_application_does_not_count_itself(city_officer):
    round_ = make_round(county_limit=1)
    officer = make_county_officer()
    application = make_application(
        round_=round_, officer=officer, path=(S.SUBMITTED, S.RETURNED), city_officer=city_officer
    )
    transition(application, S.SUBMITTED, officer)
    assert application.state == S.SUBMITTED


def test_stale_copy_is_refused(county_officer, city_officer):
    application = make_application(officer=county_officer)
    stale = Application.objects.get(pk=application.pk)
    transition(application, S.SUBMITTED, county_officer)
    with pytest.raises(TransitionRefused, match="已被他人更新"):
        transition(stale, S.SUBMITTED, county_officer)
    assert application.events.count() == 2


def test_state_and_event_are_saved_together(county_officer, monkeypatch):
    application = make_application(officer=county_officer)

    def broken_create(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(ApplicationEvent.objects, "create", broken_create)
    with pytest.raises(DatabaseError):
        transition(application, S.SUBMITTED, county_officer)
    monkeypatch.undo()

    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert application.version == 1
    assert application.events.count() == 1


def test_moves_open_to_each_role(county_officer, city_officer):
    application = make_application(officer=county_officer, path=(S.SUBMITTED,))

    def open_to(actor):
        return {state for state in S if refusal(application, state, actor, reason="理由") is None}

    assert open_to(county_officer) == set()
    assert open_to(city_officer) == {S.RETURNED, S.UNDER_REVIEW}
    assert refusal(application, S.UNDER_REVIEW, city_officer) is None
