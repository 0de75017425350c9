"""The application workflow as data, and the one door every state change goes through.

``MOVES`` lists every allowed move: from which state, to which, who may make it, whether a reason
is required, which guards must pass and which effects run on arrival. ``transition()`` is the only
code that changes ``Application.state``; it writes the ``ApplicationEvent`` and runs the move's
effects (e.g. the submission snapshot) in the same database transaction.
Refusals are ``TransitionRefused`` with a Chinese explanation; ``refusal()`` gives the same
explanation without acting, so a page can say why a button is unavailable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import Organisation, User
from clusterdesk.accounts.permissions import ACTIVE, role_in
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.comments import publish_with_return
from clusterdesk.declarations.domain.forms import carry_checked, findings_for
from clusterdesk.declarations.domain.snapshots import take_snapshot
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.errors import DomainError
from clusterdesk.form.findings import errors
from clusterdesk.rounds.enums import RoundKind

State = ApplicationState

# A guard returns a Chinese reason to refuse, or None to let the move through.
Guard = Callable[[Application, User], str | None]
# An effect runs after the move and its event are saved, inside the same transaction.
Effect = Callable[[Application, ApplicationEvent, User], object]


class TransitionRefused(DomainError):
    """The requested state change is not allowed; ``message`` says why."""


def own_organisation(application: Application, actor: User) -> str | None:
    if actor.organisation_id != application.organisation_id:
        return f"该申报属于{application.organisation}，只能由本单位办理。"
    return None


def declaration_round(application: Application, actor: User) -> str | None:
    """Certification is decided in a declaration's or a 复核's round, never on an annual report."""
    if application.round.kind == RoundKind.ANNUAL:
        return "年度发展情况报告只能退回修改或审核通过。"
    return None


def annual_round(application: Application, actor: User) -> str | None:
    if application.round.kind != RoundKind.ANNUAL:
        return "只有年度发展情况报告可以审核通过；申报经会审拟认定、公示后发文认定。"
    return None


def round_is_open(application: Application, actor: User) -> str | None:
    if not application.round.is_open:
        return f"申报轮次“{application.round}”已关闭，不能提交新的申报。"
    return None


def before_deadline(application: Application, actor: User) -> str | None:
    deadline = application.round.submission_deadline
    if clock.now() > deadline:
        shown = timezone.localtime(deadline)
        return (
            f"申报轮次“{application.round}”的申报截止时间"
            f"{shown.year}年{shown.month}月{shown.day}日 {shown:%H:%M}已过，不能再提交。"
        )
    return None


def no_form_errors(application: Application, actor: User) -> str | None:
    """The 填报说明 rules must all pass; warnings (a reviewer's questions) do not block."""
    return form_errors_refusal(len(errors(findings_for(application))))


def form_errors_refusal(count: int) -> str | None:
    """``no_form_errors``'s answer for a form with ``count`` errors (lists count them once)."""
    if count:
        return f"申报表还有 {count} 处错误，请在“自查”页面逐项修正后再提交。"
    return None


# Once submitted, an application counts against the county's quota whatever happens next; a
# deleted draft was never submitted (only a draft can be deleted), so it does not count.
QUOTA_STATES = frozenset(set(State) - {State.DRAFT, State.DELETED})


def within_county_limit(application: Application, actor: User) -> str | None:
    round_ = application.round
    if round_.kind != RoundKind.DECLARATION:
        return None  # a report per certified cluster, a 复核 per cluster due: no quota
    # Two of a county's drafts submitted at the same moment must not both fit the last place:
    # lock the county's row so their counts happen one after the other (guards run inside
    # transition()'s transaction). A page merely asking (refusal() in autocommit mode) takes no
    # lock: PostgreSQL refuses SELECT … FOR UPDATE outside a transaction.
    if transaction.get_connection().in_atomic_block:
        list(
            Organisation.objects.select_for_update()
            .filter(pk=application.organisation_id)
            .values("pk")
        )
    taken = (
        Application.objects.filter(
            round=round_, organisation=application.organisation, state__in=QUOTA_STATES
        )
        .exclude(pk=application.pk)
        .count()
    )
    return county_limit_refusal(application, taken)


def county_limit_refusal(application: Application, taken: int) -> str | None:
    """``within_county_limit``'s answer when ``taken`` other applications of the unit count
    against the round's limit (lists count them for all rows at once)."""
    round_ = application.round
    if taken >= round_.county_limit:
        return (
            f"{application.organisation}在“{round_}”已申报 {taken} 个集群，"
            f"达到每个申报单位 {round_.county_limit} 个的上限。"
        )
    return None


@dataclass(frozen=True)
class Move:
    source: State
    target: State
    roles: frozenset[Role]
    label: str
    needs_reason: bool = False
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()


_COUNTY = frozenset({Role.COUNTY_OFFICER})
_CITY = frozenset({Role.CITY_OFFICER})

MOVES: tuple[Move, ...] = (
    Move(
        State.DRAFT,
        State.SUBMITTED,
        _COUNTY,
        "提交",
        # Cheap guards first; the form check validates the whole application.
        guards=(
            own_organisation,
            round_is_open,
            before_deadline,
            within_county_limit,
            no_form_errors,
        ),
        effects=(take_snapshot,),
    ),
    # No round_is_open (nor deadline) here: the city returns applications during review, after
    # the round closed, and the county must be able to correct and resubmit them then.
    Move(
        State.RETURNED,
        State.SUBMITTED,
        _COUNTY,
        "重新提交",
        guards=(own_organisation, within_county_limit, no_form_errors),
        effects=(take_snapshot,),
    ),
    # A county removes a draft it will not submit; the city can bring it back (with a reason,
    # e.g. deleted by mistake). Neither move needs the round open.
    Move(State.DRAFT, State.DELETED, _COUNTY, "删除", guards=(own_organisation,)),
    Move(State.DELETED, State.DRAFT, _CITY, "恢复", needs_reason=True),
    # A return sends the city's draft comments with it (declarations.domain.comments).
    Move(
        State.SUBMITTED,
        State.RETURNED,
        _CITY,
        "退回修改",
        needs_reason=True,
        effects=(publish_with_return,),
    ),
    Move(State.SUBMITTED, State.UNDER_REVIEW, _CITY, "受理审核"),
    Move(
        State.UNDER_REVIEW,
        State.RETURNED,
        _CITY,
        "退回修改",
        needs_reason=True,
        effects=(publish_with_return,),
    ),
    # The 会审 proposes (拟认定) or refuses; a proposal is certified only by the 发文 after its
    # 公示 (the publicity app registers that guard in GUARDS_FROM_ABOVE), or refused after all
    # (an upheld objection), or taken back for a new decision.
    Move(State.UNDER_REVIEW, State.PROPOSED, _CITY, "拟认定", guards=(declaration_round,)),
    Move(
        State.UNDER_REVIEW,
        State.REJECTED,
        _CITY,
        "不予认定",
        needs_reason=True,
        guards=(declaration_round,),
    ),
    Move(State.PROPOSED, State.CERTIFIED, _CITY, "认定"),
    Move(State.PROPOSED, State.REJECTED, _CITY, "不予认定", needs_reason=True),
    Move(State.PROPOSED, State.UNDER_REVIEW, _CITY, "撤回拟认定", needs_reason=True),
    Move(State.CERTIFIED, State.REVOKED, _CITY, "撤销认定", needs_reason=True),
    # An annual report: the city accepts it as it came in, or after 受理审核.
    Move(State.SUBMITTED, State.ACCEPTED, _CITY, "审核通过", guards=(annual_round,)),
    Move(State.UNDER_REVIEW, State.ACCEPTED, _CITY, "审核通过", guards=(annual_round,)),
)

_MOVES_BY_EDGE: dict[tuple[State, State], Move] = {(m.source, m.target): m for m in MOVES}

# Effects of every move, registered by the apps above this one (which this module may not
# import), e.g. notifications.apps: they run after the move's own effects, in the same
# transaction, and decide themselves which moves concern them.
AFTER_EVERY_MOVE: list[Effect] = []

# Guards of single moves, registered the same way by the apps above (e.g. the publicity app:
# a 拟认定 application is certified only after its 公示 ended with every objection handled).
# They run after the move's own guards, in ``refusal()``, so pages and the door agree.
GUARDS_FROM_ABOVE: dict[tuple[State, State], list[Guard]] = {}


def find_move(source: str, target: str) -> Move | None:
    return _MOVES_BY_EDGE.get((State(source), State(target)))


def refusal(application: Application, to_state: str, actor: User, reason: str = "") -> str | None:
    """Why ``actor`` may not move ``application`` to ``to_state`` now, or None if they may."""
    if to_state not in State.values:
        return f"未知的申报状态：{to_state}"
    source, target = State(application.state), State(to_state)
    move = find_move(source, target)
    if move is None:
        return f"申报当前为“{source.label}”，不能变为“{target.label}”。"
    allowed = "、".join(sorted(Role(role).label for role in move.roles))
    who = ACTIVE.why_not(actor, application) or role_in(
        move.roles, f"只有{allowed}可以{move.label}申报。"
    ).why_not(actor, application)
    if who:
        return who
    if move.needs_reason and not reason.strip():
        return f"{move.label}申报必须填写理由。"
    for guard in (*move.guards, *GUARDS_FROM_ABOVE.get((source, target), ())):
        problem = guard(application, actor)
        if problem:
            return problem
    return None


def transition(
    application: Application, to_state: str, actor: User, reason: str = ""
) -> ApplicationEvent:
    """Move ``application`` to ``to_state`` on behalf of ``actor``, recording why.

    Raises ``TransitionRefused`` if the table, the actor's role or a guard does not allow it, or if
    the application changed since ``application`` was read (stale ``version``).
    """
    reason = reason.strip()
    with transaction.atomic():
        # Lock the row so two officers cannot both move the same application (PostgreSQL). Only
        # this row: the county limit locks the county's row itself where it counts
        # (within_county_limit), and a round closing meanwhile is no different from a move
        # made a moment before it closed.
        current = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round", "organisation")
            .get(pk=application.pk)
        )
        if current.version != application.version:
            raise TransitionRefused("该申报已被他人更新，请刷新页面后重试。")
        problem = refusal(current, to_state, actor, reason)
        if problem:
            raise TransitionRefused(problem)
        from_state = current.state
        before = (current.version, current.updated_at)
        current.state = to_state
        current.version += 1
        current.save(update_fields=["state", "version", "updated_at"])
        carry_checked(current, *before)  # same data: the guards' findings hold for the effects
        event = ApplicationEvent.objects.create(
            application=current,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            reason=reason,
        )
        for effect in _MOVES_BY_EDGE[(State(from_state), State(to_state))].effects:
            effect(current, event, actor)
        for effect in AFTER_EVERY_MOVE:
            effect(current, event, actor)
    application.state = current.state
    application.version = current.version
    application.updated_at = current.updated_at
    return event
