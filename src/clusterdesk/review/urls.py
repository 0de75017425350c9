"""专家评审 under /review/."""

from django.urls import path

from clusterdesk.review.views import mine, panel, pool

app_name = "review"

urlpatterns = [
    path("", panel.overview, name="overview"),
    path("experts/", pool.experts_page, name="experts"),
    path("experts/new/", pool.expert_create, name="expert_create"),
    path("experts/<int:pk>/", pool.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/active/", pool.expert_active, name="expert_active"),
    path("conflicts/", pool.conflicts_page, name="conflicts"),
    path("conflicts/<int:pk>/end/", pool.conflict_end, name="conflict_end"),
    path("rounds/<int:pk>/", panel.round_page, name="round"),
    path("rounds/<int:pk>/settings/", panel.settings_save, name="settings"),
    path("rounds/<int:pk>/phases/add/", panel.phase_add, name="phase_add"),
    path("phases/<int:pk>/", panel.phase_edit, name="phase_edit"),
    path("phases/<int:pk>/open/", panel.phase_open, name="phase_open"),
    path("phases/<int:pk>/close/", panel.phase_close, name="phase_close"),
    path("phases/<int:pk>/remove/", panel.phase_remove, name="phase_remove"),
    path("phases/<int:pk>/assignments/", panel.assignments_page, name="assignments"),
    path("phases/<int:pk>/assignments/auto/", panel.auto_assign, name="auto_assign"),
    path("phases/<int:pk>/assignments/add/", panel.assignment_add, name="assignment_add"),
    path("assignments/", mine.my_assignments, name="my_assignments"),
    path("assignments/<int:pk>/recuse/", mine.recuse_view, name="recuse"),
    path("assignments/<int:pk>/remove/", panel.assignment_remove, name="assignment_remove"),
    path("assignments/<int:pk>/replace/", panel.assignment_replace, name="assignment_replace"),
]
