"""Rounds and their history in the admin.

A round is created, changed, opened and closed here through the same domain functions as on the
city's round pages (``rounds/domain.py``), so the same rules apply and every change
writes its RoundEvent; the admin never saves a Round itself. RoundEvents are read-only (the
database refuses changes too, see ``clusterdesk.shared.appendonly``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from clusterdesk.rounds.domain import (
    EDITABLE_FIELDS,
    close_refusal,
    close_round,
    create_round,
    open_refusal,
    open_round,
    round_management_refusal,
    update_round,
)
from clusterdesk.rounds.enums import RoundStatus
from clusterdesk.rounds.forms import RoundForm
from clusterdesk.rounds.models import Round, RoundEvent
from clusterdesk.shared.readonly_admin import ReadOnlyAdminMixin


class RoundAdminForm(RoundForm):
    """The round pages' form (same fields, same checks) plus the status, on the change page."""

    class Meta(RoundForm.Meta):
        fields = (*EDITABLE_FIELDS, "status")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        status = cleaned.get("status")
        # Until _post_clean() the instance still holds the stored values.
        stored = self.instance
        if stored.pk and status and status != stored.status:
            # Judged as the round will be once the other fields are saved (a new deadline first).
            after = Round(
                name=stored.name,
                status=stored.status,
                submission_deadline=cleaned.get("submission_deadline")
                or stored.submission_deadline,
            )
            problem = open_refusal(after) if status == RoundStatus.OPEN else close_refusal(after)
            if problem:
                self.add_error("status", problem)
        return cleaned


class RoundEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RoundEvent
    fields = ("at", "action", "actor", "note")
    readonly_fields = fields
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    form = RoundAdminForm
    list_display = (
        "name",
        "status",
        "first_data_year",
        "last_data_year",
        "submission_deadline",
        "county_limit",
        "form_version",
        "criteria_profile",
    )
    list_filter = ("status",)
    search_fields = ("name",)
    readonly_fields = ("created_at",)
    inlines = (RoundEventInline,)

    def get_fields(self, request: HttpRequest, obj: Round | None = None) -> list[str]:
        # A new round always opens (create_round); the status is changed on the change page.
        if obj is None:
            return list(EDITABLE_FIELDS)
        return [*EDITABLE_FIELDS, "status", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self._manages_rounds(request)

    def has_change_permission(self, request: HttpRequest, obj: Round | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._manages_rounds(request)

    def has_delete_permission(self, request: HttpRequest, obj: Round | None = None) -> bool:
        # Its events (and applications) keep a round; closing it is how a round ends.
        return False

    def save_model(self, request: HttpRequest, obj: Round, form: Any, change: bool) -> None:
        """Hand the validated values to the domain door instead of saving ``obj``."""
        values = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        if change:
            saved = update_round(obj, actor=request.user, values=values)
            status = form.cleaned_data.get("status", saved.status)
            if status != saved.status:
                move = open_round if status == RoundStatus.OPEN else close_round
                saved = move(saved, actor=request.user)
        else:
            saved = create_round(actor=request.user, values=values)
        # The admin's log entry and redirect name the round that was saved.
        obj.pk = saved.pk
        obj.status = saved.status
        obj.created_at = saved.created_at
        obj._state.adding = False

    @staticmethod
    def _manages_rounds(request: HttpRequest) -> bool:
        return round_management_refusal(request.user) is None


@admin.register(RoundEvent)
class RoundEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: events are written by the round domain functions only."""

    list_display = ("at", "round", "action", "actor", "note")
    list_filter = ("action", "round")
    list_select_related = ("round", "actor")
    date_hierarchy = "at"
