"""Who may use the 会审 and 公示 pages (see ``accounts.permissions`` for how rules work)."""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, role_in, rule

# Reading the decision, the 公示 and the objections (with scores and ranks): the city bureau,
# and admins, who read everything. Counties never: they see 拟认定 / 未认定 and the reason.
READ = rule(
    "publicity.read",
    ACTIVE,
    role_in([Role.CITY_OFFICER, Role.ADMIN], "只有市经信局可以查看会审与公示。"),
)
# Deciding, starting a 公示, recording and handling objections: the city bureau's alone.
DECIDE = rule(
    "publicity.decide",
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以办理会审、公示和异议。"),
)
