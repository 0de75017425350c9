"""The city's intake desk (审核工作台): the round at a glance, the inbox behind every number, and
accepting or returning applications — every state change through ``workflow.transition``.

The desk counts each county-level unit's applications by state in one aggregate query; the inbox
lists one page of applications with the cluster name and leading industry read out of the JSON by
the database (the form itself is never loaded for the list), so neither grows in queries with the
number of applications.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from openpyxl import Workbook

from clusterdesk.accounts.enums import COUNTY_LEVEL_KINDS
from clusterdesk.accounts.models import Organisation, User
from clusterdesk.county.domain.board import Countdown, countdown, deadline_text
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, Submission
from clusterdesk.declarations.workflow import TransitionRefused, transition
from clusterdesk.documents.attachment1 import defuse
from clusterdesk.intake.domain.formal import acceptance_note, latest_check
from clusterdesk.intake.domain.paper import latest_submission
from clusterdesk.intake.models import PAPER_STATES, PaperReceipt
from clusterdesk.intake.permissions import DECIDE
from clusterdesk.rounds.enums import RoundKind, RoundStatus
from clusterdesk.rounds.models import Round
from clusterdesk.web.params import object_id

State = ApplicationState

# 已受理: accepted for review and everything that can follow it.
ACCEPTED_STATES = (
    State.UNDER_REVIEW,
    State.PROPOSED,
    State.CERTIFIED,
    State.REJECTED,
    State.REVOKED,
)
# Drafts still open this close to the deadline are flagged on the desk.
DRAFT_WARNING = dt.timedelta(days=3)

# Columns the database keeps from the form (``Application.listed_*``): no form is read to list.
NAME = "listed_name"  # 一、基本情况 · 集群名称
INDUSTRY = "listed_industry"  # 一、基本情况 · 主导产业所属产业类型


# --- rounds ---------------------------------------------------------------------------------


def desk_rounds() -> list[Round]:
    """Every round, open ones first, each group newest deadline first (the round selector)."""
    # The annual reports are reviewed on the monitoring app's page, not at the desk.
    rounds = list(
        Round.objects.exclude(kind=RoundKind.ANNUAL).order_by("-submission_deadline", "-pk")
    )
    return [r for r in rounds if r.status == RoundStatus.OPEN] + [
        r for r in rounds if r.status != RoundStatus.OPEN
    ]


def chosen_round(rounds: list[Round], wanted: int | None) -> Round | None:
    """The round asked for, else the newest open one, else the newest of all."""
    if wanted is not None:
        return next((r for r in rounds if r.pk == wanted), None)
    return rounds[0] if rounds else None


# --- the desk -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitLine:
    unit: Organisation
    limit: int
    drafts: int = 0
    submitted: int = 0
    returned: int = 0
    accepted: int = 0
    paper_due: int = 0  # submitted or accepted: a paper set is expected
    paper_received: int = 0  # of those, with a receipt recorded

    @property
    def paper_missing(self) -> int:
        return self.paper_due - self.paper_received

    @property
    def total(self) -> int:
        return self.drafts + self.submitted + self.returned + self.accepted

    @property
    def handed_in(self) -> int:
        """Applications the unit has submitted (whatever happened to them since)."""
        return self.submitted + self.returned + self.accepted


@dataclass(frozen=True)
class Desk:
    round: Round
    countdown: Countdown
    lines: list[UnitLine]

    @property
    def deadline_text(self) -> str:
        return deadline_text(self.round.submission_deadline)

    @property
    def deadline_close(self) -> bool:
        """Within three days of the deadline, not yet past it: drafts left are flagged."""
        return not self.countdown.passed and self.countdown.remaining <= DRAFT_WARNING

    def not_submitted(self, line: UnitLine) -> bool:
        return line.handed_in == 0

    def late_drafts(self, line: UnitLine) -> bool:
        return self.deadline_close and line.drafts > 0

    def paper_missing(self, line: UnitLine) -> bool:
        """缺纸质材料: past the deadline, a submitted application has no receipt."""
        return self.countdown.passed and line.paper_missing > 0

    @property
    def totals(self) -> UnitLine:
        return UnitLine(
            unit=Organisation(name="合计"),
            limit=sum(line.limit for line in self.lines),
            drafts=sum(line.drafts for line in self.lines),
            submitted=sum(line.submitted for line in self.lines),
            returned=sum(line.returned for line in self.lines),
            accepted=sum(line.accepted for line in self.lines),
            paper_due=sum(line.paper_due for line in self.lines),
            paper_received=sum(line.paper_received for line in self.lines),
        )

    @property
    def rows(self) -> list[tuple[UnitLine, bool, bool]]:
        """(line, not submitted, drafts close to the deadline) per unit, for the template."""
        return [(line, self.not_submitted(line), self.late_drafts(line)) for line in self.lines]


def desk(user: User, round_: Round) -> Desk:
    """Each county-level unit (in its order) with its applications of ``round_`` counted by
    state — one aggregate query for all units; deleted drafts are not counted. The paper sets
    received are counted in the same query (a subquery on the receipts)."""
    with_receipt = Q(pk__in=PaperReceipt.objects.values("application_id"))
    due = Q(state__in=PAPER_STATES)
    counted = {
        row["organisation_id"]: row
        for row in visible_applications(user)
        .filter(round=round_)
        .order_by()
        .values("organisation_id")
        .annotate(
            drafts=Count("pk", filter=Q(state=State.DRAFT)),
            submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
            returned=Count("pk", filter=Q(state=State.RETURNED)),
            accepted=Count("pk", filter=Q(state__in=ACCEPTED_STATES)),
            paper_due=Count("pk", filter=due),
            paper_received=Count("pk", filter=due & with_receipt),
        )
    }
    units = Organisation.objects.filter(kind__in=sorted(COUNTY_LEVEL_KINDS)).order_by(
        "position", "pk"
    )
    lines = []
    for unit in units:
        row = counted.get(unit.pk, {})
        lines.append(
            UnitLine(
                unit=unit,
                limit=round_.county_limit,
                drafts=row.get("drafts", 0),
                submitted=row.get("submitted", 0),
                returned=row.get("returned", 0),
                accepted=row.get("accepted", 0),
                paper_due=row.get("paper_due", 0),
                paper_received=row.get("paper_received", 0),
            )
        )
    return Desk(round_, countdown(round_.submission_deadline), lines)


# --- the inbox ------------------------------------------------------------------------------


def inbox_list(user: User, round_: Round) -> QuerySet[Application]:
    """What the inbox page filters, sorts and pages: the round's applications (deleted drafts
    left out) with ``aspects_failed`` and ``open_warnings`` (the pre-check digest, one join).
    No column is read out of the JSON and no subquery runs per row here: PostgreSQL computes a
    row's output columns before it sorts, so those would be computed (and each ~120 KB form
    read) for every application of the round, not for the 50 shown — 3 s at 10,000. The shown
    rows get them afterwards (``page_columns``)."""
    return (
        visible_applications(user)
        .filter(round=round_)
        .exclude(state=State.DELETED)
        .defer("data")
        .annotate(
            # The pre-check digest of the latest submission (None: never submitted).
            aspects_failed=F("precheck_digest__aspects_failed"),
            open_warnings=F("precheck_digest__warnings"),
        )
    )


def _latest_submission_time() -> Subquery:
    latest = Submission.objects.filter(application=OuterRef("pk")).order_by("-submitted_at", "-pk")
    return Subquery(latest.values("submitted_at")[:1])


def with_columns(applications: QuerySet[Application]) -> QuerySet[Application]:
    """``applications`` with ``name``, ``industry`` (columns the database keeps from the form)
    and ``submitted_at`` (latest submission); the form data is never loaded."""
    return applications.annotate(
        name=F(NAME), industry=F(INDUSTRY), submitted_at=_latest_submission_time()
    )


def inbox(user: User, round_: Round) -> QuerySet[Application]:
    """The round's applications (deleted drafts left out) with ``name``, ``industry``,
    ``submitted_at`` (latest submission), ``aspects_failed`` and ``open_warnings`` (its pre-check
    digest) as columns; the form data is never loaded. For every row at once (export, bulk
    accept); the page lists ``inbox_list``."""
    return with_columns(inbox_list(user, round_))


@dataclass(frozen=True)
class PageColumns:
    name: str | None
    industry: str | None
    submitted_at: dt.datetime | None


def page_columns(user: User, ids: Iterable[int]) -> dict[int, PageColumns]:
    """The name, industry and latest submission time of the listed applications, in one query
    (scoped like the list itself)."""
    rows = (
        with_columns(visible_applications(user).filter(pk__in=list(ids)))
        .order_by()
        .values_list("pk", "name", "industry", "submitted_at")
    )
    return {pk: PageColumns(name, industry, at) for pk, name, industry, at in rows}


def order_by_name(applications: QuerySet, descending: bool) -> QuerySet:
    key = F(NAME).desc() if descending else F(NAME).asc()
    return applications.order_by(key, "-pk" if descending else "pk")


def order_by_submitted(applications: QuerySet, descending: bool) -> QuerySet:
    annotated = applications.annotate(sort_submitted=_latest_submission_time())
    key = "-sort_submitted" if descending else "sort_submitted"
    return annotated.order_by(key, "-pk" if descending else "pk")


EXPORT_COLUMNS = ("序号", "申报单位", "集群名称", "状态", "主导产业所属产业类型", "最近提交时间")


def export_xlsx(applications: Iterable[Application]) -> bytes:
    """The listed applications as a spreadsheet; every text cell defused (a county writes the
    cluster name: “=HYPERLINK(…)” must stay text)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "收件箱"
    sheet.append(EXPORT_COLUMNS)
    for number, app in enumerate(applications, start=1):
        submitted = app.submitted_at
        when = ""
        if submitted is not None:
            when = f"{timezone.localtime(submitted):%Y-%m-%d %H:%M}"
        values = (
            str(app.organisation),
            app.name or "",
            State(app.state).label,
            app.industry or "",
            when,
        )
        sheet.cell(number + 1, 1, number)
        for column, value in enumerate(values, start=2):
            cell = sheet.cell(number + 1, column)
            cell.value = defuse(value)
            cell.data_type = "s"  # text, never a formula
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- accepting and returning ----------------------------------------------------------------


def accept(application: Application, user: User, *, confirm_failed: bool = False) -> None:
    """受理审核 through the door; a refusal (already accepted, not submitted, someone else was
    quicker) is a ``TransitionRefused`` in Chinese. The latest formal check of the submission
    goes into the event's reason; a failed one needs ``confirm_failed`` (the officer confirmed
    accepting anyway: a missing seal or copy may be put right at the counter, so the city
    decides, but never by accident — bulk accepting never confirms)."""
    problem = DECIDE.refusal(user)
    if problem:
        raise TransitionRefused(problem)
    if application.state in ACCEPTED_STATES:
        raise TransitionRefused("该申报已受理，无需重复受理。")
    if application.state != State.SUBMITTED:
        label = State(application.state).label
        raise TransitionRefused(f"申报当前为“{label}”，只有已提交的申报可以受理。")
    check = latest_check(application, latest_submission(application))
    if check is not None and not check.passed and not confirm_failed:
        failed = "、".join(item["text"] for item in check.failed_items)
        raise TransitionRefused(
            f"形式审查未通过（{failed}）。如仍要受理，请在申报页勾选“确认形式审查未通过仍予受理”。"
        )
    transition(application, State.UNDER_REVIEW, user, acceptance_note(check))


def send_back(application: Application, user: User, reason: str) -> None:
    """退回修改 with the reason the county reads (required). When the submission's latest
    形式审查 failed, its failed items go with the reason: the county sees what to put right
    wherever it sees the reason (dashboard, form pages, 自查, 办理记录)."""
    problem = DECIDE.refusal(user)
    if problem:
        raise TransitionRefused(problem)
    if not reason.strip():
        raise TransitionRefused("请填写退回理由：区县将据此修改申报。")
    if application.state not in (State.SUBMITTED, State.UNDER_REVIEW):
        label = State(application.state).label
        raise TransitionRefused(f"申报当前为“{label}”，不能退回修改。")
    check = latest_check(application, latest_submission(application))
    if check is not None and not check.passed:
        failed = "；".join(
            f"{item['text']}（{item['explanation'].rstrip('。')}）"
            if item.get("explanation")
            else item["text"]
            for item in check.failed_items
        )
        reason = f"{reason.strip()}\n形式审查未通过：{failed}"
    transition(application, State.RETURNED, user, reason)


@dataclass(frozen=True)
class BulkResult:
    accepted: list[str]  # labels of the applications accepted
    refused: list[tuple[str, str]]  # (label or id, why)


def _label(app: Application) -> str:
    return f"{app.organisation} · {app.name or '（未填集群名称）'}（#{app.pk}）"


def bulk_accept(user: User, round_: Round, ids: Iterable[str]) -> BulkResult:
    """Accept each selected application through the door, one by one; an id that is not one
    of the round's visible applications, or one not in 已提交, is reported and left alone."""
    wanted: dict[int, None] = {}  # ordered and deduplicated in O(1) per id
    refused: list[tuple[str, str]] = []
    for raw in ids:
        text = str(raw).strip()
        pk = object_id(text)
        if pk is not None and pk < 2**31:
            wanted[pk] = None
        else:
            refused.append((text or "（空）", "不是有效的申报编号。"))
    found = {app.pk: app for app in inbox(user, round_).filter(pk__in=wanted)}
    accepted: list[str] = []
    for pk in wanted:
        app = found.get(pk)
        if app is None:
            refused.append((f"#{pk}", "没有找到该申报（不在本轮次的收件箱中）。"))
            continue
        try:
            accept(app, user)
        except TransitionRefused as why:
            refused.append((_label(app), why.message))
        else:
            accepted.append(_label(app))
    return BulkResult(accepted, refused)
