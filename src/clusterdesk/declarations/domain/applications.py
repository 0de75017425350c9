"""Creating applications. State changes are not here: they go through workflow.transition()."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from clusterdesk.accounts.models import Organisation, User
from clusterdesk.declarations.domain.snapshots import take_snapshot
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.declarations.permissions import CREATE
from clusterdesk.errors import DomainError
from clusterdesk.rounds.enums import RoundKind
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
    *,
    round_: Round,
    organisation: Organisation,
    actor: User,
    data: dict[str, Any] | None = None,
    kind: str = RoundKind.DECLARATION,
) -> Application:
    """Start a draft and record its creation as the first event of its history.

    ``kind`` is the kind of round the caller creates in: an ordinary creation is a declaration;
    the apps that create annual reports (monitoring) say so, and a round of another kind is
    refused, so the county board cannot start a declaration in an annual round."""
    if round_.kind != kind:
        raise DomainError(
            f"“{round_}”是{RoundKind(round_.kind).label}轮次，不能在此新建{RoundKind(kind).label}。"
        )
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


def create_for_recheck(
    *, round_: Round, organisation: Organisation, data: dict[str, Any], actor: User, reason: str
) -> Application:
    """A 复核's application: the certified declaration's ``data`` under review at once in the
    复核 round ``round_``, for the cluster's own unit.

    Nobody fills or submits it (the county declared these data and the city certified them), so
    the history records what the workflow would have: created, submitted — with the snapshot the
    experts and the 发文 read — and 受理审核, each by ``actor`` (the city officer opening the
    复核) with ``reason``. The caller (the recheck app) checks who may and which clusters are due.
    """
    with transaction.atomic():
        application = Application.objects.create(
            round=round_,
            organisation=organisation,
            created_by=actor,
            data=data,
            state=ApplicationState.UNDER_REVIEW,
            version=1,
        )
        moves = (
            ("", ApplicationState.DRAFT),
            (ApplicationState.DRAFT, ApplicationState.SUBMITTED),
            (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW),
        )
        for from_state, to_state in moves:
            event = ApplicationEvent.objects.create(
                application=application,
                from_state=from_state,
                to_state=to_state,
                actor=actor,
                reason=reason,
            )
            if to_state == ApplicationState.SUBMITTED:
                take_snapshot(application, event, actor)
    return application
