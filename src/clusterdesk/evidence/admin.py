"""Evidence records in the admin: shown only. Files enter through the upload pages, which check
their content and record who gave them to which application."""

from django.contrib import admin

from clusterdesk.evidence.models import Blob, Upload
from clusterdesk.shared.readonly_admin import ReadOnlyAdminMixin


@admin.register(Blob)
class BlobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("sha256", "kind", "size", "created_at", "created_by")
    list_filter = ("kind",)
    search_fields = ("sha256",)


@admin.register(Upload)
class UploadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "application", "uploaded_by", "uploaded_at", "blob")
    list_select_related = ("application__organisation", "uploaded_by")
    search_fields = ("name", "blob__sha256", "application__organisation__name")
    date_hierarchy = "uploaded_at"
