"""Admin: exports are shown only (the worker and the users' buttons change them)."""

from django.contrib import admin

from clusterdesk.exports.models import Export
from clusterdesk.shared.readonly_admin import ReadOnlyAdminMixin


@admin.register(Export)
class ExportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("round", "kind", "user", "status", "done", "total", "created_at")
    list_filter = ("status", "kind")
