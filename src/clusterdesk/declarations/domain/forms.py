"""Reading an application's form: the typed form, its findings and how complete each part is.

Views never interpret ``Application.data`` themselves; they ask here. The data is always stored
in the canonical JSON of the form core (see ``editing``), so reading it back cannot fail for
data this system wrote. Which form an application holds is its round's ``form_version``,
resolved to a ``FormDefinition`` by the core's registry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.core.cache import cache as shared_cache
from django.db.models import QuerySet
from django.db.models.fields.json import KT
from pydantic import BaseModel

from clusterdesk.declarations.domain.lru import Lru
from clusterdesk.declarations.models import Application
from clusterdesk.form import validation
from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from clusterdesk.form.criteria import Profile, load_profile, unset_thresholds, with_thresholds
from clusterdesk.form.definition import FormDefinition
from clusterdesk.form.findings import Finding, Level
from clusterdesk.form.loading import application_from_data
from clusterdesk.form.registry import definition_for, definition_of
from clusterdesk.form.rules import FieldPass, counts_as_required
from clusterdesk.form.schema import Application as Form
from clusterdesk.form.walk import walk
from clusterdesk.rounds.models import Round

# The pages of the 2023 Attachment 2 (cover, parts 一–九, the Attachment 1 row), for the pages
# written for that form only; pages that serve any form use ``form_definition(application)``.
PAGES: tuple[tuple[str, str], ...] = tuple(ATTACHMENT2_2023.page_titles.items())
PAGE_TITLES = dict(PAGES)


def without_data(applications: QuerySet[Application]) -> QuerySet[Application]:
    """``applications`` with the form's JSON left in the database until something reads it; the
    cluster name (``str(application)``) is read out of it by the database. For pages whose
    findings and content are usually kept already (``checked``, the form page's content)."""
    named = applications.defer("data")
    return named.annotate(
        json_cluster_name=KT("data__part1__cluster_name"),
        # an annual report's name and year (``Application.__str__``)
        json_form_version=KT("data__form_version"),
        json_report_name=KT("data__basics__cluster_name"),
        json_report_year=KT("data__basics__year"),
    )


def form_definition(application: Application) -> FormDefinition:
    """The form ``application`` holds: the one its round names."""
    return definition_for(application.round.form_version)


def form_of(application: Application) -> BaseModel:
    """The typed form of ``application``, parsed once per instance and data version (a page asks
    for it from several places; read it, do not change it)."""
    memo = application.__dict__.get(_FORM_MEMO)
    if memo is not None and memo[0] == application.version:
        return memo[1]
    data = application.data or {}
    form = application_from_data(data, str(application), form_definition(application))
    remember_form(application, form)
    return form


_FORM_MEMO = "_clusterdesk_form"


def remember_form(application: Application, form: BaseModel) -> None:
    """``form`` is what ``application`` holds at its current version (e.g. just saved)."""
    application.__dict__[_FORM_MEMO] = (application.version, form)


def findings_of(form: BaseModel) -> list[Finding]:
    """The 填报说明 rules and the consistency checks of the form's definition."""
    return validation.validate(form)


@lru_cache(maxsize=64)  # per (profile, thresholds): a few per round, bounded all the same
def _profile(profile_id: str, thresholds: tuple[tuple[str, str], ...] = ()) -> Profile:
    profile = load_profile(profile_id)
    # A threshold the profile has since set itself is the profile's: the round's value yields.
    unset = {threshold.key for threshold in unset_thresholds(profile)}
    return with_thresholds(profile, {key: value for key, value in thresholds if key in unset})


def round_profile(round_: Round) -> Profile:
    """The round's criteria profile with the thresholds the city officer set for the round."""
    return _profile(round_.criteria_profile, tuple(sorted(_thresholds(round_).items())))


def _thresholds(round_: Round) -> dict[str, str]:
    return round_.criteria_thresholds or {}


def thresholds_key(round_: Round) -> str:
    """The round's set thresholds in a cache key: changed thresholds are evaluated anew."""
    return ",".join(f"{key}={value}" for key, value in sorted(_thresholds(round_).items()))


def check_of(application: Application, form: Form) -> validation.CheckResult:
    """The round's criteria profile and the 2025 targets (Attachment 2's: the criteria engine
    reads its parts)."""
    return validation.check(form, round_profile(application.round))


def field_findings(application: Application, form: BaseModel) -> list[Finding]:
    """What the web form shows at the fields while it is being filled: the 填报说明 rules, the
    consistency checks and the checks against the round's criteria profile (for Attachment 2
    the 2025 targets of part 八)."""
    definition = form_definition(application)
    findings = validation.validate(form, definition)
    if definition.profile_checks:
        profile = round_profile(application.round)
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
    form: BaseModel,
    findings: list[Finding],
    definition: FormDefinition | None = None,
    passes: Mapping[str, FieldPass] | None = None,
) -> list[PageProgress]:
    """Per page: how many required boxes hold an answer, and how many findings it has;
    ``passes``: the validation's field passes, which counted them on their walk."""
    definition = definition or definition_of(form)
    titles = definition.page_titles
    filled = dict.fromkeys(titles, 0)
    required = dict.fromkeys(titles, 0)
    if passes is not None:
        for name, done in passes.items():
            page = definition.page_of(name)
            if page is not None:
                required[page] += done.required
                filled[page] += done.answered
    else:
        for node in walk(definition, form):
            if counts_as_required(node):
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


# --- summaries cached by data version -------------------------------------------------------


@dataclass(frozen=True)
class FormSummary:
    """What lists show about one application: findings counted and progress per page, its name
    and the lines of part 一 that Attachment 1's header takes (a list then reads no form)."""

    errors: int
    warnings: int
    progress: tuple[PageProgress, ...]
    name: str = ""
    header: tuple[object, object, object] = (None, None, None)  # department, contact, mobile

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
        f"form-summary-2:{application.pk}:{application.version}:"
        f"{round_.form_version}:{round_.criteria_profile}:{thresholds_key(round_)}"
    )


def summarise(application: Application) -> FormSummary:
    """Validate ``application`` once and count what lists show."""
    findings = findings_for(application)
    part1 = (application.data or {}).get("part1")
    part1 = part1 if isinstance(part1, dict) else {}
    return FormSummary(
        errors=sum(finding.level == Level.ERROR for finding in findings),
        warnings=sum(finding.level == Level.WARNING for finding in findings),
        progress=tuple(progress_for(application, findings)),
        name=application.cluster_name,
        header=(
            part1.get("department"),
            part1.get("department_contact"),
            part1.get("department_phone"),
        ),
    )


def application_summaries(applications: Iterable[Application]) -> dict[int, FormSummary]:
    """Summaries by application pk, validating only applications whose data changed since their
    summary was stored (one cache round trip for the rest)."""
    applications = list(applications)
    keys = {_summary_key(application): application for application in applications}
    found = _summaries.get_many(keys)
    # The rest from the cache every process shares (files by default: a read each).
    shared = shared_cache.get_many([key for key in keys if key not in found])
    _summaries.put_many(shared)
    found.update(shared)
    summaries = {app.pk: found[key] for key, app in keys.items() if key in found}
    unknown = [app for app in applications if app.pk not in summaries]
    _load_data(unknown)
    # Keyed again: a form loaded just now may be at a newer version than its row was listed at.
    missing = {_summary_key(app): (app, summarise(app)) for app in unknown}
    if missing:
        made = {key: summary for key, (_app, summary) in missing.items()}
        shared_cache.set_many(made, timeout=30 * 24 * 3600)
        _summaries.put_many(made)
    summaries.update({app.pk: summary for app, summary in missing.values()})
    return summaries


# Summaries read lately, kept in the process too (a key names one data version, so a kept
# summary is never stale): a dashboard of 20 rows then reads no file of the shared cache.
SUMMARY_ENTRIES = 2048  # ~1 KB each
_summaries: Lru[FormSummary] = Lru(SUMMARY_ENTRIES)


def _load_data(applications: list[Application]) -> None:
    """The forms of those of ``applications`` read without theirs (``without_data``), in one
    query rather than one per instance; with the version and time they are at, so findings are
    kept under the version of the data they were made from."""
    deferred = {app.pk: app for app in applications if "data" not in app.__dict__}
    if not deferred:
        return
    stored = Application.objects.filter(pk__in=deferred).values_list(
        "pk", "data", "version", "updated_at"
    )
    for pk, data, version, updated_at in stored:
        application = deferred[pk]
        application.data, application.version, application.updated_at = data, version, updated_at


def application_summary(application: Application) -> FormSummary:
    return application_summaries([application])[application.pk]


# --- findings cached by data version ----------------------------------------------------------
#
# A page asks for an application's findings from several places (the page, its progress list,
# the submit guard, the self-check); each data version is validated once and kept in this
# process, so unchanged data is never validated again. The key holds everything findings
# depend on besides the data: the round's form and profile, and the day (date rules). After an
# edit only the parts it changed are walked again (``editing.locked_update`` leaves the data it
# replaced on the instance): the other parts' passes are taken from the previous version.


@dataclass(frozen=True)
class Checked:
    validation: validation.Validation
    profile_findings: tuple[Finding, ...]

    @property
    def findings(self) -> list[Finding]:
        """The 填报说明 rules and the consistency checks (``findings_of``)."""
        return list(self.validation.findings)

    @property
    def field_findings(self) -> list[Finding]:
        """With the round's profile checks (``field_findings``): what the web form shows."""
        return [*self.validation.findings, *self.profile_findings]


CHECKED_ENTRIES = 128  # versions kept per process: a county's drafts and the pages being read
_checked: Lru[Checked] = Lru(CHECKED_ENTRIES)
_PREVIOUS = "_clusterdesk_previous"


def _checked_key(application: Application, version: int, updated_at: object) -> tuple:
    round_ = application.round
    # updated_at as well: a row written past the editing door (a test, a data repair) keeps
    # its version but never its timestamp.
    return (
        application.pk,
        version,
        updated_at,
        round_.form_version,
        round_.criteria_profile,
        thresholds_key(round_),
        date.today(),  # what the date rules compare with
    )


def remember_previous(
    application: Application, version: int, updated_at: object, data: dict
) -> None:
    """``application`` was at ``version`` holding ``data`` before the save that made its current
    version: findings of the new version reuse the passes of the parts that kept their data."""
    application.__dict__[_PREVIOUS] = (version, updated_at, data)


def carry_checked(application: Application, version: int, updated_at: object) -> None:
    """``application`` held the same data at ``version`` (written at ``updated_at``): a workflow
    move changes its state and version only, so what was validated and parsed for that version
    holds for the current one (the submit guard's validation serves what follows the move)."""
    found = _checked.get(_checked_key(application, version, updated_at))
    if found is not None:
        _checked.put(_checked_key(application, application.version, application.updated_at), found)
    memo = application.__dict__.get(_FORM_MEMO)
    if memo is not None and memo[0] == version:
        remember_form(application, memo[1])


def forget_checked() -> None:
    """Empty this process's findings and summaries (tests start each from nothing)."""
    _checked.clear()
    _summaries.clear()


def checked(application: Application) -> Checked:
    """The findings of ``application`` at its current version, validated at most once."""
    key = _checked_key(application, application.version, application.updated_at)
    found = _checked.get(key)
    if found is not None:
        return found
    form = form_of(application)
    definition = form_definition(application)
    result = validation.validate_passes(form, definition, reuse=_reusable(application))
    profile = round_profile(application.round)
    extra = tuple(f for check in definition.profile_checks for f in check(form, profile))
    found = Checked(result, extra)
    if application.pk is not None:
        _checked.put(key, found)
    return found


def _reusable(application: Application) -> dict[str, FieldPass]:
    """The passes of the previous version for the parts whose data and evidence are unchanged."""
    previous = application.__dict__.get(_PREVIOUS)
    if previous is None:
        return {}
    version, updated_at, before = previous
    earlier = _checked.get(_checked_key(application, version, updated_at))
    if earlier is None:
        return {}
    return validation.reusable(earlier.validation, before, application.data or {})


def findings_for(application: Application) -> list[Finding]:
    """``findings_of(form_of(application))``, validated at most once per data version."""
    return checked(application).findings


def progress_for(
    application: Application, findings: list[Finding] | None = None
) -> list[PageProgress]:
    """``progress`` of ``application`` at its current version, without walking the form again;
    ``findings``: which findings the pages count (by default the web form's)."""
    done = checked(application)
    counted = done.field_findings if findings is None else findings
    definition = form_definition(application)
    return progress(form_of(application), counted, definition, done.validation.passes)


def field_findings_for(application: Application) -> list[Finding]:
    """``field_findings(application, form_of(application))``, at most once per data version."""
    return checked(application).field_findings
