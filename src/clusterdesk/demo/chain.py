"""The 2023 round under review, at two stages at once (dates: ``demo.timeline``).

First batch (``FIRST_BATCH``, four committees' and counties' clusters accepted weeks ago): the
专家评审（含现场答辩） ran with five experts per application and its defences, and closed — the
ranking shows one application on which the experts disagree —; the 实地走访 followed (one
visit 属实, one 部分属实); the 会审 proposed three and refused the fourth; the 公示 of the three
runs over today, with a signed objection under investigation and an anonymous one not accepted.

Second batch (鄞州区 and 奉化区, accepted later by the desk's own stories in ``seed``): a second
expert phase, 专家评审（第二批，含现场答辩）, is open now: experts were assigned automatically
(the expert with a declared conflict at an enterprise of 奉化区 is kept out with the reason), one
expert declared 回避 and was replaced, two sheets are submitted and one is begun, and the
defences are scheduled for next week. So every role finds work waiting: experts on /scoring/,
the city at every step, the counties in their notifications, and the public on /gongshi/.

Everything goes through the apps' doors with explicit times (``at=``) and, where a door reads
the clock, inside ``clock.frozen``. The first batch is played before the desk's stories accept
the second (a 会审 decides on every application under review); in a database seeded before
this module existed (the second batch already under review, no first batch) the review story
is left out and the seed says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from clusterdesk.accounts.models import Organisation, User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import transition
from clusterdesk.demo import timeline as t
from clusterdesk.demo.scores import draft_data, sheet_data
from clusterdesk.hearings.domain.defence import record_defence, schedule_defence
from clusterdesk.hearings.domain.visits import plan_visit, record_visit
from clusterdesk.panel import workdays
from clusterdesk.publicity.domain.decision import Choice, record_decision
from clusterdesk.publicity.domain.objections import handle_objection, record_objection
from clusterdesk.publicity.domain.publicity import start_publicity
from clusterdesk.review.domain.assignments import auto_assign, recuse, replace
from clusterdesk.review.domain.phases import (
    add_phase,
    close_phase,
    open_phase,
    phases_for,
    update_phase,
)
from clusterdesk.review.enums import AssignmentStatus, PhaseKind
from clusterdesk.review.models import Assignment, ReviewPhase
from clusterdesk.rounds.models import Round
from clusterdesk.scoring.domain.settings import rubric_of, scoring_settings
from clusterdesk.scoring.domain.sheets import save_draft, submit_sheet

State = ApplicationState


# --- what happens -----------------------------------------------------------------------------

# (county, the experts' common level 0–10, proposed) in the order of the ranking.
FIRST_BATCH: tuple[tuple[str, float, bool], ...] = (
    ("余姚市", 8.5, True),
    ("宁波保税区", 8.0, True),  # one expert dissents: the disagreement flag
    ("宁波大榭开发区", 7.5, True),
    ("宁波东钱湖旅游度假区", 6.5, False),
)
DISSENT_COUNTY = "宁波保税区"
SECOND_BATCH: tuple[str, ...] = ("鄞州区", "奉化区")

SECOND_PHASE_NAME = "专家评审（第二批，含现场答辩）"

DEFENCE_PLACE = "宁波市行政中心1号楼12楼第三会议室（宁波市经济和信息化局）"
DEFENCE_ATTENDEES = "{county}经信部门分管负责人、集群运营机构负责人及两家骨干企业代表，共 4 人"
DEFENCE_QA: tuple[tuple[str, str], ...] = (
    (
        "集群近三年研发投入强度逐年提高，主要来自哪些企业？公共研发平台如何向中小企业开放？",
        "主要来自三家龙头企业和十余家专精特新企业；公共研发平台按成本价向集群内中小企业开放，"
        "去年服务中小企业 120 余家次。",
    ),
    (
        "运营机构的专职人员和经费来源是什么？",
        "运营机构有专职人员 8 名，经费由管委会年度预算安排，另有平台服务收入。",
    ),
)
DEFENCE_NOTES = "按时到场，陈述 15 分钟，答辩 20 分钟，材料与申报一致。"

VISIT_MEMBERS = "市经信局中小企业处 2 人，{county}经信部门 1 人"
VISITS: tuple[tuple[str, str, dict[str, str], str], ...] = (
    (
        "余姚市",
        "true",
        {
            "core_competitiveness": (
                "走访龙头企业 2 家、中小企业 3 家，生产经营正常，产品与申报一致。"
            ),
            "governance": "运营机构办公场所、专职人员和服务台账齐全。",
        },
        "",
    ),
    (
        "宁波大榭开发区",
        "partly",
        {
            "quality_smes": "申报的专精特新中小企业中有 1 家已于今年迁出开发区。",
            "digital": "工业互联网平台已上线，接入企业数少于申报数。",
        },
        "申报的专精特新中小企业数多计 1 家，工业互联网平台接入企业数为 36 家（申报 52 家），"
        "其余情况属实。已请开发区经信部门书面说明。",
    ),
)

DECISION_MEMBERS = (
    "市经信局分管副局长（主持），中小企业处、产业发展处、法规处负责人，专家组组长陈立新教授（列席）"
)
DECISION_MINUTES = (
    "会议听取了专家评审、现场答辩和实地走访情况的汇报，按专家评审排名逐一研究。"
    "宁波保税区申报的集群有一位专家评分明显偏低，经复核其意见主要涉及佐证材料完整性，"
    "按去掉一个最高分和一个最低分后的平均分排名不变。宁波大榭开发区的实地走访结论为部分属实，"
    "差异不影响认定条件。会议同意将排名前三的集群列为拟认定对象，按程序公示。"
)
REJECT_REASON = (
    "专家评审综合得分未达到认定要求：核心竞争力和协同创新能力的佐证不充分，"
    "运营机构尚在组建。建议加强培育后在以后年度重新申报。"
)
PUBLICITY_CONTACT = "中小企业处 王立群 0574-89189135"

OBJECTIONS: tuple[dict[str, Any], ...] = (
    {
        "county": "宁波大榭开发区",
        "name": "林国栋",
        "organisation": "宁波某模具配件有限公司",
        "contact": "0574-86712345",
        "content": "该集群申报材料所列的专精特新中小企业中，有一家企业已迁出大榭开发区，"
        "申报数据与实际不符，请核查。",
        "day": 2,  # the 公示's working day it arrived on (1 = its first)
        "notes": "已转请大榭开发区经济发展局核实，并调取实地走访记录比对；"
        "走访时已发现该情况，待开发区书面说明后提出处理意见。",
    },
    {
        "county": "宁波保税区",
        "name": "",
        "organisation": "",
        "contact": "",
        "content": "该集群的龙头企业存在环保问题，不应认定。",
        "day": 1,
        "notes": "",
    },
)

RECUSAL_REASON = "本人近三年曾为该集群运营机构提供模具技术咨询服务，申请回避。"
SECOND_DEFENCES = (("鄞州区", 9, 30), ("奉化区", 10, 45))  # (county, hour, minute)


# --- the story --------------------------------------------------------------------------------


class Calendar:
    """The days of the story, from the day the demo is seeded (``today``)."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.created = at(t.working_days_before(today, 36), 9)  # the drafts
        self.submitted = t.working_days_before(today, 32)
        self.paper_received = t.working_days_before(today, 30)
        self.accepted = t.working_days_before(today, 28)
        self.first_opens = t.working_days_before(today, 25)
        self.defence_scheduled = t.working_days_before(today, 24)
        self.defence_day = t.working_days_before(today, 17)
        self.first_closes = t.working_days_before(today, 13)
        self.visits_open = t.working_days_before(today, 12)
        self.visit_days = (t.working_days_before(today, 11), t.working_days_before(today, 10))
        self.visits_close = t.working_days_before(today, 8)
        # The 公示 runs over today: today is (about) its third working day.
        self.publicity_starts = t.working_days_before(today, 2)
        self.decided = t.working_days_before(self.publicity_starts, 3)
        self.second_opens = t.working_days_before(today, 1)  # see play_second_batch
        self.second_closes = today + dt.timedelta(days=14)
        self.second_defences = t.working_day_on_or_after(today + dt.timedelta(days=5))

    def publicity_day(self, number: int) -> dt.date:
        """The ``number``-th working day of the 公示 (1: its first), never after today."""
        day = self.publicity_starts
        for _ in range(number - 1):
            day = t.working_day_on_or_after(day + dt.timedelta(days=1))
        return min(day, self.today)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return t.moment(day, hour, minute)


def step(moment: dt.datetime, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``action`` done at ``moment``: the clock frozen there (the caller also passes ``at=`` to
    the doors that take one, which then need not read the clock)."""
    with clock.frozen(moment):
        return action(*args, **kwargs)


def first_batch_wanted(round_: Round) -> bool:
    """Play the first batch only where it can be told coherently: into a round with nothing
    under review yet and no review phases (see the module's docstring)."""
    others = Application.objects.filter(round=round_, state=State.UNDER_REVIEW)
    return not others.exists() and not ReviewPhase.objects.filter(round=round_).exists()


def play_first_batch(
    round_: Round,
    applications: dict[str, Application],
    officers: dict[str, tuple[Organisation, User]],
    city: User,
    experts: list[User],
    *,
    accept_with_paper: Callable[..., None],
) -> list[str]:
    """The first batch from its submission to the 公示 running today (see the docstring);
    ``accept_with_paper(application, city, received, accepted)`` is the desk's 受理 (``seed``).
    Returns what could not be played, in Chinese (a 公示 beyond the official calendar's years)."""
    days = Calendar(t.today())
    for county, *_ in FIRST_BATCH:
        application = applications[county]
        step(at(days.submitted, 10), transition, application, State.SUBMITTED, officers[county][1])
        accept_with_paper(application, city, at(days.paper_received, 15), at(days.accepted, 9, 30))

    expert_review, site_visit = _default_phases(round_)
    step(
        at(days.first_opens, 8),
        update_phase,
        expert_review,
        city,
        opens_at=at(days.first_opens, 9),
        closes_at=at(days.first_closes, 17),
    )
    step(at(days.first_opens, 9), open_phase, expert_review, city, at=at(days.first_opens, 9))
    step(at(days.first_opens, 10), auto_assign, expert_review, city, at=at(days.first_opens, 10))

    _defences(expert_review, applications, days, city)
    _score_first_batch(round_, expert_review, applications, days, experts)
    closed = at(days.first_closes, 17, 30)
    step(closed, close_phase, expert_review, city, at=closed)

    _visits(round_, site_visit, applications, days, city)
    _decide(round_, applications, days, city)
    # A 公示 counts working days by the official calendar, published a year at a time.
    last = days.today + dt.timedelta(days=14)  # its end, whatever holidays follow today
    if not (workdays.covers(days.publicity_starts) and workdays.covers(last)):
        years = workdays.covered_years()
        return [
            f"节假日日历只覆盖{years.start}—{years.stop - 1}年，未创建2023年度的公示演示；"
            "拟认定的集群在“会审与公示”中等待公示。"
        ]
    _publicise(round_, applications, days, city)
    return []


def play_second_batch(
    round_: Round,
    applications: dict[str, Application],
    city: User,
    experts: list[User],
    accepted: dt.datetime,
) -> None:
    """The second expert phase, open now, with the second batch's assignments and defences:
    opened the day after the desk ``accepted`` the batch (``seed._Story``: days ago)."""
    days = Calendar(t.today())
    days.second_opens = min(
        timezone.localdate(accepted, t.BEIJING) + dt.timedelta(days=1), days.today
    )
    created = at(days.second_opens, 8, 30)
    phase = step(created, _second_phase, round_, city, created)
    step(
        created,
        update_phase,
        phase,
        city,
        opens_at=at(days.second_opens, 9),
        closes_at=at(days.second_closes, 17),
    )
    step(at(days.second_opens, 9), open_phase, phase, city, at=at(days.second_opens, 9))
    step(at(days.second_opens, 10), auto_assign, phase, city, at=at(days.second_opens, 10))

    # One expert recuses from 鄞州区's application; the city replaces them automatically.
    first = applications[SECOND_BATCH[0]]
    active = active_assignments(phase, first)
    recused = active[-1]
    step(at(days.second_opens, 14), recuse, recused, recused.expert, RECUSAL_REASON)
    step(
        at(days.second_opens, 15),
        replace,
        recused,
        city,
        at=at(days.second_opens, 15),
    )

    # Two sheets submitted on 鄞州区's, one begun by expert1 on whatever they were given.
    rubric = rubric_of(scoring_settings(round_))
    positions = {user.pk: position for position, user in enumerate(experts)}
    for number, assignment in enumerate(active_assignments(phase, first)[:2]):
        data = sheet_data(rubric, 8.0, positions.get(assignment.expert_id, 0))
        moment = at(days.second_opens, 16, 30 * number)
        step(moment, submit_sheet, assignment, data, None, assignment.expert, at=moment)
    expert1 = experts[0]
    begun = (
        Assignment.objects.filter(phase=phase, expert=expert1, status=AssignmentStatus.ACTIVE)
        .exclude(score_sheet__status="submitted")
        .order_by("application__pk")
        .first()
    )
    if begun is not None:
        moment = at(days.second_opens, 17, 30)
        data = draft_data(rubric, 7.5, positions.get(expert1.pk, 0), aspects=3)
        step(moment, save_draft, begun, data, None, expert1, at=moment)

    for county, hour, minute in SECOND_DEFENCES:
        starts = at(days.second_defences, hour, minute)
        step(
            at(days.second_opens, 11),
            schedule_defence,
            phase,
            applications[county],
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            place=DEFENCE_PLACE,
            actor=city,
            at=at(days.second_opens, 11),
        )


# --- the steps --------------------------------------------------------------------------------


def _default_phases(round_: Round) -> tuple[ReviewPhase, ReviewPhase]:
    phases = phases_for(round_)
    expert_review = next(p for p in phases if p.kind == PhaseKind.EXPERT_REVIEW)
    site_visit = next(p for p in phases if p.kind == PhaseKind.SITE_VISIT)
    return expert_review, site_visit


def _second_phase(round_: Round, city: User, moment: dt.datetime) -> ReviewPhase:
    """The second expert phase, added through the review app's door like a city officer would."""
    return add_phase(
        round_,
        city,
        kind=PhaseKind.EXPERT_REVIEW,
        name=SECOND_PHASE_NAME,
        scored=True,
        with_defence=True,
        at=moment,
    )


def active_assignments(phase: ReviewPhase, application: Application) -> list[Assignment]:
    """The application's active assignments in ``phase``, by the experts' usernames (the demo
    picks "the last one" to recuse or dissent: the same expert on every run)."""
    return list(
        Assignment.objects.filter(
            phase=phase, application=application, status=AssignmentStatus.ACTIVE
        )
        .select_related("expert", "phase")
        .order_by("expert__username", "pk")
    )


def _defences(
    phase: ReviewPhase, applications: dict[str, Application], days: Calendar, city: User
) -> None:
    for number, (county, *_) in enumerate(FIRST_BATCH):
        starts = at(days.defence_day, 9) + dt.timedelta(minutes=75 * number)
        if number >= 2:  # the afternoon
            starts += dt.timedelta(hours=2, minutes=30)
        slot = step(
            at(days.defence_scheduled, 10),
            schedule_defence,
            phase,
            applications[county],
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            place=DEFENCE_PLACE,
            actor=city,
            at=at(days.defence_scheduled, 10),
        )
        step(
            at(days.defence_day, 17, 30),
            record_defence,
            slot,
            attended=True,
            attendees=DEFENCE_ATTENDEES.format(county=county),
            questions=DEFENCE_QA,
            notes=DEFENCE_NOTES,
            actor=city,
            at=at(days.defence_day, 17, 30),
        )


def _score_first_batch(
    round_: Round,
    phase: ReviewPhase,
    applications: dict[str, Application],
    days: Calendar,
    experts: list[User],
) -> None:
    """Every assigned expert submits, a few days after the defences; at DISSENT_COUNTY's the
    last of its experts (by username) dissents."""
    rubric = rubric_of(scoring_settings(round_))
    positions = {user.pk: position for position, user in enumerate(experts)}
    for county, level, _ in FIRST_BATCH:
        active = active_assignments(phase, applications[county])
        dissenter = active[-1].pk if county == DISSENT_COUNTY else None
        for number, assignment in enumerate(active):
            data = sheet_data(
                rubric,
                level,
                positions.get(assignment.expert_id, 0),
                dissent=assignment.pk == dissenter,
            )
            moment = at(days.defence_day, 18) + dt.timedelta(days=1 + number % 3, hours=-2)
            step(moment, submit_sheet, assignment, data, None, assignment.expert, at=moment)


def _visits(
    round_: Round,
    phase: ReviewPhase,
    applications: dict[str, Application],
    days: Calendar,
    city: User,
) -> None:
    step(
        at(days.visits_open, 8),
        update_phase,
        phase,
        city,
        opens_at=at(days.visits_open, 9),
        closes_at=at(days.visits_close, 17),
    )
    step(at(days.visits_open, 9), open_phase, phase, city, at=at(days.visits_open, 9))
    by_name = {
        user.username: user for user in User.objects.filter(username__in=("expert1", "expert7"))
    }
    for day, (county, conclusion, findings, notes) in zip(days.visit_days, VISITS, strict=True):
        visit = step(
            at(days.visits_open, 10),
            plan_visit,
            round_,
            applications[county],
            planned_on=day,
            members=VISIT_MEMBERS.format(county=county),
            experts=[by_name[name] for name in ("expert1", "expert7") if name in by_name],
            actor=city,
            at=at(days.visits_open, 10),
        )
        step(
            at(day, 18),
            record_visit,
            visit,
            findings=findings,
            conclusion=conclusion,
            notes=notes,
            actor=city,
            at=at(day, 18),
        )
    closed = at(days.visits_close, 17, 30)
    step(closed, close_phase, phase, city, at=closed)


def _decide(
    round_: Round, applications: dict[str, Application], days: Calendar, city: User
) -> None:
    choices = [
        Choice(
            applications[county].pk,
            proposed=proposed,
            reason="" if proposed else REJECT_REASON,
        )
        for county, _, proposed in FIRST_BATCH
    ]
    step(
        at(days.decided, 16),
        record_decision,
        round_,
        days.decided,
        DECISION_MEMBERS,
        DECISION_MINUTES,
        choices,
        city,
    )


def _publicise(
    round_: Round, applications: dict[str, Application], days: Calendar, city: User
) -> None:
    publicity = step(
        at(days.publicity_starts, 9),
        start_publicity,
        round_,
        days.publicity_starts,
        PUBLICITY_CONTACT,
        city,
    )
    for objection in OBJECTIONS:
        received = days.publicity_day(objection["day"])
        recorded = step(
            at(received, 16),
            record_objection,
            publicity,
            applications[objection["county"]],
            objection["name"],
            objection["organisation"],
            objection["contact"],
            objection["content"],
            received,
            city,
        )
        if objection["notes"]:
            step(at(received, 17), handle_objection, recorded, city, objection["notes"])
