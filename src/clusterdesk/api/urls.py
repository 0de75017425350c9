"""/api/v1/: the open API (clusterdesk.api.site)."""

from django.urls import path

from clusterdesk.api.site import api

urlpatterns = [path("v1/", api.urls)]
