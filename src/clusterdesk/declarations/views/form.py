"""The web form: one page per part, and the autosave door. HTTP in and out, nothing more.

Every application is looked up through ``visible_applications(user)``: anybody else's is a 404,
whether it exists or not. Who may change it is ``edit_refusal``'s answer; everyone else who may
see it gets the same page read-only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from clusterdesk.declarations.domain.editing import EditRefused, edit_refusal, save_changes
from clusterdesk.declarations.domain.forms import (
    field_findings,
    form_definition,
    form_of,
    progress,
)
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.interfaces.autosave import BadRequest, request_from_body, result_json
from clusterdesk.declarations.interfaces.form_page import build_page, findings_holders
from clusterdesk.declarations.models import Application
from clusterdesk.form.live import NUMBER_HINTS

SESSION_EXPIRED = "登录已过期，请在新窗口重新登录后自动保存"


def _visible(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(visible_applications(request.user), pk=pk)


@login_required
@require_GET
def form_start(request: HttpRequest, pk: int) -> HttpResponse:
    definition = form_definition(_visible(request, pk))
    return redirect("form:page", pk=pk, page=definition.pages[0].key)


@login_required
@require_GET
def form_page(request: HttpRequest, pk: int, page: str) -> HttpResponse:
    application = _visible(request, pk)
    definition = form_definition(application)
    keys = [item.key for item in definition.pages]
    if page not in keys:
        raise Http404("申报表中没有这一页")
    form = form_of(application)
    findings = field_findings(application, form)
    refusal = edit_refusal(application, request.user)
    index = keys.index(page)
    context = {
        "application": application,
        "form_title": definition.title,
        "page": build_page(definition, form, page, findings),
        "progress": progress(form, findings, definition),
        "editable": refusal is None,
        "refusal": refusal,
        "previous_page": keys[index - 1] if index else None,
        "next_page": keys[index + 1] if index + 1 < len(keys) else None,
        "hints": NUMBER_HINTS,
    }
    return render(request, "declarations/form/page.html", context)


@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    # JSON, not a login redirect: the page keeps what was typed and saves it after a new login.
    if not request.user.is_authenticated:
        return JsonResponse({"error": SESSION_EXPIRED, "reason": "login"}, status=401)
    application = visible_applications(request.user).filter(pk=pk).first()
    if application is None:
        return JsonResponse({"error": "找不到该申报"}, status=404)
    try:
        pages = {item.key for item in form_definition(application).pages}
        changes, page = request_from_body(request.body, pages)
        result = save_changes(application, changes, request.user)
    except BadRequest as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    except EditRefused as exc:
        return JsonResponse({"error": exc.message, "reason": "refused"}, status=403)
    return JsonResponse(result_json(result, _changed_parts(application, page) if page else ""))


def _changed_parts(application: Application, page: str) -> str:
    """What a save changes on ``page`` (findings, page list, part total), rendered as on it."""
    definition = form_definition(application)
    form = form_of(application)
    findings = field_findings(application, form)
    built = build_page(definition, form, page, findings)
    context = {
        "application": application,
        "page": built,
        "progress": progress(form, findings, definition),
        "holders": findings_holders(built),
    }
    return render_to_string("declarations/form/fragments.html", context)
