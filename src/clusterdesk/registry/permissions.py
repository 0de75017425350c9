"""Who may use the registry (see ``accounts.permissions`` for how rules work).

The public list (/certified/) needs no rule: it shows what the 认定 document published."""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, role_in, rule

# The registry of certified clusters, its export and the recommendations made: the city bureau,
# and admins, who read everything.
VIEW = rule(
    "registry.view",
    ACTIVE,
    role_in([Role.CITY_OFFICER, Role.ADMIN], "只有市经信局可以查看认定名录。"),
)
# 发文 and 择优推荐 are the city bureau's acts; admins read only.
MANAGE = rule(
    "registry.manage",
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以办理认定发文和择优推荐。"),
)
