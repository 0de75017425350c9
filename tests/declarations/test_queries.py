import pytest
from django.contrib.auth.models import AnonymousUser

from clusterdesk.accounts.enums import Role
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.rounds.domain import open_rounds
from clusterdesk.rounds.enums import RoundStatus
from tests.factories import (
    make_admin,
    make_application,
    make_county_officer,
    make_round,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_open_rounds_closing_first_on_top():
    later = make_round(submission_deadline=make_round().submission_deadline.replace(year=2024))
    make_round(status=RoundStatus.CLOSED)
    rounds = list(open_rounds())
    assert len(rounds) == 2
    assert rounds[-1] == later


def test_a_county_sees_only_its_own_applications(city_officer):
    round_ = make_round()
    mine, theirs = make_county_officer(), make_county_officer()
    own = make_application(round_=round_, officer=mine)
    other = make_application(round_=round_, officer=theirs)
    assert list(visible_applications(mine)) == [own]
    assert list(visible_applications(theirs)) == [other]
    assert set(visible_applications(city_officer)) == {own, other}
    assert set(visible_applications(make_admin())) == {own, other}


def test_experts_and_strangers_see_nothing_yet():
    make_application()
    assert not visible_applications(make_user(Role.EXPERT)).exists()
    assert not visible_applications(AnonymousUser()).exists()
    inactive = make_county_officer(is_active=False)
    make_application(officer=make_county_officer(organisation=inactive.organisation))
    assert not visible_applications(inactive).exists()
