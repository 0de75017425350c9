"""The only way to 已撤销 is ``revoke()``: a plain workflow move is refused, by anyone, and
changes nothing; the refusal says where to go instead."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import TransitionRefused, refusal, transition
from clusterdesk.revocation.domain.guard import ONLY_BY_REVOKE, revoking
from clusterdesk.revocation.models import Revocation
from tests.revocation.test_revoke import revoke_now, snapshot

pytestmark = pytest.mark.django_db


def test_a_plain_move_to_revoked_is_refused_and_changes_nothing(world, certification):
    application = certification.application
    before = snapshot()
    with pytest.raises(TransitionRefused) as refused:
        transition(application, S.REVOKED, world.city, reason="复核不合格")
    assert refused.value.message == ONLY_BY_REVOKE
    assert "撤销文号" in refused.value.message
    assert snapshot() == before
    assert Application.objects.get(pk=application.pk).state == S.CERTIFIED
    # A page asking first gets the same answer (no button offering the plain move).
    assert refusal(application, S.REVOKED, world.city, reason="复核不合格") == ONLY_BY_REVOKE


def test_the_permission_of_one_revocation_does_not_open_another(world, certification):
    other = world.applications[1]
    before = snapshot()
    with revoking(certification.application_id), pytest.raises(TransitionRefused) as refused:
        transition(other, S.REVOKED, world.city, reason="顺带撤销")
    assert refused.value.message == ONLY_BY_REVOKE
    assert snapshot() == before
    # …and it ends with its block, even when the move inside failed.
    with pytest.raises(TransitionRefused):
        transition(certification.application, S.REVOKED, world.city, reason="之后再撤")
    assert snapshot() == before


def test_revoke_still_moves_and_records_the_decision(world, certification):
    revocation = revoke_now(certification, world.city)
    assert Application.objects.get(pk=certification.application_id).state == S.REVOKED
    assert revocation.event.to_state == S.REVOKED
    assert Revocation.objects.get().certification == certification


def test_the_admin_cannot_revoke_either(world, certification, admin, client):
    application = certification.application
    before = snapshot()
    with pytest.raises(TransitionRefused):
        transition(application, S.REVOKED, admin, reason="管理员直接撤销")
    # Nor through the Django admin: applications are read-only there, a forged POST changes
    # nothing.
    client.force_login(admin)
    url = reverse("admin:declarations_application_change", args=[application.pk])
    response = client.post(url, {"state": S.REVOKED, "version": application.version})
    assert response.status_code in (302, 403)
    assert snapshot() == before
    assert Application.objects.get(pk=application.pk).state == S.CERTIFIED
