"""Deleting a draft (the county) and restoring it (the city bureau): two moves of the workflow.

A deleted draft keeps its data, its revisions and its evidence; it only leaves the county's
lists, documents and limits. Both moves are recorded as ``ApplicationEvent`` by
``workflow.transition``, with who, when and why (a restore must say why).
"""

from __future__ import annotations

from dataclasses import dataclass

from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.domain.timeline import TimelineEntry, latest_arrivals
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.declarations.permissions import DELETE, RESTORE
from clusterdesk.declarations.workflow import TransitionRefused, transition

State = ApplicationState

# The city's list shows this many deleted drafts (newest deletion first); it is a small list.
DELETED_LISTED = 200


def delete_refusal(application: Application, user: User) -> str | None:
    return DELETE.refusal(user, application)


def delete_draft(application: Application, user: User, reason: str = "") -> ApplicationEvent:
    """Move the draft to 已删除 through the workflow, or ``TransitionRefused`` saying why not."""
    problem = delete_refusal(application, user)
    if problem:
        raise TransitionRefused(problem)
    return transition(application, State.DELETED, user, reason)


def restore_refusal(user: User, application: Application | None = None) -> str | None:
    return RESTORE.refusal(user, application)


def restore_draft(application: Application, user: User, reason: str) -> ApplicationEvent:
    """Bring a deleted draft back to 草稿 (the city bureau, with a reason)."""
    problem = restore_refusal(user, application)
    if problem:
        raise TransitionRefused(problem)
    return transition(application, State.DRAFT, user, reason)


@dataclass(frozen=True)
class DeletedDraft:
    application: Application
    deleted: TimelineEntry | None  # who deleted it, when, why


def deleted_drafts(user: User) -> list[DeletedDraft]:
    """The deleted drafts ``user`` may see, newest first (two queries)."""
    applications = list(
        visible_applications(user)
        .filter(state=State.DELETED)
        .order_by("-updated_at", "-pk")[:DELETED_LISTED]
    )
    deletions = latest_arrivals(applications, State.DELETED)
    return [DeletedDraft(app, deletions.get(app.pk)) for app in applications]
