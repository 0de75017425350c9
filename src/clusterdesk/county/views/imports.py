"""Import a filled Attachment 2 (.docx) into a new draft or an existing one (从Word导入).

The file is checked (size, safety) and parsed before anything is written; a bad file answers 400
with the Chinese reason and nothing is saved. A file over CLUSTERDESK_IMPORT_MAX_MB is dropped
while it streams in (``SizeLimitHandler``, as for evidence), and the reading of an accepted one
is bounded in size, elements and time (``documents.safety.ImportLimits``). The result page
lists what was read, what was not found and which values were interpreted.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from clusterdesk.accounts.access import require
from clusterdesk.accounts.models import User
from clusterdesk.county.domain.board import county_work_refusal
from clusterdesk.county.domain.imports import (
    ImportConflict,
    ImportPreview,
    NamedFile,
    confirm_import,
    import_word,
    preview_import,
)
from clusterdesk.county.domain.selfcheck import field_url
from clusterdesk.declarations.domain.editing import StaleForm
from clusterdesk.declarations.domain.history import latest_mark
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.permissions import EDITABLE_STATES
from clusterdesk.documents.errors import DocumentInputError
from clusterdesk.documents.import_report import Interpretation, NotFound, ParseReport, ReadItem
from clusterdesk.documents.safety import NamedBytes, check_size
from clusterdesk.errors import DomainError
from clusterdesk.evidence.handlers import SizeLimitHandler
from clusterdesk.rounds.domain import open_rounds
from clusterdesk.web.params import object_id

MB = 1024 * 1024
NEW = "new"


def max_bytes() -> int:
    return getattr(settings, "CLUSTERDESK_IMPORT_MAX_MB", 20) * MB


def _editable(user: User):
    return (
        visible_applications(user)
        .filter(state__in=sorted(EDITABLE_STATES))
        # A returned application stays correctable after its round closed; a draft does not.
        .filter(Q(round__in=open_rounds()) | Q(state=ApplicationState.RETURNED))
        .order_by("round", "pk")
    )


def _limit_upload(request: HttpRequest) -> SizeLimitHandler:
    """The size limit must apply while the body streams in, so its handler goes in before
    anything reads request.POST; the CSRF check reads it, hence csrf_exempt on the views and
    csrf_protect on ``_import``."""
    limit = SizeLimitHandler(request, max_bytes())
    request.upload_handlers.insert(0, limit)
    return limit


@csrf_exempt  # checked in _import, once the size limit is in place
@require(county_work_refusal)
def import_new(request: HttpRequest) -> HttpResponse:
    """Choose the target on the page: a new draft of an open round, or one of the drafts."""
    return _import(request, None, _limit_upload(request))


@csrf_exempt  # checked in _import, once the size limit is in place
@require(county_work_refusal)
def import_into(request: HttpRequest, pk: int) -> HttpResponse:
    limit = _limit_upload(request)
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    return _import(request, application, limit)


@csrf_protect
def _import(
    request: HttpRequest, fixed: Application | None, limit: SizeLimitHandler
) -> HttpResponse:
    user: User = request.user
    context = {
        "fixed": fixed,
        "options": _options(user, request.POST.get("target", "")),
        "max_mb": max_bytes() // MB,
        # When the page was opened: an import must not replace what others saved after it.
        "seen": latest_mark(),
    }
    if request.method != "POST":
        return render(request, "county/import.html", context)
    upload = request.FILES.get("file")
    try:
        if limit.too_large:
            raise DocumentInputError(
                f"文件 {limit.too_large[0] or '（未命名）'} 过大，"
                f"超过 {max_bytes() // MB} MB 的上限，未上传。"
            )
        if upload is None:
            raise DocumentInputError("请选择要导入的 Word 文件（.docx）。")
        check_size(upload.size, upload.name, limit=max_bytes())
        target, round_ = _target(request, user, fixed)
        seen = request.POST.get("seen", "")
        source = NamedBytes(upload.read(), upload.name)  # so that every message names the file
        if target is not None:
            # An existing draft is never overwritten before the officer saw what changes.
            preview = preview_import(source, user, target, seen=object_id(seen))
            return _show_preview(request, preview)
        outcome = import_word(source, user, application=None, round_=round_)
    except ImportConflict as conflict:
        context |= {"problem": conflict.message, "conflicts": conflict.changes}
        return render(request, "county/import.html", context, status=409)
    except (DocumentInputError, DomainError) as refused:
        context["problem"] = refused.message
        return render(request, "county/import.html", context, status=400)
    not_found = [
        (item, field_url(outcome.application, item.path)) for item in outcome.report.not_found
    ]
    return render(
        request,
        "county/import_result.html",
        {
            "outcome": outcome,
            "report": outcome.report,
            "application": outcome.application,
            "not_found": not_found,
        },
    )


def _options(user: User, chosen: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for the target list: new drafts first, then existing drafts."""
    options = [(f"{NEW}-{round_.pk}", f"新建草稿（{round_.name}）") for round_ in open_rounds()]
    for draft in _editable(user):
        name = draft.cluster_name or "（未填集群名称）"
        options.append(
            (str(draft.pk), f"{name}（{draft.round.name}，{draft.get_state_display()}）")
        )
    return [(value, label, value == chosen) for value, label in options]


def _target(request: HttpRequest, user: User, fixed: Application | None):
    """(application, None) to fill an existing draft, or (None, round) for a new draft."""
    if fixed is not None:
        return fixed, None
    choice = request.POST.get("target", "")
    if choice.startswith(f"{NEW}-"):
        round_id = object_id(choice.removeprefix(f"{NEW}-"))
        round_ = open_rounds().filter(pk=round_id).first() if round_id is not None else None
        if round_ is None:
            raise DomainError("所选申报轮次不存在或已关闭。")
        return None, round_
    if object_id(choice) is not None:
        # Scoped: another county's draft, or a submitted one, is simply not found.
        application = _editable(user).filter(pk=object_id(choice)).first()
        if application is None:
            raise DomainError("所选申报不存在或已提交，只能导入到本单位的草稿中。")
        return application, None
    raise DomainError("请选择导入到新建草稿还是现有草稿。")


# ---------------------------------------------------------------- preview, then confirm

# The previewed import waits in the session: one at a time per session (a new preview replaces
# the last), bounded by the form size limit, tied to the user, the application and its version.
PENDING = "clusterdesk.pending_import"
PENDING_SECONDS = 30 * 60  # a preview older than this is not confirmed: upload again


def _show_preview(request: HttpRequest, preview: ImportPreview) -> HttpResponse:
    token = secrets.token_urlsafe(16)
    request.session[PENDING] = {
        "token": token,
        "user": request.user.pk,
        "application": preview.application.pk,
        "version": preview.version,
        "data": preview.data,
        "report": preview.report.as_json(),
        "named": [[f.path, f.place, f.name] for f in preview.named_files],
        "at": time.time(),
    }
    return render(
        request,
        "county/import_preview.html",
        {
            "preview": preview,
            "application": preview.application,
            "report": preview.report,
            "token": token,
        },
    )


def _report(saved: dict) -> ParseReport:
    return ParseReport(
        read=[ReadItem(**item) for item in saved.get("read", [])],
        not_found=[NotFound(**item) for item in saved.get("not_found", [])],
        interpreted=[
            Interpretation(item["path"], item["raw"], item["value"], item["why"])
            for item in saved.get("interpreted", [])
        ],
    )


@require_POST
@require(county_work_refusal)
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """确认导入: store the previewed import, if the application is still as previewed."""
    user: User = request.user
    application = get_object_or_404(visible_applications(user), pk=pk)
    pending = request.session.get(PENDING) or {}
    back = {"fixed": application, "options": [], "max_mb": max_bytes() // MB, "seen": latest_mark()}
    if (
        pending.get("application") != application.pk
        or pending.get("user") != user.pk
        or not secrets.compare_digest(str(pending.get("token", "")), request.POST.get("token", ""))
        or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS
    ):
        back["problem"] = (
            "没有待确认的导入（可能已确认、已过期或在另一窗口中重新上传），请重新上传文件。"
        )
        return render(request, "county/import.html", back, status=400)
    choices = {
        key.removeprefix("evidence-"): value
        for key, value in request.POST.items()
        if key.startswith("evidence-")
    }
    try:
        confirm_import(application, user, pending["data"], pending["version"], choices)
    except StaleForm as stale:
        del request.session[PENDING]
        back["problem"] = stale.message
        return render(request, "county/import.html", back, status=409)
    except DomainError as refused:
        # The preview stays pending: the officer goes back and completes the choices.
        back["problem"] = refused.message
        return render(request, "county/import.html", back, status=400)
    del request.session[PENDING]
    report = _report(pending["report"])
    not_found = [(item, field_url(application, item.path)) for item in report.not_found]
    return render(
        request,
        "county/import_result.html",
        {
            "outcome": {
                "created": False,
                "named_files": [NamedFile(*named) for named in pending.get("named", [])],
            },
            "report": report,
            "application": application,
            "not_found": not_found,
            "confirmed": True,
        },
    )
