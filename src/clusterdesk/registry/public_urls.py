"""The public certified list under /certified/ (no login)."""

from django.urls import path

from clusterdesk.registry.views import public

app_name = "certified"

urlpatterns = [
    path("", public.certified_page, name="list"),
    path("list.docx", public.certified_docx, name="docx"),
    path("list.xlsx", public.certified_xlsx, name="xlsx"),
]
