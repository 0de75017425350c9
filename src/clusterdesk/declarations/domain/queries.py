"""Reusable queries. Scoping lives here so that every view gets it the same way."""

from __future__ import annotations

from django.db.models import QuerySet

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from clusterdesk.declarations.models import Application


def visible_applications(user: User) -> QuerySet[Application]:
    """The applications ``user`` may see: a county only its own, the city bureau all of them.

    Experts will see their assignments once review panels exist; until then, nothing.
    """
    applications = Application.objects.select_related("round", "organisation")
    if not user.is_authenticated or not user.is_active:
        return applications.none()
    if user.role in (Role.CITY_OFFICER, Role.ADMIN):
        return applications
    if user.role == Role.COUNTY_OFFICER and user.organisation_id:
        return applications.filter(organisation_id=user.organisation_id)
    return applications.none()
