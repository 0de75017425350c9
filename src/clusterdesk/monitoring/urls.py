"""URLs of the monitoring app: the county's and the city's 年度报告 pages."""

from django.urls import path

from clusterdesk.monitoring.views import city, county

app_name = "monitoring"

urlpatterns = [
    path("county/", county.county_reports, name="county"),
    path("county/<int:certification_id>/start/", county.start, name="start"),
    path("", city.city_list, name="city"),
    path("rounds/new/", city.open_round, name="open_round"),
    path("rounds/<int:pk>/window/", city.change_round_window, name="window"),
    path("reports/<int:pk>/", city.city_report, name="report"),
    path("reports/<int:pk>/accept/", city.act, {"action": "accept"}, name="accept"),
    path("reports/<int:pk>/return/", city.act, {"action": "return"}, name="return"),
    path("changes/", city.change_list, name="changes"),
    path("changes/<int:pk>/", city.change_case, name="change"),
    path("reports/<int:pk>/comment/", city.act, {"action": "comment"}, name="comment"),
]
