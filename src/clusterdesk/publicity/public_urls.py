"""The public 公示 under /gongshi/: no login."""

from django.urls import path

from clusterdesk.publicity.views import public

app_name = "gongshi"

urlpatterns = [
    path("", public.current, name="current"),
    path("<int:pk>/notice.<str:fmt>", public.notice, name="notice"),
]
