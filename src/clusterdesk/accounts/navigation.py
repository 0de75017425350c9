"""Where each role starts and which links its navigation shows.

Plain paths rather than ``reverse()`` for pages other apps provide, so that this module does not
depend on their URL configuration being loaded (the county pages arrive separately).
"""

from __future__ import annotations

from typing import NamedTuple

from django.http import HttpRequest

from clusterdesk.accounts.enums import Role

# After login, a user goes to the page where their work is.
_LANDING: dict[str, str] = {
    Role.COUNTY_OFFICER: "/county/",
    Role.CITY_OFFICER: "/rounds/",
    Role.ADMIN: "/admin/",
    Role.EXPERT: "/",
}


class NavLink(NamedTuple):
    label: str
    path: str


def landing_path(role: str) -> str:
    return _LANDING.get(role, "/")


def nav_links(role: str) -> list[NavLink]:
    """The role's own pages; 修改密码 and 退出 are shown to everyone by the template."""
    links: list[NavLink] = []
    if role == Role.COUNTY_OFFICER:
        links.append(NavLink("我的申报", "/county/"))
    if role in (Role.CITY_OFFICER, Role.ADMIN):
        links.append(NavLink("申报轮次", "/rounds/"))
    return links


def navigation(request: HttpRequest) -> dict[str, list[NavLink]]:
    """Template context processor: ``nav_links`` for the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    return {"nav_links": nav_links(user.role)}
