"""The background tasks (Django's Tasks API through the django-tasks backport; on Django 6 the
import becomes ``django.tasks``). Arguments are plain ids: a task may run on another machine."""

from __future__ import annotations

from django_tasks import task

from clusterdesk.exports.domain import jobs


@task()
def run_export(export_id: int) -> None:
    jobs.run(export_id)
