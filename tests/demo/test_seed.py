import datetime as dt

import pytest
from django.contrib.auth.hashers import check_password

from clusterdesk.accounts.enums import COUNTY_LEVEL_KINDS, OrganisationKind, Role
from clusterdesk.accounts.models import Organisation, User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, ApplicationEvent, Comment, CommentReply
from clusterdesk.demo.experts import EXPERTS
from clusterdesk.demo.seed import (
    COMMITTEES,
    COUNTIES,
    DEMO_APPLICATIONS,
    DEMO_PASSWORD,
    OFFICIAL_DEADLINE,
    RETURN_REASON,
    DemoApplication,
    demo_deadline,
    demo_form_data,
    seed_demo,
)
from clusterdesk.form.example import example_application
from clusterdesk.hearings.models import DefenceRecord, DefenceSlot, SiteVisit
from clusterdesk.intake.models import FormalCheck, OverlapFlag, PaperReceipt
from clusterdesk.publicity.models import (
    Decision,
    DecisionItem,
    Objection,
    ObjectionStep,
    Publicity,
    PublicityItem,
)
from clusterdesk.registry.models import Certification, Publication
from clusterdesk.review.models import (
    Assignment,
    ConflictDeclaration,
    ExpertProfile,
    ReviewEvent,
    ReviewPhase,
)
from clusterdesk.rounds.models import Round
from clusterdesk.scoring.models import ScoreSheet

pytestmark = pytest.mark.django_db


SNAPSHOT_MODELS = (
    ExpertProfile,
    ConflictDeclaration,
    ReviewPhase,
    Assignment,
    ReviewEvent,
    ScoreSheet,
    DefenceSlot,
    DefenceRecord,
    SiteVisit,
    Decision,
    DecisionItem,
    Publicity,
    PublicityItem,
    Objection,
    ObjectionStep,
    Publication,
    Certification,
)


def _snapshot() -> dict[str, list]:
    """Every row the seed touches, with the columns that would change if it rewrote them."""
    return {
        **{
            model.__name__: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS
        },
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "rounds": list(Round.objects.order_by("pk").values()),
        "applications": list(Application.objects.order_by("pk").values()),
        "events": list(ApplicationEvent.objects.order_by("pk").values()),
        "receipts": list(PaperReceipt.objects.order_by("pk").values()),
        "checks": list(FormalCheck.objects.order_by("pk").values()),
        "comments": list(Comment.objects.order_by("pk").values()),
        "replies": list(CommentReply.objects.order_by("pk").values()),
        "flags": list(OverlapFlag.objects.order_by("pk").values()),
    }


def test_creates_the_ningbo_units(world):
    assert Organisation.objects.filter(kind=OrganisationKind.CITY_BUREAU).get().name == (
        "宁波市经济和信息化局"
    )
    counties = Organisation.objects.filter(kind=OrganisationKind.COUNTY)
    assert [o.county for o in counties] == [county for county, _ in COUNTIES]
    assert counties.get(county="海曙区").name == "海曙区经济和信息化局"
    committees = Organisation.objects.filter(kind=OrganisationKind.COMMITTEE)
    assert [o.name for o in committees] == [name for name, _, _ in COMMITTEES]


def test_one_county_officer_for_every_county_level_unit(world):
    for unit in Organisation.objects.filter(kind__in=COUNTY_LEVEL_KINDS):
        officer = unit.users.get()
        assert officer.role == Role.COUNTY_OFFICER
        officer.full_clean()
    assert User.objects.filter(role=Role.CITY_OFFICER).count() == 1
    assert User.objects.filter(role=Role.EXPERT).count() == len(EXPERTS) == 8
    admin = User.objects.get(role=Role.ADMIN)
    assert admin.is_superuser
    assert admin.is_staff


def test_every_account_uses_the_demo_password(world):
    report = world.report
    expected = 2 + len(COUNTIES) + len(COMMITTEES) + len(EXPERTS)
    assert len(report.logins) == User.objects.count() == expected
    for user in User.objects.all():
        assert check_password(DEMO_PASSWORD, user.password)


def test_open_2023_round(world):
    round_ = Round.objects.get(name="2023年度")
    assert round_.name == "2023年度"
    assert round_.is_open
    assert (round_.first_data_year, round_.last_data_year) == (2020, 2022)
    assert round_.reference_date.isoformat() == "2022-12-31"
    assert round_.submission_deadline.isoformat() == "2023-04-14T15:59:00+00:00"
    # The Ningbo profile: the national thresholds the city applies until it publishes its own.
    assert (round_.county_limit, round_.form_version, round_.criteria_profile) == (
        2,
        "2023",
        "ningbo-2023",
    )


def _demo(county: str) -> Application:
    """The 2023 round's demo application of ``county`` (``DEMO_APPLICATIONS``)."""
    demo = next(d for d in DEMO_APPLICATIONS if d.county == county)
    return Application.objects.get(round__name="2023年度", listed_name=demo.cluster_name)


def test_applications_in_several_states_with_real_history(world):
    states = {county: _demo(county).state for county in ("海曙区", "江北区", "镇海区", "鄞州区")}
    assert {county: states[county] for county in ("海曙区", "江北区", "镇海区", "鄞州区")} == {
        "海曙区": S.DRAFT,
        "江北区": S.SUBMITTED,
        "镇海区": S.RETURNED,
        "鄞州区": S.UNDER_REVIEW,
    }  # the desk's stories: tests/demo/test_desk_seed.py
    returned = _demo("镇海区")
    history = list(returned.events.values_list("to_state", "actor__role", "reason"))
    assert history == [
        (S.DRAFT, Role.COUNTY_OFFICER, ""),
        (S.SUBMITTED, Role.COUNTY_OFFICER, ""),
        (S.RETURNED, Role.CITY_OFFICER, RETURN_REASON),
    ]
    for application in Application.objects.all():
        assert application.events.last().to_state == application.state
        assert application.created_by.organisation == application.organisation


def test_application_data_is_the_example_moved_to_each_county(world):
    for demo in DEMO_APPLICATIONS:
        application = _demo(demo.county)
        assert application.cluster_name == demo.cluster_name
        assert application.data["cover"]["county"] == demo.county
        assert "北仑" not in str(application.data)


def test_demo_form_data_is_a_valid_form():
    example = example_application()
    data = demo_form_data("江北区", "宁波江北模具中小企业特色产业集群（模具产业）")
    form = type(example).model_validate(data)
    assert form.part1.cluster_name == "宁波江北模具中小企业特色产业集群（模具产业）"
    assert form.attachment1.leading_industry == example.attachment1.leading_industry
    assert form.part1.department == "宁波市江北区经济和信息化局"


def test_a_city_and_a_committee_keep_their_own_names():
    cixi = demo_form_data("慈溪市", "宁波慈溪模具中小企业特色产业集群（模具产业）")
    assert "慈溪区" not in str(cixi)
    assert cixi["part3"]["platforms"]["other"]["names"][1] == "慈溪市模具数字化设计中心"
    name = DemoApplication("宁波杭州湾新区").cluster_name
    assert name == "宁波杭州湾新区模具中小企业特色产业集群（模具产业）"
    committee = demo_form_data("宁波杭州湾新区", name)
    assert committee["cover"]["county"] == "宁波杭州湾新区"
    assert "宁波宁波" not in str(committee)
    assert committee["part1"]["operator"] == "宁波杭州湾新区模具产业园区管理委员会"


def test_demo_applications_are_not_copies_of_one_another():
    """Only the opening of each narrative box is kept (shorter than a flagged passage), and the
    identifiers are the unit's own: two counties share no patent, standard or platform."""
    one, other = demo_form_data("江北区", "甲"), demo_form_data("鄞州区", "乙")

    def claimed(data):
        part3 = data["part3"]
        return (
            {p["number"] for p in part3["patents_list"]}
            | {s["code"] for s in part3["standards_list"]}
            | {n for block in part3["platforms"].values() for n in block["names"]}
        )

    assert len(claimed(one)) == len(claimed(other)) > 400
    assert not claimed(one) & claimed(other)
    assert len(one["part8"]["overview"]) < len(example_application().part8.overview)
    assert one["part8"]["overview"].endswith("。")


def test_running_twice_changes_nothing(world):
    first = world.report
    before = _snapshot()
    second = seed_demo()
    assert first.created_anything
    assert not second.created_anything
    assert second.logins == first.logins
    assert _snapshot() == before


def test_edits_made_after_seeding_are_kept(world):
    city = User.objects.get(username="city")
    city.set_password("changed-by-the-user")
    city.save()
    seed_demo()
    city.refresh_from_db()
    assert check_password("changed-by-the-user", city.password)


def test_a_demo_seeded_after_the_official_deadline_stays_usable():
    with clock.frozen(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)):
        deadline = demo_deadline()
    assert deadline > OFFICIAL_DEADLINE
    assert (deadline.year, deadline.month, deadline.day, deadline.hour) == (2026, 12, 27, 23)
    with clock.frozen(dt.datetime(2023, 3, 8, 9, 0, tzinfo=dt.UTC)):
        assert demo_deadline() == OFFICIAL_DEADLINE
