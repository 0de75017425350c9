"""{% cached_content key [fact …] %}…{% endcached_content %}: a block rendered once per ``key``
(and the further facts named, e.g. a flag of the page's context).

The form page wraps its content in it, the dashboard each application's row (see
``interfaces.page_cache``); a ``key`` of None renders the block every time.
"""

from __future__ import annotations

from django import template
from django.template.base import Parser, Token
from django.utils.safestring import mark_safe

from clusterdesk.declarations.interfaces import page_cache

register = template.Library()


class CachedContent(template.Node):
    def __init__(
        self,
        nodelist: template.NodeList,
        key: template.base.FilterExpression,
        facts: list[template.base.FilterExpression],
    ) -> None:
        self.nodelist = nodelist
        self.key = key
        self.facts = facts

    def render(self, context: template.Context) -> str:
        key = self.key.resolve(context)
        if key is None:
            return self.nodelist.render(context)
        if self.facts:
            key = (key, *(fact.resolve(context) for fact in self.facts))
        found = page_cache.get(key)
        if found is None:
            found = self.nodelist.render(context)
            page_cache.put(key, found)
        return mark_safe(found)  # rendered (and escaped) by the template itself


@register.tag
def cached_content(parser: Parser, token: Token) -> CachedContent:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cached_content takes the key (and facts) to keep by")
    nodelist = parser.parse(("endcached_content",))
    parser.delete_first_token()
    facts = [parser.compile_filter(bit) for bit in bits[2:]]
    return CachedContent(nodelist, parser.compile_filter(bits[1]), facts)
