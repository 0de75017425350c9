"""The earlier round, 2022年度: closed, its three clusters certified and in the registry.

Played once, when the round is missing, through the same doors as the 2023 round's review and
at the dates of a 2022 call (``demo.timeline``; moved forward by whole years when the demo is
seeded so late that the clusters would no longer be valid): submitted, accepted, assigned
automatically, scored by five experts each, the phase closed, the 会审 proposing all three,
the 公示 of 5 working days, the 发文 (甬经信中小〔2022〕38号) certifying them for 3 years, and
the round closed.

The 2022 call asked for the data years 2019–2021; the form has one version, 2023's (data years
2020–2022), which the demo's applications of both rounds are filled in on.
"""

from __future__ import annotations

import datetime as dt

from clusterdesk.accounts.models import Organisation, User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.workflow import transition
from clusterdesk.demo import timeline as t
from clusterdesk.demo.chain import active_assignments, at, step
from clusterdesk.demo.scores import sheet_data
from clusterdesk.demo.seed import (
    DemoApplication,
    SeedReport,
    accept_with_paper,
    create_demo_application,
)
from clusterdesk.panel import workdays
from clusterdesk.publicity.domain.decision import Choice, record_decision
from clusterdesk.publicity.domain.publicity import start_publicity
from clusterdesk.registry.domain.publish import publish
from clusterdesk.review.domain.assignments import auto_assign
from clusterdesk.review.domain.phases import (
    close_phase,
    open_phase,
    phases_for,
    remove_phase,
    update_phase,
)
from clusterdesk.review.enums import PhaseKind
from clusterdesk.rounds.domain import close_round
from clusterdesk.rounds.enums import RoundStatus
from clusterdesk.rounds.models import Round
from clusterdesk.scoring.domain.settings import rubric_of, scoring_settings
from clusterdesk.scoring.domain.sheets import submit_sheet

State = ApplicationState

ROUND_NAME = "2022年度"
DOCUMENT_NUMBER = "甬经信中小〔2022〕38号"

# (the cluster, the experts' common level): the ranking's order.
CLUSTERS: tuple[tuple[DemoApplication, float], ...] = (
    (DemoApplication("宁海县"), 8.8),
    (
        DemoApplication(
            "余姚市",
            name="宁波余姚泗门汽车模具中小企业特色产业集群（模具产业）",
            town="泗门",
        ),
        8.1,
    ),
    (
        DemoApplication(
            "慈溪市",
            name="宁波慈溪周巷家电模具中小企业特色产业集群（家电模具产业）",
            town="周巷",
            leading_industry="家电模具",
        ),
        7.7,
    ),
)

# The call's calendar as of 2022 (``Dates`` moves it).
DEADLINE = dt.date(2022, 6, 30)
CREATED = dt.date(2022, 6, 6)  # the drafts
SUBMITTED = dt.date(2022, 6, 20)
RECEIVED = dt.date(2022, 6, 24)  # the paper set
ACCEPTED = dt.date(2022, 7, 4)
PHASE_OPENS = dt.date(2022, 8, 1)
SCORED = dt.date(2022, 8, 10)
PHASE_CLOSES = dt.date(2022, 8, 19)
DECIDED = dt.date(2022, 8, 26)
PUBLICITY = dt.date(2022, 9, 1)
ISSUED = dt.date(2022, 9, 26)  # timeline.EARLIER_LAST_DAY

DECISION_MEMBERS = "市经信局分管副局长（主持），中小企业处、产业发展处、法规处负责人"
DECISION_MINUTES = (
    "会议听取了专家评审情况的汇报。三个申报集群专家评审综合得分均达到认定要求，"
    "会议同意列为拟认定对象，按程序公示。"
)
PUBLICITY_CONTACT = "中小企业处 王立群 0574-89189135"


class Dates:
    """The 2022 calendar moved by ``years`` (working days kept where a door wants one)."""

    def __init__(self, years: int) -> None:
        self.years = years

    def __call__(self, day: dt.date) -> dt.date:
        return t.shifted(day, self.years)

    def working(self, day: dt.date) -> dt.date:
        return t.working_day_on_or_after(self(day))


def seed_earlier_round(
    report: SeedReport,
    officers: dict[str, tuple[Organisation, User]],
    city: User,
    experts: list[User],
) -> None:
    if Round.objects.filter(name=ROUND_NAME).exists():
        return
    years = min(t.earlier_shift(t.today()), max(workdays.covered_years()) - t.EARLIER_YEAR)
    dates = Dates(max(years, 0))
    official = t.moment(DEADLINE, 23, 59)
    round_ = Round.objects.create(
        name=ROUND_NAME,
        first_data_year=2019,
        last_data_year=2021,
        reference_date=dt.date(2021, 12, 31),
        submission_deadline=t.moment(dates(DEADLINE), 23, 59),
        notice_deadline=official,  # pages mark a moved deadline 演示
        county_limit=2,
        form_version="2023",
        criteria_profile="national-2022",
        status=RoundStatus.OPEN,
    )
    report.rounds_created += 1

    applications = []
    for demo, _ in CLUSTERS:
        unit, officer = officers[demo.county]
        data = demo.form_data()
        data["cover"]["declared_on"] = dates(SUBMITTED).isoformat()
        with clock.frozen(at(dates(CREATED), 9)):
            application = create_demo_application(round_, unit, officer, data)
        report.applications_created += 1
        step(at(dates(SUBMITTED), 10), transition, application, State.SUBMITTED, officer)
        accept_with_paper(
            application,
            city,
            at(dates.working(RECEIVED), 15),
            at(dates.working(ACCEPTED), 9, 30),
            formal_check=False,
        )
        applications.append(application)

    phases = phases_for(round_)
    expert_review = next(p for p in phases if p.kind == PhaseKind.EXPERT_REVIEW)
    for phase in phases:  # 2022: no 实地走访
        if phase.kind != PhaseKind.EXPERT_REVIEW:
            step(at(dates(PHASE_OPENS), 8), remove_phase, phase, city)
    opens, closes = at(dates(PHASE_OPENS), 9), at(dates(PHASE_CLOSES), 17)
    step(opens, update_phase, expert_review, city, opens_at=opens, closes_at=closes)
    step(opens, open_phase, expert_review, city, at=opens)
    step(opens, auto_assign, expert_review, city, at=opens + dt.timedelta(hours=1))

    rubric = rubric_of(scoring_settings(round_))
    positions = {user.pk: position for position, user in enumerate(experts)}
    for application, (_, level) in zip(applications, CLUSTERS, strict=True):
        for number, assignment in enumerate(active_assignments(expert_review, application)):
            moment = at(dates(SCORED), 9) + dt.timedelta(days=number % 3, hours=number)
            data = sheet_data(rubric, level, positions.get(assignment.expert_id, 0))
            step(moment, submit_sheet, assignment, data, None, assignment.expert, at=moment)
    step(closes, close_phase, expert_review, city, at=closes + dt.timedelta(minutes=30))

    decided = dates(DECIDED)
    choices = [Choice(application.pk, proposed=True) for application in applications]
    step(
        at(decided, 16),
        record_decision,
        round_,
        decided,
        DECISION_MEMBERS,
        DECISION_MINUTES,
        choices,
        city,
    )
    starts = dates.working(PUBLICITY)
    step(at(starts, 9), start_publicity, round_, starts, PUBLICITY_CONTACT, city)
    issued = dates.working(ISSUED)
    for application in applications:  # moved by the decision since they were read
        application.refresh_from_db()
    step(at(issued, 10), publish, round_, applications, DOCUMENT_NUMBER, issued, city)
    step(at(issued, 11), close_round, round_, actor=city)
