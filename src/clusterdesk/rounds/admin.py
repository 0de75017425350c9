from django.contrib import admin

from clusterdesk.readonly_admin import ReadOnlyAdminMixin
from clusterdesk.rounds.models import RoundEvent


@admin.register(RoundEvent)
class RoundEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: events are written by the round domain functions only."""

    list_display = ("at", "round", "action", "actor", "note")
    list_filter = ("action", "round")
    list_select_related = ("round", "actor")
    date_hierarchy = "at"
