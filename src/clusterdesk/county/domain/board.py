"""What a county officer does with the round: the board, new drafts, submitting, Word imports.

State changes go through ``workflow.transition`` (submitting takes the snapshot there); form
changes through ``editing``. This module adds the county's view of a round and the draft policy.

Draft policy: the county limit counts submitted applications (``workflow.QUOTA_STATES``). A county
may keep one draft more than it can still submit — room to try an import or a second candidate —
but no more, because drafts cannot be deleted and a draft that can never be submitted only
clutters the city's overview. Once the quota is used up, or the deadline has passed, no new draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from clusterdesk.accounts.enums import COUNTY_LEVEL_KINDS
from clusterdesk.accounts.models import Organisation, User
from clusterdesk.county.permissions import DASHBOARD, WORK
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.applications import create_application, creation_refusal
from clusterdesk.declarations.domain.editing import edit_refusal
from clusterdesk.declarations.domain.forms import PageProgress, findings_of, form_of, progress
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, Submission
from clusterdesk.declarations.workflow import QUOTA_STATES, TransitionRefused, refusal, transition
from clusterdesk.errors import DomainError
from clusterdesk.form.findings import Level
from clusterdesk.rounds.domain import open_rounds
from clusterdesk.rounds.models import Round

State = ApplicationState

# --- who may -------------------------------------------------------------------------------


def county_work_refusal(user: User) -> str | None:
    """Why ``user`` may not do a county's work (new drafts, submit, import, its documents)."""
    return WORK.refusal(user)


def dashboard_refusal(user: User) -> str | None:
    """The county dashboard (or, for the city bureau and admins, the overview of all counties)."""
    return DASHBOARD.refusal(user)


# --- time -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Countdown:
    deadline: dt.datetime
    remaining: dt.timedelta

    @property
    def passed(self) -> bool:
        return self.remaining <= dt.timedelta(0)

    @property
    def text(self) -> str:
        """剩余 3 天 14 小时; under an hour 剩余 25 分钟; 已截止 once it has passed."""
        if self.passed:
            return "已截止"
        minutes = int(self.remaining.total_seconds() // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        if days == 0 and hours == 0:
            return f"剩余 {minutes} 分钟"
        return f"剩余 {days} 天 {hours} 小时"


def countdown(deadline: dt.datetime, now: dt.datetime | None = None) -> Countdown:
    return Countdown(deadline, deadline - (now or clock.now()))


def deadline_text(deadline: dt.datetime) -> str:
    """2023年4月14日 23:59, in Beijing time whatever the database stores."""
    local = timezone.localtime(deadline)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


# --- the board ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationRow:
    application: Application
    progress: list[PageProgress]
    errors: int
    warnings: int
    editable: bool
    submit_refusal: str | None

    @property
    def state_label(self) -> str:
        return State(self.application.state).label

    @property
    def percent(self) -> int:
        """Required boxes answered, over the whole form."""
        required = sum(page.required for page in self.progress)
        filled = sum(page.filled for page in self.progress)
        return 100 if not required else round(100 * filled / required)


@dataclass(frozen=True)
class RoundBoard:
    round: Round
    countdown: Countdown
    rows: list[ApplicationRow]
    submitted: int
    new_draft_refusal: str | None

    @property
    def deadline_text(self) -> str:
        return deadline_text(self.round.submission_deadline)

    @property
    def drafts(self) -> list[Application]:
        return [row.application for row in self.rows if row.editable]


def application_row(application: Application, user: User) -> ApplicationRow:
    form = form_of(application)
    findings = findings_of(form)
    return ApplicationRow(
        application=application,
        progress=progress(form, findings),
        errors=sum(finding.level == Level.ERROR for finding in findings),
        warnings=sum(finding.level == Level.WARNING for finding in findings),
        editable=edit_refusal(application, user) is None,
        submit_refusal=submit_refusal(application, user),
    )


def county_board(user: User) -> list[RoundBoard]:
    """The open rounds with the user's own applications in each (scoped by the query)."""
    boards = []
    for round_ in open_rounds():
        applications = list(visible_applications(user).filter(round=round_).order_by("pk"))
        boards.append(
            RoundBoard(
                round=round_,
                countdown=countdown(round_.submission_deadline),
                rows=[application_row(application, user) for application in applications],
                submitted=sum(application.state in QUOTA_STATES for application in applications),
                new_draft_refusal=new_draft_refusal(round_, user),
            )
        )
    return boards


# --- new drafts -----------------------------------------------------------------------------


def new_draft_refusal(round_: Round, user: User) -> str | None:
    """Why ``user`` may not start another draft in ``round_`` now (see the module's policy)."""
    organisation = user.organisation
    if organisation is None:
        return "您的账户未指定所属单位，不能新建申报。"
    problem = creation_refusal(round_, organisation, user)
    if problem:
        return problem
    if clock.now() > round_.submission_deadline:
        return f"申报截止时间{deadline_text(round_.submission_deadline)}已过，不能新建申报。"
    mine = Application.objects.filter(round=round_, organisation=organisation)
    submitted = mine.filter(state__in=QUOTA_STATES).count()
    drafts = mine.filter(state=State.DRAFT).count()
    limit = round_.county_limit
    if submitted >= limit:
        return (
            f"本单位在“{round_}”已提交 {submitted} 个集群，达到每个申报单位 {limit} 个的上限，"
            "不能再新建申报。"
        )
    room = limit - submitted
    if drafts > room:
        return (
            f"本单位在“{round_}”已有 {drafts} 份草稿，还可提交 {room} 个集群；"
            "草稿最多比剩余名额多 1 份，请继续填写现有草稿。"
        )
    return None


def new_draft(round_: Round, user: User) -> Application:
    """Start a draft for the user's own unit, or ``DomainError`` with the reason why not."""
    with transaction.atomic():
        # Serialise drafts of one unit so two clicks cannot both pass the draft limit.
        Organisation.objects.select_for_update().filter(pk=user.organisation_id).first()
        problem = new_draft_refusal(round_, user)
        if problem:
            raise DomainError(problem)
        return create_application(round_=round_, organisation=user.organisation, actor=user)


# --- submitting -----------------------------------------------------------------------------


def submit_refusal(application: Application, user: User) -> str | None:
    """Why ``user`` may not submit ``application`` now (the door's reasons, worded for a county)."""
    if application.state not in (State.DRAFT, State.RETURNED):
        label = State(application.state).label
        return f"申报当前为“{label}”，已经提交过，不能重复提交。"
    return refusal(application, State.SUBMITTED, user)


def submit(application: Application, user: User) -> Submission:
    """Submit through the workflow door; it checks the rules and takes the snapshot."""
    problem = submit_refusal(application, user)
    if problem:
        raise TransitionRefused(problem)
    event = transition(application, State.SUBMITTED, user)
    return event.submission


# --- the city's overview --------------------------------------------------------------------


@dataclass(frozen=True)
class CountyLine:
    organisation: Organisation
    applications: list[Application]


@dataclass(frozen=True)
class RoundOverview:
    round: Round
    countdown: Countdown
    counties: list[CountyLine]

    @property
    def deadline_text(self) -> str:
        return deadline_text(self.round.submission_deadline)


def city_overview(user: User) -> list[RoundOverview]:
    """Every county-level unit with its applications, per open round (what ``user`` may see)."""
    units = list(Organisation.objects.filter(kind__in=sorted(COUNTY_LEVEL_KINDS)))
    overviews = []
    for round_ in open_rounds():
        by_unit: dict[int, list[Application]] = {}
        for application in visible_applications(user).filter(round=round_).order_by("pk"):
            by_unit.setdefault(application.organisation_id, []).append(application)
        overviews.append(
            RoundOverview(
                round_,
                countdown(round_.submission_deadline),
                [CountyLine(unit, by_unit.get(unit.pk, [])) for unit in units],
            )
        )
    return overviews
