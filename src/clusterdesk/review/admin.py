"""Admin: everything is shown only. The pool, the conflict declarations, the settings and the
assignments change through the domain doors (the city's and the expert's pages), which check
who may and record each change as a ReviewEvent; an edit here would bypass both."""

from django.contrib import admin

from clusterdesk.review.models import (
    Assignment,
    ConflictDeclaration,
    ExpertProfile,
    ReviewEvent,
    ReviewPhase,
    ReviewSettings,
)
from clusterdesk.shared.readonly_admin import ReadOnlyAdminMixin


class ConflictInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ConflictDeclaration
    extra = 0


@admin.register(ExpertProfile)
class ExpertProfileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "organisation_name", "title", "fields_text", "active")
    list_filter = ("active",)
    search_fields = ("name", "organisation_name", "user__username")
    inlines = (ConflictInline,)


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("round", "experts_per_application", "conflict_years", "anonymise_county")


@admin.register(ReviewPhase)
class ReviewPhaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("round", "name", "kind", "status", "opens_at", "closes_at")
    list_filter = ("status", "kind")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("phase", "application", "expert", "status", "created_at")
    list_filter = ("status",)


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "action", "actor", "round", "application", "expert", "reason")
    list_filter = ("action",)
