"""A small world for the county pages: two counties with one application each, the city
bureau, an expert and an admin; and the access matrix every county view is tested against."""

from __future__ import annotations

from dataclasses import dataclass

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from clusterdesk.declarations.models import Application
from clusterdesk.rounds.models import Round
from tests.factories import (
    make_admin,
    make_application,
    make_city_officer,
    make_county_officer,
    make_round,
    make_user,
)

ROLES = ("anonymous", "own", "other_county", "city", "expert", "admin")


@dataclass
class World:
    round: Round
    own: User
    other_county: User
    city: User
    expert: User
    admin: User
    application: Application  # belongs to ``own``
    other_application: Application  # belongs to ``other_county``

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def make_world(**round_fields) -> World:
    round_ = make_round(**round_fields)
    own = make_county_officer()
    other = make_county_officer()
    return World(
        round=round_,
        own=own,
        other_county=other,
        city=make_city_officer(),
        expert=make_user(Role.EXPERT),
        admin=make_admin(),
        application=make_application(round_=round_, officer=own, cluster_name="本县模具产业集群"),
        other_application=make_application(
            round_=round_, officer=other, cluster_name="他县纺织产业集群"
        ),
    )


def client_for(client, world: World, role: str):
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
