"""The registry's settings per round (validity, recommendation quota, 文号 prefix)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from clusterdesk.errors import DomainError
from clusterdesk.registry.models import (
    MAX_QUOTA,
    MAX_VALIDITY_YEARS,
    RegistrySettings,
    RegistrySettingsChange,
)
from clusterdesk.registry.permissions import MANAGE
from clusterdesk.rounds.models import Round


def registry_settings(round_: Round) -> RegistrySettings:
    """The round's settings; the defaults (unsaved) until the city changes them, so reading
    them never writes."""
    return RegistrySettings.objects.filter(round=round_).first() or RegistrySettings(round=round_)


def years_later(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def validity(valid_from: dt.date, years: int) -> dt.date:
    """The last day of a certification valid ``years`` years from ``valid_from``."""
    return years_later(valid_from, years) - dt.timedelta(days=1)


def change_settings(
    round_: Round, actor, *, validity_years: int, recommendation_quota: int, document_prefix: str
) -> RegistrySettings:
    """Set the round's validity, quota and 文号 prefix (the city bureau only), recording the
    change (``RegistrySettingsChange``). Certifications already published keep their dates:
    validity is applied when a document is registered."""
    problem = MANAGE.refusal(actor)
    if problem:
        raise DomainError(problem)
    if not 1 <= validity_years <= MAX_VALIDITY_YEARS:
        raise DomainError(f"认定有效期（年）：应为 1 至 {MAX_VALIDITY_YEARS} 年。")
    if not 1 <= recommendation_quota <= MAX_QUOTA:
        raise DomainError(f"择优推荐名额：应为 1 至 {MAX_QUOTA} 个。")
    prefix = document_prefix.strip()
    if not prefix or len(prefix) > 30:
        raise DomainError("发文字号前缀：请填写，不超过 30 个字符。")
    found = registry_settings(round_)
    before = _values(found)
    found.validity_years = validity_years
    found.recommendation_quota = recommendation_quota
    found.document_prefix = prefix
    after = _values(found)
    if after == before and found.pk is not None:
        return found
    with transaction.atomic():
        found.save()
        RegistrySettingsChange.objects.create(round=round_, before=before, after=after, actor=actor)
    return found


def _values(found: RegistrySettings) -> dict[str, object]:
    return {
        "validity_years": found.validity_years,
        "recommendation_quota": found.recommendation_quota,
        "document_prefix": found.document_prefix,
    }
