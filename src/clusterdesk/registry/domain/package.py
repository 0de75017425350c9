"""The recommendation package (推荐材料): the letter, the summary list and, per cluster, its
Attachment 2 as submitted and its electronic package with the evidence, as one ZIP.

Built synchronously: a recommendation holds at most the round's quota of clusters (bounded by
``models.MAX_QUOTA``), and the packages are Word only (no PDF conversion), so a download stays
within a request. The files are written to a temporary directory and streamed from there.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path

from clusterdesk.county.domain.documents import submission_docx
from clusterdesk.declarations.models import Application, Submission
from clusterdesk.documents.certified_list import (
    Letter,
    letter_title,
    recommended_title,
    render_letter_docx,
    render_recommended_docx,
    render_recommended_xlsx,
)
from clusterdesk.documents.package import safe_name
from clusterdesk.errors import DomainError
from clusterdesk.exports.domain.builders import application_package, digest
from clusterdesk.registry.domain.recommend import recommended_lines
from clusterdesk.registry.domain.registry import county_of, day_text
from clusterdesk.registry.models import Recommendation


def package_name(recommendation: Recommendation) -> str:
    return safe_name(f"{recommendation.year}年度中小企业特色产业集群推荐材料.zip")


def build_recommendation_package(recommendation: Recommendation, out: Path) -> dict:
    """Write the package to ``out``; returns its manifest (also inside, as manifest.json)."""
    lines = recommended_lines(recommendation)
    if not lines:
        raise DomainError("该推荐没有可导出的集群。")
    letter = Letter(
        year=recommendation.year,
        addressee=recommendation.addressee,
        sender=recommendation.sender,
        issued_on=day_text(recommendation.issued_on),
        letter_number=recommendation.letter_number,
        contact=recommendation.contact,
        phone=recommendation.phone,
    )
    printed = [line for _, line in lines]
    year = recommendation.year
    listed = []
    with (
        tempfile.TemporaryDirectory(prefix="clusterdesk-recommend-") as work,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr(f"{letter_title(year)}.docx", render_letter_docx(letter, printed))
        stem = safe_name(f"附件-{recommended_title(year)}")
        archive.writestr(f"{stem}.docx", render_recommended_docx(year, printed))
        archive.writestr(f"{stem}.xlsx", render_recommended_xlsx(year, printed))
        for number, (certification, line) in enumerate(lines, start=1):
            folder = safe_name(f"{number}-{county_of(certification)}-{line.cluster.name}")
            application = Application.objects.select_related("organisation", "round").get(
                pk=certification.application_id
            )
            submission = (
                Submission.objects.filter(application=application)
                .select_related("application")
                .order_by("-submitted_at", "-pk")
                .first()
            )
            entry = {"cluster_name": line.cluster.name, "folder": folder}
            if submission is not None:
                name = f"{folder}/附件2-申报表-{safe_name(line.cluster.name)}.docx"
                archive.writestr(name, submission_docx(submission))
                entry["attachment2"] = name
                entry["submission_sha256"] = submission.data_sha256
            inner = Path(work) / f"{number}.zip"
            application_package(application, inner, pdf=False)
            name = f"{folder}/申报材料电子版（含佐证材料）.zip"
            archive.write(inner, name, compress_type=zipfile.ZIP_STORED)
            sha256, size = digest(inner)
            inner.unlink()
            entry.update(package=name, package_sha256=sha256, package_size=size)
            listed.append(entry)
        manifest = {
            "title": letter_title(year),
            "addressee": recommendation.addressee,
            "issued_on": recommendation.issued_on.isoformat(),
            "clusters": listed,
        }
        archive.writestr(
            "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        )
    return manifest
