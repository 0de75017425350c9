"""The registry's rows of renewed clusters (registered in registry's ``ROW_NOTES_FROM_ABOVE``):
the old certification says by which document it was renewed, the new one which it renews, each
with a link to the 复核 for those who may read it. Two queries whatever the page's size."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from clusterdesk.recheck.models import RecheckCase
from clusterdesk.recheck.permissions import VIEW
from clusterdesk.registry.domain.registry import RowNote, day_text
from clusterdesk.registry.models import Certification


def renewal_notes(rows: Sequence[Certification], user: Any) -> dict[int, list[RowNote]]:
    pks = [row.pk for row in rows]
    if not pks:
        return {}
    linked = VIEW.refusal(user) is None
    related = Certification.objects.filter(renews_id__in=pks) | Certification.objects.filter(
        renewed_by__pk__in=pks
    )
    found = {c.pk: c for c in related.select_related("publication")}
    cases = {
        case.application_id: case.pk
        for case in RecheckCase.objects.filter(
            application__certification__pk__in=[*pks, *found]
        ).only("pk", "application_id")
    }
    notes: dict[int, list[RowNote]] = {}
    for renewal in found.values():
        if renewal.renews_id in pks:
            url = _case_url(cases.get(renewal.application_id), linked)
            notes.setdefault(renewal.renews_id, []).append(
                RowNote(
                    f"已复核续期：{renewal.publication.document_number}，"
                    f"有效期至{day_text(renewal.valid_until)}",
                    url,
                    "复核记录" if url else "",
                )
            )
    for row in rows:
        old = found.get(row.renews_id) if row.renews_id else None
        if old is not None:
            url = _case_url(cases.get(row.application_id), linked)
            notes.setdefault(row.pk, []).append(
                RowNote(
                    f"复核续期（原认定{old.publication.document_number}）",
                    url,
                    "复核记录" if url else "",
                )
            )
    return notes


def _case_url(case_pk: int | None, linked: bool) -> str:
    if case_pk is None or not linked:
        return ""
    return reverse("recheck:case", kwargs={"pk": case_pk})
