"""The county's pages under /county/: dashboard, self-check, submit, documents, Word import."""

from django.urls import path

from clusterdesk.county.views import dashboard, documents, drafts, imports, selfcheck, submit

app_name = "county"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("new/", dashboard.new_application, name="new"),
    path("rounds/<int:round_id>/header/", dashboard.save_header, name="header"),
    path("applications/<int:pk>/check/", selfcheck.check, name="check"),
    path("applications/<int:pk>/submit/", submit.submit_application, name="submit"),
    path("applications/<int:pk>/attachment2.docx", documents.attachment2_docx, name="a2_docx"),
    path("applications/<int:pk>/attachment2.pdf", documents.attachment2_pdf, name="a2_pdf"),
    path(
        "applications/<int:pk>/submissions/<int:submission_id>.docx",
        documents.submission_docx,
        name="submission_docx",
    ),
    path("applications/<int:pk>/delete/", drafts.delete_draft, name="delete"),
    path("deleted/", drafts.deleted_drafts, name="deleted"),
    path("applications/<int:pk>/restore/", drafts.restore_draft, name="restore"),
    path("applications/<int:pk>/import/", imports.import_into, name="import_into"),
    path("applications/<int:pk>/import/confirm/", imports.import_confirm, name="import_confirm"),
    path("summary.docx", documents.summary_docx, name="summary_docx"),
    path("summary.xlsx", documents.summary_xlsx, name="summary_xlsx"),
    path("package.zip", documents.package_zip, name="package"),
    path("import/", imports.import_new, name="import"),
]
