"""The ranking and the site-visit conclusions the 会审 decides from, read from the apps below
(scoring, hearings) through their published functions only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.hearings.domain.visits import conclusions_for
from clusterdesk.rounds.models import Round
from clusterdesk.scoring.domain.ranking import ranking_for


@dataclass
class Row:
    """One application under review as the decision page shows it."""

    application: Application
    rank: int | None = None
    aggregate: Any = None
    spread: Any = None
    disagreement: bool = False
    flags: list[str] = field(default_factory=list)
    visit: Any = None  # hearings.SiteVisit or None

    @property
    def visit_conclusion(self) -> str:
        if self.visit is None:
            return ""
        display = getattr(self.visit, "get_conclusion_display", None)
        return display() if display else str(getattr(self.visit, "conclusion", ""))


# Apps above may hold applications under review out of the 会审 (registered in their
# AppConfig.ready): each returns the ids of ``round_``'s applications not to decide on now (the
# recheck app: a cluster under 限期整改 until its follow-up).
HELD_FROM_ABOVE: list[Callable[[Round], set[int]]] = []


def ranking(round_: Round) -> list[Any]:
    return list(ranking_for(round_))


def conclusions(round_: Round) -> dict[int, Any]:
    return dict(conclusions_for(round_))


def rows_for(round_: Round) -> list[Row]:
    """The round's applications under review: ranked ones in rank order, then the unranked
    (no submitted sheets of a closed scored phase yet) by name."""
    under_review = {
        app.pk: app
        for app in Application.objects.filter(
            round=round_, state=ApplicationState.UNDER_REVIEW
        ).select_related("organisation", "round")
    }
    for hold in HELD_FROM_ABOVE:
        for held in hold(round_):
            under_review.pop(held, None)
    visits = conclusions(round_)
    rows: list[Row] = []
    for ranked in ranking(round_):
        app = under_review.pop(ranked.application.pk, None)
        if app is None:
            continue  # already decided (proposed, rejected, returned)
        rows.append(
            Row(
                application=app,
                rank=ranked.rank,
                aggregate=ranked.aggregate,
                spread=getattr(ranked, "spread", None),
                disagreement=bool(getattr(ranked, "disagreement", False)),
                flags=list(getattr(ranked, "flags", [])),
                visit=visits.get(app.pk),
            )
        )
    for app in sorted(under_review.values(), key=lambda a: (a.listed_name or "", a.pk)):
        rows.append(Row(application=app, visit=visits.get(app.pk)))
    return rows
