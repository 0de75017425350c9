import pytest

from clusterdesk.rounds.enums import RoundStatus
from tests.factories import PASSWORD, make_admin, make_county_officer, make_round

pytestmark = pytest.mark.django_db


def test_landing_page_shows_the_open_round_in_chinese(client):
    make_round(name="2023年度")
    make_round(name="2021年度", status=RoundStatus.CLOSED)
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in page
    assert "中小企业特色产业集群申报认定平台" in page
    assert "2023年度宁波市中小企业特色产业集群申报" in page
    # Stored in UTC, shown in Beijing time.
    assert "2023年4月14日 23:59" in page
    assert "2020—2022年" in page
    assert "2021年度" not in page
    assert 'href="/accounts/login/"' in page
    assert 'href="/admin/"' in page


def test_landing_page_without_open_round(client):
    assert "目前没有开放申报的轮次。" in client.get("/").content.decode()


def test_login_page_is_chinese_and_logs_in(client):
    officer = make_county_officer(username="haishu")
    page = client.get("/accounts/login/").content.decode()
    assert "用户名" in page
    assert "密码" in page

    bad = client.post("/accounts/login/", {"username": "haishu", "password": "wrong"})
    assert "用户名或密码不正确" in bad.content.decode()

    good = client.post("/accounts/login/", {"username": "haishu", "password": PASSWORD})
    assert good.status_code == 302
    assert good.url == "/county/"  # a county officer lands on their applications
    home = client.get("/").content.decode()
    assert str(officer.organisation) in home
    assert "区县经信部门" in home


def test_logout_returns_home(client):
    client.force_login(make_county_officer())
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.url == "/"


def test_admin_is_reachable_for_the_admin(client):
    client.force_login(make_admin())
    page = client.get("/admin/").content.decode()
    assert "中小企业特色产业集群申报认定平台 · 管理后台" in page
    for section in ("用户与单位", "申报与认定", "申报轮次", "集群申报", "申报记录"):
        assert section in page


def test_admin_is_closed_to_county_officers(client):
    client.force_login(make_county_officer())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
