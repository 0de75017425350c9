"""The 日程表 of a round's defences as Word and PDF (rendered by documents.defence_schedule)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from clusterdesk.declarations import clock
from clusterdesk.documents.defence_schedule import (
    SchedulePhase,
    ScheduleRow,
    render_schedule_docx,
)
from clusterdesk.documents.pdf import convert_to_pdf
from clusterdesk.hearings.domain.defence import local, slots_of_round


def schedule_phases(round_: Any) -> list[SchedulePhase]:
    by_phase: dict[int, tuple[str, list[ScheduleRow]]] = {}
    for slot in slots_of_round(round_):
        _name, rows = by_phase.setdefault(slot.phase_id, (slot.phase.name, []))
        rows.append(
            ScheduleRow(
                starts_at=local(slot.starts_at),
                ends_at=local(slot.ends_at),
                cluster_name=slot.application.cluster_name,
                organisation=str(slot.application.organisation),
                place=slot.place,
                online_link=slot.online_link,
            )
        )
    return [SchedulePhase(name, rows) for name, rows in by_phase.values()]


def schedule_docx(round_: Any) -> bytes:
    return render_schedule_docx(round_.name, schedule_phases(round_), clock.today())


def schedule_pdf(round_: Any) -> bytes:
    """Via LibreOffice; raises ``PdfUnavailable`` or ``PdfError`` with a Chinese message."""
    with tempfile.TemporaryDirectory(prefix="clusterdesk-pdf-") as work:
        source = Path(work) / "schedule.docx"
        source.write_bytes(schedule_docx(round_))
        (pdf,) = convert_to_pdf([source], Path(work) / "pdf")
        return pdf.read_bytes()


def schedule_name(round_: Any, extension: str) -> str:
    return f"{round_.name}现场答辩日程表.{extension}"
