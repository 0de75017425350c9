"""Two submission snapshots of one application side by side (the city's revision diff).

The comparison itself is the form core's (``form.diff.diff_forms``); here the snapshots are
chosen — by default the latest resubmission against the snapshot the city returned — and the
comments are laid beside their ``CommentCheck`` (whether anything under the field changed).
"""

from __future__ import annotations

from dataclasses import dataclass

from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain.comments import comments_of
from clusterdesk.declarations.domain.forms import form_definition
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, ApplicationEvent, Comment, Submission
from clusterdesk.errors import DomainError
from clusterdesk.form.diff import CommentCheck, FormDiff, diff_forms


class DiffRefused(DomainError):
    """The snapshots asked for cannot be compared; ``message`` says why."""


def snapshots(application: Application) -> list[Submission]:
    """Every submission snapshot of the application, oldest first (the form data not loaded)."""
    return list(
        Submission.objects.filter(application=application)
        .select_related("submitted_by__organisation")
        .defer("data", "evidence")
        .order_by("submitted_at", "pk")
    )


def default_pair(application: Application, shots: list[Submission]) -> tuple[int, int] | None:
    """(old, new): the latest snapshot against the one the last return before it sent back —
    or, without a return, against the snapshot before it. None with fewer than two."""
    if len(shots) < 2:
        return None
    new = shots[-1]
    returned = (
        ApplicationEvent.objects.filter(
            application=application,
            to_state=ApplicationState.RETURNED,
            at__lte=new.submitted_at,
        )
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    earlier = [shot for shot in shots[:-1] if returned is None or shot.submitted_at <= returned]
    old = earlier[-1] if earlier else shots[-2]
    return old.pk, new.pk


@dataclass(frozen=True)
class CheckedComment:
    """A comment with its reply thread and whether its field changed between the snapshots."""

    comment: Comment
    check: CommentCheck


@dataclass(frozen=True)
class RevisionDiff:
    old: Submission
    new: Submission
    diff: FormDiff
    comments: tuple[CheckedComment, ...]

    @property
    def commented_paths(self) -> frozenset[str]:
        return frozenset(item.comment.path for item in self.comments)


def revision_diff(application: Application, user: User, old_pk: int, new_pk: int) -> RevisionDiff:
    """The diff of two of the application's snapshots, with the comments ``user`` may read."""
    found = {
        shot.pk: shot
        for shot in Submission.objects.filter(application=application, pk__in=(old_pk, new_pk))
    }
    if old_pk not in found or new_pk not in found:
        raise DiffRefused("没有找到要比较的提交快照（该申报没有这份提交）。")
    old, new = found[old_pk], found[new_pk]
    comments = comments_of(application, user)
    definition = form_definition(application)
    diff = diff_forms(old.data, new.data, definition, commented=[c.path for c in comments])
    checks = {check.path: check for check in diff.comments}
    return RevisionDiff(old, new, diff, tuple(CheckedComment(c, checks[c.path]) for c in comments))
