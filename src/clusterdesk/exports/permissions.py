"""Who may start and fetch round-wide exports (see ``accounts.permissions`` for how rules work)."""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, role_in, rule

# Every export is round-wide (all counties' applications): the city bureau, and admins, who
# read everything. A county never reaches them. Each user sees only the exports they started.
USE = rule(
    "exports.use",
    ACTIVE,
    role_in([Role.CITY_OFFICER, Role.ADMIN], "只有市经信局可以导出全轮次的申报材料。"),
)
