"""The 复核 pages: the due list and opening a round, a case's outcomes, the count on the home
page, the expert's annual reports through their own assignment only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.recheck.models import RecheckCase, RecheckStep
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round
from tests.factories import make_admin, make_city_officer, make_county_officer, make_round
from tests.recheck.world import DUE_DAY, annual_report, certified, matrix_world, opened
from tests.scoring.world import make_expert

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_city_sees_the_due_list_and_opens_a_round(client, clock_at):
    world = certified()
    clock_at(DUE_DAY)
    client.force_login(world.city)
    text = page(client, reverse("recheck:home"))
    assert "到期待复核（3）" in text
    assert "鄞州模具产业集群" in text
    assert "2026-04-19" in text
    assert "发起复核" in text
    home = page(client, reverse("portal:home"))
    assert "到期待复核</a>：3 个集群" in home

    chosen = [str(c.pk) for c in world.certifications[:2]]
    response = client.post(
        reverse("recheck:open"), {"name": "2025年度到期复核", "certification": chosen}, follow=True
    )
    text = response.content.decode()
    assert "已发起“2025年度到期复核”：2 个集群进入复核" in text
    assert "到期待复核（1）" in text
    round_ = Round.objects.get(name="2025年度到期复核")
    assert round_.kind == RoundKind.RECHECK
    assert RecheckCase.objects.filter(round=round_).count() == 2
    assert "复核评审中" in text


def test_opening_bad_input_says_why_and_changes_nothing(client, clock_at):
    world = certified()
    clock_at(DUE_DAY)
    client.force_login(world.city)
    before = Round.objects.count()
    for body, message in (
        ({"name": "", "certification": [world.certifications[0].pk]}, "复核轮次名称：请填写"),
        ({"name": "复核"}, "请至少选择一个到期待复核的集群"),
        ({"name": "复核", "certification": ["abc"]}, "请至少选择一个到期待复核的集群"),
        ({"name": "复核", "certification": ["999999"]}, "所选集群不存在"),
    ):
        text = client.post(reverse("recheck:open"), body, follow=True).content.decode()
        assert message in text
    assert Round.objects.count() == before


def test_the_case_page_records_rectification_and_revocation(client, clock_at):
    world = certified()
    clock_at(DUE_DAY)
    _, [case] = opened(world)
    client.force_login(world.city)
    annual_report(case.certification, 2024)
    url = reverse("recheck:case", kwargs={"pk": case.pk})
    text = page(client, url)
    assert "<td>2024年度</td><td>已提交</td>" in text
    assert "<td>152.8</td><td>528</td>" in text
    assert "责令限期整改" in text
    assert "复核不通过，撤销认定" in text

    bad = client.post(
        reverse("recheck:rectify", kwargs={"pk": case.pk}),
        {"deadline": "2025-13-01", "requirements": "补报"},
        follow=True,
    ).content.decode()
    assert "整改期限：请填写有效的日期" in bad
    assert not RecheckStep.objects.exists()
    text = client.post(
        reverse("recheck:rectify", kwargs={"pk": case.pk}),
        {"deadline": "2025-07-31", "requirements": "补报2024年度报告"},
        follow=True,
    ).content.decode()
    assert "已责令限期整改" in text
    assert "限期整改中（期限至2025年7月31日）" in text
    assert "整改期限至 2025-07-31，期满后记录复查结果" in text

    text = client.post(
        reverse("recheck:revoke", kwargs={"pk": case.pk}),
        {"reason": "", "document_number": "甬经信中小〔2025〕30号", "decided_on": "2025-06-02"},
        follow=True,
    ).content.decode()
    assert "撤销理由：请填写" in text
    assert Application.objects.get(pk=case.application_id).state == S.UNDER_REVIEW


def test_other_roles_cannot_open_or_decide(client, clock_at):
    world = certified()
    clock_at(DUE_DAY)
    _, [case] = opened(world)
    for user in (make_county_officer(), make_expert()):
        client.force_login(user)
        assert client.get(reverse("recheck:home")).status_code == 403
        assert client.get(reverse("recheck:case", kwargs={"pk": case.pk})).status_code == 403
        response = client.post(
            reverse("recheck:rectify", kwargs={"pk": case.pk}),
            {"deadline": "2025-07-31", "requirements": "补报"},
        )
        assert response.status_code == 403
    assert not RecheckStep.objects.exists()
    client.force_login(make_city_officer())
    assert client.get(reverse("recheck:case", kwargs={"pk": 999999})).status_code == 404


def test_the_expert_reads_the_reports_through_their_assignment_only(client, clock_at):
    city = make_city_officer()
    expert = make_expert("复核专家")
    matrix = matrix_world(expert, city)
    client.force_login(expert)
    sheet = page(client, reverse("scoring:sheet", kwargs={"pk": matrix.assignment.pk}))
    assert "年度发展情况报告" in sheet
    assert "2024年度发展情况报告" in sheet
    assert "<td>152.8</td><td>528</td>" in sheet  # the year's output and patents
    url = reverse(
        "recheck:material",
        kwargs={"pk": matrix.assignment.pk, "report": matrix.report.application_id},
    )
    assert url in sheet
    text = page(client, url)
    assert "2024年度发展情况报告（只读）" in text
    assert "集群研发经费增速（%）" in text  # the report's boxes, read-only
    assert "<textarea" not in text
    assert '<input type="text"' not in text

    # Another expert: 404 (not theirs), even with the same report.
    other = make_expert("他人专家")
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("scoring:sheet", kwargs={"pk": matrix.assignment.pk})).status_code == 404
    )

    # The expert's own assignment but a report of another cluster, or a draft: 404.
    client.force_login(expert)
    stranger = certified().cert(1)
    foreign = annual_report(stranger, 2024)
    draft = annual_report(matrix.case.certification, 2023, state=S.DRAFT)
    for report in (foreign, draft):
        wrong = reverse(
            "recheck:material", kwargs={"pk": matrix.assignment.pk, "report": report.application_id}
        )
        assert client.get(wrong).status_code == 404
    assert "未提交" in page(client, reverse("scoring:sheet", kwargs={"pk": matrix.assignment.pk}))


def test_round_selectors_include_recheck_rounds_and_exclude_annual_ones(client, clock_at):
    world = certified()
    clock_at(DUE_DAY)
    recheck, _ = opened(world)
    annual = make_round(
        name="2024年度发展情况报告", kind=RoundKind.ANNUAL, form_version="annual-2024"
    )
    client.force_login(world.city)
    for name in (
        "review:overview",
        "scoring:rounds",
        "hearings:index",
        "publicity:home",
        "registry:list",
    ):
        text = page(client, reverse(name))
        assert recheck.name in text, name
        assert annual.name not in text, name


def test_the_county_sees_its_cluster_under_recheck_read_only(client, clock_at):
    world = certified()
    clock_at(DUE_DAY)
    _, [case] = opened(world)
    officer = case.application.organisation.users.filter(role="county_officer").first()
    client.force_login(officer)
    assert client.get(reverse("county:dashboard")).status_code == 200
    text = page(client, reverse("form:timeline", kwargs={"pk": case.application_id}))
    assert "进入2025年度到期复核" in text
    # Nothing to fill or submit: the form is not the county's to edit in a 复核.
    assert client.post(
        reverse("county:submit", kwargs={"pk": case.application_id})
    ).status_code in (
        400,
        403,
        404,
    )
    assert Application.objects.get(pk=case.application_id).state == S.UNDER_REVIEW


def test_the_admin_shows_the_recheck_read_only(client, clock_at):
    world = certified()
    clock_at(DUE_DAY)
    _, [case] = opened(world)
    client.force_login(make_admin())
    assert client.get(reverse("admin:recheck_recheckcase_changelist")).status_code == 200
    assert client.get(reverse("admin:recheck_recheckcase_add")).status_code == 403
    assert client.get(reverse("recheck:home")).status_code == 200
    text = page(client, reverse("recheck:case", kwargs={"pk": case.pk}))
    assert "责令限期整改</button>" not in text  # admins read only
