"""The city's intake desk under /intake/."""

from django.urls import path

from clusterdesk.intake.views import desk, overlap

app_name = "intake"

urlpatterns = [
    path("", desk.desk_page, name="desk"),
    path("inbox/", desk.inbox_page, name="inbox"),
    path("inbox/accept/", desk.inbox_accept, name="bulk_accept"),
    path("applications/<int:pk>/", desk.application_page, name="application"),
    path("applications/<int:pk>/accept/", desk.application_accept, name="accept"),
    path("applications/<int:pk>/return/", desk.application_return, name="return"),
    path("applications/<int:pk>/receipt/", desk.application_receipt, name="receipt"),
    path("applications/<int:pk>/formal-check/", desk.application_formal_check, name="formal_check"),
    path("overlap/", overlap.overlap_page, name="overlap"),
    path("overlap/<int:pk>/dismiss/", overlap.overlap_dismiss, name="overlap_dismiss"),
]
