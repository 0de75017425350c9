"""审核意见 (the city's comments at the field) and the revision diff: HTTP in and out.

Every application is found through ``visible_applications`` and every comment through
``visible_comments``: another county's is a 404, whether it exists or not.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clusterdesk.accounts.permissions import refusal
from clusterdesk.declarations.domain.comments import (
    MAX_TEXT,
    CommentRefused,
    add_comment,
    close,
    comment_for,
    path_refusal,
    place_of,
    reply,
)
from clusterdesk.declarations.domain.forms import form_definition
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.domain.revision_diff import (
    DiffRefused,
    default_pair,
    revision_diff,
    snapshots,
)
from clusterdesk.declarations.models import Application, Comment
from clusterdesk.web.params import object_id


def _visible(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(visible_applications(request.user), pk=pk)


def _came_from(request: HttpRequest) -> str:
    """The page the officer came from (``next``, this site only, without its anchor), or ""."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    local = wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts=None)
    return wanted.split("#", 1)[0] if local else ""


def _back(request: HttpRequest, application: Application, path: str, anchor: str = "") -> str:
    """Where to go after acting: the page the officer came from (``next``, this site only),
    else the form page of the field."""
    came_from = _came_from(request)
    if came_from:
        return came_from + anchor
    page = form_definition(application).page_of(path) if path else None
    if page:
        return reverse("form:page", args=[application.pk, page]) + anchor
    return reverse("form:timeline", args=[application.pk]) + anchor


@login_required
@require_http_methods(["GET", "POST"])
def comment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """批注: the form for one comment at ``path`` (GET), saving it (POST)."""
    application = _visible(request, pk)
    problem = refusal("comment.write", request.user, application)
    if problem:
        raise PermissionDenied(problem)
    source = request.POST if request.method == "POST" else request.GET
    path = source.get("path", "").strip()
    definition = form_definition(application)
    error = path_refusal(definition, path)
    text = request.POST.get("text", "")
    if request.method == "POST" and error is None:
        try:
            comment = add_comment(application, request.user, path, text)
        except CommentRefused as refused:
            error = refused.message
        else:
            messages.success(
                request, f"已保存批注（{comment.place}），退回时随退回理由一并发给区县。"
            )
            return redirect(_back(request, application, path, f"#comment-{comment.pk}"))
    context = {
        "application": application,
        "path": path,
        "place": place_of(definition, path) if not path_refusal(definition, path) else "",
        "error": error,
        "text": text,
        "max_text": MAX_TEXT,
        "next": source.get("next", ""),
        "came_from": _came_from(request),  # the review page's 返回 link (intake or the reports)
    }
    return render(request, "declarations/comment_new.html", context, status=400 if error else 200)


def _comment(request: HttpRequest, pk: int) -> Comment:
    try:
        return comment_for(request.user, pk)
    except Comment.DoesNotExist:
        raise Http404("没有找到该审核意见。") from None


def _act(
    request: HttpRequest, comment: Comment, rule: str, act, *, done: str, failed: str
) -> HttpResponse:
    """Do ``act()`` on the comment and go back to it; a refusal for lack of the right is 403,
    any other (the state moved on, empty text) a message naming the comment's place."""
    try:
        act()
    except CommentRefused as refused:
        if refusal(rule, request.user, comment.application):
            raise PermissionDenied(refused.message) from None
        messages.error(request, f"{failed}{refused.message}")
    else:
        messages.success(request, done)
    return redirect(_back(request, comment.application, comment.path, f"#comment-{comment.pk}"))


@login_required
@require_POST
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The county's reply; the button 标记已处理 (``answered``) marks it answered."""
    comment = _comment(request, pk)
    answered = request.POST.get("answered") == "1"
    text = request.POST.get("text", "")
    return _act(
        request,
        comment,
        "comment.reply",
        lambda: reply(comment, request.user, text, answered=answered),
        done=f"已{'标记已处理' if answered else '回复'}：{comment.place}。",
        failed=f"未回复（{comment.place}）：",
    )


@login_required
@require_POST
def comment_close(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    return _act(
        request,
        comment,
        "comment.close",
        lambda: close(comment, request.user),
        done=f"已关闭审核意见：{comment.place}。",
        failed="未关闭：",
    )


@login_required
@require_safe
def revision_diff_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Two snapshots side by side (?old=&new=, default: the resubmission against the returned
    snapshot), with the comments and whether their fields changed."""
    application = _visible(request, pk)
    shots = snapshots(application)
    pair = default_pair(application, shots)
    if "old" in request.GET or "new" in request.GET:
        old, new = object_id(request.GET.get("old")), object_id(request.GET.get("new"))
        pair = (old, new) if old is not None and new is not None else None
        if pair is None:
            raise Http404("没有找到要比较的提交快照。")
    result, error = None, None
    if pair is not None:
        try:
            result = revision_diff(application, request.user, *pair)
        except DiffRefused as refused:
            raise Http404(refused.message) from None
    elif len(shots) < 2:
        error = "该申报只有不到两次提交，暂无可比较的版本。"
    return render(
        request,
        "declarations/revision_diff.html",
        {
            "application": application,
            "shots": shots,
            "result": result,
            "error": error,
            "can_close": refusal("comment.close", request.user, application) is None,
            "here": request.get_full_path(),
        },
    )
