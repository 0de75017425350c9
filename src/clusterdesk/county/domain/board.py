"""What a county officer does with the round: the board, new drafts, submitting, Word imports.

State changes go through ``workflow.transition`` (submitting takes the snapshot there); form
changes through ``editing``. This module adds the county's view of a round and the draft policy.

Draft policy: the county limit counts submitted applications (``workflow.QUOTA_STATES``). A county
may keep one draft more than it can still submit — room to try an import or a second candidate —
but no more: a draft that can never be submitted only clutters the city's inbox. A draft the
county no longer wants can be deleted (state 已删除, recorded as a move of the workflow with who,
when and why); a deleted draft takes no room, cannot be edited or submitted, is listed folded
under its round, and only the city bureau can restore it. Once the quota is used up, or the
deadline has passed, no new draft.

The board lists every round the county has applications in, not only the open ones: closing a
round hides nothing. A closed round takes no new draft and no first submission, but a returned
application in it can still be corrected and resubmitted (the workflow's resubmit move does not
ask for an open round), and everything in it stays readable and printable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, Window
from django.db.models.fields.json import KT
from django.db.models.functions import RowNumber
from django.utils import timezone

from clusterdesk.accounts.models import Organisation, User
from clusterdesk.county.permissions import DASHBOARD, WORK
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.applications import create_application, creation_refusal
from clusterdesk.declarations.domain.comments import open_counts
from clusterdesk.declarations.domain.editing import edit_refusal
from clusterdesk.declarations.domain.forms import (
    FormSummary,
    PageProgress,
    application_summaries,
)
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.domain.timeline import TimelineEntry, latest_arrivals
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, Submission, SummaryHeader
from clusterdesk.declarations.permissions import DELETE
from clusterdesk.declarations.workflow import (
    QUOTA_STATES,
    TransitionRefused,
    county_limit_refusal,
    find_move,
    form_errors_refusal,
    no_form_errors,
    refusal,
    transition,
    within_county_limit,
)
from clusterdesk.documents import attachment1
from clusterdesk.errors import DomainError
from clusterdesk.rounds.enums import RoundKind, RoundStatus
from clusterdesk.rounds.models import Round

State = ApplicationState

# --- who may -------------------------------------------------------------------------------


def county_work_refusal(user: User) -> str | None:
    """Why ``user`` may not do a county's work (new drafts, submit, import, its documents)."""
    return WORK.refusal(user)


def dashboard_refusal(user: User) -> str | None:
    """The county dashboard (the city bureau and admins are sent on to their desk)."""
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

# Rows shown per round on the dashboard (a county holds a few per round; the city may restore
# more): the rest of a round is a link away (``?round=<id>&page=<n>``).
ROWS_PER_ROUND = 20
# Deleted drafts listed under each round (folded; only the city can restore them).
DELETED_SHOWN = 20


@dataclass(frozen=True)
class ApplicationRow:
    """One application on the dashboard: its summary (counted once, cached by data version),
    what the county may do with it, and for a returned one the city's reason."""

    application: Application
    summary: FormSummary
    editable: bool
    submit_refusal: str | None
    returned: TimelineEntry | None = None
    deletable: bool = False
    open_comments: int = 0  # 审核意见 sent with a return, not yet answered
    # 未认定: the 不予认定 move with the city's reason (never a score or an expert's name: the
    # reason is the one the city wrote at the 会审 or on an upheld objection).
    rejected: TimelineEntry | None = None

    @property
    def state_label(self) -> str:
        return State(self.application.state).label

    @property
    def content_key(self) -> tuple | None:
        """Everything the row shows (the dashboard keeps it rendered, ``cached_content``): the
        data version with its summary, and what the reader may do. None while debugging, so a
        template edit shows at once."""
        if settings.DEBUG:
            return None
        app = self.application
        return (
            "board-row",
            app.pk,
            app.version,
            app.updated_at,
            app.state,
            app.cluster_name,
            self.summary,
            self.editable,
            self.submit_refusal,
            repr(self.returned),
            self.deletable,
            self.open_comments,
            repr(self.rejected),
        )

    @property
    def progress(self) -> tuple[PageProgress, ...]:
        return self.summary.progress

    @property
    def errors(self) -> int:
        return self.summary.errors

    @property
    def warnings(self) -> int:
        return self.summary.warnings

    @property
    def percent(self) -> int:
        return self.summary.percent


@dataclass(frozen=True)
class DeletedRow:
    """A deleted draft under its round: its name, and who deleted it when (and why)."""

    application: Application
    name: str
    deleted: TimelineEntry | None


@dataclass(frozen=True)
class RoundBoard:
    round: Round
    countdown: Countdown
    rows: list[ApplicationRow]
    submitted: int
    new_draft_refusal: str | None
    counts: dict[str, int] = field(default_factory=dict)  # state → the unit's applications
    deleted: list[DeletedRow] = field(default_factory=list)
    page: int = 1
    header: attachment1.SummaryHeader | None = None

    @property
    def is_open(self) -> bool:
        return self.round.is_open

    @property
    def deadline_text(self) -> str:
        return deadline_text(self.round.submission_deadline)

    @property
    def total(self) -> int:
        """The unit's applications in the round, deleted drafts not counted."""
        return sum(n for state, n in self.counts.items() if state != State.DELETED)

    @property
    def deleted_total(self) -> int:
        return self.counts.get(State.DELETED, 0)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // ROWS_PER_ROUND))

    @property
    def preview(self) -> bool:
        """Attachment 1 and the package list the drafts until something is submitted."""
        return not self.submitted


def rows_submit_refusal(
    application: Application, user: User, taken: int, summary: FormSummary
) -> str | None:
    """``submit_refusal`` for a list: the workflow's guards of the submit move, with the county's
    count and the form's errors taken from what the list already holds (no query, no
    validation per row)."""
    if application.state not in (State.DRAFT, State.RETURNED):
        return submit_refusal(application, user)  # says it was submitted; asks nothing
    move = find_move(application.state, State.SUBMITTED)
    who = WORK.refusal(user)
    if move is None or who:
        return who or refusal(application, State.SUBMITTED, user)
    for guard in move.guards:
        if guard is within_county_limit:
            problem = county_limit_refusal(application, taken)
        elif guard is no_form_errors:
            problem = form_errors_refusal(summary.errors)
        else:
            problem = guard(application, user)
        if problem:
            return problem
    return None


def _rounds_of(having: set[int], only: int | None) -> list[Round]:
    """Open rounds, then every other round the unit has applications in (``having``; newest
    first)."""
    # The annual reports have their own page (年度报告, the monitoring app).
    wanted = Round.objects.exclude(kind=RoundKind.ANNUAL)
    wanted = wanted.filter(Q(status=RoundStatus.OPEN) | Q(pk__in=having))
    if only is not None:
        wanted = wanted.filter(pk=only)
    rounds = list(wanted)
    opened = sorted((r for r in rounds if r.is_open), key=lambda r: (r.submission_deadline, r.pk))
    closed = sorted(
        (r for r in rounds if not r.is_open),
        key=lambda r: (r.submission_deadline, r.pk),
        reverse=True,
    )
    return opened + closed


def _shown(queryset, first: int, last: int, most: int):
    """Each round's rows ``first``–``last`` (1-based, creation order) in one query; ``most``:
    the largest number of rows a round has (when all fit, no numbering is needed)."""
    if first == 1 and most <= last:
        return list(queryset.order_by("pk"))
    numbered = queryset.annotate(
        row_number=Window(RowNumber(), partition_by=[F("round_id")], order_by=[F("pk").asc()])
    )
    return list(numbered.filter(row_number__gte=first, row_number__lte=last).order_by("pk"))


def county_board(user: User, only_round: int | None = None, page: int = 1) -> list[RoundBoard]:
    """Every round the user's unit has applications in, and the open rounds: open ones first,
    then closed and past ones newest first. A fixed number of queries whatever the number of
    rounds and applications; no form is validated here (summaries are cached by data version).
    ``only_round`` with ``page`` shows one round's rows page by page."""
    everything: dict[int, dict[str, int]] = {}  # round → state → the unit's applications
    unit = visible_applications(user).order_by()
    for line in unit.values("round_id", "state").annotate(n=Count("pk")):
        everything.setdefault(line["round_id"], {})[line["state"]] = line["n"]
    rounds = _rounds_of(set(everything), only_round)
    if not rounds:
        return []
    # The rows print nothing of their unit (the user's own): no join for it.
    mine = visible_applications(user).filter(round__in=rounds).select_related(None)
    mine = mine.select_related("round")
    counts = {r.pk: everything.get(r.pk, {}) for r in rounds}
    listed = max(sum(n for s, n in c.items() if s != State.DELETED) for c in counts.values())
    deleted_most = max(c.get(State.DELETED, 0) for c in counts.values())
    first = (page - 1) * ROWS_PER_ROUND + 1 if only_round is not None else 1
    # The rows need no form: their summaries, kept by data version, hold what the rows show of
    # it (``application_summaries`` loads the forms of the rows not summarised yet, in one query).
    applications = _shown(
        mine.exclude(state=State.DELETED).defer("data"), first, first + ROWS_PER_ROUND - 1, listed
    )
    # A deleted draft's row needs its name, not its form.
    deleted = (
        _shown(
            mine.filter(state=State.DELETED)
            .defer("data")
            .annotate(name=KT("data__part1__cluster_name")),
            1,
            DELETED_SHOWN,
            deleted_most,
        )
        if deleted_most
        else []
    )
    summaries = application_summaries(applications)
    for app in applications:
        if "data" not in app.__dict__:
            app.json_cluster_name = summaries[app.pk].name  # what ``cluster_name`` reads
    # Why each returned row was returned or not certified, who deleted each deleted draft: one
    # query for all three.
    arrivals = latest_arrivals(
        [*applications, *deleted], State.RETURNED, State.REJECTED, State.DELETED
    )
    unanswered = open_counts([app.pk for app in applications])  # one query for every row
    headers = {
        header.round_id: header
        for header in SummaryHeader.objects.filter(
            round__in=rounds, organisation_id=user.organisation_id
        )
    }
    boards = []
    for round_ in rounds:
        in_round = [app for app in applications if app.round_id == round_.pk]
        round_counts = counts[round_.pk]
        submitted = sum(n for state, n in round_counts.items() if state in QUOTA_STATES)
        rows = []
        for app in in_round:
            summary = summaries[app.pk]
            editable = edit_refusal(app, user) is None
            taken = submitted - (app.state in QUOTA_STATES)
            rows.append(
                ApplicationRow(
                    application=app,
                    summary=summary,
                    editable=editable,
                    submit_refusal=rows_submit_refusal(app, user, taken, summary)
                    if editable
                    else None,
                    returned=arrivals.get(app.pk) if app.state == State.RETURNED else None,
                    rejected=arrivals.get(app.pk) if app.state == State.REJECTED else None,
                    deletable=DELETE.refusal(user, app) is None,
                    open_comments=unanswered.get(app.pk, 0),
                )
            )
        boards.append(
            RoundBoard(
                round=round_,
                countdown=countdown(round_.submission_deadline),
                rows=rows,
                submitted=submitted,
                new_draft_refusal=new_draft_refusal(round_, user, round_counts),
                counts=round_counts,
                deleted=[
                    DeletedRow(app, app.name or "", arrivals.get(app.pk))
                    for app in deleted
                    if app.round_id == round_.pk
                ],
                page=page if only_round is not None else 1,
                header=_header(headers.get(round_.pk), in_round, submitted, summaries),
            )
        )
    return boards


def _header(
    saved: SummaryHeader | None,
    shown: list[Application],
    submitted: int,
    summaries: dict[int, FormSummary],
) -> attachment1.SummaryHeader:
    """The saved header of Attachment 1, else what the listed applications agree on (part 一)."""
    if saved is not None:
        return attachment1.SummaryHeader(saved.department, saved.contact, saved.mobile)
    listed = [
        app
        for app in shown
        if (app.state in QUOTA_STATES) == bool(submitted) and app.state != State.DELETED
    ]
    return attachment1.SummaryHeader.from_values(summaries[app.pk].header for app in listed)


# --- new drafts -----------------------------------------------------------------------------


def new_draft_refusal(
    round_: Round, user: User, counts: dict[str, int] | None = None
) -> str | None:
    """Why ``user`` may not start another draft in ``round_`` now (see the module's policy).

    ``counts`` (state → the unit's applications in the round) spares the two counts when the
    caller already holds them (the dashboard)."""
    organisation = user.organisation
    if organisation is None:
        return "您的账户未指定所属单位，不能新建申报。"
    if round_.kind != RoundKind.DECLARATION:
        return f"“{round_}”不是申报认定轮次，不能在此新建申报。"
    problem = creation_refusal(round_, organisation, user)
    if problem:
        return problem
    if clock.now() > round_.submission_deadline:
        return f"申报截止时间{deadline_text(round_.submission_deadline)}已过，不能新建申报。"
    if counts is None:
        mine = Application.objects.filter(round=round_, organisation=organisation)
        counts = {
            line["state"]: line["n"]
            for line in mine.order_by().values("state").annotate(n=Count("pk"))
        }
    submitted = sum(n for state, n in counts.items() if state in QUOTA_STATES)
    drafts = counts.get(State.DRAFT, 0)  # deleted drafts take no room
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
