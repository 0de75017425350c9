"""Closing a round hides nothing: the county's dashboard lists every round it has applications in
(open rounds first, then closed ones, newest first); a returned application of a closed round can
be corrected and resubmitted, a draft of one cannot be submitted; everything stays printable.
The dashboard costs the same number of queries whatever the number of rounds and applications,
and validates no form whose data did not change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterdesk.county.domain.board import ROWS_PER_ROUND
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain import forms
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.rounds.enums import RoundStatus
from clusterdesk.rounds.models import Round
from tests.factories import (
    SHANGHAI,
    make_application,
    make_city_officer,
    make_county_officer,
    make_round,
)

pytestmark = pytest.mark.django_db
S = ApplicationState


def close(round_: Round) -> None:
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    round_.refresh_from_db()


def past_round(name: str, year: int) -> Round:
    return make_round(
        name=name,
        county_limit=5,
        submission_deadline=dt.datetime(year, 4, 14, 23, 59, tzinfo=SHANGHAI),
    )


@pytest.fixture
def county():
    """A county with a returned and a submitted application and a draft in a closed round, and
    a draft in the open round."""
    officer = make_county_officer()
    city = make_city_officer()
    old = make_round(name="2022年度", county_limit=3)
    returned = make_application(
        round_=old, officer=officer, cluster_name="旧轮次退回集群",
        path=(S.SUBMITTED, S.RETURNED), city_officer=city,
    )  # fmt: skip
    submitted = make_application(
        round_=old, officer=officer, cluster_name="旧轮次已交集群", path=(S.SUBMITTED,)
    )
    draft = make_application(round_=old, officer=officer, cluster_name="旧轮次草稿")
    close(old)
    current = make_round(name="2023年度")
    fresh = make_application(round_=current, officer=officer, cluster_name="本轮次草稿")
    return {
        "officer": officer,
        "old": old,
        "current": current,
        "returned": returned,
        "submitted": submitted,
        "draft": draft,
        "fresh": fresh,
    }


def test_a_closed_round_stays_on_the_dashboard_after_the_open_one(client, county):
    client.force_login(county["officer"])
    page = client.get("/county/").content.decode()
    assert page.index("2023年度宁波市") < page.index("2022年度宁波市")
    for name in ("旧轮次退回集群", "旧轮次已交集群", "旧轮次草稿", "本轮次草稿"):
        assert name in page
    old = page[page.index(f'id="round-{county["old"].pk}"') :]
    assert "本轮次已关闭" in old
    # No new draft in the closed round: the only 新建申报 form is the open round's.
    assert page.count('name="round" value=') == 1
    assert f'name="round" value="{county["current"].pk}"' in page
    # Its documents stay downloadable.
    assert f"/county/summary.docx?round={county['old'].pk}" in page
    assert f"/county/package.zip?round={county['old'].pk}" in page


def test_closed_rounds_come_newest_first_and_rounds_without_applications_are_left_out(
    client, county
):
    officer = county["officer"]
    older = past_round("2021年度", 2021)
    make_application(round_=older, officer=officer, cluster_name="最早的集群")
    close(older)
    empty = make_round(name="2020年度", status=RoundStatus.CLOSED)
    client.force_login(officer)
    page = client.get("/county/").content.decode()
    assert (
        page.index("2023年度宁波市") < page.index("2022年度宁波市") < page.index("2021年度宁波市")
    )
    assert f'id="round-{empty.pk}"' not in page


def test_a_returned_application_of_a_closed_round_is_corrected_and_resubmitted(client, county):
    app = county["returned"]
    client.force_login(county["officer"])
    form = client.get(f"/applications/{app.pk}/form/part1/").content.decode()
    assert 'data-autosave-url="' in form  # editable, not read-only
    change = {
        "path": "part1.operator",
        "value": "宁波某园区管委会",
        "original": app.data["part1"]["operator"],
    }
    saved = client.post(
        f"/applications/{app.pk}/autosave/",
        data={"changes": [change]},
        content_type="application/json",
    )
    assert saved.status_code == 200
    response = client.post(f"/county/applications/{app.pk}/submit/")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.SUBMITTED
    assert app.data["part1"]["operator"] == "宁波某园区管委会"


def test_a_draft_of_a_closed_round_cannot_be_submitted(client, county):
    app = county["draft"]
    client.force_login(county["officer"])
    response = client.post(f"/county/applications/{app.pk}/submit/")
    assert response.status_code == 400
    assert "已关闭，不能提交新的申报" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.DRAFT
    page = client.get("/county/").content.decode()
    row = page[page.index(f'id="application-{app.pk}"') :]
    assert "已关闭，不能提交新的申报" in row[: row.index("</tr>")]


def test_applications_of_a_closed_round_stay_printable(client, county):
    client.force_login(county["officer"])
    old = county["old"].pk
    for app in (county["submitted"], county["returned"], county["draft"]):
        response = client.get(f"/county/applications/{app.pk}/attachment2.docx")
        assert response.status_code == 200
    for url in (f"/county/summary.docx?round={old}", f"/county/summary.xlsx?round={old}"):
        assert client.get(url).status_code == 200
    package = client.get(f"/county/package.zip?round={old}")
    assert package.status_code == 200
    body = b"".join(package.streaming_content)
    assert body.startswith(b"PK")


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/county/").status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_queries_for_more_rounds_and_applications(client):
    officer = make_county_officer()
    city = make_city_officer()
    first = make_round(name="2023年度", county_limit=5)
    # One of every kind of row: submitted, returned (its reason), a deleted draft (who deleted).
    make_application(round_=first, officer=officer, path=(S.SUBMITTED,))
    make_application(
        round_=first, officer=officer, path=(S.SUBMITTED, S.RETURNED), city_officer=city
    )
    make_application(round_=first, officer=officer, path=(S.DELETED,))
    # 未认定 (its 不予认定 reason, from the same query as the returns) and 拟认定.
    decided = (S.SUBMITTED, S.UNDER_REVIEW)
    make_application(round_=first, officer=officer, path=(*decided, S.REJECTED), city_officer=city)
    make_application(round_=first, officer=officer, path=(*decided, S.PROPOSED), city_officer=city)
    client.force_login(officer)
    _dashboard_queries(client)  # warm: summaries are cached after the first view
    few = _dashboard_queries(client)

    for year in (2019, 2020, 2021):
        round_ = past_round(f"{year}年度", year)
        with clock.frozen(dt.datetime(year, 4, 1, 9, 0, tzinfo=SHANGHAI)):
            for n in range(4):
                make_application(
                    round_=round_, officer=officer, cluster_name=f"{year}年集群{n}",
                    path=(S.SUBMITTED, S.RETURNED), city_officer=city,
                )  # fmt: skip
            make_application(
                round_=round_, officer=officer, cluster_name=f"{year}年未认定",
                path=(*decided, S.REJECTED), city_officer=city,
            )  # fmt: skip
        make_application(round_=round_, officer=officer, path=(S.DELETED,))
        close(round_)
    for _ in range(3):
        make_application(round_=first, officer=officer)
    _dashboard_queries(client)
    assert _dashboard_queries(client) == few


def test_the_dashboard_validates_only_changed_forms(client, county, monkeypatch):
    client.force_login(county["officer"])
    client.get("/county/")
    calls = []
    real = forms.summarise
    monkeypatch.setattr(forms, "summarise", lambda app: calls.append(app.pk) or real(app))
    client.get("/county/")
    assert calls == []  # nothing changed: every row's summary came from the cache


def test_a_round_with_many_applications_is_shown_page_by_page(client):
    officer = make_county_officer()
    round_ = make_round(name="2023年度")
    apps = [
        make_application(round_=round_, officer=officer, cluster_name=f"集群{n:02d}")
        for n in range(ROWS_PER_ROUND + 5)
    ]
    client.force_login(officer)
    page = client.get("/county/").content.decode()
    assert page.count('<tr id="application-') == ROWS_PER_ROUND
    assert f"共 {len(apps)} 个申报，第 1/2 页" in page
    second = client.get(f"/county/?round={round_.pk}&page=2").content.decode()
    assert second.count('<tr id="application-') == 5
    assert "集群24" in second
    assert "集群00" not in second
    assert client.get("/county/?round=abc").status_code == 404
    huge = client.get(f"/county/?round={round_.pk}&page=999999999999999999")
    assert huge.status_code == 200  # past the end: no rows, no overflow


def test_another_countys_round_is_not_listed_by_id(client, county):
    stranger = make_county_officer()
    client.force_login(stranger)
    # The closed round holds only the other county's applications: nothing to show this one.
    assert client.get(f"/county/?round={county['old'].pk}").status_code == 404
    page = client.get("/county/").content.decode()
    assert "旧轮次退回集群" not in page
    assert Application.objects.filter(organisation=stranger.organisation).count() == 0
