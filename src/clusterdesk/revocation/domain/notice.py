"""The 通报 of a revocation as Word and PDF. A revocation never changes, so its PDF (LibreOffice
seconds) is made once, in a download slot, and kept in the media store under revocation/."""

from __future__ import annotations

from clusterdesk.documents.pdf import kept_pdf as kept_document_pdf
from clusterdesk.documents.revocation_notice import (
    RevocationNotice,
    render_revocation_notice,
    title_of,
)
from clusterdesk.revocation.models import Revocation
from clusterdesk.shared.storage import StoredFile, kept_media


def revocations():
    """Revocations with what their pages and the 通报 print, without any form's JSON."""
    return Revocation.objects.select_related(
        "certification__publication",
        "certification__application__organisation",
        "certification__application__round",
        "recorded_by",
        "event",
    ).defer("certification__application__data")


def notice_of(revocation: Revocation) -> RevocationNotice:
    certification = revocation.certification
    application = certification.application
    unit = application.organisation
    return RevocationNotice(
        document_number=revocation.document_number,
        cluster_name=application.listed_name or str(application),
        unit=unit.name,
        county=unit.county,
        certified_number=certification.publication.document_number,
        certified_on=certification.publication.issued_on,
        valid_until=certification.valid_until,
        reason_class=revocation.get_reason_class_display(),
        reason=revocation.reason,
        decided_on=revocation.decided_on,
    )


def notice_title(revocation: Revocation) -> str:
    return title_of(notice_of(revocation))


def notice_docx(revocation: Revocation) -> bytes:
    return render_revocation_notice(notice_of(revocation))


def kept_pdf(revocation: Revocation) -> StoredFile:
    return kept_media(f"revocation/notice-{revocation.pk}.pdf")


def notice_pdf(revocation: Revocation) -> bytes:
    """The kept PDF, made first if need be; raises ``PdfError`` (Chinese) when it cannot be."""
    return kept_document_pdf(kept_pdf(revocation), lambda: notice_docx(revocation))
