"""Reading the evidence register (``Application.data["evidence"]``) and the access rule for
files: a user reaches a file only through an application visible to them whose register names
that file *and* to which that file was uploaded (an ``Upload``), so a hash seen elsewhere opens
nothing, even if it reached a register by a way this rule did not foresee."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain.forms import form_definition, form_of
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.models import Application
from clusterdesk.evidence.models import Blob, Upload
from clusterdesk.form.row_evidence import row_items
from clusterdesk.form.walk import walk

OTHER = "其他栏目"


@dataclass(frozen=True)
class Item:
    path: str
    label: str
    files: list[dict[str, Any]]


@dataclass(frozen=True)
class Part:
    title: str
    items: list[Item]

    @property
    def file_count(self) -> int:
        return sum(len(item.files) for item in self.items)


def register_of(application: Application) -> dict[str, list[dict[str, Any]]]:
    register = (application.data or {}).get("evidence") or {}
    return register if isinstance(register, dict) else {}


def files_at(application: Application, path: str) -> list[dict[str, Any]]:
    return list(register_of(application).get(path) or [])


def entry_for(application: Application, sha256: str) -> dict[str, Any] | None:
    """The first register entry of this file (its name as uploaded there), if any."""
    for files in register_of(application).values():
        for entry in files:
            if entry.get("sha256") == sha256:
                return entry
    return None


def visible_application(user: User, application_id: int) -> Application | None:
    return visible_applications(user).filter(pk=application_id).first()


def visible_file(
    user: User, application_id: int, sha256: str
) -> tuple[Application, dict[str, Any], Blob] | None:
    """The application, register entry and blob of a file ``user`` may open, else None."""
    application = visible_application(user, application_id)
    entry = application and entry_for(application, sha256)
    if not entry:
        return None
    blob = Blob.objects.filter(sha256=sha256, uploads__application=application).first()
    return (application, entry, blob) if blob else None


def uploaded_hashes(applications: list[Application]) -> set[tuple[int, str]]:
    """(application id, SHA-256) of every file given to these applications, in one query."""
    return set(
        Upload.objects.filter(application__in=applications).values_list("application_id", "blob_id")
    )


def register_by_part(application: Application) -> list[Part]:
    """Every item with evidence, grouped by part in the form's order, with official labels."""
    register = {path: files for path, files in register_of(application).items() if files}
    parts: dict[str, list[Item]] = {}
    definition = form_definition(application)
    titles = definition.page_titles
    form = form_of(application)
    rows = dict(row_items(definition, form))  # 典型案例N: files filed under each row
    for node in walk(definition, form):
        paths = [node.path]
        if rows:
            paths += [path for path in rows if path.startswith(f"{node.path}.")]
        for path in paths:
            if path not in register:
                continue
            label = rows.get(path) or "·".join((*node.context[1:], node.label))
            page = definition.page_of(path) or ""
            item = Item(path, label, register.pop(path))
            parts.setdefault(titles.get(page, OTHER), []).append(item)
    for path, files in sorted(register.items()):  # paths the form no longer has
        parts.setdefault(OTHER, []).append(Item(path, path, files))
    return [Part(title, items) for title, items in parts.items()]
