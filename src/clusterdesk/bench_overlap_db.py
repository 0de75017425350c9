"""The cross-application checks as the site runs them (``intake.domain.overlap``), for
``make bench``: the same 1,000 synthetic applications as ``bench_overlap``, stored as
submissions in a throw-away database, then

- from scratch: ``rebuild()`` — every snapshot read from the database and validated, indexed,
  the flags and entries written (what ``manage.py overlap_rebuild`` does);
- one new submission: ``index_application()`` on a worker whose index is current — its snapshot
  read, compared with the 1,000, its flags, entry and the index's seq written, in one
  transaction under the row lock (what runs after a county's 提交 commits);
- a worker's first use: the same with an empty worker, which reads every snapshot first.

SQLite by default (a temporary file); when ``DATABASE_URL`` names PostgreSQL, a database
``<name>_bench_overlap`` beside it, dropped afterwards. Runs in its own process (Django is set up
for that database there), and prints its figures as JSON on the last line.

    python -m clusterdesk.bench_overlap_db
"""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from dataclasses import dataclass
from typing import Any

from .bench_isolated import child, run_child
from .bench_overlap import APPLICATIONS, COPY_EVERY, NEW_SUBMISSIONS, synthetic

UNITS = 16  # county-level units the applications are spread over


@dataclass(frozen=True)
class Result:
    scratch_ms: float  # rebuild(): 1,000 snapshots from the database to stored flags
    new_ms: float  # median of one new submission on a current worker, DB writes included
    cold_ms: float  # one new submission on a worker's first use (reads all snapshots)
    # The same two in this process's CPU time: on a machine busy with other work the wall
    # clock says more about the neighbours than about the checks (PostgreSQL's own work is
    # not in it; SQLite's is).
    scratch_cpu_ms: float
    new_cpu_ms: float
    flags: int
    planted: int  # copied passages planted among the 1,000: each must be flagged


def measure() -> Result:
    """Run the measurement in its own process and read its figures."""
    figures = run_child(
        "clusterdesk.bench_overlap_db",
        "_bench_overlap",
        "交叉比对（数据库）",
        "clusterdesk.settings",
    )
    return Result(**figures)


def _run() -> Result:
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    from clusterdesk.intake.domain import overlap  # noqa: PLC0415
    from clusterdesk.intake.models import OverlapFlag  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    forms = [form.model_dump(mode="json") for form in synthetic(APPLICATIONS + NEW_SUBMISSIONS)]
    world = _World()
    stored = world.store(forms[:APPLICATIONS])
    start, cpu = time.perf_counter(), time.process_time()
    result = overlap.rebuild()
    scratch_ms = (time.perf_counter() - start) * 1000
    scratch_cpu_ms = (time.process_time() - cpu) * 1000
    # The planted copies: every COPY_EVERY-th application copies a passage of an earlier one.
    planted = {stored[n] for n in range(COPY_EVERY, APPLICATIONS, COPY_EVERY)}
    text = set(OverlapFlag.objects.filter(kind="文本雷同").values_list("later_id", flat=True))
    if planted - text:
        raise AssertionError("交叉比对（数据库）漏报了预置的复制段落")
    samples, cpu_samples = [], []
    for form in forms[APPLICATIONS:-1]:
        [pk] = world.store([form])
        start, cpu = time.perf_counter(), time.process_time()
        overlap.index_application(pk)
        samples.append((time.perf_counter() - start) * 1000)
        cpu_samples.append((time.process_time() - cpu) * 1000)
    overlap.forget_cache()
    [pk] = world.store(forms[-1:])
    start = time.perf_counter()
    overlap.index_application(pk)
    cold_ms = (time.perf_counter() - start) * 1000
    return Result(
        scratch_ms=scratch_ms,
        new_ms=statistics.median(samples),
        cold_ms=cold_ms,
        scratch_cpu_ms=scratch_cpu_ms,
        new_cpu_ms=statistics.median(cpu_samples),
        flags=result.flags,
        planted=len(planted),
    )


class _World:
    """Units, a county officer per unit, a round; applications stored as submitted (rows
    written directly: the bench measures the checks, not the workflow)."""

    def __init__(self) -> None:
        import datetime as dt  # noqa: PLC0415

        from clusterdesk.accounts.enums import OrganisationKind, Role  # noqa: PLC0415
        from clusterdesk.accounts.models import Organisation, User  # noqa: PLC0415
        from clusterdesk.rounds.models import Round  # noqa: PLC0415

        self.units = [
            Organisation.objects.create(
                kind=OrganisationKind.COUNTY, county=f"基准{n}区", name=f"基准{n}区经济和信息化局"
            )
            for n in range(UNITS)
        ]
        self.officers = [
            User.objects.create(username=f"bench{n}", role=Role.COUNTY_OFFICER, organisation=unit)
            for n, unit in enumerate(self.units)
        ]
        self.round = Round.objects.create(
            name="2023年度",
            first_data_year=2020,
            last_data_year=2022,
            reference_date=dt.date(2022, 12, 31),
            submission_deadline=dt.datetime(2023, 4, 14, 15, 59, tzinfo=dt.UTC),
            county_limit=2,
        )
        self.count = 0

    def store(self, forms: list[dict[str, Any]]) -> list[int]:
        from django.db import transaction  # noqa: PLC0415
        from django.utils import timezone  # noqa: PLC0415

        from clusterdesk.declarations.enums import ApplicationState  # noqa: PLC0415
        from clusterdesk.declarations.models import (  # noqa: PLC0415
            Application,
            ApplicationEvent,
            Submission,
        )

        now = timezone.now()
        with transaction.atomic():
            apps = []
            for form in forms:
                n = self.count
                self.count += 1
                apps.append(
                    Application(
                        round=self.round,
                        organisation=self.units[n % UNITS],
                        state=ApplicationState.SUBMITTED,
                        data=form,
                        created_by=self.officers[n % UNITS],
                    )
                )
            apps = Application.objects.bulk_create(apps)
            events = ApplicationEvent.objects.bulk_create(
                ApplicationEvent(
                    application=app,
                    from_state=ApplicationState.DRAFT,
                    to_state=ApplicationState.SUBMITTED,
                    actor=app.created_by,
                )
                for app in apps
            )
            Submission.objects.bulk_create(
                Submission(
                    application=app,
                    event=event,
                    data=app.data,
                    data_sha256=hashlib.sha256(
                        json.dumps(app.data, sort_keys=True, ensure_ascii=False).encode()
                    ).hexdigest(),
                    application_version=1,
                    submitted_at=now,
                    submitted_by=app.created_by,
                )
                for app, event in zip(apps, events, strict=True)
            )
        return [app.pk for app in apps]


if __name__ == "__main__":
    child(_run)
