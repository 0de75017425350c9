"""The door ``revoke``: what a revocation changes and keeps, and every refusal (nothing changed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.errors import DomainError
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from clusterdesk.registry.domain.registry import Status, public_rows, registry_rows
from clusterdesk.registry.models import Certification, Publication
from clusterdesk.revocation.domain import revocation_refusal, revoke
from clusterdesk.revocation.enums import RevocationReason
from clusterdesk.revocation.models import Revocation
from clusterdesk.shared.appendonly import AppendOnlyError
from tests.factories import make_application, make_county_officer
from tests.revocation.conftest import NUMBER, REASON, TODAY

pytestmark = pytest.mark.django_db


def revoke_now(certification, actor, **changes):
    values = {
        "reason_class": RevocationReason.FALSE_DECLARATION,
        "reason": REASON,
        "document_number": NUMBER,
        "decided_on": dt.date(2023, 5, 30),
        "actor": actor,
    }
    values.update(changes)
    return revoke(certification, **values)


def snapshot():
    """What a refused revocation must leave as it was."""
    return (
        sorted(Application.objects.values_list("pk", "state", "version")),
        ApplicationEvent.objects.count(),
        Revocation.objects.count(),
        Notification.objects.count(),
    )


def test_revoking_moves_the_application_records_the_decision_and_tells_the_county(
    world, certification
):
    application = certification.application
    county = application.created_by
    revocation = revoke_now(certification, world.city)

    application.refresh_from_db()
    assert application.state == S.REVOKED
    assert certification.application.state == S.REVOKED  # the caller's object follows
    assert revocation.reason_class == RevocationReason.FALSE_DECLARATION
    assert revocation.document_number == NUMBER
    assert revocation.decided_on == dt.date(2023, 5, 30)
    assert revocation.recorded_by == world.city
    event = revocation.event
    assert (event.from_state, event.to_state) == (S.CERTIFIED, S.REVOKED)
    assert event.reason == f"【虚假申报】{REASON}（{NUMBER}）"
    assert event.actor == world.city

    notice = Notification.objects.get(recipient=county, kind=NotificationKind.REVOKED)
    assert "鄞州模具产业集群" in notice.title
    assert NUMBER in notice.body
    assert "虚假申报" in notice.body
    assert notice.url == reverse("revocation:detail", args=[revocation.pk])

    row = registry_rows(TODAY).get(pk=certification.pk)
    assert row.status == Status.REVOKED
    assert certification.pk not in set(public_rows(TODAY).values_list("pk", flat=True))
    # The other clusters of the same document keep their title.
    assert public_rows(TODAY).count() == 2


def test_history_is_kept(world, certification):
    revoke_now(certification, world.city)
    moves = list(
        certification.application.events.order_by("pk").values_list("from_state", "to_state")
    )
    assert (S.PROPOSED, S.CERTIFIED) in moves
    assert moves[-1] == (S.CERTIFIED, S.REVOKED)
    # The certification and its 发文 stay as they were.
    assert Certification.objects.filter(pk=certification.pk, publication=world.publication).exists()


@pytest.mark.parametrize(
    "given",
    [RevocationReason.RECHECK_FAILED, "recheck_failed", "复核未通过"],
    ids=["member", "value", "label"],
)
def test_the_recheck_app_revokes_with_its_class(world, certification, given):
    revocation = revoke_now(certification, world.city, reason_class=given)
    assert revocation.reason_class == RevocationReason.RECHECK_FAILED
    assert revocation.event.reason.startswith("【复核未通过】")


BAD = [
    ({"reason_class": ""}, "撤销原因类别：请选择撤销原因类别。"),
    ({"reason_class": None}, "撤销原因类别：请选择撤销原因类别。"),
    ({"reason_class": "fraud"}, "撤销原因类别：“fraud”不是可选的类别，请从列表中选择。"),
    ({"reason": ""}, "撤销理由：请填写撤销的事实和依据。"),
    ({"reason": "   \n "}, "撤销理由：请填写撤销的事实和依据。"),
    ({"reason": "假" * 2001}, "撤销理由：不能超过 2000 个字符。"),
    ({"document_number": ""}, "撤销文号：请填写撤销决定的文号"),
    ({"document_number": "  "}, "撤销文号：请填写撤销决定的文号"),
    ({"document_number": "号" * 61}, "撤销文号：不能超过 60 个字符。"),
    ({"decided_on": dt.date(2023, 6, 2)}, "决定日期：不能晚于今天（2023年6月1日）。"),
    ({"decided_on": dt.date(2023, 4, 19)}, "决定日期：不能早于认定发文日期（2023年4月20日）。"),
    ({"decided_on": "2023-05-30"}, "决定日期：请填写有效的日期。"),
    ({"decided_on": None}, "决定日期：请填写有效的日期。"),
    # The 认定 document's own 文号 cannot be a revocation's.
    ({"document_number": "甬经信中小（2023）12号"}, "已是认定文件的文号（甬经信中小〔2023〕12号"),
]


@pytest.mark.parametrize(("changes", "message"), BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_input_is_refused_in_chinese_and_changes_nothing(
    world, certification, changes, message
):
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        revoke_now(certification, world.city, **changes)
    assert message in refused.value.message
    assert snapshot() == before


@pytest.mark.parametrize(
    "number",
    [
        "甬经信中小〔2023〕45号",
        "甬经信中小[2023]45号",
        "甬经信中小（2023）45号",
        "甬经信中小【2023】45号",
        " 甬经信中小 (2023) 45号 ",
        "甬经信中小［２０２３］４５号",
    ],
)
def test_a_duplicate_number_is_refused_whatever_its_brackets(world, number):
    first, second = (app.certification for app in world.applications[:2])
    revoke_now(first, world.city)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        revoke_now(second, world.city, document_number=number)
    assert refused.value.message == (
        "撤销文号：“甬经信中小〔2023〕45号”已被使用（甬经信中小〔2023〕45号，"
        "2023年5月30日决定），不能重复。"
    )
    assert snapshot() == before


def test_the_number_is_printed_with_its_brackets_normalised(world, certification):
    revocation = revoke_now(certification, world.city, document_number=" 甬经信中小[2023]45号")
    assert revocation.document_number == "甬经信中小〔2023〕45号"


def test_an_already_revoked_certification_is_refused(world, certification):
    revoke_now(certification, world.city)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        revoke_now(certification, world.city, document_number="甬经信中小〔2023〕46号")
    assert refused.value.message == (
        "“鄞州模具产业集群”的认定已于2023年5月30日撤销（甬经信中小〔2023〕45号），不能重复撤销。"
    )
    assert snapshot() == before


def test_an_application_no_longer_certified_is_refused(world, certification):
    # Revoked before this app existed (the workflow door is now guarded): no decision on record.
    Application.objects.filter(pk=certification.application_id).update(state=S.REVOKED)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        revoke_now(certification, world.city)
    assert refused.value.message == "“鄞州模具产业集群”已撤销认定，不能重复撤销。"
    assert snapshot() == before


def test_a_renewed_certification_is_refused(world, certification):
    successor_application = make_application(
        round_=world.round, officer=make_county_officer(), cluster_name="鄞州模具产业集群"
    )
    renewal = Publication.objects.create(
        round=world.round,
        document_number="甬经信中小〔2026〕3号",
        number_key="甬经信中小〔2026〕3号",
        issued_on=dt.date(2023, 5, 1),
        recorded_by=world.city,
    )
    Certification.objects.create(
        application=successor_application,
        publication=renewal,
        valid_from=dt.date(2023, 5, 1),
        valid_until=dt.date(2026, 4, 30),
        renews=certification,
    )
    assert "已经复核续期（甬经信中小〔2026〕3号）" in revocation_refusal(certification)
    with pytest.raises(DomainError):
        revoke_now(certification, world.city)
    certification.application.refresh_from_db()
    assert certification.application.state == S.CERTIFIED


def test_only_the_city_bureau_revokes(world, certification, admin):
    county = certification.application.created_by
    before = snapshot()
    for actor in (county, admin):
        with pytest.raises(DomainError) as refused:
            revoke_now(certification, actor)
        assert refused.value.message == "只有市经信局可以撤销认定。"
        assert revocation_refusal(certification, actor) == "只有市经信局可以撤销认定。"
    assert snapshot() == before
    assert revocation_refusal(certification) is None
    assert revocation_refusal(certification, world.city) is None


def test_a_revocation_is_never_changed(world, certification):
    revocation = revoke_now(certification, world.city)
    revocation.reason = "改过的理由"
    with pytest.raises(AppendOnlyError, match="撤销认定只能新增，不能修改。"):
        revocation.save()
    # The database refuses it too (a trigger), whatever the ORM is asked.
    with pytest.raises(DatabaseError), transaction.atomic():
        Revocation.objects.filter(pk=revocation.pk).update(reason="改过的理由")
    revocation.refresh_from_db()
    assert revocation.reason == REASON
