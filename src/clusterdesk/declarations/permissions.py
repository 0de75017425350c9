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
# Deleting a draft (a workflow move; the workflow checks it again when it moves).
DELETE = rule(
    "application.delete",
    ACTIVE,
    Check(_own_county, "只有本单位的区县经信部门可以删除该申报。"),
    Check(
        lambda user, app: app.state == ApplicationState.DRAFT,
        lambda user, app: f"申报当前为“{ApplicationState(app.state).label}”，只有草稿可以删除。",
    ),
)
# Restoring a deleted draft, and the list of deleted drafts (``app`` None).
RESTORE = rule(
    "application.restore",
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以恢复已删除的草稿。"),
    Check(
        lambda user, app: app is None or app.state == ApplicationState.DELETED,
        "该申报未被删除，无需恢复。",
    ),
)

# The city's comments at the field (审核意见): written while the application is with the city
# (sent to the county with the next return), answered by the county while it is returned,
# closed by the city whenever it is satisfied.
COMMENT_STATES = frozenset({ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW})
COMMENT_WRITE = rule(
    "comment.write",
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以提出审核意见。"),
    Check(
        lambda user, app: app is not None and app.state in COMMENT_STATES,
        lambda user, app: (
            f"申报当前为“{ApplicationState(app.state).label}”，只有已提交或审核中的申报可以批注。"
            if app is not None
            else "请先选择申报。"
        ),
    ),
)
COMMENT_REPLY = rule(
    "comment.reply",
    ACTIVE,
    Check(_own_county, "只有本单位的区县经信部门可以回复审核意见。"),
    Check(
        lambda user, app: app.state == ApplicationState.RETURNED,
        lambda user, app: (
            f"申报当前为“{ApplicationState(app.state).label}”，被退回后方可回复审核意见。"
        ),
    ),
)
COMMENT_CLOSE = rule(
    "comment.close",
    ACTIVE,
    role_in([Role.CITY_OFFICER], "只有市经信局可以关闭审核意见。"),
)
