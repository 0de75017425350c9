"""Who may manage the expert review, and who works in it as an expert (see
``accounts.permissions`` for how rules work)."""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, Check, role_in, rule


def _has_active_profile(user, _obj) -> bool:
    profile = getattr(user, "expert_profile", None) if user.pk else None
    return profile is not None and profile.active


# The pool, conflicts seen by the city, phases and assignments: the city bureau's work.
MANAGE = rule(
    "review.manage",
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以管理专家评审。"),
)
# An expert of the pool, not deactivated: declares conflicts, sees their own assignments.
EXPERT = rule(
    "review.expert",
    ACTIVE,
    role_in([Role.EXPERT], "只有评审专家可以使用此页面。"),
    Check(_has_active_profile, "您不在专家库中或已被停用，请联系市经信局。"),
)
