"""The cross-application checks (交叉比对) kept up to date: every application's latest submission
snapshot, of every round, in one ``form.overlap.OverlapIndex``; its flags stored as rows.

When an application is submitted or resubmitted, ``index_move`` (registered in
``workflow.AFTER_EVERY_MOVE``) queues the new snapshot's indexing once the move commits, and the
background worker (``manage.py exports_worker``, which keeps the index warm in its memory) runs
``index_application``: the application's
earlier entry and flags are replaced, so a resubmission that drops a copied passage clears its
flag. Applications keep their entry whatever happens next (returned, accepted, revoked: their
text stays what was declared); only a deleted draft, never submitted, has none.

Several workers: the index lives in each worker's memory, and the database says what it must
hold. Every change takes the next ``OverlapState.seq`` while that row is locked
(SELECT … FOR UPDATE), and records it on the application's ``OverlapEntry``; a worker first
applies the entries changed since its own ``seq`` (re-reading their snapshots), then compares.
So two submissions at once are compared one after the other, each against the other too. A
worker that starts, is far behind, or sees another ``generation`` (a rebuild) reads everything
again. ``rebuild()`` (``manage.py overlap_rebuild``) recomputes all from the snapshots.

The city's dismissals (``OverlapDismissal``) are matched by the flag's ``signature``, so they
survive both.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, ApplicationEvent, Submission
from clusterdesk.form.overlap import Flag, FlagKind, OverlapIndex, folded, name_key
from clusterdesk.intake.models import OverlapDismissal, OverlapEntry, OverlapFlag, OverlapState

log = logging.getLogger(__name__)

# Entries a worker applies one by one to catch up; further behind, it reads everything again.
CATCH_UP = 200
CHUNK = 100  # snapshots read at once (each holds a whole form)
VALUE_MAX = 200
PLACE_MAX = 300


@dataclass
class _Cache:
    generation: str
    seq: int
    index: OverlapIndex


class _Worker:
    """This worker's index (None until first used, or after a failure: read again then)."""

    cache: _Cache | None = None


_worker = _Worker()
# The threads of one worker share its index; the row lock orders the workers.
_thread_lock = threading.RLock()


@dataclass(frozen=True)
class Rebuilt:
    applications: int  # indexed
    flags: int
    dismissed: int  # of the flags, dismissed by the city earlier (kept by signature)
    unreadable: list[str]  # applications whose snapshot the form schema cannot read


# --- the hook ---------------------------------------------------------------------------------


def index_move(application: Application, event: ApplicationEvent, actor: User) -> None:
    """Registered in ``workflow.AFTER_EVERY_MOVE``: after 提交 or 重新提交 (and a move to 已删除,
    should an indexed application ever make it) has committed, the index follows. After the
    commit, so that a move that fails indexes nothing and the lock is not held by the move;
    ``robust``: a failure here is logged and never undoes the submission (``overlap_rebuild``
    repairs the index)."""
    concerned = event.to_state == ApplicationState.SUBMITTED or (
        event.to_state == ApplicationState.DELETED
        and OverlapEntry.objects.filter(application_id=application.pk).exists()
    )
    if concerned:
        pk = application.pk

        # Queued, not run here: a worker that has just started reads every snapshot first
        # (seconds at a thousand applications), and the county's submit must not wait for it.
        # A function, not a partial: Django names a robust callback that failed by its
        # __qualname__, which a partial lacks.
        def index_after_commit() -> None:
            from clusterdesk.intake.tasks import index_submission  # noqa: PLC0415

            index_submission.using(queue_name=settings.CLUSTERDESK_TASKS_QUEUE).enqueue(pk)

        transaction.on_commit(index_after_commit, robust=True)


def index_application(pk: int) -> list[OverlapFlag]:
    """Index application ``pk``'s latest submission (or take it out when it has none), replacing
    its flags; answers its flags now."""
    with _thread_lock:
        try:
            with transaction.atomic():
                state = _locked_state()
                index = _synced(state)
                application = (
                    Application.objects.select_related("round", "organisation")
                    .defer("data")
                    .filter(pk=pk)
                    .first()
                )
                submission = _latest(pk) if application is not None else None
                flags: list[Flag] = []
                if submission is None or application is None:
                    index.remove(_key(pk))
                else:
                    flags = _add(index, application, submission) or []
                    if _key(pk) not in index:
                        submission = None  # unreadable: not in the index
                OverlapFlag.objects.filter(Q(earlier_id=pk) | Q(later_id=pk)).delete()
                rows = _store(flags)
                state.seq += 1
                state.save(update_fields=["seq"])
                if application is not None:
                    OverlapEntry.objects.update_or_create(
                        application_id=pk, defaults={"submission": submission, "seq": state.seq}
                    )
                if _worker.cache is not None:
                    _worker.cache.seq = state.seq
        except BaseException:
            _worker.cache = None  # the memory may hold what the database rolled back
            raise
    return rows


def rebuild() -> Rebuilt:
    """Recompute the index and every flag from the snapshots, from scratch (dismissals stay)."""
    with _thread_lock, _no_collection():
        try:
            with transaction.atomic():
                state = _locked_state()
                index = OverlapIndex()
                flags: list[Flag] = []
                unreadable: list[str] = []
                entries: list[OverlapEntry] = []
                latest = _latest_query()
                applications = (
                    Application.objects.select_related("round", "organisation")
                    .defer("data")
                    .annotate(latest_id=Subquery(latest.values("pk")[:1]))
                    .annotate(latest_at=Subquery(latest.values("submitted_at")[:1]))
                    .filter(latest_id__isnull=False)
                    .order_by("latest_at", "pk")
                )
                pairs = ((app, app.latest_id) for app in applications.iterator(chunk_size=CHUNK))
                for application, submission in _with_snapshots(pairs):
                    found = _add(index, application, submission)
                    if found is None:
                        unreadable.append(_label(application))
                    flags += found or []
                    indexed = _key(application.pk) in index
                    entries.append(
                        OverlapEntry(
                            application=application,
                            submission=submission if indexed else None,
                            seq=len(entries) + 1,
                        )
                    )
                OverlapFlag.objects.all().delete()
                OverlapEntry.objects.all().delete()
                rows = _store(flags)
                OverlapEntry.objects.bulk_create(entries, batch_size=500)
                state.generation = uuid.uuid4().hex
                state.seq = len(entries)
                state.save(update_fields=["generation", "seq"])
                _worker.cache = _Cache(state.generation, state.seq, index)
        except BaseException:
            _worker.cache = None
            raise
    dismissed = sum(1 for row in rows if row.dismissal_id is not None)
    return Rebuilt(len(index), len(rows), dismissed, unreadable)


def forget_cache() -> None:
    """Drop this worker's index (it is read again on next use): for tests and the bench."""
    with _thread_lock:
        _worker.cache = None


# --- signatures -------------------------------------------------------------------------------


def signature(flag: Flag) -> str:
    """What a flag is, whichever application came first: the two applications and, for a
    passage, the two places and passages (punctuation and width ignored); for an identifier,
    the identifier. A dismissal keyed by it holds for the same finding found again."""
    pair = sorted([flag.earlier, flag.later], key=lambda side: int(side.key))
    if flag.kind is FlagKind.TEXT:
        basis: list[object] = [flag.kind.value, [[s.key, s.place, folded(s.text)] for s in pair]]
    else:
        basis = [flag.kind.value, flag.value, [s.key for s in pair]]
    text = json.dumps(basis, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# --- inside -----------------------------------------------------------------------------------


def _key(pk: int) -> str:
    return str(pk)


def _label(application: Application) -> str:
    name = getattr(application, "indexed_name", "") or "（未填集群名称）"
    return f"{name}（{application.organisation} · {application.round}）"


def _latest_query():
    return Submission.objects.filter(application=OuterRef("pk")).order_by("-submitted_at", "-pk")


def _latest(pk: int) -> Submission | None:
    return Submission.objects.filter(application_id=pk).order_by("-submitted_at", "-pk").first()


def _locked_state() -> OverlapState:
    """The index's row, locked until the transaction ends (created on first use)."""
    state = OverlapState.objects.select_for_update().filter(pk=1).first()
    if state is None:
        OverlapState.objects.get_or_create(pk=1, defaults={"generation": uuid.uuid4().hex})
        state = OverlapState.objects.select_for_update().get(pk=1)
    return state


def _synced(state: OverlapState) -> OverlapIndex:
    """This worker's index brought to ``state``: the entries changed since, or all of them."""
    cache = _worker.cache
    fresh = (
        cache is not None
        and cache.generation == state.generation
        and cache.seq <= state.seq
        and state.seq - cache.seq <= CATCH_UP
    )
    if cache is None or not fresh:
        cache = _Cache(state.generation, state.seq, load())
    elif cache.seq < state.seq:
        changed = list(
            OverlapEntry.objects.filter(seq__gt=cache.seq)
            .select_related("application__round", "application__organisation")
            .defer("application__data")
            .order_by("seq")
        )
        gone = [entry.application_id for entry in changed if entry.submission_id is None]
        for pk in gone:
            cache.index.remove(_key(pk))
        pairs = ((e.application, e.submission_id) for e in changed if e.submission_id)
        for application, submission in _with_snapshots(pairs):
            _add(cache.index, application, submission)
        cache.seq = state.seq
    _worker.cache = cache
    return cache.index


def load() -> OverlapIndex:
    """An index of every entry the database holds, in the order they were indexed (what a
    worker does on first use; the flags it finds on the way are already stored)."""
    index = OverlapIndex()
    entries = (
        OverlapEntry.objects.filter(submission__isnull=False)
        .select_related("application__round", "application__organisation")
        .defer("application__data")
        .order_by("seq")
    )
    pairs = ((e.application, e.submission_id) for e in entries.iterator(chunk_size=CHUNK))
    with _no_collection():
        for application, submission in _with_snapshots(pairs):
            _add(index, application, submission)
    return index


@contextmanager
def _no_collection() -> Iterator[None]:
    """No cyclic garbage collection while the whole index is built: it allocates hundreds of
    thousands of small objects that live on (each claim), none in a cycle, and the collector
    would walk them again and again (a third of the time). Reference counting still frees."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _with_snapshots(
    pairs: Iterable[tuple[Application, int]],
) -> Iterator[tuple[Application, Submission]]:
    """Each (application, submission id) with its submission read, ``CHUNK`` at a time (a
    snapshot is a whole form: never all of them in memory at once)."""
    batch: list[tuple[Application, int]] = []
    for pair in [*pairs, None]:
        if pair is not None:
            batch.append(pair)
            if len(batch) < CHUNK:
                continue
        if not batch:
            break
        found = Submission.objects.only("pk", "data", "application_id").in_bulk(
            [pk for _, pk in batch]
        )
        for application, pk in batch:
            if pk in found:
                yield application, found[pk]
        batch = []


def _add(
    index: OverlapIndex, application: Application, submission: Submission
) -> list[Flag] | None:
    """Index ``submission`` as ``application``'s entry; None (and out of the index) when the
    form schema cannot read it (e.g. a snapshot of an older form version)."""
    data = submission.data if isinstance(submission.data, dict) else {}
    part1 = data.get("part1") if isinstance(data.get("part1"), dict) else {}
    name = part1.get("cluster_name") if isinstance(part1.get("cluster_name"), str) else ""
    application.indexed_name = name
    # One cluster applying again in a later round (the same unit, the same name) is not
    # compared with itself.
    family = f"{application.organisation_id}:{name_key(name)}" if name_key(name) else None
    try:
        return index.add(_key(application.pk), _label(application), data, family=family)
    except ValueError:  # pydantic's ValidationError: not a form of this schema
        index.remove(_key(application.pk))
        log.warning("交叉比对：申报 %s 的提交快照无法按申报表读取，未纳入比对", application.pk)
        return None


def _store(flags: list[Flag]) -> list[OverlapFlag]:
    """The flags as rows, each linked to the dismissal of its signature if the city made one."""
    if not flags:
        return []
    signed = [(flag, signature(flag)) for flag in flags]
    dismissals = dict(
        OverlapDismissal.objects.filter(signature__in={sig for _, sig in signed}).values_list(
            "signature", "pk"
        )
    )
    now = clock.now()
    rows = [
        OverlapFlag(
            kind=flag.kind.value,
            value=flag.value[:VALUE_MAX],
            earlier_id=int(flag.earlier.key),
            later_id=int(flag.later.key),
            earlier_place=flag.earlier.place[:PLACE_MAX],
            earlier_text=flag.earlier.text,
            earlier_start=flag.earlier.start,
            earlier_end=flag.earlier.end,
            later_place=flag.later.place[:PLACE_MAX],
            later_text=flag.later.text,
            later_start=flag.later.start,
            later_end=flag.later.end,
            signature=sig,
            found_at=now,
            dismissal_id=dismissals.get(sig),
        )
        for flag, sig in signed
    ]
    return OverlapFlag.objects.bulk_create(rows, batch_size=500)
