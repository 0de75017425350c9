"""URLs of evidence: /evidence/<application id>/..."""

from django.urls import path, register_converter

from clusterdesk.evidence import views


class Sha256Converter:
    regex = "[0-9a-f]{64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Sha256Converter, "sha256")

app_name = "evidence"

urlpatterns = [
    path("<int:application_id>/", views.evidence_list, name="list"),
    path("<int:application_id>/upload/", views.upload, name="upload"),
    path("<int:application_id>/remove/", views.remove, name="remove"),
    path("<int:application_id>/<sha256:sha256>/", views.download, name="download"),
]
