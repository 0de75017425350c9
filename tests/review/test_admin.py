"""The admin shows the review's records and changes none of them: the pool, declarations,
settings and assignments change only through the domain doors, which record a ReviewEvent."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.factories import make_admin, make_city_officer
from tests.review.helpers import make_expert

from clusterdesk.review.models import ExpertProfile, ReviewEvent

pytestmark = pytest.mark.django_db

MODELS = ("expertprofile", "reviewsettings", "reviewphase", "assignment", "reviewevent")


def test_the_admin_shows_the_review_and_changes_nothing(client):
    profile = make_expert(make_city_officer(), name="王工")
    events = ReviewEvent.objects.count()
    client.force_login(make_admin())
    for model in MODELS:
        assert client.get(reverse(f"admin:review_{model}_changelist")).status_code == 200, model
        assert client.get(reverse(f"admin:review_{model}_add")).status_code == 403, model
    change = reverse("admin:review_expertprofile_change", args=[profile.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert "王工" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    response = client.post(change, {"name": "改名", "organisation_name": "别处", "active": ""})
    assert response.status_code == 403
    profile.refresh_from_db()
    assert (profile.name, profile.active) == ("王工", True)
    assert ReviewEvent.objects.count() == events
    assert ExpertProfile.objects.count() == 1
