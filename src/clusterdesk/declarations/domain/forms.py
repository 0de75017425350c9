"""Reading an application's form: the typed form, its findings and how complete each part is.

Views never interpret ``Application.data`` themselves; they ask here. The data is always stored
in the canonical JSON of the form core (see ``editing``), so reading it back cannot fail for
data this system wrote. Which form an application holds is its round's ``form_version``,
resolved to a ``FormDefinition`` by the core's registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.core.cache import cache as shared_cache
from pydantic import BaseModel

from clusterdesk.declarations.models import Application
from clusterdesk.form import validation
from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from clusterdesk.form.criteria import Profile, load_profile
from clusterdesk.form.definition import FormDefinition
from clusterdesk.form.fields import Kind
from clusterdesk.form.findings import Finding, Level
from clusterdesk.form.loading import application_from_data
from clusterdesk.form.registry import definition_for, definition_of
from clusterdesk.form.schema import Application as Form
from clusterdesk.form.walk import Node, walk

# The pages of the 2023 Attachment 2 (cover, parts 一–九, the Attachment 1 row), for the pages
# written for that form only; pages that serve any form use ``form_definition(application)``.
PAGES: tuple[tuple[str, str], ...] = tuple(ATTACHMENT2_2023.page_titles.items())
PAGE_TITLES = dict(PAGES)


def form_definition(application: Application) -> FormDefinition:
    """The form ``application`` holds: the one its round names."""
    return definition_for(application.round.form_version)


def form_of(application: Application) -> BaseModel:
    data = application.data or {}
    return application_from_data(data, str(application), form_definition(application))


def findings_of(form: BaseModel) -> list[Finding]:
    """The 填报说明 rules and the consistency checks of the form's definition."""
    return validation.validate(form)


@cache
def _profile(profile_id: str) -> Profile:
    return load_profile(profile_id)


def check_of(application: Application, form: Form) -> validation.CheckResult:
    """The round's criteria profile and the 2025 targets (Attachment 2's: the criteria engine
    reads its parts)."""
    return validation.check(form, _profile(application.round.criteria_profile))


def field_findings(application: Application, form: BaseModel) -> list[Finding]:
    """What the web form shows at the fields while it is being filled: the 填报说明 rules, the
    consistency checks and the checks against the round's criteria profile (for Attachment 2
    the 2025 targets of part 八)."""
    definition = form_definition(application)
    findings = validation.validate(form, definition)
    if definition.profile_checks:
        profile = _profile(application.round.criteria_profile)
        findings += [f for check in definition.profile_checks for f in check(form, profile)]
    return findings


def page_of(path: str) -> str:
    """The top-level section of a path: Attachment 2's page (``FormDefinition.page_of`` for any
    form, where a page may hold several sections)."""
    return path.split(".", 1)[0]


@dataclass(frozen=True)
class PageProgress:
    page: str
    title: str
    filled: int
    required: int
    errors: int
    warnings: int

    @property
    def percent(self) -> int:
        return 100 if not self.required else round(100 * self.filled / self.required)

    @property
    def complete(self) -> bool:
        return self.filled == self.required and not self.errors


def progress(
    form: BaseModel, findings: list[Finding], definition: FormDefinition | None = None
) -> list[PageProgress]:
    """Per page: how many required boxes hold an answer, and how many findings it has."""
    definition = definition or definition_of(form)
    titles = definition.page_titles
    filled = dict.fromkeys(titles, 0)
    required = dict.fromkeys(titles, 0)
    for node in walk(definition, form):
        if _counts_as_required(node):
            page = definition.page_of(node.path)
            if page is not None:
                required[page] += 1
                filled[page] += node.answered
    errors = dict.fromkeys(titles, 0)
    warnings = dict.fromkeys(titles, 0)
    for finding in findings:
        page = definition.page_of(finding.path)
        if page in errors and finding.level == Level.ERROR:
            errors[page] += 1
        elif page in warnings and finding.level == Level.WARNING:
            warnings[page] += 1
    return [
        PageProgress(page, title, filled[page], required[page], errors[page], warnings[page])
        for page, title in titles.items()
    ]


def _counts_as_required(node: Node) -> bool:
    if not node.spec.required or node.spec.kind == Kind.SECTION or node.not_applicable:
        return False
    # A year column counts once per year cell, not for the column as a whole.
    return node.year is not None or not node.spec.yearly


# --- summaries cached by data version -------------------------------------------------------


@dataclass(frozen=True)
class FormSummary:
    """What lists show about one application: findings counted and progress per page."""

    errors: int
    warnings: int
    progress: tuple[PageProgress, ...]

    @property
    def percent(self) -> int:
        """Required boxes answered, over the whole form."""
        required = sum(page.required for page in self.progress)
        filled = sum(page.filled for page in self.progress)
        return 100 if not required else round(100 * filled / required)


def _summary_key(application: Application) -> str:
    # The version changes with every save, so a stored summary never goes stale; the round's form
    # and profile are part of the key because the city may change the profile.
    round_ = application.round
    return (
        f"form-summary:{application.pk}:{application.version}:"
        f"{round_.form_version}:{round_.criteria_profile}"
    )


def summarise(application: Application) -> FormSummary:
    """Validate ``application`` once and count what lists show."""
    form = form_of(application)
    findings = findings_of(form)
    return FormSummary(
        errors=sum(finding.level == Level.ERROR for finding in findings),
        warnings=sum(finding.level == Level.WARNING for finding in findings),
        progress=tuple(progress(form, findings, form_definition(application))),
    )


def application_summaries(applications: Iterable[Application]) -> dict[int, FormSummary]:
    """Summaries by application pk, validating only applications whose data changed since their
    summary was stored (one cache round trip for the rest)."""
    applications = list(applications)
    keys = {_summary_key(application): application for application in applications}
    found = shared_cache.get_many(list(keys))
    missing = {key: summarise(app) for key, app in keys.items() if key not in found}
    if missing:
        shared_cache.set_many(missing, timeout=30 * 24 * 3600)
    found.update(missing)
    return {application.pk: found[key] for key, application in keys.items()}


def application_summary(application: Application) -> FormSummary:
    return application_summaries([application])[application.pk]
