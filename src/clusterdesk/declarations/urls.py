"""The web form of an application: its pages and the autosave door."""

from django.urls import path

from clusterdesk.declarations.views import comments, form, history, timeline

app_name = "form"

urlpatterns = [
    path("<int:pk>/form/", form.form_start, name="start"),
    path("<int:pk>/form/<slug:page>/", form.form_page, name="page"),
    path("<int:pk>/autosave/", form.autosave, name="autosave"),
    path("<int:pk>/history/", history.application_history, name="history"),
    path(
        "<int:pk>/history/<int:version>/restore/",
        history.restore_import,
        name="restore_import",
    ),
    path("<int:pk>/timeline/", timeline.application_timeline, name="timeline"),
    path("<int:pk>/diff/", comments.revision_diff_page, name="diff"),
    path("<int:pk>/comments/new/", comments.comment_new, name="comment_new"),
    path("comments/<int:pk>/reply/", comments.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/close/", comments.comment_close, name="comment_close"),
]
