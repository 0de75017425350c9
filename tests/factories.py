"""Test factories: plain functions with sensible defaults; tests pass only what they care about."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

from clusterdesk.accounts.enums import OrganisationKind, Role
from clusterdesk.accounts.models import Organisation, User
from clusterdesk.declarations.domain.applications import create_application
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import transition
from clusterdesk.form.example import example_application
from clusterdesk.rounds.enums import RoundStatus
from clusterdesk.rounds.models import Round

PASSWORD = "test-password-2023"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# The tests live in spring 2023, inside the default round (see conftest's ``frozen_clock``).
TEST_NOW = dt.datetime(2023, 4, 10, 9, 30, tzinfo=SHANGHAI)

_serial = itertools.count(1)


def make_organisation(kind: str = OrganisationKind.COUNTY, **fields: Any) -> Organisation:
    n = next(_serial)
    county_level = kind in (OrganisationKind.COUNTY, OrganisationKind.COMMITTEE)
    fields.setdefault("county", f"测试{n}区" if county_level else "")
    fields.setdefault("name", f"{fields['county'] or '测试单位'}{n}经济和信息化局")
    return Organisation.objects.create(kind=kind, **fields)


def make_city_bureau() -> Organisation:
    return make_organisation(OrganisationKind.CITY_BUREAU)


def make_user(role: str, organisation: Organisation | None = None, **fields: Any) -> User:
    fields.setdefault("username", f"user{next(_serial)}")
    user = User(role=role, organisation=organisation, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_county_officer(organisation: Organisation | None = None, **fields: Any) -> User:
    return make_user(Role.COUNTY_OFFICER, organisation or make_organisation(), **fields)


def make_city_officer(**fields: Any) -> User:
    return make_user(Role.CITY_OFFICER, make_city_bureau(), **fields)


def make_admin(**fields: Any) -> User:
    return make_user(Role.ADMIN, is_staff=True, is_superuser=True, **fields)


def make_round(**fields: Any) -> Round:
    defaults: dict[str, Any] = {
        "name": f"{2022 + next(_serial)}年度",
        "first_data_year": 2020,
        "last_data_year": 2022,
        "reference_date": dt.date(2022, 12, 31),
        "submission_deadline": dt.datetime(2023, 4, 14, 23, 59, tzinfo=SHANGHAI),
        "county_limit": 2,
        "status": RoundStatus.OPEN,
    }
    return Round.objects.create(**{**defaults, **fields})


def complete_form_data(cluster_name: str = "测试产业集群") -> dict[str, Any]:
    """The example application (no errors, so it can be submitted) under another name."""
    data = example_application().model_dump(mode="json")
    data["part1"]["cluster_name"] = cluster_name
    return data


def make_application(
    *,
    round_: Round | None = None,
    officer: User | None = None,
    cluster_name: str = "测试产业集群",
    path: tuple[ApplicationState, ...] = (),
    city_officer: User | None = None,
    data: dict[str, Any] | None = None,
) -> Application:
    """A draft created by a county officer, then moved along ``path`` through the workflow.

    Its form is complete (the example application) unless ``data`` says otherwise, because
    submitting requires a form without errors.
    """
    officer = officer or make_county_officer()
    application = create_application(
        round_=round_ or make_round(),
        organisation=officer.organisation,
        actor=officer,
        data=complete_form_data(cluster_name) if data is None else data,
    )
    for state in path:
        if state in (ApplicationState.SUBMITTED, ApplicationState.DELETED):
            actor = officer  # the county submits and deletes; the city does the rest
        else:
            actor = city_officer = city_officer or make_city_officer()
        transition(application, state, actor, reason="测试理由")
    return application
