"""A round with 拟认定 applications whose 公示 ended, for the registry's tests.

The 公示 is started through the publicity app's own door (``start_publicity``), so the guard it
registers on PROPOSED → CERTIFIED (公示 ended, objections handled) is the one under test here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import transition
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.publicity.domain.publicity import start_publicity
from clusterdesk.registry.domain.publish import publish
from clusterdesk.registry.domain.recommend import Pick, recommend
from clusterdesk.registry.models import Certification, Publication, Recommendation
from clusterdesk.rounds.models import Round
from tests.factories import (
    SHANGHAI,
    complete_form_data,
    make_application,
    make_city_officer,
    make_county_officer,
    make_round,
)

# 2023-04-10 is a Monday: the 公示 runs to Friday 14 April (5 working days); the 发文 comes after.
PUBLICITY_STARTS = dt.date(2023, 4, 10)
PUBLICITY_ENDS = dt.date(2023, 4, 14)
AFTER_PUBLICITY = dt.datetime(2023, 4, 17, 10, 0, tzinfo=SHANGHAI)
ISSUED_ON = dt.date(2023, 4, 20)


def form(name: str, leading: str, industry: str = "第二产业") -> dict:
    data = complete_form_data(name)
    data["attachment1"]["leading_industry"] = leading
    data["part1"]["industry_type"] = industry
    return data


EVIDENCE_PATH = "part2.chain_map"


def proposed(
    round_: Round,
    city: User,
    name: str,
    leading: str,
    *,
    officer: User | None = None,
    evidence: tuple[str, bytes] | None = None,
) -> Application:
    """An application of a county of its own (with ``evidence`` (file name, content) uploaded
    for 产业链图谱), moved to 拟认定 through the workflow."""
    officer = officer or make_county_officer()
    application = make_application(
        round_=round_, officer=officer, cluster_name=name, data=form(name, leading)
    )
    if evidence is not None:
        file_name, content = evidence
        upload = SimpleUploadedFile(file_name, content, content_type="application/octet-stream")
        upload_evidence(application, EVIDENCE_PATH, [upload], officer)
        application.refresh_from_db()
    transition(application, S.SUBMITTED, officer)
    for state in (S.UNDER_REVIEW, S.PROPOSED):
        transition(application, state, city)
    return application


def publicise(round_: Round, city: User, starts_on: dt.date = PUBLICITY_STARTS):
    return start_publicity(round_, starts_on, "中小企业处 张三 0574-87000000", city)


@dataclass
class World:
    round: Round
    city: User
    applications: list[Application] = field(default_factory=list)
    publication: Publication | None = None


CLUSTERS = (
    ("鄞州模具产业集群", "模具"),
    ("余姚塑料制品产业集群", "塑料制品"),
    ("慈溪小家电产业集群", "小家电"),
)


def proposed_world(
    clusters=CLUSTERS, round_: Round | None = None, evidence: tuple[str, bytes] | None = None
) -> World:
    """Applications proposed and under a 公示 that has ended by ``AFTER_PUBLICITY``."""
    round_ = round_ or make_round()
    city = make_city_officer()
    applications = [
        proposed(round_, city, name, leading, evidence=evidence) for name, leading in clusters
    ]
    publicise(round_, city)
    return World(round_, city, applications)


def certified_world(
    clusters=CLUSTERS,
    number: str = "甬经信中小〔2023〕12号",
    issued_on: dt.date = ISSUED_ON,
    round_: Round | None = None,
    evidence: tuple[str, bytes] | None = None,
) -> World:
    """``proposed_world`` certified by one document after the 公示 ended."""
    world = proposed_world(clusters, round_, evidence)
    with clock.frozen(AFTER_PUBLICITY):
        world.publication = publish(world.round, world.applications, number, issued_on, world.city)
    return world


# --- one given application, certified and recommended (the access matrix's rows) -----------

# Before the tests' clock (2023-04-10): a 公示 from Monday 27 March ends on Friday 31 March.
EARLY_PUBLICITY = dt.date(2023, 3, 27)


def certify(application: Application, city: User, number: str = "甬经信中小〔2023〕1号"):
    """``application`` (draft or further, with a complete form) certified now; once."""
    application.refresh_from_db()
    # Certified before (in a shared world, perhaps revoked since by another row): the same one.
    found = Certification.objects.filter(application=application).first()
    if found is not None:
        return found
    steps = {
        S.DRAFT: (S.SUBMITTED, application.created_by),
        # Other rows of a shared world (the access matrix's) may have returned it meanwhile.
        S.RETURNED: (S.SUBMITTED, application.created_by),
        S.SUBMITTED: (S.UNDER_REVIEW, city),
        S.UNDER_REVIEW: (S.PROPOSED, city),
    }
    while application.state in steps:
        state, actor = steps[application.state]
        transition(application, state, actor)
    publicise(application.round, city, EARLY_PUBLICITY)
    publish(application.round, [application], number, EARLY_PUBLICITY + dt.timedelta(days=10), city)
    return Certification.objects.get(application=application)


def recommended(application: Application, city: User) -> Recommendation:
    """A recommendation of ``application`` (certified first); once."""
    found = Recommendation.objects.filter(items__certification__application=application).first()
    if found is not None:
        return found
    certification = certify(application, city)
    return recommend(
        application.round,
        [Pick(certification.pk, "产业链完整，创新能力强")],
        city,
        issued_on=dt.date(2023, 4, 10),
    )
