"""The pre-check digest of each submitted application: how many criteria aspects are 未达标 and
how many consistency warnings are open, at its latest submission.

The inbox filters and shows both figures for thousands of applications; reading each form for
that would cost a validation per row. So they are counted once, when the application is
submitted or resubmitted (``digest_move``, registered in ``workflow.AFTER_EVERY_MOVE``), and
``manage.py precheck_digests`` counts them for applications submitted before the digest
existed. The counting itself is the county's 自查 (``check_of`` and ``findings_for``), never a
second copy of its rules.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.forms import check_of, findings_for, form_of
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, ApplicationEvent, Submission
from clusterdesk.form.criteria.report import Status
from clusterdesk.form.findings import Level
from clusterdesk.intake.models import PrecheckDigest
from clusterdesk.rounds.enums import RoundKind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figures:
    aspects_failed: int
    warnings: int


def figures(application: Application) -> Figures:
    """The two counts of ``application`` as its data stands (the 自查's own functions: validated
    at most once per data version)."""
    result = check_of(application, form_of(application))
    failed = sum(group.status == Status.FAIL for group in result.criteria.groups)
    warnings = sum(finding.level == Level.WARNING for finding in findings_for(application))
    return Figures(failed, warnings)


def _snapshot_figures(application: Application, submission: Submission) -> Figures:
    """The counts of what ``submission`` holds: the application as it was then, on an unsaved
    copy (no pk: nothing is cached under the live application's version)."""
    then = Application(
        round=application.round,
        organisation=application.organisation,
        data=submission.data,
        state=application.state,
        version=submission.application_version,
    )
    return figures(then)


def record_digest(
    application: Application, submission: Submission, counted: Figures | None = None
) -> PrecheckDigest:
    """Store the digest of ``submission`` (``counted``: its figures, when the caller knows the
    live data is the snapshot's), replacing the application's earlier one."""
    if counted is None:
        counted = _snapshot_figures(application, submission)
    digest, _ = PrecheckDigest.objects.update_or_create(
        application=application,
        defaults={
            "submission": submission,
            "aspects_failed": counted.aspects_failed,
            "warnings": counted.warnings,
            "computed_at": clock.now(),
        },
    )
    return digest


def digest_move(application: Application, event: ApplicationEvent, actor: User) -> None:
    """Registered in ``workflow.AFTER_EVERY_MOVE``: on 提交 and 重新提交 (after the snapshot was
    taken, in the same transaction) the digest of the new submission is stored."""
    if event.to_state != ApplicationState.SUBMITTED:
        return
    if application.round.kind == RoundKind.ANNUAL:
        return  # an annual report has no criteria pre-check (the desk lists declarations)
    submission = Submission.objects.filter(event=event).first()
    if submission is None:
        return
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the move intact
            # Just taken from the live data: the snapshot holds what the application holds.
            record_digest(application, submission, figures(application))
    except Exception:
        # The county's submission must not fail for the city's list; the application then
        # has no digest (in neither filter choice) until `manage.py precheck_digests` runs.
        log.exception("预检摘要计算失败：申报 #%s，提交快照 #%s", application.pk, submission.pk)


def rebuild(applications: Iterable[Application]) -> tuple[int, int]:
    """The digest of each of ``applications``' latest submission where it is missing or older;
    answers (written, already current)."""
    written = current = 0
    for application in applications:
        latest = application.submissions.order_by("-submitted_at", "-pk").first()
        if latest is None:
            continue
        stored = PrecheckDigest.objects.filter(application=application).first()
        if stored is not None and stored.submission_id == latest.pk:
            current += 1
            continue
        record_digest(application, latest)
        written += 1
    return written, current
