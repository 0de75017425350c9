"""会审: choices in or out of rank order, refusals with reasons, one transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from clusterdesk.publicity.domain.decision import Choice, DecisionRefused, record_decision
from clusterdesk.publicity.models import Decision, DecisionItem

pytestmark = pytest.mark.django_db

HELD = dt.date(2023, 4, 7)


def states(panel) -> list[str]:
    return [Application.objects.get(pk=a.pk).state for a in panel.apps]


def decide(panel, *choices, held_on=HELD, members="张三、李四", minutes="经会审研究……"):
    return record_decision(panel.round, held_on, members, minutes, choices, panel.city)


def test_a_decision_in_rank_order_proposes_and_refuses_with_the_reason(panel):
    first, second, third = panel.apps
    decision = decide(
        panel,
        Choice(first.pk, True),
        Choice(second.pk, True),
        Choice(third.pk, False, reason="集群主导产业占比未达到认定条件"),
    )
    assert states(panel) == [S.PROPOSED, S.PROPOSED, S.REJECTED]
    items = {item.application_id: item for item in decision.items.all()}
    assert [items[a.pk].rank for a in panel.apps] == [1, 2, 3]
    assert items[third.pk].reason == "集群主导产业占比未达到认定条件"
    assert not any(item.departure_reason for item in items.values())
    refused = ApplicationEvent.objects.get(application=third, to_state=S.REJECTED)
    assert refused.reason == "集群主导产业占比未达到认定条件"
    # The county is told by the workflow's own notifications.
    kinds = set(Notification.objects.filter(recipient=panel.county).values_list("kind", flat=True))
    assert {NotificationKind.PROPOSED, NotificationKind.REJECTED} <= kinds


def test_a_departure_from_the_rank_order_without_a_reason_changes_nothing(panel):
    first, second, third = panel.apps
    with pytest.raises(DecisionRefused) as refused:
        decide(
            panel,
            Choice(first.pk, False, reason="实地走访发现数据不实"),
            Choice(second.pk, True),
            Choice(third.pk, True),
        )
    problems = refused.value.problems
    assert (
        "“北仑模具产业集群”（第1名）：未拟认定排名靠前的集群，偏离排名顺序，须填写理由。"
        in problems
    )
    assert any("慈溪家电产业集群" in p and "拟认定排名靠后" in p for p in problems)
    assert states(panel) == [S.UNDER_REVIEW] * 3
    assert not Decision.objects.exists()
    assert not DecisionItem.objects.exists()


def test_a_departure_with_reasons_is_recorded(panel):
    first, second, third = panel.apps
    decide(
        panel,
        Choice(first.pk, False, reason="实地走访发现数据不实", departure_reason="走访结论不属实"),
        Choice(second.pk, True, departure_reason="第1名不予认定后依次递补"),
        Choice(third.pk, True, departure_reason="第1名不予认定后依次递补"),
    )
    assert states(panel) == [S.REJECTED, S.PROPOSED, S.PROPOSED]
    item = DecisionItem.objects.get(application=first)
    assert item.departure_reason == "走访结论不属实"


def test_a_refusal_needs_the_reason_the_county_reads(panel):
    first, second, third = panel.apps
    with pytest.raises(DecisionRefused) as refused:
        decide(panel, Choice(first.pk, True), Choice(second.pk, True), Choice(third.pk, False))
    assert "“余姚光电产业集群”（第3名）：不予认定须填写理由（区县可见）。" in refused.value.problems
    assert states(panel) == [S.UNDER_REVIEW] * 3


def test_the_meeting_must_be_recorded(panel):
    with pytest.raises(DecisionRefused) as refused:
        decide(panel, *(Choice(a.pk, True) for a in panel.apps), held_on=None, members=" ")
    assert "会审日期：请填写会审日期。" in refused.value.problems
    assert "参会人员：请填写参会人员。" in refused.value.problems
    with pytest.raises(DecisionRefused) as future:
        decide(panel, *(Choice(a.pk, True) for a in panel.apps), held_on=dt.date(2023, 5, 1))
    assert "会审日期：不能晚于今天。" in future.value.problems


def test_only_the_city_decides(panel):
    with pytest.raises(DecisionRefused) as refused:
        record_decision(panel.round, HELD, "张三", "纪要", [], panel.county)
    assert refused.value.problems == ["只有市经信局可以办理会审、公示和异议。"]


def test_the_page_shows_the_ranking_and_refuses_a_departure_in_chinese(client, panel):
    client.force_login(panel.city)
    url = reverse("publicity:decision", args=[panel.round.pk])
    page = client.get(url).content.decode()
    assert "北仑模具产业集群" in page
    assert "91.50" in page
    first, second, third = panel.apps
    response = client.post(
        url,
        {
            "held_on": "2023-04-07",
            "members": "张三",
            "minutes": "纪要",
            "proposed": [str(second.pk)],
            f"reason_{first.pk}": "理由一",
            f"reason_{third.pk}": "理由三",
        },
    )
    assert response.status_code == 400
    assert "偏离排名顺序，须填写理由" in response.content.decode()
    assert states(panel) == [S.UNDER_REVIEW] * 3
    bad_date = client.post(url, {"held_on": "2023/4/7", "members": "张三", "minutes": "纪要"})
    assert "会审日期：请按“2023-09-27”的格式填写日期。" in bad_date.content.decode()


def test_the_county_sees_the_outcome_and_reason_never_the_scores(client, panel):
    first, second, third = panel.apps
    decide(
        panel,
        Choice(first.pk, True),
        Choice(second.pk, True),
        Choice(third.pk, False, reason="集群主导产业占比未达到认定条件"),
    )
    client.force_login(panel.county)
    timeline = client.get(reverse("form:timeline", args=[third.pk])).content.decode()
    assert "未认定" in timeline
    assert "集群主导产业占比未达到认定条件" in timeline
    assert "70.00" not in timeline
    assert "第3名" not in timeline
    assert client.get(reverse("publicity:decision", args=[panel.round.pk])).status_code == 403
    proposed = client.get(reverse("form:timeline", args=[first.pk])).content.decode()
    assert "拟认定" in proposed
    assert "91.50" not in proposed
