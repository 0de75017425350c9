"""Admin views. State is read-only here: it changes only through workflow.transition()."""

from django.contrib import admin

from clusterdesk.declarations.models import Application, ApplicationEvent, Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
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


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    fields = ("at", "from_state", "to_state", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "round", "state", "updated_at")
    list_filter = ("round", "state", "organisation")
    list_select_related = ("round", "organisation")
    search_fields = ("organisation__name", "data__part1__cluster_name")
    readonly_fields = ("state", "version", "created_by", "created_at", "updated_at")
    inlines = (ApplicationEventInline,)

    def has_add_permission(self, request) -> bool:
        # Applications start through create_application(), which records who created them.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting would orphan the audit trail; the workflow has revocation instead.
        return False


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    list_display = ("at", "application", "from_state", "to_state", "actor", "reason")
    list_filter = ("to_state",)
    list_select_related = ("application__organisation", "actor")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
