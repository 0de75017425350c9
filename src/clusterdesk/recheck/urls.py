"""URLs of the recheck app."""

from django.urls import path

from clusterdesk.recheck.views import city, expert

app_name = "recheck"

urlpatterns = [
    path("", city.home, name="home"),
    path("open/", city.open_round, name="open"),
    path("case/<int:pk>/", city.case_page, name="case"),
    path("case/<int:pk>/rectify/", city.rectify, name="rectify"),
    path("case/<int:pk>/follow-up/", city.follow_up, name="follow_up"),
    path("case/<int:pk>/revoke/", city.revoke, name="revoke"),
    path("material/<int:pk>/<int:report>/", expert.report_page, name="material"),
]
