"""Annual reports (年度发展情况报告): applications of the annual rounds, scoped as every other
application (``visible_applications``): a county its own, the city all."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router
from pydantic import BaseModel, Field

from clusterdesk.accounts.models import User
from clusterdesk.api.endpoints.common import summary
from clusterdesk.api.paging import Paging, page_of
from clusterdesk.api.schemas import Error, ReportDetail, ReportPage
from clusterdesk.declarations.domain.forms import form_of, without_data
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.rounds.enums import RoundKind

router = Router(tags=["年度发展情况报告"])


class ReportFilter(BaseModel):
    year: int | None = Field(None, ge=2000, le=2100, description="报告年度")


def _reports(user: User) -> QuerySet[Application]:
    return (
        visible_applications(user)
        .filter(round__kind=RoundKind.ANNUAL, cluster_report__isnull=False)
        .exclude(state=ApplicationState.DELETED)
        .select_related("cluster_report")
    )


def _row(application: Application) -> dict[str, Any]:
    report = application.cluster_report
    return {
        **summary(application),
        "year": report.year,
        "certification_id": report.certification_id,
    }


@router.get("/reports", response=ReportPage, summary="年度发展情况报告列表")
def list_reports(request: HttpRequest, paging: Query[Paging], filters: Query[ReportFilter]):
    rows = without_data(_reports(request.auth))
    if filters.year:
        rows = rows.filter(cluster_report__year=filters.year)
    page = page_of(rows.order_by("pk"), paging)
    page["items"] = [_row(application) for application in page["items"]]
    return page


@router.get(
    "/reports/{int:pk}", response={200: ReportDetail, 404: Error}, summary="一份年度发展情况报告"
)
def get_report(request: HttpRequest, pk: int):
    application = _reports(request.auth).filter(pk=pk).order_by().first()
    if application is None:
        raise Http404("找不到该年度发展情况报告。")
    return {**_row(application), "data": form_of(application)}
