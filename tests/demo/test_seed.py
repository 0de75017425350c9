import datetime as dt

import pytest
from django.contrib.auth.hashers import check_password

from clusterdesk.accounts.enums import COUNTY_LEVEL_KINDS, OrganisationKind, Role
from clusterdesk.accounts.models import Organisation, User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.demo.seed import (
    COMMITTEES,
    COUNTIES,
    DEMO_APPLICATIONS,
    DEMO_PASSWORD,
    OFFICIAL_DEADLINE,
    RETURN_REASON,
    demo_deadline,
    demo_form_data,
    seed_demo,
)
from clusterdesk.form.example import example_application
from clusterdesk.rounds.models import Round

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, list]:
    """Every row the seed touches, with the columns that would change if it rewrote them."""
    return {
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "rounds": list(Round.objects.order_by("pk").values()),
        "applications": list(Application.objects.order_by("pk").values()),
        "events": list(ApplicationEvent.objects.order_by("pk").values()),
    }


def test_creates_the_ningbo_units():
    seed_demo()
    assert Organisation.objects.filter(kind=OrganisationKind.CITY_BUREAU).get().name == (
        "宁波市经济和信息化局"
    )
    counties = Organisation.objects.filter(kind=OrganisationKind.COUNTY)
    assert [o.county for o in counties] == [county for county, _ in COUNTIES]
    assert counties.get(county="海曙区").name == "海曙区经济和信息化局"
    committees = Organisation.objects.filter(kind=OrganisationKind.COMMITTEE)
    assert [o.name for o in committees] == [name for name, _, _ in COMMITTEES]


def test_one_county_officer_for_every_county_level_unit():
    seed_demo()
    for unit in Organisation.objects.filter(kind__in=COUNTY_LEVEL_KINDS):
        officer = unit.users.get()
        assert officer.role == Role.COUNTY_OFFICER
        officer.full_clean()
    assert User.objects.filter(role=Role.CITY_OFFICER).count() == 1
    assert User.objects.filter(role=Role.EXPERT).count() == 2
    admin = User.objects.get(role=Role.ADMIN)
    assert admin.is_superuser
    assert admin.is_staff


def test_every_account_uses_the_demo_password():
    report = seed_demo()
    assert len(report.logins) == User.objects.count() == 2 + len(COUNTIES) + len(COMMITTEES) + 2
    for user in User.objects.all():
        assert check_password(DEMO_PASSWORD, user.password)


def test_open_2023_round():
    seed_demo()
    round_ = Round.objects.get()
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


def test_applications_in_several_states_with_real_history():
    seed_demo()
    states = {a.organisation.county: a.state for a in Application.objects.all()}
    assert states == {
        "海曙区": S.DRAFT,
        "江北区": S.SUBMITTED,
        "镇海区": S.RETURNED,
        "鄞州区": S.UNDER_REVIEW,
    }
    returned = Application.objects.get(state=S.RETURNED)
    history = list(returned.events.values_list("to_state", "actor__role", "reason"))
    assert history == [
        (S.DRAFT, Role.COUNTY_OFFICER, ""),
        (S.SUBMITTED, Role.COUNTY_OFFICER, ""),
        (S.RETURNED, Role.CITY_OFFICER, RETURN_REASON),
    ]
    for application in Application.objects.all():
        assert application.events.last().to_state == application.state
        assert application.created_by.organisation == application.organisation


def test_application_data_is_the_example_moved_to_each_county():
    seed_demo()
    for demo in DEMO_APPLICATIONS:
        application = Application.objects.get(organisation__county=demo.county)
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


def test_running_twice_changes_nothing():
    first = seed_demo()
    before = _snapshot()
    second = seed_demo()
    assert first.created_anything
    assert not second.created_anything
    assert second.logins == first.logins
    assert _snapshot() == before


def test_edits_made_after_seeding_are_kept():
    seed_demo()
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
