"""A round with three applications under review, ranked 1–3 (the ranking and the site-visit
conclusions are the scoring and hearings apps'; here they are given, so these tests are about
the decision alone)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.publicity.domain import ranking as ranking_module
from tests.factories import (
    SHANGHAI,
    make_application,
    make_city_officer,
    make_county_officer,
    make_round,
)


@dataclass
class Ranked:
    application: Application
    rank: int | None
    aggregate: Decimal | None
    spread: Decimal | None = None
    disagreement: bool = False
    flags: list[str] = field(default_factory=list)


@dataclass
class PanelWorld:
    round: object
    city: object
    county: object
    apps: list[Application]  # by rank: apps[0] is ranked first


@pytest.fixture
def panel(db, monkeypatch) -> PanelWorld:
    round_ = make_round(name="2023年度（会审测试）", county_limit=5)
    city = make_city_officer()
    county = make_county_officer()
    names = ("北仑模具产业集群", "慈溪家电产业集群", "余姚光电产业集群")
    apps = [
        make_application(
            round_=round_,
            officer=county,
            cluster_name=name,
            path=(S.SUBMITTED, S.UNDER_REVIEW),
            city_officer=city,
        )
        for name in names
    ]
    scores = (Decimal("91.50"), Decimal("85.25"), Decimal("70.00"))

    def fake_ranking(r):
        fresh = {a.pk: a for a in Application.objects.filter(pk__in=[a.pk for a in apps])}
        return [
            Ranked(fresh[a.pk], rank, score)
            for rank, (a, score) in enumerate(zip(apps, scores, strict=True), 1)
        ]

    monkeypatch.setattr(ranking_module, "ranking", fake_ranking)
    monkeypatch.setattr(ranking_module, "conclusions", lambda r: {})
    return PanelWorld(round_, city, county, apps)


def on(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)
