"""Admin: revocations are shown only. They are decided on the city's revoke page, whose door
moves the application and writes the record; the record is append-only (the database refuses
changes too)."""

from django.contrib import admin

from clusterdesk.revocation.models import Revocation
from clusterdesk.shared.readonly_admin import ReadOnlyAdminMixin


@admin.register(Revocation)
class RevocationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "certification",
        "reason_class",
        "document_number",
        "decided_on",
        "recorded_by",
        "recorded_at",
    )
    list_filter = ("reason_class",)
    list_select_related = ("certification__application", "certification__publication")
