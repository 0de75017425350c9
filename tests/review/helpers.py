"""Builders for the review tests: experts through the domain door, applications under review."""

from __future__ import annotations

import itertools

from tests.factories import make_application

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.review.domain.experts import create_expert
from clusterdesk.review.models import ExpertProfile

EXPERT_PASSWORD = "Zhuanjia-pingshen-2023"
# The example application's 集群运营管理机构, as an expert might write their unit.
OPERATOR_SHORT = "北仑模具产业园区管委会"
_serial = itertools.count(1)


def make_expert(
    city, *, name: str | None = None, unit: str | None = None, fields=("模具",)
) -> ExpertProfile:
    n = next(_serial)
    return create_expert(
        actor=city,
        username=f"expert{n}",
        password=EXPERT_PASSWORD,
        name=name or f"专家{n}",
        organisation_name=unit or f"宁波第{n}研究院",
        title="高级工程师",
        fields=list(fields),
    )


def under_review(round_, city, name: str = "北仑模具产业集群"):
    return make_application(
        round_=round_, cluster_name=name, path=(S.SUBMITTED, S.UNDER_REVIEW), city_officer=city
    )
