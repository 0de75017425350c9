"""Login, logout, password change and the navigation, for every role (the login limits:
test_login_policy.py)."""

import pytest
from django.test import Client

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.navigation import landing_path, nav_links
from tests.factories import PASSWORD, make_admin, make_city_officer, make_county_officer, make_user
from tests.roles import ROLES, log_in, user_for

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
LANDING = {
    "county": "/county/",
    "other_county": "/county/",
    "city": "/intake/",
    "admin": "/admin/",
    "expert": "/scoring/",
}


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


# Login ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_login_page_is_chinese_for_everyone(client, role):
    log_in(client, role)
    response = client.get(LOGIN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>登录</h1>" in page
    assert "用户名" in page
    assert "密码" in page


@pytest.mark.parametrize("role", sorted(LANDING))
def test_login_redirects_each_role_to_its_own_page(client, role):
    user = user_for(role)
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == LANDING[role]


def test_a_safe_next_wins_over_the_role_page(client):
    user = make_county_officer()
    response = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD, "next": "/rounds/"}
    )
    assert response["Location"] == "/rounds/"


def test_an_outside_next_is_ignored(client):
    user = make_county_officer()
    response = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/county/"


def test_wrong_password_is_explained_in_chinese(client):
    user = make_county_officer()
    response = _login(client, user.username, "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client):
    user = make_county_officer(is_active=False)
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# Logout ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_logout_by_post_returns_home(client, role):
    log_in(client, role)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ROLES)
def test_logout_by_get_is_refused(client, role):
    user = log_in(client, role)
    assert client.get("/accounts/logout/").status_code == 405
    if user is not None:
        assert client.session["_auth_user_id"] == str(user.pk)


# Password change ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/password/", "/accounts/password/done/"])
def test_password_pages_send_anonymous_users_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={path}"


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_password_change_page_is_chinese_for_every_role(client, role):
    log_in(client, role)
    page = client.get("/accounts/password/").content.decode()
    for label in ("<h1>修改密码</h1>", "原密码", "新密码", "确认新密码"):
        assert label in page


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_every_role_can_change_their_password(client, role):
    user = log_in(client, role)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Ningbo-cluster-2023",
            "new_password2": "Ningbo-cluster-2023",
        },
    )
    assert response["Location"] == "/accounts/password/done/"
    assert "密码已修改" in client.get("/accounts/password/done/").content.decode()
    # Still signed in (Django keeps the session after a change), and the new password works.
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password("Ningbo-cluster-2023")


def test_password_change_errors_are_chinese(client):
    log_in(client, "county")
    response = client.post(
        "/accounts/password/",
        {"old_password": "not-it", "new_password1": "12345678", "new_password2": "1234"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "你的旧密码不正确" in page
    assert "输入的两个密码不一致" in page


# Navigation and error pages -------------------------------------------------------------------


def test_navigation_for_a_county_officer(client):
    officer = make_county_officer(username="haishu", last_name="王", first_name="芳")
    client.force_login(officer)
    page = client.get("/").content.decode()
    assert f"王芳（{officer.organisation}）" in page
    assert '<a href="/county/">我的申报</a>' in page
    assert "申报轮次</a>" not in page
    assert '<a href="/accounts/password/">修改密码</a>' in page
    assert 'action="/accounts/logout/"' in page


@pytest.mark.parametrize("role", ["city", "admin"])
def test_navigation_for_the_city_bureau_and_admin(client, role):
    user = log_in(client, role)
    page = client.get("/").content.decode()
    assert '<a href="/rounds/">申报轮次</a>' in page
    assert "我的申报" not in page
    assert user.username in page


def test_navigation_for_an_expert_and_anonymous(client):
    assert "修改密码" not in client.get("/").content.decode()
    expert = make_user(Role.EXPERT, username="zhuanjia")
    client.force_login(expert)
    page = client.get("/").content.decode()
    assert "zhuanjia" in page
    assert "我的申报" not in page
    assert "申报轮次</a>" not in page
    assert "修改密码" in page


def test_unknown_page_is_a_friendly_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db
def test_landing_and_nav_rules():
    assert landing_path(Role.COUNTY_OFFICER) == "/county/"
    assert landing_path(Role.CITY_OFFICER) == "/intake/"
    assert landing_path(Role.ADMIN) == "/admin/"
    assert landing_path(Role.EXPERT) == "/scoring/"
    assert landing_path("unknown") == "/"
    assert [link.path for link in nav_links(make_county_officer())] == [
        "/county/",
        "/hearings/my/",
        "/monitoring/county/",
        "/tracking/county/",
    ]
    # The city's in the order of the procedure.
    assert [link.path for link in nav_links(make_city_officer())] == [
        "/intake/",
        "/review/",
        "/scoring/rounds/",
        "/hearings/",
        "/publicity/",
        "/registry/",
        "/revocation/",
        "/monitoring/",
        "/tracking/",
        "/recheck/",
        "/exports/",
        "/rounds/",
    ]
    assert [link.path for link in nav_links(make_admin())] == [
        "/intake/",
        "/scoring/rounds/",
        "/hearings/",
        "/publicity/",
        "/registry/",
        "/revocation/",
        "/monitoring/",
        "/tracking/",
        "/recheck/",
        "/exports/",
        "/rounds/",
    ]
    # An expert without a profile in the pool: 评审任务 (empty), not the pool's own pages.
    assert [link.path for link in nav_links(make_user(Role.EXPERT))] == [
        "/scoring/",
        "/hearings/expert/",
    ]
    assert nav_links(make_county_officer(is_active=False)) == []


def test_a_missing_csrf_token_gets_a_chinese_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期，请刷新后重试" in response.content.decode()
