"""{% load permissions %}{% may "county.work" as can_work %}: the rules of accounts.permissions
in templates, for the signed-in user."""

from typing import Any

from django import template

from clusterdesk.accounts.permissions import may as user_may

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: dict[str, Any], rule_name: str, obj: Any = None) -> bool:
    user = context.get("user")
    return user is not None and user.is_authenticated and user_may(rule_name, user, obj)
