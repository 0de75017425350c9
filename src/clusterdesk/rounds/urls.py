from django.urls import path

from clusterdesk.rounds import views as rounds

app_name = "rounds"

urlpatterns = [
    path("", rounds.round_list, name="list"),
    path("new/", rounds.round_create, name="create"),
    path("<int:pk>/edit/", rounds.round_edit, name="edit"),
    path("<int:pk>/thresholds/", rounds.round_thresholds, name="thresholds"),
    path("<int:pk>/open/", rounds.round_open, name="open"),
    path("<int:pk>/close/", rounds.round_close, name="close"),
]
