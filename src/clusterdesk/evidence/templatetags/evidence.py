"""Template helpers of the evidence widget: {% load evidence %}."""

from django import template
from django.conf import settings

from clusterdesk.evidence.sniffing import ACCEPT, ALLOWED_TEXT, kind_for_name

register = template.Library()


@register.simple_tag
def evidence_accept() -> str:
    return ACCEPT


@register.simple_tag
def evidence_allowed() -> str:
    return ALLOWED_TEXT


@register.simple_tag
def evidence_max_mb() -> int:
    return settings.CLUSTERDESK_EVIDENCE_MAX_MB


@register.filter
def previewable(name: str) -> bool:
    """Whether the browser can show the file (its content was checked against its name)."""
    kind = kind_for_name(name or "")
    return bool(kind and kind.previewable)
