"""The official documents of a county: Attachment 2 per application, Attachment 1 and the package.

Which applications Attachment 1 and the package list: the county's applications of the round
that were submitted (every state but 草稿 and 已删除), in creation order — that is what the county
declares and seals. Before anything is submitted they list the drafts instead, as a preview, so the
county can check the layout early; the dashboard says which of the two it is.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.timezone import localtime

from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain.forms import application_summary, form_definition, form_of
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, Submission, SummaryHeader
from clusterdesk.documents import attachment1
from clusterdesk.documents.annual_render import render_annual
from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.documents.draft import DraftMark
from clusterdesk.documents.package import (
    EvidenceStore,
    PackageResult,
    build_package,
    safe_name,
)
from clusterdesk.documents.pdf import convert_to_pdf
from clusterdesk.errors import DomainError
from clusterdesk.evidence.domain.register import uploaded_hashes
from clusterdesk.form.annual.schema import AnnualReport
from clusterdesk.form.loading import application_from_data
from clusterdesk.form.schema import Application as Form
from clusterdesk.form.schema.common import EvidenceFile
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round
from clusterdesk.shared.blobstore import BlobStore, default_store

# 手机 in the notice; a landline with its area code is accepted too (part 一 often holds one).
MOBILE = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$",
    "手机应为 11 位手机号码（如 13800000000），或带区号的固定电话（如 0574-89292019）。",
)


# --- which applications ---------------------------------------------------------------------


@dataclass(frozen=True)
class SummarySelection:
    applications: list[Application]
    preview: bool  # nothing submitted yet: the drafts are listed

    @property
    def forms(self) -> list[Form]:
        return [form_of(application) for application in self.applications]


def summary_selection(user: User, round_: Round) -> SummarySelection:
    """The user's own applications of ``round_`` for Attachment 1 (scoped by the query)."""
    mine = list(
        visible_applications(user)
        .filter(round=round_)
        .exclude(state=ApplicationState.DELETED)  # a deleted draft is in no document
        .order_by("created_at", "pk")
    )
    submitted = [app for app in mine if app.state != ApplicationState.DRAFT]
    if submitted:
        return SummarySelection(submitted, preview=False)
    return SummarySelection(mine, preview=True)


# --- the header ------------------------------------------------------------------------------


def summary_header(user: User, round_: Round, forms: Sequence[Form]) -> attachment1.SummaryHeader:
    """The saved header of the user's unit, else what its applications agree on (part 一)."""
    saved = SummaryHeader.objects.filter(round=round_, organisation_id=user.organisation_id).first()
    if saved is not None:
        return attachment1.SummaryHeader(saved.department, saved.contact, saved.mobile)
    return attachment1.SummaryHeader.from_applications(forms)


def save_summary_header(
    user: User, round_: Round, *, department: str, contact: str, mobile: str
) -> SummaryHeader:
    """Store the header for the user's own unit; ``ValidationError`` names a wrong field."""
    if user.organisation_id is None or not user.organisation.is_county_level:
        raise DomainError("只有区县经信部门可以填写推荐汇总表表头。")
    header, _ = SummaryHeader.objects.get_or_create(
        round=round_, organisation_id=user.organisation_id
    )
    header.department = department.strip()
    header.contact = contact.strip()
    header.mobile = re.sub(r"\s", "", mobile)
    if header.mobile:
        try:
            MOBILE(header.mobile)
        except ValidationError as exc:
            raise ValidationError({"mobile": exc.messages}) from exc
    header.full_clean(exclude=["round", "organisation"])
    header.save()
    return header


def title_year(round_: Round) -> int:
    """The year in the title: 2023 for “2023年度”, else the year after the data years."""
    match = re.match(r"\s*(\d{4})", round_.name)
    return int(match.group(1)) if match else round_.last_data_year + 1


# --- the documents ---------------------------------------------------------------------------


# Printed from these states the form is still being written (a returned one is being corrected;
# a deleted draft was never filed): every page says 草稿. Any other state (submitted, under review,
# certified …) prints as it was filed.
DRAFT_STATES = frozenset(
    {ApplicationState.DRAFT, ApplicationState.RETURNED, ApplicationState.DELETED}
)


def draft_mark(application: Application) -> DraftMark | None:
    """The 草稿 mark with the open errors, or None when the application prints as filed."""
    if application.state not in DRAFT_STATES:
        return None
    return DraftMark(errors=application_summary(application).errors)


def _render(form, draft: DraftMark | None = None) -> bytes:
    """The form's own document: Attachment 2, or the 年度发展情况报告 for an annual report."""
    if isinstance(form, AnnualReport):
        return render_annual(form, draft=draft)
    return render_attachment2(form, draft=draft)


def attachment2_docx(application: Application) -> bytes:
    return _render(form_of(application), draft=draft_mark(application))


def submission_docx(submission: Submission) -> bytes:
    """Attachment 2 as it was submitted: rendered from the snapshot, not from today's data."""
    application = submission.application
    form = application_from_data(submission.data, str(application), form_definition(application))
    return _render(form)


def attachment2_pdf(application: Application) -> bytes:
    """Via LibreOffice; raises ``PdfUnavailable`` or ``PdfError`` with a Chinese message."""
    with tempfile.TemporaryDirectory(prefix="clusterdesk-pdf-") as work:
        source = Path(work) / "attachment2.docx"
        source.write_bytes(attachment2_docx(application))
        (pdf,) = convert_to_pdf([source], Path(work) / "pdf")
        return pdf.read_bytes()


def summary_docx(user: User, round_: Round) -> bytes:
    forms = summary_selection(user, round_).forms
    header = summary_header(user, round_, forms)
    return attachment1.render_summary_docx(forms, header, title_year(round_))


def summary_xlsx(user: User, round_: Round) -> bytes:
    forms = summary_selection(user, round_).forms
    header = summary_header(user, round_, forms)
    return attachment1.render_summary_xlsx(forms, header, title_year(round_))


def county_package(user: User, round_: Round, out: Path, *, pdf: bool = False) -> PackageResult:
    """The electronic package (电子版) of the user's unit, with its evidence files."""
    selection = summary_selection(user, round_)
    forms = selection.forms
    given = {sha256 for _, sha256 in uploaded_hashes(selection.applications)}
    # The package orders the forms itself: each form finds its mark by identity.
    marks = {
        id(form): draft_mark(application)
        for form, application in zip(forms, selection.applications, strict=True)
    }
    return build_package(
        forms,
        out,
        evidence_lookup(default_store(), given),
        header=summary_header(user, round_, forms),
        title_year=title_year(round_),
        pdf=pdf,
        render=lambda form: render_attachment2(form, draft=marks[id(form)]),
    )


def evidence_lookup(store: BlobStore, given: set[str]) -> EvidenceStore:
    """Evidence files by their recorded SHA-256, only those in ``given`` (the files uploaded to
    the packaged applications: a register entry naming any other file is listed as missing);
    the package verifies what it gets."""

    def find(evidence: EvidenceFile) -> bytes | Path | None:
        if evidence.sha256 not in given or not store.exists(evidence.sha256):
            return None
        path_of = getattr(store, "path_of", None)
        if path_of is not None:  # a local store: let the package stream the file
            return path_of(evidence.sha256)
        with store.open(evidence.sha256) as file:
            return file.read()

    return find


# --- file names ------------------------------------------------------------------------------


def attachment2_name(application: Application, suffix: str) -> str:
    name = application.cluster_name or "未填集群名称"
    if application.round.kind == RoundKind.ANNUAL:
        return safe_name(f"年度发展情况报告-{name}-{application.round.last_data_year}.{suffix}")
    return safe_name(f"附件2-申报表-{name}.{suffix}")


def submission_name(submission: Submission) -> str:
    name = submission.application.cluster_name or "未填集群名称"
    at = localtime(submission.submitted_at)
    return safe_name(f"附件2-申报表-{name}-{at:%Y%m%d-%H%M}提交.docx")


def summary_name(user: User, round_: Round, suffix: str) -> str:
    unit = user.organisation.county if user.organisation else ""
    return safe_name(f"附件1-{title_year(round_)}年度推荐汇总表-{unit}.{suffix}")


def package_name(user: User, round_: Round) -> str:
    unit = user.organisation.county if user.organisation else ""
    return safe_name(f"{title_year(round_)}年度集群申报材料电子版-{unit}.zip")
