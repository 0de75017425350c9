"""The cross-application flags as the city reads them: counted per round on the desk, listed
with both applications, the two passages side by side with the shared text marked, and
dismissed (已核实，非抄袭) with a reason.

Every query starts from the user's visible applications (both sides of a flag must be visible),
and the pages are for the city bureau alone (``permissions.DESK``): a county never sees a flag.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone
from rapidfuzz.distance import Indel

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.models import Application
from clusterdesk.errors import DomainError
from clusterdesk.form.overlap import FlagKind
from clusterdesk.intake.models import OverlapDismissal, OverlapFlag
from clusterdesk.intake.permissions import DESK, OVERLAP_DISMISS
from clusterdesk.rounds.models import Round

OPEN = "open"
DISMISSED = "dismissed"
STATUSES = {OPEN: "待核实", DISMISSED: "已核实，非抄袭"}
KINDS = [kind.value for kind in FlagKind]
REASON_MAX = 500
SHARED_RUN = 2  # identical characters shown as shared at least (one alone is chance)


def _name(side: str) -> KeyTextTransform:
    """The side's cluster name read out of its form by the database (the form is never loaded)."""
    return KeyTextTransform("cluster_name", KeyTransform("part1", f"{side}__data"))


def flags_for(user: User) -> QuerySet[OverlapFlag]:
    """The flags between two applications ``user`` may see, with both applications' unit and
    round and their names as ``earlier_name`` / ``later_name``; none for whom DESK refuses."""
    if DESK.refusal(user):
        return OverlapFlag.objects.none()
    visible = visible_applications(user).values("pk")
    return (
        OverlapFlag.objects.filter(earlier__in=visible, later__in=visible)
        .select_related(
            "earlier__round",
            "earlier__organisation",
            "later__round",
            "later__organisation",
            "dismissal__dismissed_by",
        )
        .defer("earlier__data", "later__data")
        .annotate(earlier_name=_name("earlier"), later_name=_name("later"))
    )


def of_round(flags: QuerySet[OverlapFlag], round_: Round) -> QuerySet[OverlapFlag]:
    """The flags one of whose applications belongs to ``round_`` (the other may be earlier)."""
    return flags.filter(Q(earlier__round=round_) | Q(later__round=round_))


def of_application(flags: QuerySet[OverlapFlag], application: Application):
    return flags.filter(Q(earlier=application) | Q(later=application))


def filtered(
    flags: QuerySet[OverlapFlag], *, kind: str = "", status: str = ""
) -> QuerySet[OverlapFlag]:
    """Unknown values filter nothing (the page shows all, as asked for nothing)."""
    if kind in KINDS:
        flags = flags.filter(kind=kind)
    if status == OPEN:
        flags = flags.filter(dismissal__isnull=True)
    elif status == DISMISSED:
        flags = flags.filter(dismissal__isnull=False)
    return flags


@dataclass(frozen=True)
class Counts:
    open: int
    total: int

    @property
    def dismissed(self) -> int:
        return self.total - self.open


def counts(flags: QuerySet[OverlapFlag]) -> Counts:
    """Open and all flags, in one aggregate query."""
    row = flags.order_by().aggregate(
        open=Count("pk", filter=Q(dismissal__isnull=True)), total=Count("pk")
    )
    return Counts(row["open"] or 0, row["total"] or 0)


# --- showing one flag -------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    text: str
    shared: bool


@dataclass(frozen=True)
class Side:
    application: Application
    name: str
    place: str
    text: str
    pieces: list[Piece]


@dataclass(frozen=True)
class Shown:
    flag: OverlapFlag
    earlier: Side
    later: Side

    @property
    def is_text(self) -> bool:
        return self.flag.kind == FlagKind.TEXT


def marked(a: str, b: str) -> tuple[list[Piece], list[Piece]]:
    """Both passages cut into pieces, each shared with the other or not: rapidfuzz's alignment
    (the one the check used), identical runs of ``SHARED_RUN`` characters and more."""
    shared_a, shared_b = [False] * len(a), [False] * len(b)
    for op in Indel.opcodes(a, b):
        if op.tag == "equal" and op.src_end - op.src_start >= SHARED_RUN:
            shared_a[op.src_start : op.src_end] = [True] * (op.src_end - op.src_start)
            shared_b[op.dest_start : op.dest_end] = [True] * (op.dest_end - op.dest_start)
    return _pieces(a, shared_a), _pieces(b, shared_b)


def _pieces(text: str, shared: list[bool]) -> list[Piece]:
    out: list[Piece] = []
    start = 0
    for end in range(1, len(text) + 1):
        if end == len(text) or shared[end] != shared[start]:
            out.append(Piece(text[start:end], shared[start]))
            start = end
    return out


def shown(flag: OverlapFlag) -> Shown:
    """One flag ready for the page: for a passage, the shared characters marked on both sides."""
    if flag.kind == FlagKind.TEXT:
        pieces_a, pieces_b = marked(flag.earlier_text, flag.later_text)
    else:
        pieces_a = [Piece(flag.earlier_text, True)]
        pieces_b = [Piece(flag.later_text, True)]

    def side(application: Application, name: str | None, place: str, text: str, pieces) -> Side:
        return Side(application, name or "（未填集群名称）", place, text, pieces)

    return Shown(
        flag,
        side(
            flag.earlier,
            getattr(flag, "earlier_name", ""),
            flag.earlier_place,
            flag.earlier_text,
            pieces_a,
        ),
        side(
            flag.later, getattr(flag, "later_name", ""), flag.later_place, flag.later_text, pieces_b
        ),
    )


# --- dismissing -------------------------------------------------------------------------------


def dismiss(user: User, flag_id: int, reason: str) -> OverlapDismissal:
    """已核实，非抄袭: recorded with who and why for the flag's signature (so for the same
    finding found again, after a resubmission or a rebuild); refusals in Chinese."""
    problem = OVERLAP_DISMISS.refusal(user)
    if problem:
        raise DomainError(problem)
    reason = reason.strip()
    if not reason:
        raise DomainError("请填写核实说明：为什么不是抄袭（如：同一龙头企业的公开资料）。")
    if len(reason) > REASON_MAX:
        raise DomainError(f"核实说明最多 {REASON_MAX} 字，现为 {len(reason)} 字。")
    flag = flags_for(user).filter(pk=flag_id).first()
    if flag is None:
        raise DomainError("没有找到该交叉比对提示（可能已因重新提交或重建索引而消失）。")
    if flag.dismissal is not None:
        raise DomainError(_already(flag.dismissal))
    try:
        with transaction.atomic():
            dismissal = OverlapDismissal.objects.create(
                signature=flag.signature,
                kind=flag.kind,
                value=flag.value,
                reason=reason,
                dismissed_by=user,
                at=clock.now(),
            )
    except IntegrityError:  # another officer was quicker
        earlier = OverlapDismissal.objects.filter(signature=flag.signature).first()
        raise DomainError(_already(earlier) if earlier else "请刷新页面后重试。") from None
    OverlapFlag.objects.filter(signature=flag.signature).update(dismissal=dismissal)
    return dismissal


def _already(dismissal: OverlapDismissal) -> str:
    at = timezone.localtime(dismissal.at)
    return (
        f"该提示已由{dismissal.dismissed_by}于{at:%Y-%m-%d %H:%M}核实为非抄袭"
        f"（{dismissal.reason}），无需重复核实。"
    )
