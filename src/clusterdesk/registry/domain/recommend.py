"""择优推荐: the city recommends valid certified clusters to the province for the national list.

Rules (each refusal in Chinese, nothing recorded): at most one cluster per 细分领域 (the
主导产业 as written in Attachment 1, compared without brackets, widths, spaces or a trailing
“产业/行业”), at most the round's quota, only clusters whose certification is neither revoked
nor expired on the letter's date, each with a reason. A recommendation is a complete selection:
a later one of the same round supersedes the earlier (both stay on record).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from clusterdesk.accounts.models import User
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.documents.certified_list import RecommendedLine
from clusterdesk.errors import DomainError
from clusterdesk.registry.domain.numbers import field_key
from clusterdesk.registry.domain.registry import day_text, line_of, registry_rows
from clusterdesk.registry.domain.settings import registry_settings
from clusterdesk.registry.models import (
    DEFAULT_ADDRESSEE,
    DEFAULT_SENDER,
    Certification,
    Recommendation,
    RecommendationItem,
)
from clusterdesk.registry.permissions import MANAGE
from clusterdesk.rounds.models import Round

State = ApplicationState
MAX_REASON = 500
MAX_SHORT = 30
MAX_LONG = 60


@dataclass(frozen=True)
class Pick:
    certification_id: int
    reason: str


def eligible(today: dt.date):
    """Certifications that may be recommended on ``today``: certified (not revoked), not expired."""
    return registry_rows(today).filter(application__state=State.CERTIFIED, valid_until__gte=today)


def _text(label: str, value: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"{label}：请填写。")
    if len(value) > limit:
        raise DomainError(f"{label}：不能超过 {limit} 个字符。")
    return value


def check_picks(
    round_: Round, picks: Sequence[Pick], on: dt.date
) -> list[tuple[Certification, str, str]]:
    """The picks as (certification, field key, reason), or ``DomainError`` naming the rule."""
    quota = registry_settings(round_).recommendation_quota
    if not picks:
        raise DomainError("请至少选择一个要推荐的集群。")
    if len(picks) > quota:
        raise DomainError(
            f"推荐数量超过名额：“{round_}”最多推荐 {quota} 个集群，已选择 {len(picks)} 个。"
        )
    ids = [pick.certification_id for pick in picks]
    if len(set(ids)) != len(ids):
        raise DomainError("同一集群只能推荐一次。")
    found = {row.pk: row for row in registry_rows(on).filter(pk__in=ids)}
    chosen: list[tuple[Certification, str, str]] = []
    fields: dict[str, Certification] = {}
    for pick in picks:
        row = found.get(pick.certification_id)
        if row is None:
            raise DomainError("所选集群不在认定名录中。")
        name = row.cluster_name or "（未填集群名称）"
        if row.application.state == State.REVOKED:
            raise DomainError(f"“{name}”已撤销认定，不能推荐。")
        if row.application.state != State.CERTIFIED:
            raise DomainError(f"“{name}”当前不是已认定状态，不能推荐。")
        if row.valid_until < on:
            raise DomainError(
                f"“{name}”的认定有效期已于{day_text(row.valid_until)}届满，不能推荐。"
            )
        reason = _text(f"“{name}”的推荐理由", pick.reason, MAX_REASON, required=True)
        key = field_key(row.leading_industry)
        if not key:
            raise DomainError(f"“{name}”未填写主导产业（细分领域），无法推荐。")
        if key in fields:
            other = fields[key].cluster_name
            raise DomainError(
                f"“{other}”与“{name}”同属细分领域“{row.leading_industry}”，"
                "每个细分领域最多推荐一个集群。"
            )
        fields[key] = row
        chosen.append((row, key, reason))
    return chosen


def recommend(
    round_: Round,
    picks: Sequence[Pick],
    actor: User,
    *,
    issued_on: dt.date,
    year: int | None = None,
    letter_number: str = "",
    addressee: str = DEFAULT_ADDRESSEE,
    sender: str = DEFAULT_SENDER,
    contact: str = "",
    phone: str = "",
) -> Recommendation:
    """Record the city's recommendation of ``picks`` (see the module's rules)."""
    problem = MANAGE.refusal(actor)
    if problem:
        raise DomainError(problem)
    if not isinstance(issued_on, dt.date):
        raise DomainError("发函日期：请填写有效的日期。")
    chosen = check_picks(round_, picks, issued_on)
    with transaction.atomic():
        recommendation = Recommendation.objects.create(
            round=round_,
            year=year or issued_on.year,
            letter_number=_text("函号", letter_number, MAX_LONG),
            addressee=_text("主送单位", addressee, MAX_LONG, required=True),
            sender=_text("发函单位", sender, MAX_LONG, required=True),
            contact=_text("联系人", contact, MAX_SHORT),
            phone=_text("联系电话", phone, MAX_SHORT),
            issued_on=issued_on,
            created_by=actor,
        )
        RecommendationItem.objects.bulk_create(
            RecommendationItem(
                recommendation=recommendation,
                certification=row,
                position=position,
                field_key=key[:60],
                reason=reason,
            )
            for position, (row, key, reason) in enumerate(chosen, start=1)
        )
    return recommendation


def recommended_lines(
    recommendation: Recommendation,
) -> list[tuple[Certification, RecommendedLine]]:
    """The recommendation's clusters as the documents print them, in their order."""
    items = list(recommendation.items.order_by("position"))
    rows = {
        row.pk: row
        for row in registry_rows(recommendation.issued_on).filter(
            pk__in=[item.certification_id for item in items]
        )
    }
    return [
        (row, RecommendedLine(line_of(row), item.reason))
        for item in items
        if (row := rows.get(item.certification_id)) is not None
    ]
