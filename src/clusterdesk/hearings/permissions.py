"""Who may see and arrange 现场答辩 and 实地走访 (see ``accounts.permissions`` for how rules work).

The schedule, the records and the visits' findings are the city bureau's working papers: the
city arranges and records, admins read. A county sees only its own applications' slots (scoped
in ``domain.defence.county_slots``); an expert only the slots of the applications assigned to
them in a phase that is open now (``domain.defence.expert_slots``).
"""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, county_officer, role_in, rule

VIEW = rule(
    "hearings.view",
    ACTIVE,
    role_in([Role.CITY_OFFICER, Role.ADMIN], "只有市经信局可以查看答辩与实地走访情况。"),
)
MANAGE = rule(
    "hearings.manage",
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以安排和记录答辩与实地走访。"),
)
COUNTY = rule(
    "hearings.county",
    ACTIVE,
    county_officer("只有区（县、市）经信部门可以查看本单位的答辩安排。"),
)
EXPERT = rule(
    "hearings.expert",
    ACTIVE,
    role_in([Role.EXPERT], "只有评审专家可以查看所评申报的答辩日程。"),
)
