"""The tracking thresholds per declaration round, with their change record."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from clusterdesk.errors import DomainError
from clusterdesk.panel.tracking import Thresholds
from clusterdesk.rounds.models import Round
from clusterdesk.tracking.domain.compute import certifications, refresh
from clusterdesk.tracking.models import TrackingSettings, TrackingSettingsChange
from clusterdesk.tracking.permissions import MANAGE


def tracking_settings(round_: Round) -> TrackingSettings:
    """The round's settings; the defaults (unsaved) until the city changes them."""
    return TrackingSettings.objects.filter(round=round_).first() or TrackingSettings(round=round_)


def thresholds_of(found: TrackingSettings) -> Thresholds:
    return Thresholds(Decimal(found.lagging), Decimal(found.serious))


def _percent(raw, label: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}：请填写 0 至 100 之间的数字。") from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise DomainError(f"{label}：请填写 0 至 100 之间的数字。")
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(f"{label}：最多保留两位小数。")
    return value.quantize(Decimal("0.01"))


def change_thresholds(round_: Round, actor, *, lagging, serious) -> TrackingSettings:
    """Set the round's thresholds (the city bureau only), recording the change. Nothing changes
    on a refusal."""
    problem = MANAGE.refusal(actor)
    if problem:
        raise DomainError(problem)
    if not round_.is_declaration:
        raise DomainError("申报轮次：目标跟踪阈值只能按申报认定轮次设定。")
    lagging = _percent(lagging, "滞后阈值（%）")
    serious = _percent(serious, "严重滞后阈值（%）")
    if lagging > serious:
        raise DomainError("滞后阈值（%）：不能大于严重滞后阈值。")
    found = tracking_settings(round_)
    before = _values(found)
    found.lagging, found.serious = lagging, serious
    after = _values(found)
    if after == before and found.pk is not None:
        return found
    with transaction.atomic():
        found.save()
        TrackingSettingsChange.objects.create(round=round_, before=before, after=after, actor=actor)
    # Every stored summary of the round is outdated now: recompute them here, once, rather than
    # on the next dashboard view (a page would never show an outdated one: see ``TrackSummary``).
    # Renewed clusters keep their declaration round's thresholds (compute.lineages): the round's
    # cohort includes them; those of another round are up to date and left alone.
    refresh(certifications(round_id=round_.pk))
    return found


def _values(found: TrackingSettings) -> dict[str, str]:
    return {
        "lagging": str(Decimal(found.lagging).quantize(Decimal("0.01"))),
        "serious": str(Decimal(found.serious).quantize(Decimal("0.01"))),
    }
