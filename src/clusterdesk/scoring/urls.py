"""专家评分 under /scoring/: the expert's 评审任务 and sheets; the city's rubric, progress and
ranking."""

from django.urls import path

# The <sha256:…> converter is registered by the evidence URLs, loaded with the root URLconf.
import clusterdesk.evidence.urls  # noqa: F401
from clusterdesk.scoring.views import city, expert

app_name = "scoring"

urlpatterns = [
    path("", expert.home, name="home"),
    path("sheets/<int:pk>/", expert.sheet_page, name="sheet"),
    path("sheets/<int:pk>/save/", expert.sheet_save, name="save"),
    path("sheets/<int:pk>/submit/", expert.sheet_submit, name="submit"),
    path("sheets/<int:pk>/evidence/<sha256:sha256>/", expert.sheet_evidence, name="evidence"),
    path("sheets/<int:pk>/scoresheet.docx", expert.sheet_docx_download, name="sheet_docx"),
    path("sheets/<int:pk>/scoresheet.pdf", expert.sheet_pdf_download, name="sheet_pdf"),
    path("rounds/", city.rounds_page, name="rounds"),
    path("rounds/<int:pk>/", city.round_page, name="round"),
    path("rounds/<int:pk>/rubric/", city.rubric_page, name="rubric"),
    path("rounds/<int:pk>/ranking/", city.ranking_page, name="ranking"),
    path("rounds/<int:pk>/ranking.docx", city.ranking_docx, name="ranking_docx"),
    path("rounds/<int:pk>/ranking.xlsx", city.ranking_xlsx, name="ranking_xlsx"),
    path(
        "rounds/<int:pk>/applications/<int:application_pk>/",
        city.application_scores,
        name="application",
    ),
    path(
        "rounds/<int:pk>/sheets/<int:sheet_pk>/scoresheet.docx",
        city.city_sheet_docx,
        name="city_sheet_docx",
    ),
    path(
        "rounds/<int:pk>/sheets/<int:sheet_pk>/scoresheet.pdf",
        city.city_sheet_pdf,
        name="city_sheet_pdf",
    ),
    path("rounds/<int:pk>/sheets/<int:sheet_pk>/reopen/", city.city_sheet_reopen, name="reopen"),
]
