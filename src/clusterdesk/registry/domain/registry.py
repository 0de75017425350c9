"""The registry of certified clusters: one row per certification with its status today.

Rows are read with one query whatever their number, without any form's JSON (the name and
industry type are the application's generated columns, the 主导产业 was kept on the
certification when it was published), and the status is computed in SQL too, so the registry
filters and sorts by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import Case, CharField, F, QuerySet, Value, When

from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.documents.certified_list import CertifiedLine
from clusterdesk.registry.domain.settings import years_later
from clusterdesk.registry.models import Certification

State = ApplicationState
# A certification expiring within this many years (or already expired) is due for review.
REVIEW_WINDOW_YEARS = 1


class Status:
    VALID = "valid"
    DUE = "due"
    REVOKED = "revoked"
    RENEWED = "renewed"  # a 复核 passed: its successor (``renewed_by``) carries the title on
    LABELS: ClassVar[dict[str, str]] = {
        VALID: "有效",
        DUE: "到期待复核",
        REVOKED: "已撤销",
        RENEWED: "已复核续期",
    }
    CHOICES: ClassVar[tuple[tuple[str, str], ...]] = tuple(LABELS.items())


def review_horizon(today: dt.date) -> dt.date:
    return years_later(today, REVIEW_WINDOW_YEARS)


def status_expression(today: dt.date) -> Case:
    return Case(
        When(application__state=State.REVOKED, then=Value(Status.REVOKED)),
        When(renewed_by__isnull=False, then=Value(Status.RENEWED)),
        When(valid_until__lt=review_horizon(today), then=Value(Status.DUE)),
        default=Value(Status.VALID),
        output_field=CharField(),
    )


def registry_rows(today: dt.date) -> QuerySet[Certification]:
    """Every certification (certified or revoked since) with what the registry shows."""
    return (
        Certification.objects.select_related(
            "publication", "application__organisation", "application__round"
        )
        .defer("application__data")
        .annotate(
            cluster_name=F("application__listed_name"),
            industry_type=F("application__listed_industry"),
            status=status_expression(today),
        )
        .order_by("-publication__issued_on", "application__organisation__position", "pk")
    )


def day_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def county_of(certification: Certification) -> str:
    unit = certification.application.organisation
    return unit.county or unit.name


def line_of(certification: Certification) -> CertifiedLine:
    """A row as the documents print it (from ``registry_rows``' annotations)."""
    return CertifiedLine(
        name=certification.cluster_name or "（未填集群名称）",
        county=county_of(certification),
        leading_industry=certification.leading_industry or "",
        industry_type=certification.industry_type or "",
        round_name=certification.application.round.name,
        document_number=certification.publication.document_number,
        valid_from=day_text(certification.valid_from),
        valid_until=day_text(certification.valid_until),
        status=Status.LABELS[certification.status],
    )


def public_rows(today: dt.date) -> QuerySet[Certification]:
    """What the public list shows: the clusters that hold the title (a revoked one does not),
    each once (a certification renewed after its 复核 gives way to its successor)."""
    return (
        registry_rows(today)
        .exclude(application__state=State.REVOKED)
        .exclude(renewed_by__isnull=False)
    )


@dataclass(frozen=True)
class RowNote:
    """A line an app above adds under a registry row's status: its text, and a link if any."""

    text: str
    url: str = ""
    link: str = ""  # the link's label, shown after the text


# Apps above add lines to the registry's rows (registered in their AppConfig.ready; e.g. the
# revocation app: a revocation's 文号 and class, the link to revoke): each takes one page's rows
# and the user and returns {certification pk: notes}, in a fixed number of queries.
RowNotes = Callable[[Sequence[Certification], Any], dict[int, list[RowNote]]]
ROW_NOTES_FROM_ABOVE: list[RowNotes] = []


def row_notes(rows: Sequence[Certification], user: Any) -> dict[int, list[RowNote]]:
    """Every app's notes for ``rows``, by certification pk."""
    notes: dict[int, list[RowNote]] = {}
    for hook in ROW_NOTES_FROM_ABOVE:
        for pk, found in hook(rows, user).items():
            notes.setdefault(pk, []).extend(found)
    return notes
