"""A form the engine runs: its schema, version, pages and checks, as one value.

The machinery — walking a form, the 填报说明 rules read off the field metadata, loading with
Chinese messages, the web pages, autosave, progress — takes a ``FormDefinition`` instead of
importing one schema. The 2023 Attachment 2 is one definition (``attachment2``); the annual
report or next year's form is a new schema module and a definition, not a copy of the machinery.
A definition is hashed by identity, so caches keyed by it (``functools.cache``) stay cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .fields import Kind, form_fields
from .findings import Finding
from .versions import FormVersion

# A check the form makes special (a rule joining fields, a reviewer's sum): form → findings.
Check = Callable[["FormDefinition", Any], list[Finding]]
# A check against the round's criteria profile (the 2025 targets of Attachment 2).
ProfileCheck = Callable[[Any, Any], list[Finding]]
# What a page shows besides its boxes (填报说明 on a cover, cells derived from other parts).
PageExtras = Callable[[Any, str], Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page of the web form: its key in URLs, its title and the top-level sections on it."""

    key: str
    title: str
    sections: tuple[str, ...] = ()  # empty: the section named like the page

    def __post_init__(self) -> None:
        if not self.sections:
            object.__setattr__(self, "sections", (self.key,))


@dataclass(frozen=True, eq=False)
class FormDefinition:
    key: str  # what a round stores in ``form_version``
    title: str  # the form's official title
    model: type[BaseModel]  # the root of the schema
    version: FormVersion  # the data years the form asks for
    pages: tuple[PageSpec, ...]
    rules: tuple[Check, ...] = ()  # errors beyond the field metadata, run by check_rules
    reviews: tuple[Check, ...] = ()  # a reviewer's consistency checks (warnings)
    profile_checks: tuple[ProfileCheck, ...] = ()
    page_extras: PageExtras | None = None
    _section_pages: dict[str, str] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        sections = dict(form_fields(self.model))
        for page in self.pages:
            for section in page.sections:
                if section not in sections or sections[section].kind != Kind.SECTION:
                    raise ValueError(f"{self.key}: page {page.key} names no section {section}")
                if section in self._section_pages:
                    raise ValueError(f"{self.key}: section {section} is on two pages")
                self._section_pages[section] = page.key

    @property
    def year_keys(self) -> tuple[str, ...]:
        return self.version.year_keys

    @property
    def page_titles(self) -> dict[str, str]:
        return {page.key: page.title for page in self.pages}

    def page(self, key: str) -> PageSpec:
        for page in self.pages:
            if page.key == key:
                return page
        raise KeyError(key)

    def page_of(self, path: str) -> str | None:
        """The page that shows the box at ``path`` (None for paths outside every page)."""
        return self._section_pages.get(path.split(".", 1)[0])

    def extras(self, form: BaseModel, page: str) -> dict[str, Any]:
        return dict(self.page_extras(form, page)) if self.page_extras else {}
