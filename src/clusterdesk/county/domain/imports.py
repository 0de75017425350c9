"""从Word导入: a filled Attachment 2 read into a new draft or an existing one.

The document's answers replace the form through the editing door; its evidence list is only
reported, and an import never replaces what another editor saved after the page was opened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from clusterdesk.accounts.models import User
from clusterdesk.county.domain.board import new_draft
from clusterdesk.declarations.domain.editing import edit_refusal, replace_form
from clusterdesk.declarations.domain.history import (
    EVIDENCE_PREFIX,
    BoxChange,
    box_label,
    changes_since,
)
from clusterdesk.declarations.models import Application
from clusterdesk.documents.attachment2_parse import parse_attachment2
from clusterdesk.documents.import_report import ParseReport
from clusterdesk.errors import DomainError
from clusterdesk.evidence.sniffing import clean_name
from clusterdesk.form.schema.common import EvidenceFile
from clusterdesk.rounds.models import Round


@dataclass(frozen=True)
class NamedFile:
    """An evidence file the imported document lists: to be uploaded, not taken on trust."""

    path: str
    place: str  # 佐证材料·part·item, as the history shows it
    name: str


@dataclass(frozen=True)
class ImportOutcome:
    application: Application
    report: ParseReport
    created: bool
    named_files: list[NamedFile] = field(default_factory=list)


class ImportConflict(DomainError):
    """The draft changed after the importer opened the import page; ``changes`` says how."""

    def __init__(self, changes: list[tuple[BoxChange, str, dt.datetime]]) -> None:
        super().__init__(
            f"打开导入页面后，该草稿又有 {len(changes)} 项被修改（见下表）。导入会用文档内容覆盖"
            "这些修改；请核对后重新选择文件导入，或先返回草稿查看。"
        )
        self.changes = changes


def import_word(
    source: bytes,
    user: User,
    *,
    application: Application | None = None,
    round_: Round | None = None,
    seen: int | None = None,
) -> ImportOutcome:
    """Read a filled Attachment 2 into ``application``, or into a new draft of ``round_``.

    The file is parsed before anything is written; a bad file raises ``DocumentInputError``, a
    refused target ``DomainError``, and in each case nothing is saved. ``seen`` is the revision
    mark (``history.latest_mark``) of when the importer opened the page: if the draft changed
    after it, the import is refused with ``ImportConflict`` listing those changes, so that an
    import never silently replaces another editor's saves.

    The evidence the document lists (its appendix names files and their hashes) is not taken:
    a register names only files uploaded to the application, so the outcome lists the named
    files that are not on the register yet, for the officer to upload.
    """
    if (application is None) == (round_ is None):
        raise ValueError("import_word needs either an application or a round")
    if application is not None:
        problem = edit_refusal(application, user)
        if problem:
            raise DomainError(problem)
    parsed = parse_attachment2(source)
    with transaction.atomic():
        created = application is None
        if application is not None and seen is not None:
            # Locked, so that no save slips in between this check and the import.
            Application.objects.select_for_update().filter(pk=application.pk).first()
            changes = changes_since(application, seen)
            if changes:
                raise ImportConflict(changes)
        target = application if application is not None else new_draft(round_, user)
        replace_form(target, parsed.application, user)
    return ImportOutcome(
        target, parsed.report, created, named_files(parsed.application.evidence, target)
    )


def named_files(listed: dict[str, list[EvidenceFile]], application: Application) -> list[NamedFile]:
    """The files a document lists that ``application``'s register does not have by that name."""
    register = (application.data or {}).get("evidence") or {}
    missing = []
    for path, files in listed.items():
        have = {entry.get("name") for entry in register.get(path) or []}
        place = box_label(EVIDENCE_PREFIX + path)
        for file in files:
            name = clean_name(file.name)
            if name not in have:
                missing.append(NamedFile(path, place, name))
    return missing
