"""The admin shows the hearings records and changes none of them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.hearings.world import hearings_for

pytestmark = pytest.mark.django_db

MODELS = ("defenceslot", "defencerecord", "sitevisit", "sitevisitfile", "hearingevent")


def test_the_admin_lists_are_read_only(client, review):
    hearings_for(review.own, review.other, review.city)
    client.force_login(review.admin)
    for model in MODELS:
        response = client.get(reverse(f"admin:hearings_{model}_changelist"))
        assert response.status_code == 200, model
        assert client.get(reverse(f"admin:hearings_{model}_add")).status_code == 403, model
