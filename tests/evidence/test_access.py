"""Every evidence view for every role: what each may see and change (DESIGN: access in queries)."""

import hashlib

import pytest

from clusterdesk.accounts.enums import Role
from clusterdesk.evidence.domain.uploads import upload_evidence
from tests import factories
from tests.evidence import samples

pytestmark = pytest.mark.django_db

PATH = "part2.chain_map"
WIDGET = {"HTTP_X_EVIDENCE_WIDGET": "1"}


@pytest.fixture
def world():
    """Two counties with an application each, both with evidence on file."""
    own = factories.make_application(cluster_name="本县集群")
    other = factories.make_application(cluster_name="外县集群")
    upload_evidence(own, PATH, [samples.upload("本县图谱.pdf", samples.PDF)], own.created_by)
    other_content = samples.png()
    upload_evidence(other, PATH, [samples.upload("外县图谱.png", other_content)], other.created_by)
    return {
        "own": own,
        "other": other,
        "own_sha": hashlib.sha256(samples.PDF).hexdigest(),
        "other_sha": hashlib.sha256(other_content).hexdigest(),
    }


def user_for(role, world):
    if role == "anonymous":
        return None
    if role == "own_county":
        return world["own"].created_by
    if role == "other_county":
        return world["other"].created_by
    if role == "city":
        return factories.make_city_officer()
    if role == "expert":
        return factories.make_user(Role.EXPERT)
    return factories.make_admin()


def request(client, view, world):
    own, sha = world["own"], world["own_sha"]
    base = f"/evidence/{own.pk}/"
    if view == "list":
        return client.get(base)
    if view == "download":
        return client.get(f"{base}{sha}/")
    if view == "preview":
        return client.get(f"{base}{sha}/?inline=1")
    if view == "upload":
        data = {"path": PATH, "file": samples.upload("新材料.xlsx", samples.xlsx_bytes())}
        return client.post(f"{base}upload/", data, **WIDGET)
    return client.post(f"{base}remove/", {"path": PATH, "sha256": sha}, **WIDGET)


VIEWS = ("list", "download", "preview", "upload", "remove")
EXPECTED = {
    "own_county": {"list": 200, "download": 200, "preview": 200, "upload": 200, "remove": 200},
    "other_county": dict.fromkeys(VIEWS, 404),
    "city": {"list": 200, "download": 200, "preview": 200, "upload": 403, "remove": 403},
    "expert": dict.fromkeys(VIEWS, 404),
    "admin": {"list": 200, "download": 200, "preview": 200, "upload": 403, "remove": 403},
}


@pytest.mark.parametrize("view", VIEWS)
def test_anonymous_users_are_sent_to_log_in(client, world, view):
    response = request(client, view, world)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/evidence/")


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_on_each_view(client, world, role, view):
    client.force_login(user_for(role, world))
    own = world["own"]
    version = own.version
    response = request(client, view, world)
    assert response.status_code == EXPECTED[role][view]
    own.refresh_from_db()
    changed = role == "own_county" and view in ("upload", "remove")
    assert (own.version != version) == changed
    if response.status_code == 403:
        assert response.json()["error"] == "只有本单位的区县经信部门可以修改该申报。"
    if response.status_code == 404:
        assert "本县图谱" not in response.content.decode()


@pytest.mark.parametrize("role", ["own_county", "city", "admin"])
def test_a_hash_from_another_county_opens_nothing(client, world, role):
    """The blob exists and the user may see *this* application, but its register lacks it."""
    client.force_login(user_for(role, world))
    own, other_sha = world["own"], world["other_sha"]
    assert client.get(f"/evidence/{own.pk}/{other_sha}/").status_code == 404
    assert client.get(f"/evidence/{own.pk}/{other_sha}/?inline=1").status_code == 404


def test_a_county_cannot_reach_another_countys_files_by_id(client, world):
    client.force_login(world["own"].created_by)
    other, other_sha = world["other"], world["other_sha"]
    for url in (f"/evidence/{other.pk}/", f"/evidence/{other.pk}/{other_sha}/"):
        assert client.get(url).status_code == 404
    data = {"path": PATH, "file": samples.upload("塞入.pdf", samples.PDF)}
    assert client.post(f"/evidence/{other.pk}/upload/", data).status_code == 404
    removal = {"path": PATH, "sha256": other_sha}
    assert client.post(f"/evidence/{other.pk}/remove/", removal).status_code == 404
    other.refresh_from_db()
    assert [e["name"] for e in other.data["evidence"][PATH]][-1] == "外县图谱.png"


def test_unknown_applications_and_malformed_hashes_are_404(client, world):
    client.force_login(factories.make_city_officer())
    own = world["own"]
    assert client.get(f"/evidence/{own.pk + 1000}/").status_code == 404
    assert client.get(f"/evidence/{own.pk}/{'0' * 64}/").status_code == 404
    assert client.get(f"/evidence/{own.pk}/{world['own_sha'].upper()}/").status_code == 404


def test_an_inactive_county_officer_sees_nothing(client, world):
    officer = world["own"].created_by
    officer.is_active = False
    officer.save()
    client.force_login(officer)
    response = client.get(f"/evidence/{world['own'].pk}/")
    assert response.status_code == 302  # an inactive account is logged out
