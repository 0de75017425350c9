"""Who may use the county's desk (see ``accounts.permissions`` for how rules work)."""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, Check, county_officer, role_not, rule

NOT_A_COUNTY = "只有区县经信部门可以办理申报。"

# New drafts, submitting, Word import, the county's documents.
WORK = rule("county.work", ACTIVE, county_officer(NOT_A_COUNTY))
# The county's dashboard (the city bureau and admins are sent on to 审核工作台).
DASHBOARD = rule(
    "county.dashboard",
    ACTIVE,
    role_not(Role.EXPERT, "专家只能查看分配给本人的评审任务，不能查看各地申报情况。"),
    Check(
        lambda user, _: user.role != Role.COUNTY_OFFICER or user.organisation_id is not None,
        NOT_A_COUNTY,
    ),
)
