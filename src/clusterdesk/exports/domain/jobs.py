"""Exports as background work: start (checked up front, nothing queued when refused), run in
the worker (progress as it goes, the file renamed into place only when complete), retry a
failed one, and find the file to serve.

The queue is Django's Tasks API (``exports.tasks.run_export``); the export row, not the queue,
holds the state the user sees, so the database and the Redis backends behave alike.
"""

from __future__ import annotations

import logging
import secrets
from functools import partial
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.documents.errors import PdfError
from clusterdesk.errors import DomainError
from clusterdesk.exports.domain.builders import (
    BUILDERS,
    SUFFIXES,
    digest,
    download_name,
    filed_applications,
    inbox_filtered,
    one_application,
)
from clusterdesk.exports.models import STALE_AFTER, Export, ExportKind, ExportStatus
from clusterdesk.exports.permissions import USE
from clusterdesk.rounds.models import Round
from clusterdesk.shared.storage import (
    StoredFileMissing,
    export_storage,
    open_verified,
    whole_file,
)

log = logging.getLogger(__name__)

QUEUE_DOWN = "后台任务队列暂时不可用，导出未能开始。请稍后点击“重试”。"
PER_APPLICATION = (ExportKind.APPLICATION_PDF, ExportKind.APPLICATION_ZIP)
INTERNAL = "导出失败：服务器内部错误，已记入日志。请点击“重试”；如仍失败，请联系系统管理员。"


def export_dir() -> Path:
    """The local export directory (CLUSTERDESK_EXPORT_DIR); with object storage the files are
    in the ``exports`` store instead (``shared.storage``)."""
    return Path(settings.CLUSTERDESK_EXPORT_DIR)


def user_exports(user: User) -> QuerySet[Export]:
    """The exports ``user`` started: nobody sees another's (an admin neither)."""
    return Export.objects.filter(user=user).select_related("round")


# --- starting ---------------------------------------------------------------------------------


def start_export(user: User, round_: Round, kind: str, params: dict | None = None) -> Export:
    """Queue an export, or refuse it in Chinese (``DomainError``) with nothing queued: the user
    may not export, the kind is unknown, the round has nothing filed, or the inbox filters
    select nothing. The task is enqueued once the row is committed (a Redis worker could
    otherwise look for it first)."""
    problem = USE.refusal(user)
    if problem:
        raise DomainError(problem)
    if kind not in ExportKind.values:
        raise DomainError("没有这种导出内容。")
    params = dict(params or {})
    application = None
    if kind in PER_APPLICATION:
        application = one_application(user, round_, params.get("application"))
    elif kind == ExportKind.INBOX_XLSX:
        if not inbox_filtered(user, round_, params.get("query", "")).exists():
            raise DomainError("收件箱中没有符合筛选条件的申报，未导出。")
    elif not filed_applications(user, round_).exists():
        raise DomainError(f"“{round_.name}”尚无已提交的申报，没有可导出的材料。")
    export = Export.objects.create(
        user=user,
        round=round_,
        kind=kind,
        params=params,
        file_name=download_name(kind, round_, application),
    )
    transaction.on_commit(partial(enqueue, export.pk))
    return export


def enqueue(export_id: int) -> None:
    """Hand the export to the queue; a queue that cannot be reached fails the export with a
    message the user can act on (重试) instead of leaving it queued forever."""
    from clusterdesk.exports.tasks import run_export  # noqa: PLC0415 - tasks imports this module

    try:
        result = run_export.using(queue_name=settings.CLUSTERDESK_TASKS_QUEUE).enqueue(export_id)
    except Exception:
        log.exception("export %s: the task queue refused it", export_id)
        Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
            status=ExportStatus.FAILED, message=QUEUE_DOWN, finished_at=timezone.now()
        )
        return
    Export.objects.filter(pk=export_id).update(task_id=str(result.id)[:64])


def retry(user: User, export_id: int) -> Export:
    """Queue a failed (or stuck, ``Export.retryable``) export of ``user`` again: the same row,
    progress back to 0. Should the stuck task still run, whichever task claims the row first
    builds the file and the other stops."""
    export = user_exports(user).filter(pk=export_id).first()
    if export is None:
        raise Export.DoesNotExist
    since = timezone.now() - STALE_AFTER
    stale = Q(status=ExportStatus.RUNNING, started_at__lt=since) | Q(
        status=ExportStatus.QUEUED, created_at__lt=since
    )
    changed = Export.objects.filter(Q(status=ExportStatus.FAILED) | stale, pk=export.pk).update(
        status=ExportStatus.QUEUED,
        done=0,
        total=0,
        message="",
        started_at=None,
        finished_at=None,
    )
    if not changed:  # someone (another tab) retried it already, or it never failed
        raise DomainError("只有失败（或长时间未完成）的导出可以重试。")
    transaction.on_commit(partial(enqueue, export.pk))
    export.refresh_from_db()
    return export


# --- running (in the worker) ------------------------------------------------------------------


def report_progress(export_id: int, done: int, total: int) -> None:
    Export.objects.filter(pk=export_id).update(done=done, total=total)


def run(export_id: int) -> None:
    """Build the export's file. Claims the row first (queued → running), so a task delivered
    twice runs once; any failure is recorded on the row in Chinese, never raised to the queue."""
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return
    export = Export.objects.select_related("user", "round").get(pk=export_id)
    relative = f"{export.pk}-{secrets.token_hex(8)}.{SUFFIXES[export.kind]}"
    build = BUILDERS[export.kind]
    try:
        # The file is written under a temporary name (a hidden file in the export directory,
        # or a local file uploaded when done) and appears under ``relative`` only when
        # complete: whatever the store holds under that name is whole.
        with whole_file(export_storage(), relative) as temporary:
            build(
                export.user,
                export.round,
                export.params,
                temporary,
                partial(report_progress, export.pk),
            )
            sha256, size = digest(temporary)
    except (DomainError, PdfError) as refused:
        _fail(export, refused.message)
        return
    except Exception:
        log.exception("export %s (%s) failed", export.pk, export.kind)
        _fail(export, INTERNAL)
        return
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE,
        done=F("total"),
        file_path=relative,
        sha256=sha256,
        size=size,
        message="",
        finished_at=timezone.now(),
    )


def _fail(export: Export, message: str) -> None:
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.FAILED, message=message, finished_at=timezone.now()
    )


# --- serving ----------------------------------------------------------------------------------


class ExportFileGone(LookupError):
    """The export was finished, but its file is no longer whole in the store (removed, cut)."""


def servable(export: Export) -> bool:
    """Whether the export has a complete file, from the database alone: the worker records
    ``file_path``, ``size`` and ``sha256`` (status ``done``) only once the file is whole in the
    store. The list and the progress ask this for every row, and with object storage a look
    at the store would be one request per row; the download checks the file itself."""
    return export.status == ExportStatus.DONE and bool(export.file_path) and export.size is not None


def open_export(export: Export) -> BinaryIO | None:
    """The export's file to hand out, checked against the size and SHA-256 recorded when it was
    made; None when it is not finished. ``ExportFileGone`` when the store no longer has it
    whole, ``StoredFileCorrupt`` when the content was changed."""
    if not servable(export):
        return None
    try:
        return open_verified(export_storage(), export.file_path, export.sha256, size=export.size)
    except StoredFileMissing:  # StoredFileIncomplete included: a cut file is no file
        raise ExportFileGone(export.file_path) from None
