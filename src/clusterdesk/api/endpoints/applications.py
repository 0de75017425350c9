"""A county's declarations: read, change through the editing door, submit through the workflow.

Reads go through ``declarations`` (the web pages' ``visible_applications``); a change goes
through ``save_changes`` — the autosave's door, with its body, its field-by-field conflicts and
the version as ETag/If-Match; submitting goes through the county's ``submit`` (the workflow
door, which checks the rules and takes the snapshot).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import BaseModel, Field

from clusterdesk.api.endpoints.common import declaration_or_404, declarations, summary
from clusterdesk.api.errors import Refused
from clusterdesk.api.paging import Paging, page_of
from clusterdesk.api.schemas import (
    ApplicationDetail,
    ApplicationPage,
    Error,
    SaveIn,
    SaveOut,
    SaveRefused,
    SubmissionOut,
)
from clusterdesk.county.domain.board import county_work_refusal, submit
from clusterdesk.declarations.domain.editing import EditRefused, StaleForm, save_changes
from clusterdesk.declarations.domain.forms import form_definition, form_of, without_data
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.interfaces.autosave import BadRequest, request_from_body, result_json
from clusterdesk.declarations.workflow import TransitionRefused

router = Router(tags=["申报"])


class ApplicationFilter(BaseModel):
    round: int | None = Field(None, ge=1, description="轮次 id")
    state: ApplicationState | None = Field(None, description="状态")


@router.get("/applications", response=ApplicationPage, summary="申报列表（本单位；市局为全部）")
def list_applications(
    request: HttpRequest, paging: Query[Paging], filters: Query[ApplicationFilter]
):
    rows = without_data(declarations(request.auth))
    if filters.round:
        rows = rows.filter(round_id=filters.round)
    if filters.state:
        rows = rows.filter(state=filters.state)
    page = page_of(rows.order_by("pk"), paging)
    page["items"] = [summary(application) for application in page["items"]]
    return page


@router.get(
    "/applications/{int:pk}",
    response={200: ApplicationDetail, 404: Error},
    summary="一份申报（含申报表数据）",
)
def get_application(request: HttpRequest, pk: int, response: HttpResponse):
    application = declaration_or_404(request.auth, pk)
    response["ETag"] = f'"{application.version}"'
    return {**summary(application), "data": form_of(application)}


def _expected_version(request: HttpRequest) -> int | None:
    """The version named by ``If-Match`` (``"7"``, ``W/"7"`` or ``7``), if sent."""
    raw = request.headers.get("If-Match")
    if raw is None:
        return None
    text = raw.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 9:
        raise BadRequest("If-Match：应为申报的版本号（读取时 ETag 给出的整数）")
    return int(text)


@router.patch(
    "/applications/{int:pk}",
    response={200: SaveOut, 400: Error, 403: Error, 404: Error, 409: SaveRefused, 422: SaveRefused},
    summary="修改申报表栏目（与网页自动保存同一入口）",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SaveIn.model_json_schema()}},
        }
    },
)
def change_application(request: HttpRequest, pk: int, response: HttpResponse):
    application = declaration_or_404(request.auth, pk, with_data=False)
    try:
        pages = {item.key for item in form_definition(application).pages}
        # The autosave's own reading of the body: the same limits on size, depth and values.
        changes, _page = request_from_body(request.body, pages)
        expected = _expected_version(request)
        result = save_changes(application, changes, request.auth, expected_version=expected)
    except BadRequest as exc:
        raise Refused(400, str(exc)) from None
    except EditRefused as exc:
        raise Refused(403, exc.message) from None
    except StaleForm as exc:
        current = declaration_or_404(request.auth, pk, with_data=False)
        raise Refused(409, exc.message, version=current.version, applied=[]) from None
    answer = result_json(result, "")
    del answer["html"]
    response["ETag"] = f'"{result.version}"'
    if result.conflicts:
        paths = "、".join(conflict.path for conflict in result.conflicts)
        message = f"以下栏目已被他人修改，未保存：{paths}。请重新读取后再修改。"
        raise Refused(409, message, **answer)
    if result.invalid:
        message = "；".join(f"{path}：{why}" for path, why in result.invalid.items())
        raise Refused(422, message, **answer)
    return answer


@router.post(
    "/applications/{int:pk}/submit",
    response={200: SubmissionOut, 403: Error, 404: Error, 409: Error},
    summary="提交申报（经工作流，生成提交快照）",
)
def submit_application(request: HttpRequest, pk: int):
    refused = county_work_refusal(request.auth)
    if refused:
        raise Refused(403, refused)
    application = declaration_or_404(request.auth, pk, with_data=False)
    try:
        submission = submit(application, request.auth)
    except TransitionRefused as exc:
        raise Refused(409, exc.message) from None
    return {
        "id": submission.pk,
        "submitted_at": submission.submitted_at,
        "submitted_by": request.auth.get_full_name() or request.auth.username,
        "application_version": submission.application_version,
        "data_sha256": submission.data_sha256,
    }
