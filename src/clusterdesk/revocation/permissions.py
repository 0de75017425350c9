"""Who may see and decide revocations (see ``accounts.permissions`` for how rules work)."""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, Check, role_in, rule

CITY_AND_ADMIN = (Role.CITY_OFFICER, Role.ADMIN)

# The list of revocations: the city bureau, and admins, who read everything.
VIEW = rule(
    "revocation.view",
    ACTIVE,
    role_in(CITY_AND_ADMIN, "只有市经信局可以查看撤销认定记录。"),
)
# 撤销认定 is the city bureau's decision; admins read only.
MANAGE = rule(
    "revocation.manage",
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以撤销认定。"),
)


def _city_or_own_county(user, application) -> bool:
    if user.role in CITY_AND_ADMIN:
        return True
    return (
        user.role == Role.COUNTY_OFFICER
        and application is not None
        and user.organisation_id is not None
        and user.organisation_id == application.organisation_id
    )


# One revocation and its 通报 (``obj`` the revoked application): the city bureau and admins,
# and the county whose cluster it was (the views answer 404 to any other county).
NOTICE = rule(
    "revocation.notice",
    ACTIVE,
    Check(_city_or_own_county, "没有找到该撤销认定记录。"),
)
