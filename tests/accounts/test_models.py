import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clusterdesk.accounts.enums import OrganisationKind, Role
from clusterdesk.accounts.models import Organisation, User
from tests.factories import make_city_bureau, make_organisation, make_user

pytestmark = pytest.mark.django_db


def _violates_db_constraint(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_county_level_unit_needs_its_county():
    for kind in (OrganisationKind.COUNTY, OrganisationKind.COMMITTEE):
        unit = Organisation(name=f"无区县{kind}", kind=kind, county="")
        with pytest.raises(ValidationError, match="所在区（县、市）"):
            unit.full_clean()
        assert _violates_db_constraint(unit.save)


def test_other_units_have_no_county():
    unit = Organisation(
        name="宁波市经济和信息化局", kind=OrganisationKind.CITY_BUREAU, county="海曙区"
    )
    with pytest.raises(ValidationError, match="只有区县级单位和管委会"):
        unit.full_clean()
    assert _violates_db_constraint(unit.save)


def test_county_is_unique():
    make_organisation(county="海曙区", name="海曙区经济和信息化局")
    assert _violates_db_constraint(
        lambda: make_organisation(county="海曙区", name="海曙区另一个单位")
    )


def test_unknown_kind_refused_by_database():
    assert _violates_db_constraint(
        lambda: Organisation.objects.create(name="某单位", kind="ministry", county="")
    )


def test_county_officer_must_have_an_organisation():
    officer = User(username="orphan", role=Role.COUNTY_OFFICER)
    with pytest.raises(ValidationError, match="必须指定所属单位"):
        officer.full_clean()
    assert _violates_db_constraint(officer.save)


def test_county_officer_cannot_belong_to_the_city_bureau():
    officer = User(username="wrong", role=Role.COUNTY_OFFICER, organisation=make_city_bureau())
    officer.set_password("x")
    with pytest.raises(ValidationError) as excinfo:
        officer.full_clean()
    assert "区（县、市）经信局" in str(excinfo.value.message_dict["organisation"])


def test_city_officer_cannot_belong_to_a_county():
    officer = User(username="wrong", role=Role.CITY_OFFICER, organisation=make_organisation())
    officer.set_password("x")
    with pytest.raises(ValidationError, match="市经信局"):
        officer.full_clean()


@pytest.mark.parametrize("kind", [OrganisationKind.COUNTY, OrganisationKind.COMMITTEE])
def test_county_officer_in_a_county_level_unit_is_valid(kind):
    officer = make_user(Role.COUNTY_OFFICER, make_organisation(kind))
    officer.full_clean()


def test_expert_and_admin_may_stand_alone():
    make_user(Role.EXPERT).full_clean()
    make_user(Role.ADMIN).full_clean()


def test_unknown_role_refused_by_database():
    assert _violates_db_constraint(lambda: make_user("minister"))


def test_createsuperuser_makes_a_system_administrator():
    user = User.objects.create_superuser("root", "root@example.cn", "pw")
    assert user.role == Role.ADMIN
    assert user.is_superuser
    assert user.is_staff


def test_chinese_name_order():
    user = make_user(Role.EXPERT, username="zhang", last_name="张", first_name="三")
    assert user.get_full_name() == "张三"
    assert str(user) == "张三（zhang）"
    assert str(make_user(Role.EXPERT, username="li")) == "li"
