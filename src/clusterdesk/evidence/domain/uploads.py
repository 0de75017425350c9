"""Uploading evidence: check each file, store it by content, register it against the item.

The register itself changes only through ``declarations.domain.editing`` (the one door that
locks the application, checks the editor and bumps the version); this module adds what comes
before: refusing files that are not acceptable evidence, and storing the ones that are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain.editing import EditRefused, edit_refusal
from clusterdesk.declarations.domain.evidence_register import add_evidence, quota_refusal
from clusterdesk.declarations.domain.form_paths import takes_evidence
from clusterdesk.declarations.domain.forms import form_definition
from clusterdesk.declarations.models import Application
from clusterdesk.evidence.domain.register import files_at
from clusterdesk.evidence.models import Blob, Upload
from clusterdesk.evidence.sniffing import (
    FileKind,
    RefusedFile,
    check_file,
    clean_name,
    too_large_message,
)
from clusterdesk.shared.blobstore import BlobStore, StoredBlob, default_store


@dataclass
class UploadResult:
    version: int
    added: list[str] = field(default_factory=list)  # file names
    refused: list[str] = field(default_factory=list)  # Chinese messages, one per file


def max_file_bytes() -> int:
    return settings.CLUSTERDESK_EVIDENCE_MAX_MB << 20


def upload_evidence(
    application: Application,
    path: str,
    files: Iterable[UploadedFile],
    actor: User,
    *,
    too_large: Iterable[str] = (),
    store: BlobStore | None = None,
) -> UploadResult:
    """Store and register ``files`` against the item at ``path``; a refused file does not stop
    the others. ``too_large``: names of files the upload handler already dropped for size."""
    # Checked before anything is stored; add_evidence checks again under the row lock.
    problem = edit_refusal(application, actor)
    if problem:
        raise EditRefused(problem)
    if not takes_evidence(form_definition(application), path):
        raise EditRefused("该栏目不在申报表中，不能上传佐证材料。")
    store = store or default_store()
    limit = max_file_bytes()
    result = UploadResult(version=application.version)
    result.refused += [too_large_message(clean_name(name), limit) for name in too_large]
    for upload in files:
        name = clean_name(upload.name or "")
        try:
            kind = check_file(name, upload.size or 0, upload, limit)
        except RefusedFile as refused:
            result.refused.append(refused.message)
            continue
        # Before storing: a file over the quota is refused without touching the store. Near
        # the quota only, the content's hash tells whether it is already registered (then free).
        entry = {"name": name, "size": upload.size}
        problem = quota_refusal(application.data or {}, entry)
        if problem:
            problem = quota_refusal(application.data or {}, entry | {"sha256": sha256_of(upload)})
        if problem:
            result.refused.append(problem)
            continue
        stored = store.put(upload)
        if any(entry.get("sha256") == stored.sha256 for entry in files_at(application, path)):
            result.refused.append(f"“{name}”已在本栏目的佐证材料中，未重复上传。")
            continue
        try:
            result.version = _register(
                application, path, name=name, kind=kind, stored=stored, actor=actor
            )
        except EditRefused as refused:  # the quota, checked again under the lock
            result.refused.append(refused.message)
            continue
        result.added.append(name)
    return result


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def _register(
    application: Application,
    path: str,
    *,
    name: str,
    kind: FileKind,
    stored: StoredBlob,
    actor: User,
) -> int:
    """Record the upload and put it on the register, together or not at all."""
    blob, _ = Blob.objects.get_or_create(
        sha256=stored.sha256,
        defaults={
            "size": stored.size,
            "kind": kind.key,
            "content_type": kind.content_type,
            "created_by": actor,
        },
    )
    upload, _ = Upload.objects.get_or_create(
        application=application, blob=blob, defaults={"name": name, "uploaded_by": actor}
    )
    return add_evidence(application, path, upload, actor, name=name)
