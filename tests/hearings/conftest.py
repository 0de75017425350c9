"""A round in review: a defence phase, two counties' applications under review, the city."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from clusterdesk.accounts.enums import Role
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.review.models import ExpertProfile, ReviewPhase
from clusterdesk.rounds.models import Round
from tests.factories import (
    make_admin,
    make_application,
    make_city_officer,
    make_county_officer,
    make_round,
    make_user,
)
from tests.hearings.world import make_phase


@dataclass
class Review:
    round: Round
    phase: ReviewPhase
    city: object
    county: object  # officer of ``own``'s unit
    other_county: object
    expert: object  # in the pool, with a profile
    admin: object
    own: Application
    other: Application
    own_path: tuple = (S.SUBMITTED, S.UNDER_REVIEW)


def make_expert(name: str = "李教授"):
    user = make_user(Role.EXPERT)
    ExpertProfile.objects.create(
        user=user, name=name, organisation_name="宁波大学", title="教授", fields=["模具"]
    )
    return user


@pytest.fixture
def review(db, settings, tmp_path) -> Review:
    settings.MEDIA_ROOT = tmp_path / "media"
    round_ = make_round()
    city = make_city_officer()
    county, other_county = make_county_officer(), make_county_officer()
    path = (S.SUBMITTED, S.UNDER_REVIEW)
    return Review(
        round=round_,
        phase=make_phase(round_),
        city=city,
        county=county,
        other_county=other_county,
        expert=make_expert(),
        admin=make_admin(),
        own=make_application(
            round_=round_,
            officer=county,
            cluster_name="本县模具产业集群",
            path=path,
            city_officer=city,
        ),
        other=make_application(
            round_=round_,
            officer=other_county,
            cluster_name="他县纺织产业集群",
            path=path,
            city_officer=city,
        ),
    )
