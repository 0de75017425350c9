"""``{% review_slot path %}``: the city's comments at one box of a form page, and its 批注 button.
``{% comment_places application as groups %}``: the places a comment may be anchored at, page by
page, for the picker of the city's review pages (``declarations/comments/_review.html``).

Renders nothing unless the page put ``review_comments`` (``domain.comments.PageComments``) in
the context — the autosave fragments and the findings test render the same template without it
— and nothing for a box with no comment for a reader who may not add one, so a county's page
without comments is what it was.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from clusterdesk.declarations.domain.comments import PlaceGroup, comment_choices
from clusterdesk.declarations.domain.forms import form_definition

register = template.Library()


@register.simple_tag(takes_context=True)
def review_slot(context: template.Context, path: str) -> str:
    board = context.get("review_comments")
    if board is None:
        return ""
    comments = board.at(path)
    if not comments and not board.can_write:
        return ""
    return render_to_string(
        "declarations/comments/_slot.html",
        {
            "path": path,
            "place": board.place(path),
            "comments": comments,
            "application": board.application,
            "can_write": board.can_write,
            "can_reply": board.can_reply,
            "can_close": board.can_close,
            "next": board.next,
            "csrf_token": context.get("csrf_token"),
        },
    )


@register.simple_tag
def comment_places(application) -> tuple[PlaceGroup, ...]:
    # Cached per form: no query beyond the application's round, which the pages have loaded.
    return comment_choices(form_definition(application))
