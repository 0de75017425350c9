"""Who may manage rounds (see ``accounts.permissions`` for how rules work)."""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, SIGNED_IN, role_in, rule

MANAGE = rule(
    "round.manage",
    SIGNED_IN,
    ACTIVE,
    role_in([Role.CITY_OFFICER, Role.ADMIN], "只有市经信局可以管理申报轮次。"),
)
