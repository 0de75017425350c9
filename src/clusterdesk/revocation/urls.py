"""撤销认定 under /revocation/: the city's list and revoke form, one revocation and its 通报."""

from django.urls import path

from clusterdesk.revocation.views import city, notice

app_name = "revocation"

urlpatterns = [
    path("", city.revocation_list, name="list"),
    path("new/<int:pk>/", city.revocation_new, name="new"),
    path("<int:pk>/", notice.revocation_detail, name="detail"),
    path("<int:pk>/notice.<str:fmt>", notice.revocation_notice, name="notice"),
]
