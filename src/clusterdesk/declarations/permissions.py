"""Who may do what to an application (see ``accounts.permissions`` for how rules work)."""

from __future__ import annotations

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import ACTIVE, SIGNED_IN, Check, role_in, rule
from clusterdesk.declarations.enums import ApplicationState

EDITABLE_STATES = frozenset({ApplicationState.DRAFT, ApplicationState.RETURNED})
CITY_AND_ADMIN = (Role.CITY_OFFICER, Role.ADMIN)


def _own_county(user, application) -> bool:
    return user.role == Role.COUNTY_OFFICER and (
        user.organisation_id is not None and user.organisation_id == application.organisation_id
    )


def _not_editable(user, application) -> str:
    state = ApplicationState(application.state).label
    return f"申报当前为“{state}”，不能修改；被退回后方可修改。"


# What ``queries.visible_applications`` selects in SQL, for one application.
VIEW = rule(
    "application.view",
    SIGNED_IN,
    ACTIVE,
    Check(
        lambda user, app: user.role in CITY_AND_ADMIN or _own_county(user, app),
        "没有找到该申报。",
    ),
)
CREATE = rule(
    "application.create", ACTIVE, role_in([Role.COUNTY_OFFICER], "只有区县经信部门可以新建申报。")
)
EDIT = rule(
    "application.edit",
    ACTIVE,
    Check(_own_county, "只有本单位的区县经信部门可以修改该申报。"),
    Check(lambda user, app: app.state in EDITABLE_STATES, _not_editable),
)
