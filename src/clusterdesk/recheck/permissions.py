"""Who may use the 复核 pages (see ``accounts.permissions`` for how rules work)."""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, role_in, rule

# The due list, the 复核 rounds and their cases: the city bureau, and admins, who read everything.
VIEW = rule(
    "recheck.view",
    ACTIVE,
    role_in([Role.CITY_OFFICER, Role.ADMIN], "只有市经信局可以查看复核。"),
)
# Opening a 复核 and deciding 限期整改 / 撤销 are the city bureau's acts; admins read only.
MANAGE = rule(
    "recheck.manage",
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以发起复核和作出复核决定。"),
)
