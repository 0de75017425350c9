"""The snapshots (提交快照) of a declaration: what was submitted, exactly as it was."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router

from clusterdesk.api.endpoints.common import declaration_or_404
from clusterdesk.api.paging import Paging, page_of
from clusterdesk.api.schemas import Error, SubmissionDetail, SubmissionPage
from clusterdesk.declarations.models import Submission

router = Router(tags=["提交快照"])


def _row(submission: Submission) -> dict[str, Any]:
    who = submission.submitted_by
    return {
        "id": submission.pk,
        "submitted_at": submission.submitted_at,
        "submitted_by": who.get_full_name() or who.username,
        "application_version": submission.application_version,
        "data_sha256": submission.data_sha256,
    }


@router.get(
    "/applications/{int:pk}/submissions",
    response={200: SubmissionPage, 404: Error},
    summary="一份申报的提交快照",
)
def list_submissions(request: HttpRequest, pk: int, paging: Query[Paging]):
    application = declaration_or_404(request.auth, pk, with_data=False)
    rows = (
        Submission.objects.filter(application=application)
        .select_related("submitted_by")
        .defer("data", "evidence")
        .order_by("submitted_at", "pk")
    )
    page = page_of(rows, paging)
    page["items"] = [_row(submission) for submission in page["items"]]
    return page


@router.get(
    "/applications/{int:pk}/submissions/{int:submission_id}",
    response={200: SubmissionDetail, 404: Error},
    summary="一个提交快照（含提交时的申报表）",
)
def get_submission(request: HttpRequest, pk: int, submission_id: int):
    application = declaration_or_404(request.auth, pk, with_data=False)
    submission = (
        Submission.objects.filter(application=application, pk=submission_id)
        .select_related("submitted_by")
        .first()
    )
    if submission is None:
        raise Http404("找不到该提交快照。")
    return {**_row(submission), "data": submission.data, "evidence": submission.evidence}
