"""会审与公示 under /publicity/ (the city bureau; admins read)."""

from django.urls import path

from clusterdesk.publicity.views import city

app_name = "publicity"

urlpatterns = [
    path("", city.home, name="home"),
    path("rounds/<int:pk>/decision/", city.decision, name="decision"),
    path("rounds/<int:pk>/start/", city.start, name="start"),
    path("<int:pk>/", city.detail, name="detail"),
    path("<int:pk>/notice.<str:fmt>", city.notice, name="notice"),
    path("<int:pk>/objections/", city.objection_new, name="objection_new"),
    path("<int:pk>/applications/<int:application_id>/reject/", city.reject, name="reject"),
    path("objections/<int:pk>/handle/", city.objection_handle, name="objection_handle"),
]
