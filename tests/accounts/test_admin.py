import pytest

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from tests.factories import make_admin, make_city_bureau, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_admin())
    return client


def test_user_and_organisation_lists_are_in_chinese(admin_client):
    make_organisation(county="海曙区", name="海曙区经济和信息化局")
    page = admin_client.get("/admin/accounts/organisation/").content.decode()
    assert "海曙区经济和信息化局" in page
    assert "单位类型" in page
    page = admin_client.get("/admin/accounts/user/").content.decode()
    assert "角色" in page
    assert "所属单位" in page


def test_adding_a_user_checks_role_against_organisation(admin_client):
    city = make_city_bureau()
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "wrong",
            "role": Role.COUNTY_OFFICER,
            "organisation": city.pk,
            "usable_password": "true",
            "password1": "Quite-Long-Pass-2023",
            "password2": "Quite-Long-Pass-2023",
        },
    )
    assert response.status_code == 200
    assert "所属单位必须是" in response.content.decode()
    assert not User.objects.filter(username="wrong").exists()


def test_adding_a_county_officer(admin_client):
    county = make_organisation()
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "officer",
            "role": Role.COUNTY_OFFICER,
            "organisation": county.pk,
            "usable_password": "true",
            "password1": "Quite-Long-Pass-2023",
            "password2": "Quite-Long-Pass-2023",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="officer").organisation == county
