"""What each kind of export writes: the whole round's packages as one ZIP, the round's
Attachment 1 (Word, Excel, PDF) and the inbox list. Each builder writes to the path it is given
(the caller's temporary name) and reports its progress as (done, total).

Everything is read as the user who asked (``visible_applications``), so an export never holds
more than its owner may see.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.http import QueryDict

from clusterdesk.accounts.models import User
from clusterdesk.county.domain.documents import (
    attachment2_name,
    attachment2_pdf,
    draft_mark,
    evidence_lookup,
    title_year,
)
from clusterdesk.declarations.domain.forms import form_of
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.models import SummaryHeader as SavedHeader
from clusterdesk.documents import attachment1
from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.documents.package import build_package, safe_name
from clusterdesk.documents.pdf import convert_to_pdf
from clusterdesk.errors import DomainError
from clusterdesk.evidence.domain.register import uploaded_hashes
from clusterdesk.exports.models import ExportKind
from clusterdesk.intake.domain.desk import export_xlsx, inbox
from clusterdesk.intake.filters import InboxFilter
from clusterdesk.intake.models import PAPER_STATES
from clusterdesk.rounds.models import Round
from clusterdesk.shared.blobstore import default_store

Progress = Callable[[int, int], None]

# What the city exports of a round: what the counties filed (submitted, and accepted with what
# can follow). Drafts and applications returned for correction are not filed material.
FILED_STATES = PAPER_STATES
HASH_CHUNK = 1024 * 1024


def filed_applications(user: User, round_: Round):
    """The round's filed applications ``user`` may see, by unit and then in creation order."""
    return (
        visible_applications(user)
        .filter(round=round_, state__in=FILED_STATES)
        .select_related("organisation", "round")
        .order_by("organisation__position", "organisation_id", "created_at", "pk")
    )


def _valid_id(value: object) -> bool:
    return isinstance(value, int) and 0 < value < 2**31  # an integer column's range


def one_application(user: User, round_: Round, application_id: object) -> Application:
    """The application of the per-application kinds, as ``user`` may see it (a deleted draft
    is in no document); ``DomainError`` when there is none."""
    application = (
        visible_applications(user)
        .filter(round=round_, pk=application_id if _valid_id(application_id) else None)
        .exclude(state=ApplicationState.DELETED)
        .select_related("organisation", "round")
        .first()
    )
    if application is None:
        raise DomainError("没有找到该申报。")
    return application


def inbox_filtered(user: User, round_: Round, query: str):
    """The inbox list as the officer filtered it (``query``: the inbox page's query string);
    a filter the form refuses is a ``DomainError`` naming the field."""
    filterset = InboxFilter(QueryDict(query), queryset=inbox(user, round_))
    if not filterset.is_valid():
        problems = "；".join(
            f"{filterset.form.fields[name].label}：{'，'.join(errors)}"
            if name in filterset.form.fields
            else "，".join(errors)
            for name, errors in filterset.form.errors.items()
        )
        raise DomainError(f"筛选条件有误（{problems}），未导出。")
    return filterset.qs.order_by("organisation__position", "organisation_id", "pk")


# --- the pieces ------------------------------------------------------------------------------


def unit_header(application: Application, form) -> attachment1.SummaryHeader:
    """The header the application's unit saved for its Attachment 1, else what part 一 says."""
    saved = SavedHeader.objects.filter(
        round_id=application.round_id, organisation_id=application.organisation_id
    ).first()
    if saved is not None:
        return attachment1.SummaryHeader(saved.department, saved.contact, saved.mobile)
    return attachment1.SummaryHeader.from_applications([form])


def application_package(application: Application, out: Path, *, pdf: bool) -> None:
    """One application's electronic package (电子版), as its county downloads it."""
    form = form_of(application)
    given = {sha256 for _, sha256 in uploaded_hashes([application])}
    mark = draft_mark(application)
    build_package(
        [form],
        out,
        evidence_lookup(default_store(), given),
        header=unit_header(application, form),
        title_year=title_year(application.round),
        pdf=pdf,
        render=lambda form: render_attachment2(form, draft=mark),
    )


def round_header(user: User) -> attachment1.SummaryHeader:
    """The city's Attachment 1 of the whole round is sealed by the bureau that exports it."""
    return attachment1.SummaryHeader(department=str(user.organisation or ""))


def package_name(number: int, application: Application) -> str:
    unit = application.organisation.county or application.organisation.name
    return safe_name(f"{number}-{unit}-{application.cluster_name or '未填集群名称'}.zip")


def digest(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while chunk := stream.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- the builders ----------------------------------------------------------------------------


def build_round_zip(user: User, round_: Round, params: dict, out: Path, progress: Progress):
    """Every filed application's package (with PDFs unless ``params["pdf"]`` is false), one
    inner ZIP each, with the round's Attachment 1 and a manifest. One step per application,
    and a last one for the summary."""
    applications = list(filed_applications(user, round_))
    if not applications:
        raise DomainError("该轮次没有已提交的申报，无法导出。")
    pdf = bool(params.get("pdf", True))
    year = title_year(round_)
    total = len(applications) + 1
    progress(0, total)
    listed = []
    with (
        tempfile.TemporaryDirectory(prefix="clusterdesk-export-") as work,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        forms = []
        for number, application in enumerate(applications, start=1):
            inner = Path(work) / f"{number}.zip"
            application_package(application, inner, pdf=pdf)
            name = package_name(number, application)
            archive.write(inner, name, compress_type=zipfile.ZIP_STORED)  # already deflated
            sha256, size = digest(inner)
            inner.unlink()
            listed.append(
                {
                    "path": name,
                    "sha256": sha256,
                    "size": size,
                    "application": application.pk,
                    "unit": str(application.organisation),
                    "cluster_name": application.cluster_name,
                }
            )
            forms.append(form_of(application))
            progress(number, total)
        header = round_header(user)
        stem = safe_name(f"附件1-{year}年度推荐汇总表")
        archive.writestr(f"{stem}.docx", attachment1.render_summary_docx(forms, header, year))
        archive.writestr(f"{stem}.xlsx", attachment1.render_summary_xlsx(forms, header, year))
        manifest = {
            "title": f"{year}年度中小企业特色产业集群申报材料（全部）",
            "round": round_.name,
            "pdf_included": pdf,
            "packages": listed,
        }
        archive.writestr(
            "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        )
    progress(total, total)


def _round_forms(user: User, round_: Round):
    applications = list(filed_applications(user, round_))
    if not applications:
        raise DomainError("该轮次没有已提交的申报，无法导出。")
    return [form_of(application) for application in applications]


def build_summary(kind: str):
    def build(user: User, round_: Round, params: dict, out: Path, progress: Progress) -> None:
        progress(0, 2)
        forms = _round_forms(user, round_)
        header, year = round_header(user), title_year(round_)
        if kind == ExportKind.SUMMARY_XLSX:
            out.write_bytes(attachment1.render_summary_xlsx(forms, header, year))
        else:
            docx = attachment1.render_summary_docx(forms, header, year)
            if kind == ExportKind.SUMMARY_DOCX:
                out.write_bytes(docx)
            else:
                progress(1, 2)
                with tempfile.TemporaryDirectory(prefix="clusterdesk-export-") as work:
                    source = Path(work) / "summary.docx"
                    source.write_bytes(docx)
                    (made,) = convert_to_pdf([source], Path(work) / "pdf")
                    out.write_bytes(made.read_bytes())
        progress(2, 2)

    return build


def build_inbox(user: User, round_: Round, params: dict, out: Path, progress: Progress) -> None:
    progress(0, 1)
    listed = inbox_filtered(user, round_, params.get("query", ""))
    out.write_bytes(export_xlsx(listed.iterator(chunk_size=500)))
    progress(1, 1)


def build_application_pdf(
    user: User, round_: Round, params: dict, out: Path, progress: Progress
) -> None:
    progress(0, 1)
    out.write_bytes(attachment2_pdf(one_application(user, round_, params.get("application"))))
    progress(1, 1)


def build_application_zip(
    user: User, round_: Round, params: dict, out: Path, progress: Progress
) -> None:
    progress(0, 1)
    application = one_application(user, round_, params.get("application"))
    application_package(application, out, pdf=bool(params.get("pdf", True)))
    progress(1, 1)


BUILDERS = {
    ExportKind.ROUND_ZIP: build_round_zip,
    ExportKind.SUMMARY_DOCX: build_summary(ExportKind.SUMMARY_DOCX),
    ExportKind.SUMMARY_XLSX: build_summary(ExportKind.SUMMARY_XLSX),
    ExportKind.SUMMARY_PDF: build_summary(ExportKind.SUMMARY_PDF),
    ExportKind.INBOX_XLSX: build_inbox,
    ExportKind.APPLICATION_PDF: build_application_pdf,
    ExportKind.APPLICATION_ZIP: build_application_zip,
}

SUFFIXES = {
    ExportKind.ROUND_ZIP: "zip",
    ExportKind.SUMMARY_DOCX: "docx",
    ExportKind.SUMMARY_XLSX: "xlsx",
    ExportKind.SUMMARY_PDF: "pdf",
    ExportKind.INBOX_XLSX: "xlsx",
    ExportKind.APPLICATION_PDF: "pdf",
    ExportKind.APPLICATION_ZIP: "zip",
}


def download_name(kind: str, round_: Round, application: Application | None = None) -> str:
    year = title_year(round_)
    if kind == ExportKind.APPLICATION_PDF:
        return attachment2_name(application, "pdf")
    if kind == ExportKind.APPLICATION_ZIP:
        unit = application.organisation.county or application.organisation.name
        name = application.cluster_name or "未填集群名称"
        return safe_name(f"{year}年度集群申报材料电子版-{unit}-{name}.zip")
    stems = {
        ExportKind.ROUND_ZIP: f"{year}年度集群申报材料-全部",
        ExportKind.SUMMARY_DOCX: f"附件1-{year}年度推荐汇总表",
        ExportKind.SUMMARY_XLSX: f"附件1-{year}年度推荐汇总表",
        ExportKind.SUMMARY_PDF: f"附件1-{year}年度推荐汇总表",
        ExportKind.INBOX_XLSX: f"{round_.name}收件箱",
    }
    return safe_name(f"{stems[kind]}.{SUFFIXES[kind]}")
