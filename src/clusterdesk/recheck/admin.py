"""Admin: everything is shown only. A 复核 is opened and decided on the city's 复核 pages, whose
doors write the history (the steps are append-only; the database refuses changes too)."""

from django.contrib import admin

from clusterdesk.recheck.models import RecheckCase, RecheckStep
from clusterdesk.shared.readonly_admin import ReadOnlyAdminMixin


@admin.register(RecheckCase)
class RecheckCaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "round", "certification", "opened_by", "opened_at")


@admin.register(RecheckStep)
class RecheckStepAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("case", "kind", "deadline", "recorded_by", "recorded_at")
