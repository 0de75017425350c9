"""The immutable snapshot of a submission: the data, its evidence hashes, who and when.

Taken by the workflow (``workflow.MOVES``, on entering 已提交) inside the transaction that
records the move, so a submission without its snapshot, or the reverse, cannot exist.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from clusterdesk.accounts.models import User
from clusterdesk.declarations.models import Application, ApplicationEvent, Submission


def canonical_json(data: Any) -> bytes:
    """One byte string per value: keys sorted, no spaces, UTF-8 (so hashes are reproducible)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def data_sha256(data: Any) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def evidence_list(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every evidence file registered in the form, by field path, in a stable order."""
    files = []
    for path, items in sorted((data.get("evidence") or {}).items()):
        for item in items or []:
            files.append(
                {
                    "path": path,
                    "name": item.get("name"),
                    "sha256": item.get("sha256"),
                    "size": item.get("size"),
                }
            )
    return files


def take_snapshot(application: Application, event: ApplicationEvent, actor: User) -> Submission:
    """Record what ``event`` submitted. ``application`` is the locked, just-moved row."""
    data = application.data or {}
    return Submission.objects.create(
        application=application,
        event=event,
        data=data,
        evidence=evidence_list(data),
        data_sha256=data_sha256(data),
        application_version=application.version,
        submitted_at=event.at,
        submitted_by=actor,
    )
