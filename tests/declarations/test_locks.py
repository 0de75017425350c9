"""Two saves or two submissions at the same moment: the row locks keep them apart.

Each test runs two threads, each with its own database connection, on committed data
(``transactional_db``). The first stops just before it writes (``Application.save``) and waits
until the second has either come as far too — it read the data the first is about to change,
which is the race the lock is there to prevent — or is waiting for a lock the first holds.
Then both go on. So the race is not left to chance: without the lock it happens every time and
the test sees a lost or doubled write (verified by removing each lock on PostgreSQL).

On SQLite the IMMEDIATE transactions (``conf.database_from_env``) serialise the writers: the
second cannot even begin before the first commits, so the tests pass there as well, without
proving the locks; PostgreSQL's run does.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from clusterdesk.declarations.domain.editing import Change, save_changes
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, Revision
from clusterdesk.declarations.workflow import TransitionRefused, transition
from tests.factories import make_application, make_county_officer, make_round

pytestmark = pytest.mark.django_db(transaction=True)

PATIENCE_SECONDS = 20  # only reached when something is broken
# SQLite: the second writer waits inside BEGIN IMMEDIATE, where it cannot be seen; give it the
# time to get there. PostgreSQL needs no such guess: pg_blocking_pids says who waits for whom.
SQLITE_GRACE_SECONDS = 0.2


class Race:
    """Runs ``first`` and ``second`` as described above; keeps their results and errors."""

    def __init__(self) -> None:
        self.first_paused = threading.Event()  # the first has read and is about to write
        self.second_at_write = threading.Event()
        self.second_started = threading.Event()
        self.second_done = threading.Event()
        self.second_pid: int | None = None
        # Why the first went on: "blocked" (the second waits for its lock), "at write" (the
        # second read the same data: no lock), "second done" (it failed early) or "grace".
        self.released_by = ""
        self.results: dict[str, Any] = {}
        self.errors: dict[str, BaseException] = {}

    def pause_first_write(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_save = Application.save

        def save(instance: Application, *args: Any, **kwargs: Any) -> None:
            name = threading.current_thread().name
            if name == "first" and not self.first_paused.is_set():
                self.first_paused.set()
                self._wait_for_second()
            elif name == "second":
                self.second_at_write.set()
            real_save(instance, *args, **kwargs)

        monkeypatch.setattr(Application, "save", save)

    def _wait_for_second(self) -> None:
        self.second_started.wait(PATIENCE_SECONDS)
        deadline = time.monotonic() + PATIENCE_SECONDS
        grace = time.monotonic() + SQLITE_GRACE_SECONDS
        while time.monotonic() < deadline:
            if self.second_at_write.is_set():
                self.released_by = "at write"
            elif self.second_done.is_set():
                self.released_by = "second done"
            elif connection.vendor == "postgresql" and self._second_waits_for_me():
                self.released_by = "blocked"
            elif connection.vendor != "postgresql" and time.monotonic() > grace:
                self.released_by = "grace"
            if self.released_by:
                return
            time.sleep(0.005)

    def _second_waits_for_me(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid() = ANY(pg_blocking_pids(%s))", [self.second_pid])
            return cursor.fetchone()[0]

    def run(self, first: Callable[[], Any], second: Callable[[], Any]) -> None:
        threads = [
            threading.Thread(
                name=name,
                # Each thread gets the test's context: the workflow's frozen clock lives there.
                target=contextvars.copy_context().run,
                args=(self._runner, name, action),
            )
            for name, action in (("first", first), ("second", second))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(2 * PATIENCE_SECONDS)
            assert not thread.is_alive(), f"{thread.name} did not finish"
        assert self.first_paused.is_set(), (
            f"the first never reached Application.save: {self.errors}"
        )

    def assert_second_waited_for_the_first(self) -> None:
        # PostgreSQL shows the lock itself; on SQLite the second waited before it could begin.
        assert self.released_by == ("blocked" if connection.vendor == "postgresql" else "grace")

    def _runner(self, name: str, action: Callable[[], Any]) -> None:
        try:
            if name == "second":
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_backend_pid()")
                        self.second_pid = cursor.fetchone()[0]
                # Start only once the first holds its locks and waits to write.
                self.first_paused.wait(PATIENCE_SECONDS)
                self.second_started.set()
            self.results[name] = action()
        except BaseException as exc:  # any failure, for the test to assert on
            self.errors[name] = exc
        finally:
            if name == "second":
                self.second_done.set()
            connections.close_all()


def test_two_saves_of_one_form_at_once_both_land(monkeypatch):
    """The editing door's row lock: two tabs saving different boxes at the same moment.
    Without it both read version n, and one save is lost (or both claim version n + 1)."""
    officer = make_county_officer()
    application = make_application(officer=officer, data={"part1": {"cluster_name": "集群"}})
    colleague = make_county_officer(organisation=officer.organisation)
    version = application.version

    race = Race()
    race.pause_first_write(monkeypatch)
    race.run(
        lambda: save_changes(
            Application.objects.get(pk=application.pk),
            [Change("part1.operator", "甲管委会", None)],
            officer,
        ),
        lambda: save_changes(
            Application.objects.get(pk=application.pk),
            [Change("part1.department", "乙经信局", None)],
            colleague,
        ),
    )

    assert race.errors == {}
    assert sorted(result.version for result in race.results.values()) == [
        version + 1,
        version + 2,
    ]
    stored = Application.objects.get(pk=application.pk)
    assert stored.version == version + 2
    assert stored.data["part1"]["operator"] == "甲管委会"
    assert stored.data["part1"]["department"] == "乙经信局"
    revisions = Revision.objects.filter(application=application, version__gt=version)
    assert sorted(revisions.values_list("version", flat=True)) == [version + 1, version + 2]
    race.assert_second_waited_for_the_first()


def test_two_submissions_for_the_last_place_at_once_only_one_fits(monkeypatch):
    """The workflow's county lock: a county with one place left submits two drafts at the same
    moment. Without it both count the county's submissions before either is saved, and both fit."""
    officer = make_county_officer()
    round_ = make_round(county_limit=1)
    drafts = [
        make_application(round_=round_, officer=officer, cluster_name=name)
        for name in ("甲产业集群", "乙产业集群")
    ]

    race = Race()
    race.pause_first_write(monkeypatch)
    race.run(
        *(
            lambda draft=draft: transition(draft, ApplicationState.SUBMITTED, officer)
            for draft in drafts
        )
    )

    assert "first" in race.results
    assert list(race.errors) == ["second"]
    assert isinstance(race.errors["second"], TransitionRefused)
    assert "达到每个申报单位 1 个的上限" in race.errors["second"].message
    states = Application.objects.filter(round=round_).values_list("state", flat=True)
    assert sorted(states) == [ApplicationState.DRAFT, ApplicationState.SUBMITTED]
    race.assert_second_waited_for_the_first()
