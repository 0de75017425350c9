from django.contrib import admin

from clusterdesk.notifications.models import Notification, Reminder


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username")
    readonly_fields = ("recipient", "kind", "application", "title", "body", "url", "created_at")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("round", "organisation", "kind", "sent_at")
    list_filter = ("kind", "round")
    readonly_fields = ("round", "organisation", "kind", "sent_at")
