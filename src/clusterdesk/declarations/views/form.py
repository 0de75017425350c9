"""The web form: one page per part, and the autosave door. HTTP in and out, nothing more.

Every application is looked up through ``visible_applications(user)``: anybody else's is a 404,
whether it exists or not. Who may change it is ``edit_refusal``'s answer; everyone else who may
see it gets the same page read-only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from clusterdesk.declarations.domain.comments import page_comments, stamp
from clusterdesk.declarations.domain.editing import EditRefused, edit_refusal, save_changes
from clusterdesk.declarations.domain.forms import (
    PageProgress,
    field_findings_for,
    form_definition,
    form_of,
    progress_for,
    thresholds_key,
    without_data,
)
from clusterdesk.declarations.domain.lru import Lru
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.domain.timeline import latest_return
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
    # The form's JSON is loaded only when the page's content is not stored yet (``form_of``
    # reads it then); the title takes the cluster name from the database.
    application = get_object_or_404(without_data(visible_applications(request.user)), pk=pk)
    definition = form_definition(application)
    keys = [item.key for item in definition.pages]
    if page not in keys:
        raise Http404("申报表中没有这一页")
    refusal = edit_refusal(application, request.user)
    returned = latest_return(application)
    index = keys.index(page)
    get_token(request)  # a reader without a CSRF secret gets one now, before the key names it
    csrf_secret = request.META["CSRF_COOKIE"]

    # The form is parsed, validated and laid out only when the content is not stored yet.
    def built_page() -> Any:
        return build_page(definition, form_of(application), page, field_findings_for(application))

    def built_progress() -> Any:
        return progress_for(application)

    built = SimpleLazyObject(built_page)

    def built_comments() -> Any:
        back = request.get_full_path()
        return page_comments(application, request.user, back, findings_holders(built))

    context = {
        "application": application,
        "form_title": definition.title,
        "page_title": definition.page(page).title,
        "page": built,
        "progress": SimpleLazyObject(built_progress),
        "editable": refusal is None,
        "refusal": refusal,
        "previous_page": keys[index - 1] if index else None,
        "next_page": keys[index + 1] if index + 1 < len(keys) else None,
        "hints": NUMBER_HINTS,
        "returned": returned,  # the city's reason, on every page
        "review_comments": SimpleLazyObject(built_comments),  # 审核意见 at their boxes
        # Everything the content shows besides the data of this version: a new fact on the
        # page must be added here too, or a reader could see another's stored content.
        "content_key": content_key(
            application,
            "page",
            page,
            refusal,
            repr(returned),
            stamp(application),  # the comments shown at the boxes, and their replies
            date.today(),
            # The evidence forms carry the reader's CSRF token and the page's address: a page
            # is kept per reader's CSRF secret, so no one is ever shown a token of another.
            csrf_secret,
            request.get_full_path(),
        ),
    }
    return render(request, "declarations/form/page.html", context)


def content_key(application: Application, *facts: Any) -> tuple | None:
    if settings.DEBUG:
        return None  # a developer editing a template sees the change at once
    round_ = application.round
    return (
        application.pk,
        application.version,
        application.updated_at,
        application.state,
        round_.form_version,
        round_.criteria_profile,
        thresholds_key(round_),  # the 2025 targets' findings depend on the city's thresholds
        *facts,
    )


@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    # JSON, not a login redirect: the page keeps what was typed and saves it after a new login.
    if not request.user.is_authenticated:
        return JsonResponse({"error": SESSION_EXPIRED, "reason": "login"}, status=401)
    # The save reads the data under its row lock and hands it back: not loaded twice.
    # order_by(): the model's ordering would join the unit for its position, for one row.
    application = visible_applications(request.user).filter(pk=pk).defer("data").order_by().first()
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
    form = form_of(application)  # the form the save just validated
    findings = field_findings_for(application)  # only the parts the save changed, again
    built = build_page(definition, form, page, findings)
    context = {
        "application": application,
        "page": built,
        "progress_html": progress_list(application, built.key, progress_for(application)),
        "holders_html": findings_lists(findings_holders(built)),
    }
    return render_to_string("declarations/form/fragments.html", context)


# Most saves (a word typed in a box) leave every page's counts as they were: the list is drawn
# from its counts alone, so one drawn for the same counts is handed out again.
_progress_lists: Lru[str] = Lru(256)


def progress_list(application: Application, page: str, progress: list[PageProgress]) -> str:
    """``form/progress.html`` for ``progress`` with ``page`` as the current page."""
    key = (application.pk, page, tuple(progress))
    html = _progress_lists.get(key)
    if html is None:
        context = {"application": application, "page": {"key": page}, "progress": progress}
        html = render_to_string("declarations/form/progress.html", context)
        _progress_lists.put(key, html)
    return html


def findings_lists(holders: dict[str, tuple[str, list[Any]]]) -> SafeString:
    """Every findings list of the page, as ``form/findings.html`` renders each (a test holds
    them equal), without a template per list (mostly empty; ~5× faster)."""
    lists = []
    for path, (_label, findings) in holders.items():
        items = "".join(
            format_html(
                '<li class="finding {} rule-{}"{} data-paths="{}">{}</li>',
                finding["level"],
                finding["rule"],
                format_html(' id="{}"', finding["id"]) if finding.get("id") else "",
                finding["paths"],
                finding["message"],
            )
            for finding in findings
        )
        shown = escape(path)
        lists.append(
            f'<ul class="field-findings" data-for="{shown}" id="findings-{shown}" '
            f'aria-live="polite">{items}</ul>\n'
        )
    return mark_safe("".join(lists))  # every value above is escaped
