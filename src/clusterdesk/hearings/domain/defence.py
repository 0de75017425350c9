"""现场答辩: scheduling slots, telling the county, recording what happened.

Every change is checked here (who, which phase and application, the times, the place) and
writes a ``HearingEvent`` in the same transaction; a refusal raises ``HearingRefused`` with a
Chinese message naming the field, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.errors import DomainError
from clusterdesk.hearings.models import DefenceRecord, DefenceSlot, HearingAction, HearingEvent
from clusterdesk.hearings.permissions import COUNTY, EXPERT, MANAGE
from clusterdesk.notifications.domain import Message, county_officers, notify
from clusterdesk.notifications.enums import NotificationKind

MAX_PLACE = 200
MAX_LINK = 500
MAX_ATTENDEES = 500
MAX_QUESTIONS = 50
MAX_QA_TEXT = 2000
MAX_NOTES = 5000
MAX_REASON = 500
MAX_HOURS = 12  # one defence is an hour or two; a whole day in one slot is a typo


class HearingRefused(DomainError):
    """A refused scheduling or recording; ``message`` says why in Chinese."""


@dataclass(frozen=True)
class QA:
    question: str
    answer: str


def _allowed(actor: User) -> None:
    problem = MANAGE.refusal(actor)
    if problem:
        raise HearingRefused(problem)


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def when_text(slot: DefenceSlot) -> str:
    start, end = local(slot.starts_at), local(slot.ends_at)
    return f"{start:%Y年%m月%d日 %H:%M}—{end:%H:%M}"


def where_text(slot: DefenceSlot) -> str:
    parts = [slot.place] if slot.place else []
    if slot.online_link:
        parts.append(f"线上会议链接：{slot.online_link}")
    return "；".join(parts)


def _normal_place(place: str) -> str:
    return re.sub(r"\s+", " ", place or "").strip()


# --- checks ---------------------------------------------------------------------------------


def _check_slot(  # noqa: PLR0917 - the slot's fields, in the order of the form
    phase: Any,
    application: Application,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    online_link: str,
    *,
    now: dt.datetime,
    instead_of: DefenceSlot | None = None,
) -> tuple[str, str]:
    """The place and link as stored, or ``HearingRefused`` with the first problem found."""
    if not phase.with_defence:
        raise HearingRefused(f"评审环节“{phase.name}”不含现场答辩，不能安排答辩。")
    if application.round_id != phase.round_id:
        raise HearingRefused("所选申报不属于该评审环节所在的申报轮次。")
    if application.state != ApplicationState.UNDER_REVIEW:
        raise HearingRefused(
            f"申报当前为“{application.get_state_display()}”，只有审核中的申报可以安排答辩。"
        )
    if starts_at is None or ends_at is None:
        raise HearingRefused("请填写答辩的日期、开始时间和结束时间。")
    if ends_at <= starts_at:
        raise HearingRefused("结束时间必须晚于开始时间。")
    if ends_at - starts_at > dt.timedelta(hours=MAX_HOURS):
        raise HearingRefused(f"一场答辩不能超过 {MAX_HOURS} 小时，请核对开始和结束时间。")
    if starts_at <= now:
        raise HearingRefused("开始时间已过，只能安排今后的答辩。")
    opens, closes = getattr(phase, "opens_at", None), getattr(phase, "closes_at", None)
    if opens and starts_at < opens:
        raise HearingRefused(
            f"答辩时间须在评审环节“{phase.name}”的时间内："
            f"该环节 {local(opens):%Y-%m-%d %H:%M} 开始。"
        )
    if closes and ends_at > closes:
        raise HearingRefused(
            f"答辩时间须在评审环节“{phase.name}”的时间内："
            f"该环节 {local(closes):%Y-%m-%d %H:%M} 结束。"
        )
    place = _normal_place(place)
    online_link = (online_link or "").strip()
    if not place and not online_link:
        raise HearingRefused("请填写答辩地点或线上会议链接（至少一项）。")
    if len(place) > MAX_PLACE:
        raise HearingRefused(f"答辩地点不能超过 {MAX_PLACE} 个字。")
    if len(online_link) > MAX_LINK:
        raise HearingRefused(f"线上会议链接不能超过 {MAX_LINK} 个字符。")
    if online_link:
        try:
            URLValidator(schemes=["https", "http"])(online_link)
        except ValidationError:
            raise HearingRefused("线上会议链接应为以 https:// 或 http:// 开头的网址。") from None
    others = DefenceSlot.objects.filter(phase=phase, application=application)
    if instead_of is not None:
        others = others.exclude(pk=instead_of.pk)
    if others.exists():
        raise HearingRefused("该申报在本评审环节已安排答辩，请修改原有安排。")
    if place:
        clash = (
            DefenceSlot.objects.filter(place=place, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .exclude(pk=instead_of.pk if instead_of else None)
            .select_related("application")
            .first()
        )
        if clash is not None:
            raise HearingRefused(
                f"答辩地点“{place}”在 {when_text(clash)} 已安排"
                f"“{clash.application.cluster_name or '其他申报'}”的答辩，时间重叠，"
                "请调整时间或地点。"
            )
    return place, online_link


def _detail(slot: DefenceSlot) -> dict[str, Any]:
    return {
        "phase": slot.phase_id,
        "starts_at": local(slot.starts_at).isoformat(),
        "ends_at": local(slot.ends_at).isoformat(),
        "place": slot.place,
        "online_link": slot.online_link,
    }


def _event(slot: DefenceSlot, action: str, actor: User, at: dt.datetime, **detail: Any) -> None:
    HearingEvent.objects.create(
        round_id=slot.application.round_id,
        application=slot.application,
        slot_id=slot.pk,
        action=action,
        actor=actor,
        at=at,
        reason=detail.pop("reason", ""),
        detail=detail,
    )


def _tell_county(slot: DefenceSlot, title: str, body: str, at: dt.datetime) -> None:
    application = slot.application
    notify(
        county_officers(application.organisation_id),
        Message(NotificationKind.DEFENCE, title, body, reverse("hearings:my")),
        application=application,
    )
    DefenceSlot.objects.filter(pk=slot.pk).update(notified_at=at)
    slot.notified_at = at


def _notice_body(slot: DefenceSlot) -> str:
    name = slot.application.cluster_name or "（未填集群名称）"
    return (
        f"{slot.application.organisation}的申报“{name}”现场答辩安排如下：\n"
        f"时间：{when_text(slot)}\n地点：{where_text(slot)}\n"
        "请通知集群运营管理机构按时参加。"
    )


# --- the doors --------------------------------------------------------------------------------


@transaction.atomic
def schedule_defence(
    phase: Any,
    application: Application,
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str = "",
    online_link: str = "",
    actor: User,
    at: dt.datetime | None = None,
) -> DefenceSlot:
    """A new slot for ``application`` in ``phase``; the county's officers are notified."""
    _allowed(actor)
    at = at or clock.now()
    place, online_link = _check_slot(
        phase, application, starts_at, ends_at, place, online_link, now=at
    )
    slot = DefenceSlot.objects.create(
        phase=phase,
        application=application,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=online_link,
        created_by=actor,
        created_at=at,
    )
    _event(slot, HearingAction.SLOT_SCHEDULED, actor, at, **_detail(slot))
    name = application.cluster_name or "（未填集群名称）"
    _tell_county(slot, f"申报“{name}”现场答辩安排", _notice_body(slot), at)
    return slot


@transaction.atomic
def change_defence(
    slot: DefenceSlot,
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str = "",
    online_link: str = "",
    actor: User,
    at: dt.datetime | None = None,
) -> DefenceSlot:
    """Move a slot that has not yet happened; the county hears of the change."""
    _allowed(actor)
    at = at or clock.now()
    slot = (
        DefenceSlot.objects.select_for_update()
        .select_related("phase", "application")
        .get(pk=slot.pk)
    )
    _not_yet(slot, "调整", at)
    place, online_link = _check_slot(
        slot.phase,
        slot.application,
        starts_at,
        ends_at,
        place,
        online_link,
        now=at,
        instead_of=slot,
    )
    before = _detail(slot)
    slot.starts_at, slot.ends_at, slot.place, slot.online_link = (
        starts_at,
        ends_at,
        place,
        online_link,
    )
    slot.save(update_fields=["starts_at", "ends_at", "place", "online_link"])
    _event(slot, HearingAction.SLOT_CHANGED, actor, at, before=before, after=_detail(slot))
    name = slot.application.cluster_name or "（未填集群名称）"
    _tell_county(slot, f"申报“{name}”现场答辩安排已调整", _notice_body(slot), at)
    return slot


@transaction.atomic
def cancel_defence(
    slot: DefenceSlot, *, actor: User, reason: str = "", at: dt.datetime | None = None
) -> None:
    """Delete a slot that has not yet happened (and has no record); the county is told."""
    _allowed(actor)
    at = at or clock.now()
    slot = (
        DefenceSlot.objects.select_for_update()
        .select_related("phase", "application")
        .get(pk=slot.pk)
    )
    _not_yet(slot, "取消", at)
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise HearingRefused(f"取消理由不能超过 {MAX_REASON} 个字。")
    if DefenceRecord.objects.filter(slot=slot).exists():
        raise HearingRefused("该答辩已有记录，不能取消。")
    _event(slot, HearingAction.SLOT_CANCELLED, actor, at, reason=reason, **_detail(slot))
    name = slot.application.cluster_name or "（未填集群名称）"
    body = f"申报“{name}”原定 {when_text(slot)} 的现场答辩已取消。"
    if reason:
        body += f"\n说明：{reason}"
    notify(
        county_officers(slot.application.organisation_id),
        Message(
            NotificationKind.DEFENCE, f"申报“{name}”现场答辩已取消", body, reverse("hearings:my")
        ),
        application=slot.application,
    )
    slot.delete()


def _not_yet(slot: DefenceSlot, what: str, now: dt.datetime) -> None:
    if slot.starts_at <= now:
        raise HearingRefused(f"该答辩已于 {when_text(slot)} 举行（或已开始），不能{what}。")


def parse_questions(pairs: Iterable[tuple[str, str]]) -> list[QA]:
    """Question/answer pairs as typed (blank pairs dropped), or ``HearingRefused``."""
    found: list[QA] = []
    for number, (raw_question, raw_answer) in enumerate(pairs, start=1):
        question, answer = (raw_question or "").strip(), (raw_answer or "").strip()
        if not question and not answer:
            continue
        if not question:
            raise HearingRefused(f"第 {number} 组问答只填写了回答，请填写专家提问。")
        if len(question) > MAX_QA_TEXT or len(answer) > MAX_QA_TEXT:
            raise HearingRefused(f"第 {number} 组问答的提问或回答不能超过 {MAX_QA_TEXT} 字。")
        found.append(QA(question, answer))
    if len(found) > MAX_QUESTIONS:
        raise HearingRefused(f"问答记录最多 {MAX_QUESTIONS} 组。")
    return found


@transaction.atomic
def record_defence(
    slot: DefenceSlot,
    *,
    attended: bool,
    attendees: str = "",
    questions: Sequence[QA | tuple[str, str]] = (),
    notes: str = "",
    actor: User,
    at: dt.datetime | None = None,
) -> DefenceRecord:
    """Record (or correct) what happened at ``slot``, once it has started."""
    _allowed(actor)
    at = at or clock.now()
    slot = DefenceSlot.objects.select_for_update().select_related("application").get(pk=slot.pk)
    if slot.starts_at > at:
        raise HearingRefused(f"答辩定于 {when_text(slot)} 举行，尚未开始，不能记录答辩情况。")
    if attended not in (True, False):
        raise HearingRefused("请选择到场情况：到场或缺席。")
    attendees, notes = (attendees or "").strip(), (notes or "").strip()
    if attended and not attendees:
        raise HearingRefused("到场时请填写到场人员。")
    if len(attendees) > MAX_ATTENDEES:
        raise HearingRefused(f"到场人员不能超过 {MAX_ATTENDEES} 个字。")
    if len(notes) > MAX_NOTES:
        raise HearingRefused(f"备注不能超过 {MAX_NOTES} 个字。")
    pairs = parse_questions(
        (qa.question, qa.answer) if isinstance(qa, QA) else tuple(qa) for qa in questions
    )
    stored = [{"question": qa.question, "answer": qa.answer} for qa in pairs]
    record, created = DefenceRecord.objects.update_or_create(
        slot=slot,
        defaults={
            "attended": attended,
            "attendees": attendees,
            "questions": stored,
            "notes": notes,
            "recorded_by": actor,
            "recorded_at": at,
        },
    )
    _event(
        slot,
        HearingAction.DEFENCE_RECORDED,
        actor,
        at,
        attended=attended,
        attendees=attendees,
        questions=stored,
        notes=notes,
        corrected=not created,
    )
    return record


# --- who sees which slots --------------------------------------------------------------------


def slots_of_round(round_: Any) -> QuerySet[DefenceSlot]:
    return (
        DefenceSlot.objects.filter(phase__round=round_)
        .select_related("phase", "application__organisation", "record")
        .order_by("starts_at", "pk")
    )


def county_slots(user: User) -> QuerySet[DefenceSlot]:
    """The slots of the user's own unit's applications (none for anyone else)."""
    if COUNTY.refusal(user):
        return DefenceSlot.objects.none()
    return (
        DefenceSlot.objects.filter(application__organisation_id=user.organisation_id)
        .select_related("phase__round", "application")
        .order_by("starts_at", "pk")
    )


def expert_slots(user: User) -> QuerySet[DefenceSlot]:
    """The slots of the applications assigned to the expert in phases open now (in SQL: the
    expert's open assignments of the slot's phase and application)."""
    if EXPERT.refusal(user):
        return DefenceSlot.objects.none()
    from clusterdesk.review.domain.access import open_assignments  # noqa: PLC0415

    assigned = open_assignments(user).filter(
        phase_id=OuterRef("phase_id"), application_id=OuterRef("application_id")
    )
    return (
        DefenceSlot.objects.filter(Exists(assigned))
        .select_related("phase", "application")
        .order_by("starts_at", "pk")
    )


# --- 按序号自动排期 -----------------------------------------------------------------------------

MIN_MINUTES, MAX_MINUTES, MAX_GAP = 10, 180, 60
DAY_ENDS = dt.time(18, 0)


def unscheduled(phase: Any) -> QuerySet[Application]:
    """The phase's round's applications under review without a slot in the phase, in 序号 order
    (the city's order of units, then creation)."""
    return (
        Application.objects.filter(round_id=phase.round_id, state=ApplicationState.UNDER_REVIEW)
        .exclude(defence_slots__phase=phase)
        .select_related("organisation")
        .order_by("organisation__position", "pk")
    )


@transaction.atomic
def auto_schedule(
    phase: Any,
    *,
    day: dt.date,
    first_start: dt.time,
    minutes: int,
    gap: int = 0,
    place: str = "",
    online_link: str = "",
    actor: User,
    at: dt.datetime | None = None,
) -> list[DefenceSlot]:
    """One slot after another for every unscheduled application (按序号), all or none: the
    first refusal names the application and nothing is scheduled."""
    _allowed(actor)
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise HearingRefused(f"每场答辩时长应在 {MIN_MINUTES}–{MAX_MINUTES} 分钟之间。")
    if not 0 <= gap <= MAX_GAP:
        raise HearingRefused(f"两场之间的间隔应在 0–{MAX_GAP} 分钟之间。")
    applications = list(unscheduled(phase))
    if not applications:
        raise HearingRefused("没有需要安排答辩的申报：审核中的申报均已安排。")
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, first_start, tzinfo=zone)
    last_end = start + dt.timedelta(minutes=len(applications) * (minutes + gap) - gap)
    if last_end > dt.datetime.combine(day, DAY_ENDS, tzinfo=zone):
        raise HearingRefused(
            f"{len(applications)} 份申报按每场 {minutes} 分钟排到 {local(last_end):%H:%M}，"
            f"超过当天 {DAY_ENDS:%H:%M}：请提前开始时间、缩短时长或分天安排。"
        )
    slots = []
    for number, application in enumerate(applications, start=1):
        end = start + dt.timedelta(minutes=minutes)
        try:
            slots.append(
                schedule_defence(
                    phase,
                    application,
                    starts_at=start,
                    ends_at=end,
                    place=place,
                    online_link=online_link,
                    actor=actor,
                    at=at,
                )
            )
        except HearingRefused as refused:
            name = application.cluster_name or "（未填集群名称）"
            raise HearingRefused(
                f"第 {number} 场（“{name}”）未能安排，全部未安排：{refused.message}"
            ) from None
        start = end + dt.timedelta(minutes=gap)
    return slots
