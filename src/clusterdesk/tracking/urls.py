"""URLs of the tracking app (/tracking/)."""

from django.urls import path

from clusterdesk.tracking.views import pages

app_name = "tracking"

urlpatterns = [
    path("", pages.dashboard_page, name="dashboard"),
    path("lagging/", pages.lagging_page, name="lagging"),
    path("lagging.xlsx", pages.lagging_export, name="lagging_export"),
    path("cluster/<int:pk>/", pages.cluster_page, name="cluster"),
    path("county/", pages.county_page, name="county"),
    path("settings/<int:pk>/", pages.settings_change, name="settings"),
    path("report/<int:year>.docx", pages.report_docx, name="report"),
]
