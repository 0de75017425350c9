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

# The thresholds a profile leaves unset are the city bureau's decision for its round (which
# figures its recognition applies), not an administrator's.
THRESHOLDS = rule(
    "round.thresholds",
    SIGNED_IN,
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以设定认定标准阈值。"),
)
