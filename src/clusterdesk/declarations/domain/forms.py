"""Reading an application's form: the typed form, its findings and how complete each part is.

Views never interpret ``Application.data`` themselves; they ask here. The data is always stored
in the canonical JSON of the form core (see ``editing``), so reading it back cannot fail for
data this system wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from clusterdesk.declarations.models import Application
from clusterdesk.form import validation
from clusterdesk.form.criteria import Profile, load_profile
from clusterdesk.form.fields import Kind
from clusterdesk.form.findings import Finding, Level
from clusterdesk.form.loading import application_from_data
from clusterdesk.form.schema import PART_TITLES
from clusterdesk.form.schema import Application as Form
from clusterdesk.form.targets import check_targets
from clusterdesk.form.walk import Node, walk

# The pages of the form, in the official order: cover, parts 一–九, then the Attachment 1 row.
PAGES: tuple[tuple[str, str], ...] = (
    ("cover", "封面"),
    *PART_TITLES.items(),
    ("attachment1", "附件1 推荐汇总表"),
)
PAGE_TITLES = dict(PAGES)


def form_of(application: Application) -> Form:
    return application_from_data(application.data or {}, str(application))


def findings_of(form: Form) -> list[Finding]:
    """The 填报说明 rules and the consistency checks."""
    return validation.validate(form)


@cache
def _profile(profile_id: str) -> Profile:
    return load_profile(profile_id)


def check_of(application: Application, form: Form) -> validation.CheckResult:
    """The round's criteria profile and the 2025 targets."""
    return validation.check(form, _profile(application.round.criteria_profile))


def field_findings(application: Application, form: Form) -> list[Finding]:
    """What the web form shows at the fields while it is being filled: the 填报说明 rules, the
    consistency checks and the 2025 targets (part 八) against the round's criteria profile."""
    profile = _profile(application.round.criteria_profile)
    return findings_of(form) + check_targets(form, profile)


def page_of(path: str) -> str:
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


def progress(form: Form, findings: list[Finding]) -> list[PageProgress]:
    """Per page: how many required boxes hold an answer, and how many findings it has."""
    filled = dict.fromkeys(PAGE_TITLES, 0)
    required = dict.fromkeys(PAGE_TITLES, 0)
    for node in walk(form):
        if _counts_as_required(node):
            page = page_of(node.path)
            required[page] += 1
            filled[page] += node.answered
    errors = dict.fromkeys(PAGE_TITLES, 0)
    warnings = dict.fromkeys(PAGE_TITLES, 0)
    for finding in findings:
        page = page_of(finding.path)
        if page in errors and finding.level == Level.ERROR:
            errors[page] += 1
        elif page in warnings and finding.level == Level.WARNING:
            warnings[page] += 1
    return [
        PageProgress(page, title, filled[page], required[page], errors[page], warnings[page])
        for page, title in PAGES
    ]


def _counts_as_required(node: Node) -> bool:
    if not node.spec.required or node.spec.kind == Kind.SECTION or node.not_applicable:
        return False
    # A year column counts once per year cell, not for the column as a whole.
    return node.year is not None or not node.spec.yearly
