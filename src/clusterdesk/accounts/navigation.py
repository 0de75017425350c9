"""Where each role starts and which links its navigation shows.

A link is shown to whoever may use the page it leads to: the rule is asked by name, so this app
does not import the apps above it (their rules are loaded by their AppConfig).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.http import HttpRequest
from django.urls import reverse

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.permissions import may

# After login, a user goes to the page where their work is.
_LANDING: dict[str, str] = {
    Role.COUNTY_OFFICER: "/county/",
    Role.CITY_OFFICER: "/intake/",
    Role.ADMIN: "/admin/",
    Role.EXPERT: "/scoring/",
}


class NavLink(NamedTuple):
    label: str
    path: str


def landing_path(role: str) -> str:
    return _LANDING.get(role, "/")


# (label, URL name, the rule that decides who sees it): the same rules that guard the pages.
_LINKS = (
    # The county's.
    ("我的申报", "county:dashboard", "county.work"),
    ("答辩安排", "hearings:my", "hearings.county"),
    ("年度报告", "monitoring:county", "monitoring.county"),
    ("目标跟踪", "tracking:county", "tracking.county"),
    # The city's, in the order of the procedure: intake, review, decision, certification.
    ("审核工作台", "intake:desk", "intake.desk"),
    ("专家评审", "review:overview", "review.manage"),
    ("专家评分", "scoring:rounds", "scoring.view"),
    ("答辩与走访", "hearings:index", "hearings.view"),
    ("会审与公示", "publicity:home", "publicity.read"),
    ("认定名录", "registry:list", "registry.view"),
    ("撤销认定", "revocation:list", "revocation.view"),
    ("年度报告", "monitoring:city", "monitoring.view"),
    ("目标跟踪", "tracking:dashboard", "tracking.view"),
    ("复核", "recheck:home", "recheck.view"),
    ("导出文件", "exports:list", "exports.use"),
    ("申报轮次", "rounds:list", "round.manage"),
    # The expert's.
    ("评审任务", "scoring:home", "scoring.expert"),
    ("答辩日程", "hearings:expert", "hearings.expert"),
    ("回避与利益关联", "review:conflicts", "review.expert"),
)


def nav_links(user: Any) -> list[NavLink]:
    """The user's own pages; 修改密码 and 退出 are shown to everyone by the template."""
    return [
        NavLink(label, reverse(url_name))
        for label, url_name, rule_name in _LINKS
        if may(rule_name, user)
    ]


def navigation(request: HttpRequest) -> dict[str, list[NavLink]]:
    """Template context processor: ``nav_links`` for the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    return {"nav_links": nav_links(user)}
