"""The city's comments at the field (审核意见): written while reading, sent with a return,
answered by the county, closed by the city.

A comment is anchored to a path of the form's definition — a box, a row of the page (a year
column, a block), a part, or the application as a whole ("") — and a path the form does not
have is refused before anything is saved. It keeps the official label of its place. Comments
written while the application is with the city are drafts only the city sees; the return that
sends the application back publishes them (``publish_with_return``, a workflow effect of the
return moves, so no door can return without them). The county answers (append-only replies) and
marks each answered; the city closes it, or returns again, which reopens what it did not close.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from clusterdesk.accounts.permissions import refusal
from clusterdesk.declarations.domain.form_paths import editable_paths, paths_in_order
from clusterdesk.declarations.domain.forms import form_definition
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import (
    Application,
    ApplicationEvent,
    Comment,
    CommentReply,
    CommentStatus,
    Submission,
)
from clusterdesk.errors import DomainError
from clusterdesk.form.definition import FormDefinition
from clusterdesk.form.diff import WHOLE
from clusterdesk.form.places import place

Status = CommentStatus
MAX_TEXT = 1000  # characters of a comment or a reply: a note at a box, not a report
MAX_PATH = 300
# What the county still has to answer.
UNANSWERED = (Status.OPEN,)
# What is still in play: sent (or to be sent) and not closed by the city.
NOT_CLOSED = (Status.DRAFT, Status.OPEN, Status.ANSWERED)


class CommentRefused(DomainError):
    """A comment, reply or closing the rules do not allow; ``message`` says why."""


# --- where a comment may be -------------------------------------------------------------------


@cache
def comment_paths(definition: FormDefinition) -> frozenset[str]:
    """Every path a comment may name: each box and year cell, every block above them (a year
    column, a section, a line of the targets), each part's page, and "" (the application)."""
    paths = {""} | set(definition.page_titles)
    for path in editable_paths(definition):
        parts = path.split(".")
        paths.update(".".join(parts[:end]) for end in range(1, len(parts) + 1))
    return frozenset(paths)


def place_of(definition: FormDefinition, path: str) -> str:
    """The official place of a comment: 整份申报, a page's title, or part · label · year."""
    if not path:
        return WHOLE
    titles = definition.page_titles
    if path in titles and path.split(".", 1)[0] not in _part_fields(definition):
        return titles[path]
    return place(definition, path)


@cache
def _part_fields(definition: FormDefinition) -> frozenset[str]:
    return frozenset(definition.model.model_fields)


@dataclass(frozen=True)
class PlaceGroup:
    """One page of the form in the picker of places: its title and its places, each
    ``(path, label)``, the page as a whole first, then its blocks and boxes as the page shows
    them (a row before its year cells)."""

    title: str
    places: tuple[tuple[str, str], ...]


@cache
def comment_choices(definition: FormDefinition) -> tuple[PlaceGroup, ...]:
    """Every place a comment may be anchored at (``comment_paths``, nothing else), grouped by
    the page that shows it: the picker of the city's review pages (the intake desk, the annual
    reports) offers exactly what ``add_comment`` accepts. Places outside every page (none in
    today's forms) come last under 其他栏目."""
    allowed = comment_paths(definition)
    pages = {page.key: page.title for page in definition.pages}
    grouped: dict[str | None, list[str]] = {key: [] for key in pages}
    seen = {""}
    for key in pages:
        if key in allowed:
            grouped[key].append(key)
            seen.add(key)
    for path in paths_in_order(definition):
        parts = path.split(".")
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            if prefix in seen or prefix not in allowed:
                continue
            seen.add(prefix)
            grouped.setdefault(definition.page_of(prefix), []).append(prefix)
    groups = []
    for key, paths in grouped.items():
        if not paths:
            continue
        title = pages.get(key, "其他栏目") if key is not None else "其他栏目"
        places = tuple((path, _short(place_of(definition, path), title)) for path in paths)
        groups.append(PlaceGroup(title, places))
    return tuple(groups)


def _short(full: str, title: str) -> str:
    """A place as its page's group lists it: without the page's title in front."""
    head = f"{title} · "
    if full == title:
        return f"{title}（整页）"
    return full[len(head) :] if full.startswith(head) else full


def path_refusal(definition: FormDefinition, path: str) -> str | None:
    if len(path) > MAX_PATH or path not in comment_paths(definition):
        return "批注的栏目不存在（申报表中没有该栏目），未保存。"
    return None


def _text(text: str, what: str, *, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise CommentRefused(f"请填写{what}。")
    if len(text) > MAX_TEXT:
        raise CommentRefused(f"{what}最多 {MAX_TEXT} 字，现有 {len(text)} 字。")
    return text


# --- who sees which comments ------------------------------------------------------------------


def visible_comments(user: User) -> QuerySet[Comment]:
    """The comments ``user`` may read: the city and admins every one (drafts too), a county
    the published comments on its own applications; nobody else any."""
    comments = Comment.objects.filter(application__in=visible_applications(user).values("pk"))
    if user.is_authenticated and user.role in (Role.CITY_OFFICER, Role.ADMIN):
        return comments
    return comments.exclude(status=Status.DRAFT)


def comments_of(application: Application, user: User) -> list[Comment]:
    """The application's comments ``user`` may read, oldest first, with their replies and
    authors (two queries)."""
    return list(
        visible_comments(user)
        .filter(application=application)
        .select_related("author__organisation", "closed_by")
        .prefetch_related("replies__author__organisation")
        .order_by("created_at", "pk")
    )


def comment_for(user: User, pk: int) -> Comment:
    """One comment ``user`` may read, or ``Comment.DoesNotExist`` (a 404, whether it exists)."""
    return visible_comments(user).select_related("application__round").get(pk=pk)


def open_counts(applications: Iterable[int] | QuerySet) -> dict[int, int]:
    """Unanswered comments per application (one aggregate query for them all)."""
    rows = (
        Comment.objects.filter(application__in=applications, status__in=UNANSWERED)
        .order_by()
        .values("application_id")
        .annotate(n=Count("pk"))
    )
    return {row["application_id"]: row["n"] for row in rows}


def unanswered_applications() -> QuerySet[Comment]:
    """Ids of applications with an unanswered comment, for a subquery (the inbox's filter)."""
    return Comment.objects.filter(status__in=UNANSWERED).values("application_id")


def stamp(application: Application) -> tuple:
    """What changes whenever a comment of the application changes (for the kept form pages)."""
    return tuple(
        Comment.objects.filter(application=application)
        .order_by()
        .aggregate(
            n=Count("pk", distinct=True),
            last=Max("pk"),
            last_reply=Max("replies__pk"),
            drafts=Count("pk", distinct=True, filter=Q(status=Status.DRAFT)),
            open=Count("pk", distinct=True, filter=Q(status=Status.OPEN)),
            answered=Count("pk", distinct=True, filter=Q(status=Status.ANSWERED)),
        )
        .values()
    )


# --- what the city and the county do -----------------------------------------------------------


def add_comment(application: Application, user: User, path: str, text: str) -> Comment:
    """The city's comment at ``path``; a draft until the application is returned."""
    problem = refusal("comment.write", user, application)
    if problem:
        raise CommentRefused(problem)
    path = (path or "").strip()
    definition = form_definition(application)
    problem = path_refusal(definition, path)
    if problem:
        raise CommentRefused(problem)
    text = _text(text, "审核意见")
    return Comment.objects.create(
        application=application,
        path=path,
        place=place_of(definition, path),
        text=text,
        author=user,
    )


def reply(comment: Comment, user: User, text: str, *, answered: bool = False) -> CommentReply:
    """The county's answer; ``answered`` marks the comment 区县已处理 (a reply without it is a
    question back or a note, and leaves it open)."""
    problem = refusal("comment.reply", user, comment.application)
    if problem:
        raise CommentRefused(problem)
    text = _text(text, "回复", required=not answered)
    with transaction.atomic():
        # The status as it is now (the caller's copy may be older than a return or a close).
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.status == Status.DRAFT:  # never shown to the county: nothing to answer
            raise CommentRefused("没有找到该审核意见。")
        if locked.status == Status.CLOSED:
            raise CommentRefused("该审核意见已由市经信局关闭，无需再回复。")
        answer = CommentReply.objects.create(
            comment=locked, text=text, author=user, answered=answered
        )
        if answered and locked.status != Status.ANSWERED:
            locked.status = Status.ANSWERED
            locked.save(update_fields=["status"])
    comment.status = locked.status
    return answer


def close(comment: Comment, user: User) -> None:
    """The city closes a comment (addressed, or withdrawn while still a draft)."""
    problem = refusal("comment.close", user, comment.application)
    if problem:
        raise CommentRefused(problem)
    closed = Comment.objects.filter(pk=comment.pk).exclude(status=Status.CLOSED)
    if not closed.update(status=Status.CLOSED, closed_by=user, closed_at=timezone.now()):
        raise CommentRefused("该审核意见已关闭。")
    comment.status = Status.CLOSED


def publish_with_return(application: Application, event: ApplicationEvent, actor: User) -> int:
    """Workflow effect of a return: the drafts go to the county with this return and the
    snapshot it returned, and what the county answered but the city did not close is open
    again. Runs in the transaction that records the return."""
    if event.to_state != ApplicationState.RETURNED:
        return 0
    snapshot = Submission.objects.filter(application=application).order_by("-pk").first()
    return Comment.objects.filter(
        application=application, status__in=(Status.DRAFT, Status.ANSWERED)
    ).update(status=Status.OPEN, returned_with=event, returned_snapshot=snapshot)


@dataclass(frozen=True)
class CommentLink:
    """A comment still to deal with, and the form page its field is on ("" for none)."""

    comment: Comment
    page: str


def open_comment_links(application: Application, user: User) -> list[CommentLink]:
    """The application's comments ``user`` may read that are not closed, each with the page of
    its field (one query), for the county's lists (self-check)."""
    definition = form_definition(application)
    comments = (
        visible_comments(user)
        .filter(application=application, status__in=NOT_CLOSED)
        .order_by("created_at", "pk")
    )
    return [CommentLink(c, definition.page_of(c.path) or "") for c in comments]


def draft_count(application: Application) -> int:
    return Comment.objects.filter(application=application, status=Status.DRAFT).count()


# --- the comments of a page, by path ----------------------------------------------------------


@dataclass
class PageComments:
    """What a form page shows of the comments: each at its path, and whether the reader may
    add one (the city) or answer them (the county, while returned)."""

    application: Application
    definition: FormDefinition
    by_path: dict[str, list[Comment]] = field(default_factory=dict)
    can_write: bool = False
    can_reply: bool = False
    can_close: bool = False
    next: str = ""  # the page to come back to after a reply or a close

    def at(self, path: str) -> list[Comment]:
        return self.by_path.get(path, [])

    def place(self, path: str) -> str:
        return place_of(self.definition, path)


def page_comments(
    application: Application,
    user: User,
    back: str = "",
    holders: Iterable[str] | None = None,
) -> PageComments:
    """The comments of a form page by the place that shows them: with ``holders`` (the paths
    of the page's rows, as the findings use them), a comment on a year cell shows at its row,
    the nearest holder above its path, and one on another page not at all."""
    shown = None if holders is None else set(holders)
    by_path: dict[str, list[Comment]] = defaultdict(list)
    for comment in comments_of(application, user):
        at = comment.path if shown is None or not comment.path else _holder(comment.path, shown)
        if at is not None:
            by_path[at].append(comment)
    return PageComments(
        application,
        form_definition(application),
        dict(by_path),
        can_write=refusal("comment.write", user, application) is None,
        can_reply=refusal("comment.reply", user, application) is None,
        can_close=refusal("comment.close", user, application) is None,
        next=back,
    )


def _holder(path: str, holders: set[str]) -> str | None:
    while path not in holders and "." in path:
        path = path.rsplit(".", 1)[0]
    return path if path in holders else None
