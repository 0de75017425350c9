"""Admin: the 会审, 公示 and objection records are shown only (append-only: the database
refuses changes too)."""

from django.contrib import admin

from clusterdesk.publicity.models import (
    Decision,
    DecisionItem,
    Objection,
    ObjectionStep,
    Publicity,
    PublicityItem,
)
from clusterdesk.shared.readonly_admin import ReadOnlyAdminMixin


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("round", "held_on", "recorded_by", "recorded_at")


@admin.register(DecisionItem)
class DecisionItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("decision", "application", "rank", "proposed")


@admin.register(Publicity)
class PublicityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "round", "starts_on", "ends_on", "started_by")


@admin.register(PublicityItem)
class PublicityItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("publicity", "position", "cluster_name", "unit", "industry")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "name", "organisation", "received_on", "signed")


@admin.register(ObjectionStep)
class ObjectionStepAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("objection", "kind", "outcome", "actor", "at")
