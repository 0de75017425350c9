"""The load test's database side: the world it runs in, and the check that no save was lost.

The world is the demo's (``demo.seed``): the city bureau and the fifteen county units of Ningbo
under their real names, applications made from the demo's form (``demo_form_data``), each
account with the demo's password hash. On top of it, what the last day needs: several officers
per unit, each unit's draft in an open round, a few submitted applications on the city's desk,
and accounts for the city and for the baseline view. Each officer types in a box of its own
(one of the narrative boxes of part 8), so that two officers of a unit never conflict.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db import transaction

from clusterdesk.accounts.enums import OrganisationKind, Role
from clusterdesk.accounts.models import Organisation, User
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.applications import create_application
from clusterdesk.declarations.domain.values import get_path
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, Revision
from clusterdesk.declarations.workflow import transition
from clusterdesk.demo import seed as demo
from clusterdesk.rounds.enums import RoundStatus
from clusterdesk.rounds.models import Round

ROUND_NAME = "压力测试年度"
PAGE = "part8"
# The narrative boxes of 八、发展规划: an officer's own box is BOXES[its number in the unit].
BOXES = ("overview", "achievements", "problems", "approach", "key_tasks", "safeguards")
EVIDENCE_PATH = "part2.chain_map"  # where the officers upload their scanned documents
SUBMITTED_PER_RUN = 5  # applications on the city's desk (inbox, application pages, exports)


def units() -> list[tuple[str, str, str, OrganisationKind]]:
    """(organisation name, county, username stem, kind) of every county-level unit."""
    counties = [
        (f"{county}经济和信息化局", county, stem, OrganisationKind.COUNTY)
        for county, stem in demo.COUNTIES
    ]
    committees = [
        (name, county, stem, OrganisationKind.COMMITTEE) for name, county, stem in demo.COMMITTEES
    ]
    return counties + committees


def _account(username: str, role: Role, organisation: Organisation) -> User:
    user = User(username=username, role=role, organisation=organisation)
    user.password = demo._demo_password_hash()
    user.save()
    return user


def seed(officers: int, city: int, bare: int) -> dict[str, Any]:
    """Create the world for ``officers`` county officers (spread over every unit), ``city``
    city officers and ``bare`` baseline accounts; return the plan the locustfile reads."""
    report = demo.SeedReport()
    plan: dict[str, Any] = {"password": demo.DEMO_PASSWORD, "evidence_path": EVIDENCE_PATH}
    per_unit = max(1, math.ceil(officers / len(units())))
    if per_unit > len(BOXES):
        raise ValueError(f"每个单位最多 {len(BOXES)} 名经办人（{officers} 名太多）")
    with transaction.atomic():
        bureau = demo._organisation(report, demo.CITY_BUREAU, OrganisationKind.CITY_BUREAU, "", 0)
        plan["city"] = [
            {"username": _account(f"lt-city{n}", Role.CITY_OFFICER, bureau).username}
            for n in range(1, max(1, city) + 1)
        ]
        plan["bare"] = [
            {"username": _account(f"lt-bare{n}", Role.CITY_OFFICER, bureau).username}
            for n in range(1, max(1, bare) + 1)
        ]
        round_ = Round.objects.create(
            name=ROUND_NAME,
            first_data_year=2020,
            last_data_year=2022,
            reference_date=dt.date(2022, 12, 31),
            submission_deadline=clock.now() + dt.timedelta(days=30),
            county_limit=2,
            form_version="2023",
            criteria_profile="ningbo-2023",
            status=RoundStatus.OPEN,
        )
        plan["round"] = round_.pk
        plan["submitted"] = []
        drafts: list[tuple[Application, list[User]]] = []
        for position, (name, county, stem, kind) in enumerate(units(), start=10):
            unit = demo._organisation(report, name, kind, county, position)
            people = [
                _account(f"lt-{stem}{n}", Role.COUNTY_OFFICER, unit) for n in range(1, per_unit + 1)
            ]
            draft = create_application(
                round_=round_,
                organisation=unit,
                actor=people[0],
                data=_without_evidence(demo.demo_form_data(county, f"{county}压力测试产业集群")),
            )
            drafts.append((draft, people))
            if len(plan["submitted"]) < SUBMITTED_PER_RUN:
                data = demo.demo_form_data(county, f"{county}已报送产业集群")
                sent = create_application(
                    round_=round_, organisation=unit, actor=people[0], data=data
                )
                transition(sent, ApplicationState.SUBMITTED, people[0], "")
                plan["submitted"].append(sent.pk)
    # Officers in turn across the units (the first of every unit, then the second …), so that
    # a run with fewer users than officers still has every unit at work.
    plan["officers"] = [
        _officer_entry(draft, people[n], BOXES[n])
        for n in range(per_unit)
        for draft, people in drafts
    ]
    return plan


def _without_evidence(data: dict[str, Any]) -> dict[str, Any]:
    """The demo's form without its register: the drafts' files are what the officers upload."""
    return {**data, "evidence": {}}


def _officer_entry(draft: Application, officer: User, box: str) -> dict[str, Any]:
    path = f"{PAGE}.{box}"
    value = get_path(draft.data, path)
    return {
        "username": officer.username,
        "application": draft.pk,
        "page": PAGE,
        "path": path,
        "value": value,  # what the server has: the first save's ``original``
        "text": (value or "")[:20],  # the opening each save's new text starts with
    }


def refreshed(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan with every officer's box as the database has it now (for the next phase)."""
    data = {a.pk: a.data for a in Application.objects.filter(round_id=plan["round"])}
    officers = [
        {**entry, "value": get_path(data[entry["application"]], entry["path"])}
        for entry in plan["officers"]
    ]
    return {**plan, "officers": officers}


def lost_saves(acks: list[dict[str, Any]], sent: dict[str, list[str]] | None = None) -> list[str]:
    """Every save answered as applied that the database does not hold, in Chinese.

    A save is held when a revision of its application at or before the answered version wrote
    the value into the box, and the box still holds the last value answered for it (nobody else
    types in an officer's box) — or a value sent after it (``sent``: "application path" → the
    values in the order sent), whose answer the stop of the run cut off after the server had
    it."""
    sent = sent or {}
    lost = []
    last: dict[tuple[int, str], dict[str, Any]] = {}
    revisions: dict[int, list[tuple[int, list[dict[str, Any]]]]] = {}
    for application, version, changes in Revision.objects.filter(
        application_id__in={ack["application"] for ack in acks}
    ).values_list("application_id", "version", "changes"):
        revisions.setdefault(application, []).append((version, changes))
    for ack in acks:
        written = any(
            version <= ack["version"]
            and any(c["path"] == ack["path"] and c["after"] == ack["value"] for c in changes)
            for version, changes in revisions.get(ack["application"], ())
        )
        if not written:
            lost.append(f"申报 {ack['application']} 第 {ack['version']} 版缺少 {ack['path']}")
        key = (ack["application"], ack["path"])
        if key not in last or ack["version"] >= last[key]["version"]:
            last[key] = ack
    data = {a.pk: a.data for a in Application.objects.filter(pk__in={k[0] for k in last})}
    for (application, path), ack in last.items():
        values = sent.get(f"{application} {path}", [])
        later = values[values.index(ack["value"]) + 1 :] if ack["value"] in values else []
        if get_path(data[application], path) not in (ack["value"], *later):
            lost.append(f"申报 {application} 的 {path} 不是最后一次保存的值")
    return lost
