"""Exports under /exports/: the list, starting, progress, download, retry."""

from django.urls import path

from clusterdesk.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.export_list, name="list"),
    path("start/", views.start, name="start"),
    path("<int:pk>/status.json", views.status, name="status"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/retry/", views.retry_export, name="retry"),
]
