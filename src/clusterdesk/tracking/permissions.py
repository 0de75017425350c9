"""Who may see the tracking pages (see ``accounts.permissions`` for how rules work)."""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, SIGNED_IN, county_officer, role_in, rule

# The city-wide dashboard, the lagging list, the monitoring report, the thresholds (read).
VIEW = rule(
    "tracking.view",
    SIGNED_IN,
    ACTIVE,
    role_in([Role.CITY_OFFICER, Role.ADMIN], "只有市经信局可以查看集群目标跟踪。"),
)
# Changing a round's thresholds: the city bureau; admins read only.
MANAGE = rule(
    "tracking.manage",
    SIGNED_IN,
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以设定目标跟踪阈值。"),
)
# One cluster's page: the city, admins, and the county that owns it (checked in the query).
CLUSTER = rule(
    "tracking.cluster",
    SIGNED_IN,
    ACTIVE,
    role_in([Role.CITY_OFFICER, Role.ADMIN, Role.COUNTY_OFFICER], "您无权查看集群目标跟踪。"),
)
# The county's overview of its own certified clusters.
COUNTY = rule(
    "tracking.county",
    SIGNED_IN,
    ACTIVE,
    county_officer("只有区县经信部门可以查看本单位集群的目标跟踪。"),
)
