"""A 公示 running at the tests' clock (2023-04-10, a Monday) with one proposed cluster of a
third county and one signed objection, for the access matrix (whatever state the matrix's own
applications are in). The cluster's name is neither county's: the public page may show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.publicity.domain.objections import record_objection
from clusterdesk.publicity.domain.publicity import start_publicity
from clusterdesk.publicity.models import Objection, Publicity
from clusterdesk.rounds.models import Round
from tests.factories import make_application

PUBLIC_NAME = "公示示范产业集群"
START = dt.date(2023, 4, 10)


@dataclass
class PublicityWorld:
    application: Application
    publicity: Publicity
    objection: Objection


def publicity_world(round_: Round, city) -> PublicityWorld:
    """Built once per round (several rows of the matrix share one world)."""
    existing = Publicity.objects.filter(round=round_).first()
    if existing is not None:
        item = existing.items.select_related("application").first()
        return PublicityWorld(item.application, existing, existing.objections.first())
    application = make_application(
        round_=round_,
        cluster_name=PUBLIC_NAME,
        path=(S.SUBMITTED, S.UNDER_REVIEW, S.PROPOSED),
        city_officer=city,
    )
    publicity = start_publicity(round_, START, "市经信局中小企业处 0574-89180000", city)
    objection = record_objection(
        publicity, application, "王五", "", "13800000000", "产值数据存疑", START, city
    )
    return PublicityWorld(application, publicity, objection)
