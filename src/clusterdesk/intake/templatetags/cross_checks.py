"""Template tags of the cross-application checks: the desk's count for a round and one
application's flags, so that the desk and the application page include them in one line."""

from __future__ import annotations

from django import template
from django.db.models import F

from clusterdesk.intake.domain.overlap_flags import (
    Counts,
    Shown,
    counts,
    flags_for,
    of_application,
    of_round,
    shown,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def overlap_counts(context, round_) -> Counts | None:
    """The round's flags the user may see, open and all (None without a round)."""
    if round_ is None:
        return None
    return counts(of_round(flags_for(context["request"].user), round_))


@register.simple_tag(takes_context=True)
def overlap_flags(context, application) -> list[Shown]:
    """The flags one of whose two applications is ``application``, open ones first."""
    flags = of_application(flags_for(context["request"].user), application)
    return [
        shown(flag)
        for flag in flags.order_by(F("dismissal").asc(nulls_first=True), "-found_at", "pk")
    ]
