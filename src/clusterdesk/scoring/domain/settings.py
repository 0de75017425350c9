"""The round's scoring settings: the rubric (data per round), the aggregate and the margin.

The rubric may change only while no sheet of the round exists: a sheet is always read against
the rubric it was scored with. The aggregate and the margin change how figures are summed up,
not what experts wrote, so they may change at any time (each change is recorded).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from clusterdesk.accounts.models import User
from clusterdesk.accounts.permissions import refusal
from clusterdesk.errors import DomainError
from clusterdesk.panel.aggregate import METHODS
from clusterdesk.panel.rubric import Rubric, RubricInvalid, parse_rubric
from clusterdesk.rounds.models import Round
from clusterdesk.scoring.models import ScoreSheet, ScoringSettings, ScoringSettingsEvent


def scoring_settings(round_: Round) -> ScoringSettings:
    """The round's settings; the defaults (unsaved) until the city first changes them, so that
    reading a page never writes."""
    settings = ScoringSettings.objects.filter(round=round_).first()
    return settings if settings is not None else ScoringSettings(round=round_)


def rubric_of(settings: ScoringSettings) -> Rubric:
    return parse_rubric(settings.rubric)


def sheets_exist(round_: Round) -> bool:
    return ScoreSheet.objects.filter(assignment__phase__round=round_).exists()


def update_settings(
    round_: Round,
    actor: User,
    *,
    rubric: Any = None,
    aggregate: str | None = None,
    margin: Any = None,
) -> ScoringSettings:
    """Change what is given (None: unchanged); ``DomainError`` in Chinese, nothing saved."""
    why = refusal("scoring.manage", actor)
    if why:
        raise DomainError(why)
    with transaction.atomic():
        ScoringSettings.objects.get_or_create(round=round_)
        settings = ScoringSettings.objects.select_for_update().get(round=round_)
        changed: dict[str, Any] = {}
        if rubric is not None:
            try:
                parsed = parse_rubric(rubric)
            except RubricInvalid as invalid:
                raise DomainError("评分标准未保存：" + "；".join(invalid.problems)) from None
            stored = parsed.model_dump(mode="json")
            if stored != settings.rubric:
                if sheets_exist(round_):
                    raise DomainError("本轮次已有专家评分表，评分标准不能再修改。")
                settings.rubric = stored
                changed["rubric"] = stored
        if aggregate is not None:
            if aggregate not in METHODS:
                raise DomainError(
                    "汇总方法只能是算术平均分、中位数或去掉最高分和最低分后的平均分。"
                )
            if aggregate != settings.aggregate:
                settings.aggregate = aggregate
                changed["aggregate"] = aggregate
        if margin is not None:
            value = _margin(margin)
            if value != settings.disagreement_margin:
                settings.disagreement_margin = value
                changed["disagreement_margin"] = str(value)
        if changed:
            settings.save()
            ScoringSettingsEvent.objects.create(round=round_, actor=actor, detail=changed)
    return settings


def _margin(raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise DomainError("分歧提示阈值必须是数字。") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise DomainError("分歧提示阈值必须在 0 到 100 分之间。")
    if value != value.quantize(Decimal("0.01")):
        raise DomainError("分歧提示阈值最多保留两位小数。")
    return value
