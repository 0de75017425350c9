"""The intake desk's background tasks (Django's Tasks API via the django-tasks backport).
Arguments are plain ids: a task may run on another machine."""

from __future__ import annotations

from django_tasks import task

from clusterdesk.intake.domain import overlap


@task()
def index_submission(application_id: int) -> None:
    """交叉比对: index the application's latest submission (see ``domain.overlap``)."""
    overlap.index_application(application_id)
