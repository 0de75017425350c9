import pytest

from clusterdesk.declarations.domain.applications import create_application
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.errors import DomainError
from clusterdesk.rounds.enums import RoundStatus
from tests.factories import make_county_officer, make_round

pytestmark = pytest.mark.django_db


def test_creation_is_recorded_as_the_first_event(round_, county_officer):
    application = create_application(
        round_=round_, organisation=county_officer.organisation, actor=county_officer
    )
    assert application.state == ApplicationState.DRAFT
    assert application.data == {}
    assert application.created_by == county_officer
    event = application.events.get()
    assert (event.from_state, event.to_state, event.actor) == ("", "draft", county_officer)


def test_only_for_own_organisation(round_, county_officer):
    other = make_county_officer()
    with pytest.raises(DomainError, match="只能为本单位新建申报"):
        create_application(round_=round_, organisation=other.organisation, actor=county_officer)


def test_city_officer_does_not_declare(round_, city_officer, county_officer):
    with pytest.raises(DomainError, match="只有区县经信部门可以新建申报"):
        create_application(
            round_=round_, organisation=county_officer.organisation, actor=city_officer
        )


def test_not_in_a_closed_round(county_officer):
    round_ = make_round(status=RoundStatus.CLOSED)
    with pytest.raises(DomainError, match="已关闭"):
        create_application(
            round_=round_, organisation=county_officer.organisation, actor=county_officer
        )


def test_not_by_an_inactive_account(round_, county_officer):
    county_officer.is_active = False
    with pytest.raises(DomainError, match="账户已停用"):
        create_application(
            round_=round_, organisation=county_officer.organisation, actor=county_officer
        )
