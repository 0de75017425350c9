"""The forms the system knows, by the key a round stores in ``form_version``.

A round names its form; everything that reads or changes an application's form asks here for
the definition instead of importing one schema. The 2023 Attachment 2 is registered from the
start, with the annual report (``annual``); next year's Attachment 2 is registered next to them.
"""

from __future__ import annotations

from pydantic import BaseModel

from .annual.definition import ANNUAL_REPORT_2024
from .attachment2 import ATTACHMENT2_2023
from .definition import FormDefinition

_DEFINITIONS: dict[str, FormDefinition] = {
    ATTACHMENT2_2023.key: ATTACHMENT2_2023,
    ANNUAL_REPORT_2024.key: ANNUAL_REPORT_2024,
}


class UnknownForm(LookupError):
    """No form is registered under this key; the message is Chinese."""


def register(definition: FormDefinition) -> FormDefinition:
    known = _DEFINITIONS.setdefault(definition.key, definition)
    if known is not definition:
        raise ValueError(f"a form is already registered as {definition.key!r}")
    return definition


def unregister(definition: FormDefinition) -> None:
    if _DEFINITIONS.get(definition.key) is definition:
        del _DEFINITIONS[definition.key]


def definitions() -> tuple[FormDefinition, ...]:
    return tuple(_DEFINITIONS.values())


def definition_for(key: str) -> FormDefinition:
    """The form a round names in its ``form_version``."""
    try:
        return _DEFINITIONS[key]
    except KeyError:
        raise UnknownForm(f"申报表版本“{key}”不存在") from None


def definition_of(form: BaseModel) -> FormDefinition:
    """The form a parsed form belongs to: by its schema, and by its ``form_version`` where two
    registered forms share one schema."""
    candidates = [d for d in _DEFINITIONS.values() if type(form) is d.model]
    if len(candidates) > 1:
        version = getattr(form, "form_version", None)
        candidates = [d for d in candidates if d.version.id == version]
    if len(candidates) != 1:
        raise UnknownForm(f"没有登记“{type(form).__name__}”的申报表")
    return candidates[0]
