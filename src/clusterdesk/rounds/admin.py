from django.contrib import admin

from clusterdesk.rounds.models import RoundEvent


@admin.register(RoundEvent)
class RoundEventAdmin(admin.ModelAdmin):
    """Read-only: events are written by the round domain functions only."""

    list_display = ("at", "round", "action", "actor", "note")
    list_filter = ("action", "round")
    list_select_related = ("round", "actor")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
