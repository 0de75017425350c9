"""Admin views. Nothing here bypasses the doors the pages use:

- applications are read-only in every state: their data changes only through the editing door
  (domain/editing.py, which records who changed what), their state only through
  ``workflow.transition()``; round, organisation and creator are part of the record;
- rounds are created and changed through ``rounds/domain.py``, which writes the RoundEvent
  (their admin is in ``clusterdesk.rounds.admin``, next to the RoundEvent history);
- events and snapshots are shown only (the database refuses changes too, see appendonly.py).
"""

from django.contrib import admin

from clusterdesk.declarations.models import (
    Application,
    ApplicationEvent,
    Revision,
    Submission,
)
from clusterdesk.shared.readonly_admin import ReadOnlyAdminMixin


class ApplicationEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ApplicationEvent
    fields = ("at", "from_state", "to_state", "actor", "reason")
    readonly_fields = fields
    extra = 0


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Shown, never added (create_application() records the creator), changed or deleted
    (deleting would orphan the audit trail; the workflow has revocation instead)."""

    list_display = ("__str__", "organisation", "round", "state", "updated_at")
    list_filter = ("round", "state", "organisation")
    list_select_related = ("round", "organisation")
    search_fields = ("organisation__name", "data__part1__cluster_name")
    fields = (
        "round",
        "organisation",
        "state",
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "data",
    )
    inlines = (ApplicationEventInline,)


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "application", "from_state", "to_state", "actor", "reason")
    list_filter = ("to_state",)
    list_select_related = ("application__organisation", "actor")
    date_hierarchy = "at"


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who changed which boxes of a form, and how: shown only (the editing door writes them)."""

    list_display = ("application", "version", "at", "actor", "source")
    list_filter = ("source",)
    list_select_related = ("application__organisation", "actor")
    search_fields = ("application__organisation__name", "actor__username")
    date_hierarchy = "at"


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The record of what was submitted: shown, never added, changed or deleted."""

    list_display = ("application", "submitted_at", "submitted_by", "application_version", "digest")
    list_filter = ("application__round",)
    list_select_related = ("application__organisation", "submitted_by")
    search_fields = ("application__organisation__name", "data_sha256")
    date_hierarchy = "submitted_at"

    @admin.display(description="数据 SHA-256（前 12 位）")
    def digest(self, submission: Submission) -> str:
        return submission.data_sha256[:12]
