"""Admin: each round's 形式审查 checklist is data the admin edits (validated by the model);
receipts and checks are shown only (append-only: the database refuses changes too)."""

from django.contrib import admin

from clusterdesk.intake.models import FormalCheck, FormalChecklist, PaperReceipt
from clusterdesk.shared.readonly_admin import ReadOnlyAdminMixin


@admin.register(FormalChecklist)
class FormalChecklistAdmin(admin.ModelAdmin):
    list_display = ("round",)


@admin.register(PaperReceipt)
class PaperReceiptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "received_on", "originals", "copies", "matches", "at")


@admin.register(FormalCheck)
class FormalCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "passed", "checked_by", "at")
