"""Who may score, and who may see scores (see ``accounts.permissions`` for how rules work).

An expert's rule says only that they are an expert: which sheets they reach is decided by their
assignment (``review.domain.access.open_assignments``: active, in a phase open now), in SQL.
"""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, role_in, rule

# The expert's home (评审任务) and their own sheets.
EXPERT = rule(
    "scoring.expert",
    ACTIVE,
    role_in([Role.EXPERT], "只有评审专家可以查看评审任务。"),
)
# Progress, the ranking and the sheets behind it, the documents: the city bureau and admins
# (who read only). Counties never see scores or experts' names.
VIEW = rule(
    "scoring.view",
    ACTIVE,
    role_in([Role.CITY_OFFICER, Role.ADMIN], "只有市经信局可以查看评分汇总。"),
)
# Changing the rubric and the aggregation, reopening a submitted sheet: the city bureau alone.
MANAGE = rule(
    "scoring.manage",
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以设置评分标准或退回评分表。"),
)
