"""Admin: everything is shown only. The per-round settings change on the city's 发文 page, whose
door records each change (``RegistrySettingsChange``); the documents registered and the
recommendations are append-only (the database refuses changes too)."""

from django.contrib import admin

from clusterdesk.registry.models import (
    Certification,
    Publication,
    Recommendation,
    RecommendationItem,
    RegistrySettings,
    RegistrySettingsChange,
)
from clusterdesk.shared.readonly_admin import ReadOnlyAdminMixin


@admin.register(RegistrySettings)
class RegistrySettingsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("round", "validity_years", "recommendation_quota", "document_prefix")


@admin.register(RegistrySettingsChange)
class RegistrySettingsChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("round", "at", "actor", "before", "after")


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("document_number", "round", "issued_on", "recorded_by", "recorded_at")


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "publication", "valid_from", "valid_until")


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("round", "year", "issued_on", "created_by", "created_at")


@admin.register(RecommendationItem)
class RecommendationItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("recommendation", "position", "certification")
