"""答辩与走访 under /hearings/."""

from django.urls import path

from clusterdesk.hearings.views import defence, visits

app_name = "hearings"

urlpatterns = [
    path("", defence.index, name="index"),
    path("rounds/<int:pk>/", defence.round_page, name="round"),
    path("rounds/<int:pk>/schedule.docx", defence.schedule_docx, name="schedule_docx"),
    path("rounds/<int:pk>/schedule.pdf", defence.schedule_pdf, name="schedule_pdf"),
    path("phases/<int:pk>/slots/new/", defence.slot_new, name="slot_new"),
    path("phases/<int:pk>/slots/auto/", defence.slot_auto, name="slot_auto"),
    path("slots/<int:pk>/edit/", defence.slot_edit, name="slot_edit"),
    path("slots/<int:pk>/delete/", defence.slot_delete, name="slot_delete"),
    path("slots/<int:pk>/record/", defence.slot_record, name="slot_record"),
    path("my/", defence.my_slots, name="my"),
    path("expert/", defence.expert_schedule, name="expert"),
    path("rounds/<int:pk>/visits/new/", visits.visit_new, name="visit_new"),
    path("visits/<int:pk>/", visits.visit_page, name="visit"),
    path("visits/<int:pk>/record/", visits.visit_record, name="visit_record"),
    path("visits/<int:pk>/upload/", visits.visit_upload, name="visit_upload"),
    path("visits/<int:pk>/files/<int:file_pk>/", visits.visit_file, name="visit_file"),
]
