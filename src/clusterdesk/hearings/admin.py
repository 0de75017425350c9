"""答辩与走访 in the admin: shown only. Slots, records and visits change through the city's pages
(``hearings.domain``), which check them and write the HearingEvent."""

from django.contrib import admin

from clusterdesk.hearings.models import (
    DefenceRecord,
    DefenceSlot,
    HearingEvent,
    SiteVisit,
    SiteVisitFile,
)
from clusterdesk.shared.readonly_admin import ReadOnlyAdminMixin


@admin.register(DefenceSlot)
class DefenceSlotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "phase", "starts_at", "ends_at", "place", "notified_at")
    list_select_related = ("application__organisation", "phase__round")
    date_hierarchy = "starts_at"


@admin.register(DefenceRecord)
class DefenceRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("slot", "attended", "recorded_by", "recorded_at")
    list_select_related = ("slot__application__organisation", "recorded_by")


@admin.register(SiteVisit)
class SiteVisitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "round", "planned_on", "conclusion", "recorded_at")
    list_select_related = ("application__organisation", "round")
    list_filter = ("conclusion",)


@admin.register(SiteVisitFile)
class SiteVisitFileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "visit", "uploaded_by", "uploaded_at", "blob")
    list_select_related = ("visit__application__organisation", "uploaded_by")


@admin.register(HearingEvent)
class HearingEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "action", "application", "actor", "slot_id", "visit")
    list_select_related = ("application__organisation", "actor", "visit")
    list_filter = ("action",)
    date_hierarchy = "at"
