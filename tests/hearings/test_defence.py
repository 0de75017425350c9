"""现场答辩 in the domain: scheduling, the county told, overlaps and the phase's dates refused in
Chinese with nothing changed, changing and cancelling before it happens, the record, and who
sees which slots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.hearings.domain import defence
from clusterdesk.hearings.domain.defence import (
    QA,
    HearingRefused,
    cancel_defence,
    change_defence,
    county_slots,
    expert_slots,
    record_defence,
    schedule_defence,
)
from clusterdesk.hearings.models import DefenceRecord, DefenceSlot, HearingAction, HearingEvent
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from clusterdesk.review.enums import AssignmentStatus, PhaseStatus
from clusterdesk.review.models import Assignment
from clusterdesk.shared.appendonly import AppendOnlyError
from tests.factories import TEST_NOW, make_application, make_county_officer, make_round
from tests.hearings.world import PHASE_CLOSES, PLACE, SLOT_DAY, at, make_phase

pytestmark = pytest.mark.django_db


def _schedule(review, application=None, start=(9, 0), end=(9, 40), **fields):
    fields.setdefault("place", PLACE)
    return schedule_defence(
        review.phase,
        application or review.own,
        starts_at=at(SLOT_DAY, *start),
        ends_at=at(SLOT_DAY, *end),
        actor=fields.pop("actor", review.city),
        **fields,
    )


def _nothing_changed():
    assert DefenceSlot.objects.count() == 0
    assert HearingEvent.objects.count() == 0
    assert not Notification.objects.filter(kind=NotificationKind.DEFENCE).exists()


def test_scheduling_tells_the_county_when_and_where(review):
    colleague = make_county_officer(review.county.organisation)
    slot = _schedule(review)

    notices = Notification.objects.filter(kind=NotificationKind.DEFENCE)
    assert {n.recipient for n in notices} == {review.county, colleague}
    notice = notices.first()
    assert "本县模具产业集群" in notice.title
    assert "2023年05月16日 09:00—09:40" in notice.body
    assert PLACE in notice.body
    assert notice.url == "/hearings/my/"
    assert notice.application == review.own
    slot.refresh_from_db()
    assert slot.notified_at is not None
    event = HearingEvent.objects.get()
    assert (event.action, event.actor, event.slot_id) == (
        HearingAction.SLOT_SCHEDULED,
        review.city,
        slot.pk,
    )
    assert event.detail["place"] == PLACE


@pytest.mark.parametrize(
    ("start", "end", "fields", "message"),
    [
        ((10, 0), (9, 0), {}, "结束时间必须晚于开始时间。"),
        ((9, 0), (9, 0), {}, "结束时间必须晚于开始时间。"),
        ((9, 0), (9, 40), {"place": "  "}, "请填写答辩地点或线上会议链接（至少一项）。"),
        ((9, 0), (9, 40), {"place": "", "online_link": "腾讯会议 123"}, "线上会议链接应为以"),
        ((9, 0), (9, 40), {"place": "会" * 201}, "答辩地点不能超过 200 个字。"),
    ],
)
def test_bad_times_and_places_are_refused(review, start, end, fields, message):
    with pytest.raises(HearingRefused) as refused:
        _schedule(review, start=start, end=end, **fields)
    assert message in refused.value.message
    _nothing_changed()


def test_an_online_defence_needs_no_place(review):
    slot = _schedule(review, place="", online_link="https://meeting.tencent.com/dm/abc")
    assert "线上会议链接：https://meeting.tencent.com/dm/abc" in defence.where_text(slot)


def test_two_defences_may_not_overlap_in_one_place(review):
    _schedule(review, start=(9, 0), end=(9, 40))
    with pytest.raises(HearingRefused) as refused:
        _schedule(review, review.other, start=(9, 30), end=(10, 10), place=f" {PLACE} ")
    assert refused.value.message == (
        f"答辩地点“{PLACE}”在 2023年05月16日 09:00—09:40 已安排“本县模具产业集群”的答辩，"
        "时间重叠，请调整时间或地点。"
    )
    assert DefenceSlot.objects.count() == 1
    assert HearingEvent.objects.count() == 1
    # Back to back in the same place, or at the same time elsewhere: both fine.
    _schedule(review, review.other, start=(9, 40), end=(10, 20))
    assert DefenceSlot.objects.count() == 2


def test_the_same_time_in_another_place_is_fine(review):
    _schedule(review)
    _schedule(review, review.other, place="线上分会场")
    assert DefenceSlot.objects.count() == 2


def test_a_slot_outside_the_phase_is_refused(review):
    with pytest.raises(HearingRefused) as refused:
        schedule_defence(
            review.phase,
            review.own,
            starts_at=PHASE_CLOSES,
            ends_at=PHASE_CLOSES.replace(hour=18),
            place=PLACE,
            actor=review.city,
        )
    assert "该环节 2023-06-30 17:00 结束" in refused.value.message
    _nothing_changed()


def test_a_slot_in_the_past_is_refused(review):
    with pytest.raises(HearingRefused) as refused:
        schedule_defence(
            review.phase,
            review.own,
            starts_at=TEST_NOW.replace(hour=8),
            ends_at=TEST_NOW.replace(hour=9),
            place=PLACE,
            actor=review.city,
        )
    assert refused.value.message == "开始时间已过，只能安排今后的答辩。"
    _nothing_changed()


def test_only_the_city_schedules(review):
    for actor in (review.county, review.expert, review.admin):
        with pytest.raises(HearingRefused) as refused:
            _schedule(review, actor=actor)
        assert "只有市经信局" in refused.value.message
    _nothing_changed()


def test_which_application_and_phase(review):
    elsewhere = make_application(
        round_=make_round(), path=(S.SUBMITTED, S.UNDER_REVIEW), city_officer=review.city
    )
    with pytest.raises(HearingRefused, match="不属于该评审环节所在的申报轮次"):
        _schedule(review, elsewhere)
    draft = make_application(round_=review.round)
    with pytest.raises(HearingRefused, match="只有审核中的申报可以安排答辩"):
        _schedule(review, draft)
    review.phase = make_phase(review.round, name="实地走访", with_defence=False, position=2)
    with pytest.raises(HearingRefused, match="不含现场答辩"):
        _schedule(review)
    _nothing_changed()


def test_one_slot_per_application_and_phase(review):
    _schedule(review)
    with pytest.raises(HearingRefused, match="已安排答辩，请修改原有安排"):
        _schedule(review, place="另一会议室")
    assert DefenceSlot.objects.count() == 1


def test_changing_a_slot_tells_the_county_again(review):
    slot = _schedule(review)
    change_defence(
        slot,
        starts_at=at(SLOT_DAY, 14),
        ends_at=at(SLOT_DAY, 14, 40),
        place="会议室B",
        actor=review.city,
    )
    slot.refresh_from_db()
    assert (slot.place, defence.local(slot.starts_at).hour) == ("会议室B", 14)
    latest = Notification.objects.filter(kind=NotificationKind.DEFENCE).latest("pk")
    assert "已调整" in latest.title
    assert "14:00—14:40" in latest.body
    event = HearingEvent.objects.latest("pk")
    assert event.action == HearingAction.SLOT_CHANGED
    assert event.detail["before"]["place"] == PLACE
    assert event.detail["after"]["place"] == "会议室B"


def test_a_held_slot_can_be_neither_changed_nor_cancelled(review, clock_at):
    slot = _schedule(review)
    clock_at(at(SLOT_DAY, 10))
    with pytest.raises(HearingRefused, match="不能调整"):
        change_defence(
            slot,
            starts_at=at(SLOT_DAY, 14),
            ends_at=at(SLOT_DAY, 15),
            place=PLACE,
            actor=review.city,
        )
    with pytest.raises(HearingRefused, match="不能取消"):
        cancel_defence(slot, actor=review.city)
    slot.refresh_from_db()
    assert defence.local(slot.starts_at).hour == 9
    assert HearingEvent.objects.count() == 1


def test_cancelling_deletes_the_slot_and_keeps_the_record_of_it(review):
    slot = _schedule(review)
    slot_id = slot.pk
    cancel_defence(slot, actor=review.city, reason="专家时间冲突")
    assert not DefenceSlot.objects.exists()
    event = HearingEvent.objects.latest("pk")
    assert (event.action, event.slot_id, event.reason) == (
        HearingAction.SLOT_CANCELLED,
        slot_id,
        "专家时间冲突",
    )
    notice = Notification.objects.filter(kind=NotificationKind.DEFENCE).latest("pk")
    assert "已取消" in notice.title
    assert "专家时间冲突" in notice.body


def test_recording_a_defence(review, clock_at):
    slot = _schedule(review)
    with pytest.raises(HearingRefused, match="尚未开始，不能记录答辩情况"):
        record_defence(slot, attended=True, attendees="张三", actor=review.city)
    clock_at(at(SLOT_DAY, 9, 45))
    with pytest.raises(HearingRefused, match="到场时请填写到场人员"):
        record_defence(slot, attended=True, attendees=" ", actor=review.city)
    with pytest.raises(HearingRefused, match="第 2 组问答只填写了回答"):
        record_defence(
            slot,
            attended=True,
            attendees="张三",
            questions=[("研发投入如何核算？", "按审计报告"), ("", "只有回答")],
            actor=review.city,
        )
    assert not DefenceRecord.objects.exists()

    record = record_defence(
        slot,
        attended=True,
        attendees="张三（运营机构主任）、李四",
        questions=[
            QA("研发投入如何核算？", "按审计报告口径"),
            ("", ""),
            ("龙头企业有几家？", "5 家"),
        ],
        notes="陈述超时 2 分钟",
        actor=review.city,
    )
    assert record.questions == [
        {"question": "研发投入如何核算？", "answer": "按审计报告口径"},
        {"question": "龙头企业有几家？", "answer": "5 家"},
    ]
    # A correction replaces the record; the events keep both.
    record_defence(slot, attended=False, actor=review.city, notes="未到场")
    record.refresh_from_db()
    assert (record.attended, record.questions) == (False, [])
    recorded = HearingEvent.objects.filter(action=HearingAction.DEFENCE_RECORDED)
    assert [e.detail["corrected"] for e in recorded] == [False, True]
    with pytest.raises(HearingRefused, match="该答辩已有记录，不能取消"):
        cancel_defence(slot, actor=review.city, at=at(SLOT_DAY, 8))


def test_too_many_questions_are_refused(review, clock_at):
    slot = _schedule(review)
    clock_at(at(SLOT_DAY, 10))
    with pytest.raises(HearingRefused, match="问答记录最多 50 组"):
        record_defence(slot, attended=False, questions=[("问", "答")] * 51, actor=review.city)


def test_events_are_append_only(review):
    _schedule(review)
    event = HearingEvent.objects.get()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        HearingEvent.objects.update(reason="改写")


def test_a_county_sees_only_its_own_slots(review):
    mine = _schedule(review)
    _schedule(review, review.other, place="会议室B")
    assert list(county_slots(review.county)) == [mine]
    assert list(county_slots(review.city)) == []
    assert list(county_slots(review.expert)) == []


def test_an_expert_sees_the_slots_of_open_assignments_only(review):
    mine = _schedule(review)
    _schedule(review, review.other, place="会议室B")
    assert list(expert_slots(review.expert)) == []
    Assignment.objects.create(
        phase=review.phase,
        application=review.own,
        expert=review.expert,
        why="领域匹配：模具",
        created_at=TEST_NOW,
    )
    assert list(expert_slots(review.expert)) == [mine]
    assert list(expert_slots(review.city)) == []
    Assignment.objects.update(status=AssignmentStatus.RECUSED, recusal_reason="曾任顾问")
    assert list(expert_slots(review.expert)) == []
    Assignment.objects.update(status=AssignmentStatus.ACTIVE, recusal_reason="")
    review.phase.status, review.phase.closed_at = PhaseStatus.CLOSED, TEST_NOW
    review.phase.save()
    assert list(expert_slots(review.expert)) == []


def test_automatic_scheduling_in_order(review):
    third = make_application(
        round_=review.round, path=(S.SUBMITTED, S.UNDER_REVIEW), city_officer=review.city
    )
    _schedule(review, review.other, place="会议室B")  # already has its slot
    slots = defence.auto_schedule(
        review.phase,
        day=SLOT_DAY,
        first_start=dt.time(9, 0),
        minutes=30,
        gap=10,
        place=PLACE,
        actor=review.city,
    )
    expected = sorted([review.own, third], key=lambda a: (a.organisation.position, a.pk))
    assert [slot.application for slot in slots] == expected
    assert [defence.when_text(slot) for slot in slots] == [
        "2023年05月16日 09:00—09:30",
        "2023年05月16日 09:40—10:10",
    ]
    assert Notification.objects.filter(kind=NotificationKind.DEFENCE).count() == 3
    with pytest.raises(HearingRefused, match="审核中的申报均已安排"):
        defence.auto_schedule(
            review.phase, day=SLOT_DAY, first_start=dt.time(14), minutes=30, actor=review.city
        )


def test_automatic_scheduling_is_all_or_nothing(review):
    blocker = _schedule(review, place="会议室B", start=(9, 30), end=(9, 50))
    make_application(
        round_=review.round, path=(S.SUBMITTED, S.UNDER_REVIEW), city_officer=review.city
    )
    cases = [
        ({"first_start": dt.time(9, 0), "place": "会议室B"}, "第 2 场"),
        ({"first_start": dt.time(17, 30)}, "排到 18:30，超过当天 18:00"),
        ({"first_start": dt.time(9, 0), "minutes": 5}, "每场答辩时长应在 10–180 分钟之间"),
    ]
    for fields, message in cases:
        with pytest.raises(HearingRefused, match=message):
            defence.auto_schedule(
                review.phase,
                day=SLOT_DAY,
                minutes=fields.pop("minutes", 30),
                actor=review.city,
                place=fields.pop("place", PLACE),
                **fields,
            )
    assert list(DefenceSlot.objects.all()) == [blocker]
    assert HearingEvent.objects.count() == 1
