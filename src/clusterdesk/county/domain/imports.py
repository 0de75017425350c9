"""从Word导入: a filled Attachment 2 read into a new draft or an existing one.

The document's answers replace the form through the editing door; its evidence list is only
reported, and an import never replaces what another editor saved after the page was opened.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import transaction

from clusterdesk.accounts.models import User
from clusterdesk.county.domain.board import new_draft
from clusterdesk.declarations.domain.editing import edit_refusal, max_form_bytes, replace_form
from clusterdesk.declarations.domain.forms import form_definition
from clusterdesk.declarations.domain.history import (
    EVIDENCE_PREFIX,
    BoxChange,
    box_label,
    changes_since,
)
from clusterdesk.declarations.domain.values import changed_boxes, get_path
from clusterdesk.declarations.models import Application
from clusterdesk.documents.annual_parse import parse_annual
from clusterdesk.documents.attachment2_parse import ParseResult, parse_attachment2
from clusterdesk.documents.import_report import ParseReport, part_of, place, shown
from clusterdesk.errors import DomainError
from clusterdesk.evidence.sniffing import clean_name
from clusterdesk.form.annual.schema import AnnualReport
from clusterdesk.form.schema import Application as Form
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
    parsed = _parsed_for(source, user, application)
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


def _parsed_for(source: bytes, user: User, application: Application | None) -> ParseResult:
    """The file read for ``application`` (None: a new draft), refused before reading when the
    user may not edit it; the declaration unticked, whatever the file says."""
    if application is not None:
        problem = edit_refusal(application, user)
        if problem:
            raise DomainError(problem)
    if application is not None and _is_annual(application):
        # A 年度发展情况报告 imports into its report (a new one is started on the 年度报告 page).
        annual = parse_annual(source)
        return ParseResult(annual.report, annual.log)  # type: ignore[arg-type]
    parsed = parse_attachment2(source)
    parsed.application.part9.accepted = False  # the officer declares in the web form only
    return parsed


def _is_annual(application: Application) -> bool:
    return application.round.form_version.startswith("annual-")


def named_files(listed: dict[str, list[EvidenceFile]], application: Application) -> list[NamedFile]:
    """The files a document lists that ``application``'s register does not have by that name."""
    register = (application.data or {}).get("evidence") or {}
    definition = form_definition(application)
    missing = []
    for path, files in listed.items():
        have = {entry.get("name") for entry in register.get(path) or []}
        place = box_label(EVIDENCE_PREFIX + path, definition)
        for file in files:
            name = clean_name(file.name)
            if name not in have:
                missing.append(NamedFile(path, place, name))
    return missing


# ---------------------------------------------------------------- into an existing draft: ask first

KEEP_OR_REMOVE = ("keep", "remove")
ADDED, CHANGED, EMPTIED = "新增", "修改", "清空"


@dataclass(frozen=True)
class FieldChange:
    path: str
    label: str  # part · official label · year, as the import report names it
    before: str  # as the form shows it (form.display)
    after: str
    how: str  # 新增 / 修改 / 清空


@dataclass(frozen=True)
class EvidenceAtRisk:
    """Evidence on the register of a box that the import unticks or empties."""

    path: str
    place: str
    files: str  # the names on the register
    before: str
    after: str


@dataclass
class ImportPreview:
    application: Application
    data: dict  # the form the import would store (JSON), kept server-side until confirmed
    report: ParseReport
    version: int  # the application's version the preview was made against
    parts: list[tuple[str, list[FieldChange]]]
    evidence: list[EvidenceAtRisk]
    named_files: list[NamedFile] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {CHANGED: 0, ADDED: 0, EMPTIED: 0}
        for _, changes in self.parts:
            for change in changes:
                counts[change.how] += 1
        return counts


def _blank(value: object) -> bool:
    return value in (None, "", [], {})


def form_changes(before: dict, after: dict) -> list[tuple[str, list[FieldChange]]]:
    """What storing ``after`` over ``before`` changes, box by box, grouped by part in the
    form's order (the evidence register is not the import's: it is listed apart)."""
    groups: dict[str, list[FieldChange]] = {}
    for change in changed_boxes(before, after):
        path = change["path"]
        if path.startswith(EVIDENCE_PREFIX) or path == "form_version":
            continue
        old, new = change["before"], change["after"]
        if _blank(old) and _blank(new):
            continue
        how = ADDED if _blank(old) else EMPTIED if _blank(new) else CHANGED
        groups.setdefault(part_of(path), []).append(
            FieldChange(path, place(path), shown(path, old), shown(path, new), how)
        )
    return list(groups.items())


def _unticks(old: object, new: object) -> bool:
    chosen = (True, "是")
    return (old in chosen and new not in chosen) or (not _blank(old) and _blank(new))


def evidence_at_risk(before: dict, after: dict) -> list[EvidenceAtRisk]:
    """Register entries whose box the import unticks (or empties): the officer keeps or
    removes each on the confirmation page; none is kept or dropped silently."""
    out = []
    for path, files in (before.get("evidence") or {}).items():
        if not files:
            continue
        old, new = get_path(before, path), get_path(after, path)
        if _unticks(old, new):
            names = "、".join(str(entry.get("name")) for entry in files)
            out.append(
                EvidenceAtRisk(
                    path,
                    box_label(EVIDENCE_PREFIX + path),
                    names,
                    shown(path, old),
                    shown(path, new),
                )
            )
    return out


def _current_form(application: Application) -> dict:
    model = AnnualReport if _is_annual(application) else Form
    return model.model_validate(application.data or {}).model_dump(mode="json")


def preview_import(
    source: bytes, user: User, application: Application, *, seen: int | None = None
) -> ImportPreview:
    """Read the file and say what importing it into ``application`` would change; nothing is
    saved. Refused like ``import_word`` (a bad file, a draft that may not be edited, a draft
    changed since ``seen``)."""
    parsed = _parsed_for(source, user, application)
    if seen is not None:
        changes = changes_since(application, seen)
        if changes:
            raise ImportConflict(changes)
    before = _current_form(application)
    after = parsed.application.model_dump(mode="json")
    after["evidence"] = before.get("evidence") or {}
    if len(json.dumps(after, ensure_ascii=False).encode()) > max_form_bytes():
        raise DomainError("导入的申报表数据过大，超过系统上限，未导入。请精简过长的文字或清单。")
    return ImportPreview(
        application,
        after,
        parsed.report,
        application.version,
        form_changes(before, after),
        evidence_at_risk(before, after),
        named_files(parsed.application.evidence, application),
    )


def confirm_import(
    application: Application, user: User, data: dict, version: int, choices: dict[str, str]
) -> int:
    """Store a previewed import (``data``) in place of the form, through the editing door.

    Refused with ``editing.StaleForm`` when the application changed after the preview (``version``);
    ``choices`` says for each register entry at risk (``evidence_at_risk``) whether the officer
    keeps it ("keep") or takes it off the register ("remove"); one without a choice refuses the
    import, so that none is kept or dropped silently. The previous data stays in the revision
    history, from which ``declarations.domain.restore`` can bring it back. Returns the new
    version.
    """
    if _is_annual(application):
        form = AnnualReport.model_validate(data)
    else:
        form = Form.model_validate(data)
        form.part9.accepted = False
    at_risk = evidence_at_risk(_current_form(application), data)
    undecided = [item.place for item in at_risk if choices.get(item.path) not in KEEP_OR_REMOVE]
    if undecided:
        raise DomainError(
            "请为导入后不再勾选的栏目中的佐证材料逐项选择“保留”或“移出目录”："
            + "、".join(undecided)
        )
    dropped = [item.path for item in at_risk if choices[item.path] == "remove"]
    return replace_form(application, form, user, expected_version=version, drop_evidence=dropped)
