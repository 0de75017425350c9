"""What the endpoints share: the scoped lookups (the web pages' queries) and the rows' shape."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain.forms import without_data
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.models import Application
from clusterdesk.rounds.enums import RoundKind

NOT_FOUND = "找不到该申报。"  # also for another county's: an id tells nothing


def declarations(user: User) -> QuerySet[Application]:
    """The declarations ``user`` may see: ``visible_applications``, the web pages' one query."""
    return visible_applications(user).filter(round__kind=RoundKind.DECLARATION)


def declaration_or_404(user: User, pk: int, *, with_data: bool = True) -> Application:
    rows = declarations(user) if with_data else without_data(declarations(user))
    application = rows.filter(pk=pk).order_by().first()
    if application is None:
        raise Http404(NOT_FOUND)
    return application


def summary(application: Application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "round_id": application.round_id,
        "round_name": application.round.name,
        "organisation": application.organisation.name,
        "state": application.state,
        "state_label": application.get_state_display(),
        "version": application.version,
        "cluster_name": application.cluster_name,
        "updated_at": application.updated_at,
    }
