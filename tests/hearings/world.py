"""A review phase with 现场答辩, slots and a site visit, for the hearings tests and the access
matrix (which builds them on its county world, whatever state its applications are in)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clusterdesk.declarations.models import Application
from clusterdesk.evidence.models import Blob
from clusterdesk.hearings.models import DefenceSlot, SiteVisit, SiteVisitFile
from clusterdesk.review.enums import PhaseKind, PhaseStatus
from clusterdesk.review.models import ReviewPhase
from clusterdesk.rounds.models import Round
from clusterdesk.shared.blobstore import default_store
from tests.evidence import samples
from tests.factories import SHANGHAI

# The tests' clock stands at 2023-04-10 09:30 (factories.TEST_NOW): the phase runs around it,
# the defences are to come, the visit has been made.
PHASE_OPENS = dt.datetime(2023, 4, 1, 9, 0, tzinfo=SHANGHAI)
PHASE_CLOSES = dt.datetime(2023, 6, 30, 17, 0, tzinfo=SHANGHAI)
SLOT_DAY = dt.date(2023, 5, 16)
VISIT_DAY = dt.date(2023, 4, 7)
PLACE = "宁波市经信局三楼会议室"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def make_phase(round_: Round, **fields) -> ReviewPhase:
    defaults = {
        "kind": PhaseKind.EXPERT_REVIEW,
        "name": "专家评审（含现场答辩）",
        "position": 1,
        "scored": True,
        "with_defence": True,
        "opens_at": PHASE_OPENS,
        "closes_at": PHASE_CLOSES,
        "status": PhaseStatus.OPEN,
    }
    return ReviewPhase.objects.create(round=round_, **{**defaults, **fields})


@dataclass
class Hearings:
    phase: ReviewPhase
    slot: DefenceSlot  # the target application's
    other_slot: DefenceSlot
    visit: SiteVisit  # of the target application
    file: SiteVisitFile  # a PNG on the visit


def hearings_for(own: Application, other: Application, city) -> Hearings:
    """Slots for both applications and a visit (with a photo) of ``own``, stored directly: the
    doors would refuse applications that are not under review. Built once per round."""
    phase = ReviewPhase.objects.filter(round_id=own.round_id, with_defence=True).first()
    if phase is None:
        phase = make_phase(own.round)
    slot = DefenceSlot.objects.filter(phase=phase, application=own).first() or (
        DefenceSlot.objects.create(
            phase=phase,
            application=own,
            starts_at=at(SLOT_DAY, 9),
            ends_at=at(SLOT_DAY, 9, 40),
            place=PLACE,
            created_by=city,
        )
    )
    other_slot = DefenceSlot.objects.filter(phase=phase, application=other).first() or (
        DefenceSlot.objects.create(
            phase=phase,
            application=other,
            starts_at=at(SLOT_DAY, 9, 40),
            ends_at=at(SLOT_DAY, 10, 20),
            place=PLACE,
            created_by=city,
        )
    )
    visit = SiteVisit.objects.filter(round_id=own.round_id, application=own).first()
    if visit is None:
        visit = SiteVisit.objects.create(
            round_id=own.round_id,
            application=own,
            planned_on=VISIT_DAY,
            members="市经信局 王科长",
            created_by=city,
        )
    file = visit.files.first()
    if file is None:
        content = samples.png()
        stored = default_store().put(samples.upload("走访现场.png", content))
        blob, _ = Blob.objects.get_or_create(
            sha256=stored.sha256,
            defaults={"size": stored.size, "kind": "png", "content_type": "image/png"},
        )
        file = SiteVisitFile.objects.create(
            visit=visit, blob=blob, name="走访现场.png", uploaded_by=city
        )
    return Hearings(phase, slot, other_slot, visit, file)
