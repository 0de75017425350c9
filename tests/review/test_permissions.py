"""review.expert needs an active expert with an active profile; review.manage is the city's.
The SQL twin (open_assignments) gives nothing to anyone the rule refuses."""

from __future__ import annotations

import pytest
from tests.factories import make_admin, make_user
from tests.review.helpers import make_expert

from clusterdesk.accounts.permissions import refusal
from clusterdesk.review.domain.access import open_assignments
from clusterdesk.review.domain.experts import set_active

pytestmark = pytest.mark.django_db


def test_an_expert_of_the_pool_may_and_others_are_told_why(city_officer):
    profile = make_expert(city_officer)
    assert refusal("review.expert", profile.user) is None
    assert (
        refusal("review.expert", make_user("expert"))
        == "您不在专家库中或已被停用，请联系市经信局。"
    )
    assert refusal("review.expert", city_officer) == "只有评审专家可以使用此页面。"
    set_active(profile, actor=city_officer, active=False)
    profile.user.refresh_from_db()
    assert refusal("review.expert", profile.user) == "您不在专家库中或已被停用，请联系市经信局。"
    assert not open_assignments(profile.user).exists()


def test_only_the_city_manages(city_officer, county_officer):
    assert refusal("review.manage", city_officer) is None
    for user in (county_officer, make_admin(), make_user("expert")):
        assert refusal("review.manage", user) == "只有市经信局可以管理专家评审。"
