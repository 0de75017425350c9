"""What the registry's rows show of revocations (``registry.domain.registry.ROW_NOTES_FROM_ABOVE``,
registered in ``RevocationConfig.ready``): a revoked row its 撤销文号 and reason class with a link
to the decision; a row the city may revoke, the link to the revoke form. One query a page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.registry.domain.registry import RowNote, Status
from clusterdesk.registry.models import Certification
from clusterdesk.revocation.models import Revocation
from clusterdesk.revocation.permissions import MANAGE, VIEW


def registry_notes(rows: Sequence[Certification], user: Any) -> dict[int, list[RowNote]]:
    rows = list(rows)
    can_view = VIEW.refusal(user) is None
    notes: dict[int, list[RowNote]] = {}
    found = Revocation.objects.filter(certification_id__in=[row.pk for row in rows]).only(
        "pk", "certification_id", "document_number", "reason_class"
    )
    for revocation in found:
        notes[revocation.certification_id] = [
            RowNote(
                f"撤销文号：{revocation.document_number}"
                f"（{revocation.get_reason_class_display()}）",
                reverse("revocation:detail", args=[revocation.pk]) if can_view else "",
                "撤销详情",
            )
        ]
    if MANAGE.refusal(user) is None:
        for row in rows:
            if (
                row.pk not in notes
                and row.application.state == ApplicationState.CERTIFIED
                and getattr(row, "status", Status.VALID) in (Status.VALID, Status.DUE)
            ):
                notes[row.pk] = [RowNote("", reverse("revocation:new", args=[row.pk]), "撤销认定")]
    return notes
