"""Who may use the city's intake desk (see ``accounts.permissions`` for how rules work)."""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, role_in, rule

# The desk, the inbox, one application read by the city: the city bureau, and admins, who see
# the all-county overview too (``county.dashboard`` lets them).
DESK = rule(
    "intake.desk",
    ACTIVE,
    role_in([Role.CITY_OFFICER, Role.ADMIN], "只有市经信局可以使用审核工作台。"),
)
# Accepting and returning: the workflow's moves are the city bureau's alone (admins read only).
DECIDE = rule(
    "intake.decide",
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以受理或退回申报。"),
)
# Dismissing a cross-application flag (已核实，非抄袭) is the city bureau's judgement; admins and
# everyone else read the flags only where DESK lets them.
OVERLAP_DISMISS = rule(
    "intake.overlap_dismiss",
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以核实交叉比对提示。"),
)
