"""The electronic package (电子版): one ZIP that replaces the notice's CD.

Layout, for one application, a county or a whole round::

    附件1-推荐汇总表.docx / .xlsx (/ .pdf)
    1-<集群名称>/附件2-申报表.docx (/ .pdf)
    1-<集群名称>/application.json
    1-<集群名称>/佐证材料/二、主导产业情况/<栏目名称>/<文件名>
    manifest.json   every other file with its SHA-256 and size, and each application's data

Evidence is looked up through ``evidence_store``; a file it cannot supply (the command line on a
bare JSON file has no file store) is listed in the manifest as missing with its recorded SHA-256
rather than failing the package. The ZIP is written atomically.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..form.attachment2 import ATTACHMENT2_2023
from ..form.loading import label_at
from ..form.schema import Application
from ..form.schema.application import PART_TITLES
from ..form.schema.common import EvidenceFile
from .atomic import atomic_path
from .attachment1 import (
    DEFAULT_YEAR,
    SummaryHeader,
    ordered,
    render_summary_docx,
    render_summary_xlsx,
)
from .attachment2_render import render_attachment2
from .errors import PdfUnavailable
from .pdf import convert_to_pdf, libreoffice_available

EvidenceStore = Callable[[EvidenceFile], bytes | Path | None]
Renderer = Callable[[Application], bytes]

SUMMARY_STEM = "附件1-推荐汇总表"
FORM_STEM = "附件2-申报表"
EVIDENCE_DIR = "佐证材料"
MANIFEST = "manifest.json"
README = "说明.txt"
HASH_CHUNK = 1024 * 1024
# Already compressed: deflating them again costs time and saves nothing.
STORED_SUFFIXES = frozenset(
    {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".zip", ".rar", ".7z", ".docx", ".xlsx", ".pptx"}
)

_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_WINDOWS_RESERVED = frozenset(
    {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        *(f"COM{i}" for i in range(1, 10)),
        *(f"LPT{i}" for i in range(1, 10)),
    }
)


class Status:
    INCLUDED = "included"
    MISSING = "missing"  # the store has no bytes for it
    MISMATCH = "sha256-mismatch"  # the store's bytes are not the recorded file


@dataclass
class EvidenceRecord:
    folder: str  # the application's folder in the package
    field: str
    part: str
    label: str
    name: str
    recorded_sha256: str | None
    status: str
    path: str | None = None
    sha256: str | None = None
    size: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class PackageResult:
    path: Path
    files: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[EvidenceRecord] = field(default_factory=list)
    pdf_included: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[EvidenceRecord]:
        return [record for record in self.evidence if record.status != Status.INCLUDED]


def safe_name(name: str, fallback: str = "未命名", limit: int = 80) -> str:
    """A file or folder name every unzip tool on every system accepts, still readable Chinese."""
    name = unicodedata.normalize("NFC", name or "")
    name = _UNSAFE_CHARS.sub("_", name).strip(" .")
    if not name:
        name = fallback
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = "_" + name
    if len(name) > limit:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and len(suffix) <= 10:
            name = stem[: limit - len(suffix) - 1] + "." + suffix
        else:
            name = name[:limit]
    return name


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name(2)``, ``name(3)`` … when a folder already holds it (case-blind)."""
    candidate, counter = name, 1
    stem, dot, suffix = name.rpartition(".")
    if not (dot and stem):
        stem, dot, suffix = name, "", ""
    while candidate.lower() in taken:
        counter += 1
        candidate = f"{stem}({counter}){dot}{suffix}"
    taken.add(candidate.lower())
    return candidate


def application_folder(number: int, application: Application) -> str:
    return safe_name(f"{number}-{application.part1.cluster_name or '未填集群名称'}")


def evidence_place(key: str) -> tuple[str, str]:
    """(part title, item label) of an evidence key such as ``part2.chain_map``."""
    parts = tuple(key.split("."))
    part = PART_TITLES.get(parts[0], "其他")
    return part, label_at(ATTACHMENT2_2023, parts) or key


def build_package(
    applications: Sequence[Application],
    out: Path,
    evidence_store: EvidenceStore | None = None,
    *,
    header: SummaryHeader | None = None,
    title_year: int = DEFAULT_YEAR,
    pdf: bool | None = None,
    render: Renderer = render_attachment2,
) -> PackageResult:
    """Write the package to ``out``. ``pdf``: True requires PDFs, None adds them when
    LibreOffice is installed, False leaves them out."""
    applications = ordered(applications)
    header = header or SummaryHeader.from_applications(applications)
    result = PackageResult(Path(out))
    want_pdf = libreoffice_available() if pdf is None else pdf
    if want_pdf and not libreoffice_available():
        raise PdfUnavailable()
    if pdf is None and not want_pdf:
        result.notes.append(PdfUnavailable.MESSAGE)

    with tempfile.TemporaryDirectory(prefix="clusterdesk-package-") as work:
        documents = _write_documents(Path(work), applications, header, title_year, render)
        pdfs: dict[str, Path] = {}
        if want_pdf:
            sources = [path for name, path in documents.items() if name.endswith(".docx")]
            for source, made in zip(
                sources, convert_to_pdf(sources, Path(work) / "pdf"), strict=True
            ):
                pdfs[source.name] = made
            result.pdf_included = True
        with (
            atomic_path(result.path) as temporary,
            zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            writer = _Writer(archive, result)
            _add_documents(writer, documents, pdfs, applications)
            manifest_apps = []
            for number, application in enumerate(applications, start=1):
                folder = application_folder(number, application)
                data = application.model_dump(mode="json")
                writer.add_bytes(f"{folder}/application.json", _json_bytes(data))
                records = _add_evidence(writer, folder, application, evidence_store)
                result.evidence.extend(records)
                manifest_apps.append(
                    {
                        "number": number,
                        "folder": folder,
                        "cluster_name": application.part1.cluster_name,
                        "county": application.cover.county,
                        "evidence": [record.as_json() for record in records],
                        "data": data,
                    }
                )
            writer.add_bytes(README, _readme(result, title_year).encode("utf-8"), listed=True)
            manifest = {
                "title": f"{title_year}年度中小企业特色产业集群申报材料（电子版）",
                "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                "generator": "clusterdesk",
                "pdf_included": result.pdf_included,
                "notes": result.notes,
                "files": result.files,
                "missing_evidence": [record.as_json() for record in result.missing],
                "applications": manifest_apps,
            }
            writer.add_bytes(MANIFEST, _json_bytes(manifest), listed=False)
    return result


def _write_documents(
    work: Path,
    applications: Sequence[Application],
    header: SummaryHeader,
    title_year: int,
    render: Renderer,
) -> dict[str, Path]:
    """The documents on disk under names unique in one directory (one soffice call takes all)."""
    documents = {
        "summary.docx": render_summary_docx(applications, header, title_year),
        "summary.xlsx": render_summary_xlsx(applications, header, title_year),
    }
    for number, application in enumerate(applications, start=1):
        documents[f"form-{number}.docx"] = render(application)
    paths = {}
    for name, data in documents.items():
        path = work / name
        path.write_bytes(data)
        paths[name] = path
    return paths


def _add_documents(
    writer: _Writer,
    documents: dict[str, Path],
    pdfs: dict[str, Path],
    applications: Sequence[Application],
) -> None:
    writer.add_path(f"{SUMMARY_STEM}.docx", documents["summary.docx"])
    writer.add_path(f"{SUMMARY_STEM}.xlsx", documents["summary.xlsx"])
    if "summary.docx" in pdfs:
        writer.add_path(f"{SUMMARY_STEM}.pdf", pdfs["summary.docx"])
    for number, application in enumerate(applications, start=1):
        folder = application_folder(number, application)
        source = f"form-{number}.docx"
        writer.add_path(f"{folder}/{FORM_STEM}.docx", documents[source])
        if source in pdfs:
            writer.add_path(f"{folder}/{FORM_STEM}.pdf", pdfs[source])


def _add_evidence(
    writer: _Writer, folder: str, application: Application, store: EvidenceStore | None
) -> list[EvidenceRecord]:
    records = []
    item_folders: dict[tuple[str, str], str] = {}  # (part, label) → the key that owns it
    for key, files in application.evidence.items():
        part, label = evidence_place(key)
        item = safe_name(label)
        owner = item_folders.setdefault((part, item), key)
        if owner != key:  # two items with one label: keep them apart
            item = safe_name(f"{label}（{key}）")
        directory = f"{folder}/{EVIDENCE_DIR}/{safe_name(part)}/{item}"
        for evidence in files:
            record = EvidenceRecord(
                folder, key, part, label, evidence.name, evidence.sha256, Status.MISSING
            )
            content = store(evidence) if store else None
            if content is not None:
                sha256, size = _digest(content)
                if evidence.sha256 and sha256 != evidence.sha256:
                    record.status = Status.MISMATCH
                else:
                    name = writer.unique(directory, safe_name(evidence.name))
                    record.path = f"{directory}/{name}"
                    writer.add(record.path, content, sha256, size)
                    record.status, record.sha256, record.size = Status.INCLUDED, sha256, size
            records.append(record)
    return records


class _Writer:
    """Adds entries to the ZIP and lists each with its SHA-256 and size."""

    def __init__(self, archive: zipfile.ZipFile, result: PackageResult) -> None:
        self.archive = archive
        self.result = result
        self.taken: dict[str, set[str]] = {}

    def unique(self, directory: str, name: str) -> str:
        return unique_name(name, self.taken.setdefault(directory, set()))

    def add_bytes(self, path: str, data: bytes, *, listed: bool = True) -> None:
        if listed:
            self.add(path, data, *_digest(data))
        else:
            self.archive.writestr(path, data)

    def add_path(self, path: str, source: Path) -> None:
        self.add(path, source, *_digest(source))

    def add(self, path: str, content: bytes | Path, sha256: str, size: int) -> None:
        compression = (
            zipfile.ZIP_STORED
            if Path(path).suffix.lower() in STORED_SUFFIXES
            else zipfile.ZIP_DEFLATED
        )
        if isinstance(content, Path):
            self.archive.write(content, path, compress_type=compression)
        else:
            self.archive.writestr(path, content, compress_type=compression)
        self.result.files.append({"path": path, "sha256": sha256, "size": size})


def _digest(content: bytes | Path) -> tuple[str, int]:
    if isinstance(content, bytes):
        return hashlib.sha256(content).hexdigest(), len(content)
    digest, size = hashlib.sha256(), 0
    with content.open("rb") as stream:
        while chunk := stream.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _readme(result: PackageResult, title_year: int) -> str:
    lines = [
        f"{title_year}年度中小企业特色产业集群申报材料（电子版）",
        "",
        f"{SUMMARY_STEM}：推荐汇总表（Word、Excel{'、PDF' if result.pdf_included else ''}）",
        f"各集群文件夹：{FORM_STEM}、申报数据 application.json、{EVIDENCE_DIR}（按部分和栏目分类）",
        f"{MANIFEST}：全部文件的 SHA-256 校验值和大小，以及各申报的完整数据",
    ]
    lines += [f"注意：{note}" for note in result.notes]
    if result.missing:
        lines += ["", f"以下 {len(result.missing)} 份佐证材料未能放入本压缩包："]
        for record in result.missing:
            why = "文件内容与登记的校验值不符" if record.status == Status.MISMATCH else "未找到文件"
            lines.append(
                f"  - {record.folder} / {record.part} / {record.label}：{record.name}（{why}）"
            )
    return "\n".join(lines) + "\n"


def directory_store(directory: Path) -> EvidenceStore:
    """Evidence files found in a directory (recursively) by their name or by their SHA-256:
    the command line's ``--evidence-dir``. A file named by its hash (``<sha256>`` or
    ``<sha256>.pdf``) or with content of the recorded hash is found whatever its name."""
    files = sorted(path for path in Path(directory).rglob("*") if path.is_file())
    by_name: dict[str, list[Path]] = {}
    for path in files:
        by_name.setdefault(unicodedata.normalize("NFC", path.name), []).append(path)
    hashes: dict[str, Path] = {}

    def hash_index() -> dict[str, Path]:
        if not hashes and files:
            for path in files:
                hashes.setdefault(_digest(path)[0], path)
        return hashes

    def find(evidence: EvidenceFile) -> Path | None:
        named = by_name.get(unicodedata.normalize("NFC", evidence.name), [])
        if not evidence.sha256:
            return named[0] if named else None
        for path in named:
            if _digest(path)[0] == evidence.sha256:
                return path
        return hash_index().get(evidence.sha256) or (named[0] if named else None)

    return find
