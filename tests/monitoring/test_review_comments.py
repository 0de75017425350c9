"""The city's 审核意见 on an annual report, through the intake desk's widget
(declarations/comments/_review.html): the picker offers the report's places, a comment is
anchored at the field picked, an unknown field is refused in Chinese, a county cannot comment
and sees only its own reports' comments, and after the return it sees each at its field."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Comment
from tests.monitoring.world import IN_WINDOW, filed_report, reporting_world

pytestmark = pytest.mark.django_db

OUTPUT = "figures.industry.total_output"
OUTPUT_PLACE = "二、年度主要指标 · 主导产业情况 · 集群总产值（亿元）"


@pytest.fixture
def world():
    return reporting_world()


def _submitted(world, i=0):
    application = world.applications[i]
    with clock.frozen(IN_WINDOW):
        return filed_report(application.certification, application.created_by, str(application))


def _comment(client, report, path, text="产值与统计年鉴不一致，请核实"):
    return client.post(
        f"/applications/{report.pk}/comments/new/",
        {"path": path, "text": text, "next": f"/monitoring/reports/{report.pk}/"},
    )


def test_the_report_page_offers_the_reports_places_and_anchors_the_comment(client, world):
    report = _submitted(world)
    client.force_login(world.city)
    page = client.get(f"/monitoring/reports/{report.pk}/").content.decode()
    # The picker: the report's own places (not the declaration's), grouped by page.
    assert '<select id="comment-path" name="path">' in page
    assert '<option value="">整份报告</option>' in page
    assert '<optgroup label="二、年度主要指标">' in page
    assert f'<option value="{OUTPUT}">主导产业情况 · 集群总产值（亿元）</option>' in page
    assert 'value="part2.total_output"' not in page
    response = _comment(client, report, OUTPUT)
    comment = Comment.objects.get(application=report)
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/reports/{report.pk}/#comment-{comment.pk}"
    assert (comment.path, comment.place, comment.status) == (OUTPUT, OUTPUT_PLACE, "draft")
    page = client.get(f"/monitoring/reports/{report.pk}/").content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert OUTPUT_PLACE in page
    assert "随退回发出 <strong>1</strong> 条批注" in page


def test_a_comment_at_a_field_the_report_does_not_have_is_refused(client, world):
    report = _submitted(world)
    client.force_login(world.city)
    for path in ("no.such.field", "part2.total_output", "figures.industry.total_output.9"):
        response = _comment(client, report, path)
        assert response.status_code == 400
        assert "批注的栏目不存在（申报表中没有该栏目），未保存。" in response.content.decode()
        # The way back is the report's review page, not the intake desk's.
        assert f'href="/monitoring/reports/{report.pk}/">返回上一页' in response.content.decode()
    assert not Comment.objects.exists()


def test_a_county_cannot_comment_on_a_report(client, world):
    report = _submitted(world)
    client.force_login(report.created_by)
    assert _comment(client, report, OUTPUT).status_code == 403
    response = client.post(f"/monitoring/reports/{report.pk}/comment/", {"path": OUTPUT})
    assert response.status_code == 403
    assert not Comment.objects.exists()
    # Nor another county's report: not found at all.
    other = _submitted(world, 1)
    assert _comment(client, other, OUTPUT).status_code == 404
    assert not Comment.objects.exists()


def test_after_the_return_the_county_sees_its_comments_at_their_fields_only(client, world):
    own, other = _submitted(world, 0), _submitted(world, 1)
    client.force_login(world.city)
    _comment(client, own, OUTPUT, "鄞州：产值请核实")
    _comment(client, other, OUTPUT, "余姚：产值请核实")
    _comment(client, own, "", "鄞州：请补充整体说明")
    officer = own.created_by
    client.force_login(officer)
    # Drafts are the city's until the return.
    assert (
        "鄞州：产值请核实"
        not in client.get(f"/applications/{own.pk}/form/figures/").content.decode()
    )
    client.force_login(world.city)
    with clock.frozen(IN_WINDOW):
        client.post(f"/monitoring/reports/{own.pk}/return/", {"reason": "请核实产值"})
        client.post(f"/monitoring/reports/{other.pk}/return/", {"reason": "请核实"})
    own.refresh_from_db()
    assert own.state == S.RETURNED
    client.force_login(officer)
    page = client.get(f"/applications/{own.pk}/form/figures/").content.decode()
    # At the field's row on the report's page, not in a list apart.
    slots = dict(
        re.findall(r'data-comments-for="([^"]*)">(.*?)(?=data-comments-for=|$)', page, re.S)
    )
    holder = next(path for path, html in slots.items() if "鄞州：产值请核实" in html)
    assert OUTPUT.startswith(holder)
    assert holder.startswith("figures.industry")
    assert "鄞州：请补充整体说明" in slots[""]
    assert "余姚" not in page
    # The county answers it there (its own report, returned).
    comment = Comment.objects.get(application=own, path=OUTPUT)
    client.post(
        f"/applications/comments/{comment.pk}/reply/",
        {"text": "已按统计年鉴更正", "answered": "1"},
    )
    comment.refresh_from_db()
    assert comment.status == "answered"
    # Another county's report and its comments are not there for it.
    assert client.get(f"/applications/{other.pk}/form/figures/").status_code == 404
    foreign = Comment.objects.get(application=other)
    assert (
        client.post(
            f"/applications/comments/{foreign.pk}/reply/", {"text": "x", "answered": "1"}
        ).status_code
        == 404
    )


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_report_page_queries_alike_with_one_and_many_comments(client, world):
    report = _submitted(world)
    client.force_login(world.city)
    url = f"/monitoring/reports/{report.pk}/"
    _comment(client, report, OUTPUT)
    few = _queries(client, url)
    for path in ("basics.cluster_name", "figures.innovation.patents", "cases", "", "outlook"):
        _comment(client, report, path)
    assert Comment.objects.filter(application=report).count() == 6
    assert _queries(client, url) == few
