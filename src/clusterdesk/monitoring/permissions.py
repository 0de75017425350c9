"""Who may do what with the annual reports (see ``accounts.permissions`` for how rules work)."""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, SIGNED_IN, role_in, rule

# The county's page of its own certified clusters and their reports; starting a report.
COUNTY = rule(
    "monitoring.county",
    SIGNED_IN,
    ACTIVE,
    role_in([Role.COUNTY_OFFICER], "只有区县经信部门可以填报本单位集群的年度发展情况报告。"),
)
# The city's list of reports, a report read-only, the major change cases (admins read).
VIEW = rule(
    "monitoring.view",
    SIGNED_IN,
    ACTIVE,
    role_in([Role.CITY_OFFICER, Role.ADMIN], "只有市经信局可以查看各单位的年度发展情况报告。"),
)
# Opening the year's round and its window, comments, return, accept, major change decisions.
MANAGE = rule(
    "monitoring.manage",
    SIGNED_IN,
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以审核年度发展情况报告。"),
)
