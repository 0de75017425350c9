"""Creating applications. State changes are not here: they go through workflow.transition()."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from clusterdesk.accounts.models import Organisation, User
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.declarations.permissions import CREATE
from clusterdesk.errors import DomainError
from clusterdesk.rounds.models import Round


def creation_refusal(round_: Round, organisation: Organisation, actor: User) -> str | None:
    """Why ``actor`` may not start an application for ``organisation`` in ``round_``."""
    problem = CREATE.refusal(actor)
    if problem:
        return problem
    if actor.organisation_id != organisation.pk:
        return f"只能为本单位新建申报，不能为{organisation}新建。"
    if not organisation.is_county_level:
        return "申报单位必须是区（县、市）经信局或管委会。"
    if not round_.is_open:
        return f"申报轮次“{round_}”已关闭，不能新建申报。"
    return None


def without_stored_files(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without register entries that name a stored file (a SHA-256).

    A new application has no uploads yet, so such an entry could only point at somebody else's
    file; entries that only name a file (as the form core's example does) stay.
    """
    register = data.get("evidence")
    if not isinstance(register, dict):
        return data
    kept = {
        path: [entry for entry in files if not (isinstance(entry, dict) and entry.get("sha256"))]
        for path, files in register.items()
        if isinstance(files, list)
    }
    return {**data, "evidence": {path: files for path, files in kept.items() if files}}


def create_application(
    *, round_: Round, organisation: Organisation, actor: User, data: dict[str, Any] | None = None
) -> Application:
    """Start a draft and record its creation as the first event of its history."""
    problem = creation_refusal(round_, organisation, actor)
    if problem:
        raise DomainError(problem)
    with transaction.atomic():
        application = Application.objects.create(
            round=round_,
            organisation=organisation,
            created_by=actor,
            data=without_stored_files(data or {}),
        )
        ApplicationEvent.objects.create(
            application=application, from_state="", to_state=ApplicationState.DRAFT, actor=actor
        )
    return application
