"""Admin: scoring data is shown only — sheets change through ``scoring.domain.sheets`` and the
settings through the city's rubric page, each writing its record (the events are append-only
in the database too)."""

from django.contrib import admin

from clusterdesk.scoring.models import (
    ScoreSheet,
    ScoreSheetEvent,
    ScoringSettings,
    ScoringSettingsEvent,
)
from clusterdesk.shared.readonly_admin import ReadOnlyAdminMixin


@admin.register(ScoringSettings)
class ScoringSettingsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("round", "aggregate", "disagreement_margin", "updated_at")


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("assignment", "status", "total", "version", "submitted_at")
    list_filter = ("status",)


@admin.register(ScoreSheetEvent)
class ScoreSheetEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("sheet", "action", "actor", "at")


@admin.register(ScoringSettingsEvent)
class ScoringSettingsEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("round", "actor", "at")
