"""Reading the revisions of an application: who entered which figure, and what changed since.

Revisions are written by the editing door (``editing._locked_update``); this module only reads
them, for the history page and for imports that must not silently replace another editor's work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max

from clusterdesk.declarations.domain.forms import form_definition
from clusterdesk.declarations.models import Application, Revision
from clusterdesk.documents.package import evidence_place
from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from clusterdesk.form.definition import FormDefinition
from clusterdesk.form.loading import label_at
from clusterdesk.form.row_evidence import row_at

EVIDENCE_PREFIX = "evidence."
# A value longer than this is cut on the pages (the revision keeps it whole).
SHOWN_CHARS = 200


@dataclass(frozen=True)
class BoxChange:
    path: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    """One revision as the history page shows it."""

    version: int
    at: datetime
    actor: str
    source: str
    changes: list[BoxChange]
    source_key: str = ""  # RevisionSource value: what the page may offer (restore an import)


def latest_mark() -> int:
    """A mark for "now": revisions after it are changes made after this moment.

    Revision ids only grow, so the mark needs no clock and is the same for every application;
    a page that may lead to overwriting a form (the Word import) carries it.
    """
    return Revision.objects.aggregate(mark=Max("pk"))["mark"] or 0


def changes_since(application: Application, mark: int) -> list[tuple[BoxChange, str, datetime]]:
    """Each box changed after ``mark``, once, with its latest value, who and when."""
    latest: dict[str, tuple[BoxChange, str, datetime]] = {}
    definition = form_definition(application)
    revisions = (
        application.revisions.filter(pk__gt=mark).select_related("actor").order_by("version")
    )
    for revision in revisions:
        for change in describe(revision.changes, definition):
            latest.pop(change.path, None)  # keep the form's order of the latest change
            latest[change.path] = (change, actor_name(revision), revision.at)
    return list(latest.values())


def history(application: Application, limit: int = 20, before: int | None = None) -> list[Entry]:
    """``limit`` revisions, newest first, older than version ``before`` if given.

    A page of revisions is bounded: an import's revision holds the whole form before and after,
    so a long history is read a page at a time, never at once.
    """
    revisions = application.revisions.select_related("actor").order_by("-version")
    if before is not None:
        revisions = revisions.filter(version__lt=before)
    revisions = revisions[:limit]
    definition = form_definition(application)
    return [
        Entry(
            revision.version,
            revision.at,
            actor_name(revision),
            revision.get_source_display(),
            describe(revision.changes, definition),
            revision.source,
        )
        for revision in revisions
    ]


def describe(changes: list[dict[str, Any]], definition: FormDefinition) -> list[BoxChange]:
    return [
        BoxChange(
            change["path"],
            box_label(change["path"], definition),
            shown(change.get("before")),
            shown(change.get("after")),
        )
        for change in changes
    ]


def box_label(path: str, definition: FormDefinition = ATTACHMENT2_2023) -> str:
    """The official label of a box, with its year or part: 「集群总产值」2021年, 佐证材料·…"""
    if path.startswith(EVIDENCE_PREFIX):
        key = path.removeprefix(EVIDENCE_PREFIX)
        row = row_at(definition, key)
        if row is not None:  # a 典型案例's own files (form.row_evidence)
            return f"佐证材料·{row[0].label}{row[1] + 1}"
        part, label = evidence_place(key)
        return f"佐证材料·{part}·{label}"
    parts = path.split(".")
    years = [part for part in parts if part.isdigit() and len(part) == 4]
    label = (
        label_at(definition, tuple(parts))
        or label_at(definition, tuple(p for p in parts if p not in years))
        or path
    )
    return f"{label}（{years[0]}年）" if years else label


def shown(value: Any) -> str:
    """A stored value as a person reads it: 空, the text, or a list's files and rows in short."""
    if value in (None, "", []):
        return "空"
    if isinstance(value, bool):
        return "是（已勾选）" if value else "否（未勾选）"
    if isinstance(value, list) and all(isinstance(item, dict) and "name" in item for item in value):
        return "、".join(str(item["name"]) for item in value)  # evidence files
    if isinstance(value, list):
        return f"{len(value)} 行"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def actor_name(revision: Revision) -> str:
    user = revision.actor
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full}（{user.username}）" if full else user.username
