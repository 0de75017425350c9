"""A round's review settings (每份申报的专家数, 回避期限, 匿名评审)."""

from __future__ import annotations

from django.db import transaction

from clusterdesk.accounts.models import User
from clusterdesk.errors import DomainError
from clusterdesk.review.domain.events import check, record
from clusterdesk.review.enums import EventAction
from clusterdesk.review.models import (
    MAX_CONFLICT_YEARS,
    MAX_EXPERTS_PER_APPLICATION,
    ReviewSettings,
)
from clusterdesk.rounds.models import Round

FIELDS = ("experts_per_application", "conflict_years", "anonymise_county")


def review_settings(round_: Round) -> ReviewSettings:
    settings, _ = ReviewSettings.objects.get_or_create(round=round_)
    return settings


def update_settings(round_: Round, actor: User, **values) -> ReviewSettings:
    """Change the round's settings; the event says old → new."""
    check("review.manage", actor)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"not review settings: {sorted(unknown)}")
    count = values.get("experts_per_application")
    if count is not None and not 1 <= count <= MAX_EXPERTS_PER_APPLICATION:
        raise DomainError(f"每份申报的评审专家数应在 1—{MAX_EXPERTS_PER_APPLICATION} 名之间。")
    years = values.get("conflict_years")
    if years is not None and not 0 <= years <= MAX_CONFLICT_YEARS:
        raise DomainError(f"回避期限应在 0—{MAX_CONFLICT_YEARS} 年之间。")
    with transaction.atomic():
        settings = review_settings(round_)
        settings = ReviewSettings.objects.select_for_update().get(pk=settings.pk)
        changes = []
        for name, value in values.items():
            old = getattr(settings, name)
            if old != value:
                label = ReviewSettings._meta.get_field(name).verbose_name
                changes.append(f"{label}：{_show(old)}→{_show(value)}")
                setattr(settings, name, value)
        if changes:
            settings.save()
            record(
                EventAction.SETTINGS_CHANGED,
                actor,
                round_=round_,
                reason="；".join(changes),
                detail={name: getattr(settings, name) for name in FIELDS},
            )
    return settings


def _show(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
